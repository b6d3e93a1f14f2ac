import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../src/errors.ts';
import { occurrences, occurrencesAfter, occurrencesWithLocal, parseRRule } from '../src/recurrence/index.ts';
import { toLocal, type LocalDateTime } from '../src/time/zoned.ts';

const at = (year: number, month: number, day: number, hour = 9, minute = 0, second = 0): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

/** The first `n` occurrences as ISO strings. */
function first(rrule: string, start: LocalDateTime, tz: string, n = 100): string[] {
  const out: string[] = [];
  for (const d of occurrences(parseRRule(rrule), start, tz)) {
    if (out.length >= n) break;
    out.push(d.toISOString());
  }
  return out;
}

const isDomain = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;
const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

describe('month ends', () => {
  // New York, 09:00 local: 14:00Z in winter (EST), 13:00Z from 2027-03-14 (EDT).
  test('FREQ=MONTHLY from Jan 31 skips months without a 31st (RFC 5545)', () => {
    assert.deepEqual(first('FREQ=MONTHLY', at(2027, 1, 31), NY, 4), [
      '2027-01-31T14:00:00.000Z',
      '2027-03-31T13:00:00.000Z',
      '2027-05-31T13:00:00.000Z',
      '2027-07-31T13:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=31', at(2027, 1, 31), NY, 4), [
      '2027-01-31T14:00:00.000Z',
      '2027-03-31T13:00:00.000Z',
      '2027-05-31T13:00:00.000Z',
      '2027-07-31T13:00:00.000Z',
    ]);
  });

  test('BYMONTHDAY=-1 is the last day of every month', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=-1', at(2027, 1, 31), NY, 4), [
      '2027-01-31T14:00:00.000Z',
      '2027-02-28T14:00:00.000Z',
      '2027-03-31T13:00:00.000Z',
      '2027-04-30T13:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=-2', at(2028, 1, 1), 'UTC', 3), [
      '2028-01-30T09:00:00.000Z',
      '2028-02-28T09:00:00.000Z',
      '2028-03-30T09:00:00.000Z',
    ]);
  });

  test('the clamp rule (BYMONTHDAY=28..d;BYSETPOS=-1) keeps the day without drifting', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1', at(2027, 1, 31), NY, 6), [
      '2027-01-31T14:00:00.000Z',
      '2027-02-28T14:00:00.000Z',
      '2027-03-31T13:00:00.000Z',
      '2027-04-30T13:00:00.000Z',
      '2027-05-31T13:00:00.000Z',
      '2027-06-30T13:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1', at(2028, 1, 30), 'UTC', 4), [
      '2028-01-30T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
      '2028-03-30T09:00:00.000Z',
      '2028-04-30T09:00:00.000Z',
    ]);
  });

  test('FREQ=YEARLY from Feb 29 only hits leap years; the clamp rule hits Feb 28 otherwise', () => {
    assert.deepEqual(first('FREQ=YEARLY', at(2028, 2, 29), BERLIN, 3), [
      '2028-02-29T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
      '2036-02-29T08:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1', at(2028, 2, 29), BERLIN, 5), [
      '2028-02-29T08:00:00.000Z',
      '2029-02-28T08:00:00.000Z',
      '2030-02-28T08:00:00.000Z',
      '2031-02-28T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
    ]);
  });
});

describe('BYDAY and BYSETPOS', () => {
  test('last weekday of the month', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', at(2026, 1, 1), 'UTC', 6), [
      '2026-01-30T09:00:00.000Z', // Jan 31 is a Saturday
      '2026-02-27T09:00:00.000Z', // Feb 28 is a Saturday
      '2026-03-31T09:00:00.000Z',
      '2026-04-30T09:00:00.000Z',
      '2026-05-29T09:00:00.000Z', // May 30/31 are a weekend
      '2026-06-30T09:00:00.000Z',
    ]);
  });

  test('first and last weekday (two BYSETPOS values)', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1', at(2026, 2, 1), 'UTC', 4), [
      '2026-02-02T09:00:00.000Z', // Feb 1 is a Sunday
      '2026-02-27T09:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
      '2026-03-31T09:00:00.000Z',
    ]);
  });

  test('last Friday (BYDAY=-1FR), across the Berlin DST change', () => {
    // 18:00 local: 17:00Z in CET, 16:00Z in CEST (from 2026-03-29).
    assert.deepEqual(first('FREQ=MONTHLY;BYDAY=-1FR', at(2026, 1, 1, 18), BERLIN, 6), [
      '2026-01-30T17:00:00.000Z',
      '2026-02-27T17:00:00.000Z',
      '2026-03-27T17:00:00.000Z',
      '2026-04-24T16:00:00.000Z',
      '2026-05-29T16:00:00.000Z',
      '2026-06-26T16:00:00.000Z',
    ]);
  });

  test('first Monday (BYDAY=1MO) and second-to-last Tuesday', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYDAY=1MO', at(2026, 1, 1), 'UTC', 4), [
      '2026-01-05T09:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-03-02T09:00:00.000Z',
      '2026-04-06T09:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=MONTHLY;BYDAY=-2TU', at(2026, 1, 1), 'UTC', 2), [
      '2026-01-20T09:00:00.000Z',
      '2026-02-17T09:00:00.000Z',
    ]);
  });

  test('YEARLY BYDAY ordinals count within BYMONTH, or within the year without it', () => {
    // Thanksgiving: fourth Thursday of November.
    assert.deepEqual(first('FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', at(2026, 1, 1), 'UTC', 3), [
      '2026-11-26T09:00:00.000Z',
      '2027-11-25T09:00:00.000Z',
      '2028-11-23T09:00:00.000Z',
    ]);
    // First Monday of the year; last Sunday of the year.
    assert.deepEqual(first('FREQ=YEARLY;BYDAY=1MO', at(2026, 1, 1), 'UTC', 3), [
      '2026-01-05T09:00:00.000Z',
      '2027-01-04T09:00:00.000Z',
      '2028-01-03T09:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=YEARLY;BYDAY=-1SU', at(2026, 1, 1), 'UTC', 2), [
      '2026-12-27T09:00:00.000Z',
      '2027-12-26T09:00:00.000Z',
    ]);
  });

  test('BYMONTHDAY with BYDAY limits: Friday the 13th', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR', at(2026, 1, 1), 'UTC', 4), [
      '2026-02-13T09:00:00.000Z',
      '2026-03-13T09:00:00.000Z',
      '2026-11-13T09:00:00.000Z',
      '2027-08-13T09:00:00.000Z',
    ]);
  });

  test('YEARLY BYMONTHDAY without BYMONTH expands over every month', () => {
    assert.deepEqual(first('FREQ=YEARLY;BYMONTHDAY=1', at(2026, 11, 1), 'UTC', 3), [
      '2026-11-01T09:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2027-01-01T09:00:00.000Z',
    ]);
  });
});

describe('weekly', () => {
  test('every weekday (FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR)', () => {
    // 2026-01-02 is a Friday.
    assert.deepEqual(first('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', at(2026, 1, 2, 8), 'UTC', 6), [
      '2026-01-02T08:00:00.000Z',
      '2026-01-05T08:00:00.000Z',
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
      '2026-01-08T08:00:00.000Z',
      '2026-01-09T08:00:00.000Z',
    ]);
  });

  test('DTSTART is only an occurrence if it matches the rule', () => {
    // Saturday start: the first occurrence is the next Monday.
    assert.deepEqual(first('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', at(2026, 1, 3, 8), 'UTC', 1), ['2026-01-05T08:00:00.000Z']);
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTHDAY=15', at(2026, 1, 20), 'UTC', 1), ['2026-02-15T09:00:00.000Z']);
  });

  test('FREQ=WEEKLY without BYDAY repeats on the start weekday', () => {
    assert.deepEqual(first('FREQ=WEEKLY;INTERVAL=3', at(2026, 1, 7), 'UTC', 3), [
      '2026-01-07T09:00:00.000Z',
      '2026-01-28T09:00:00.000Z',
      '2026-02-18T09:00:00.000Z',
    ]);
  });

  test('every 2 weeks on Mon and Thu: the week start (WKST) decides the phase', () => {
    // DTSTART is Sunday 2026-01-04.
    // WKST=MO: that Sunday ends the week of Dec 29 (Mon/Thu already past), so the next
    // period is two weeks later: Jan 12, Jan 15, then Jan 26, Jan 29.
    assert.deepEqual(first('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', at(2026, 1, 4), 'UTC', 4), [
      '2026-01-12T09:00:00.000Z',
      '2026-01-15T09:00:00.000Z',
      '2026-01-26T09:00:00.000Z',
      '2026-01-29T09:00:00.000Z',
    ]);
    // WKST=SU: the Sunday starts a week, which contains Jan 5 and Jan 8.
    assert.deepEqual(first('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU', at(2026, 1, 4), 'UTC', 4), [
      '2026-01-05T09:00:00.000Z',
      '2026-01-08T09:00:00.000Z',
      '2026-01-19T09:00:00.000Z',
      '2026-01-22T09:00:00.000Z',
    ]);
  });

  test('RFC 5545 WKST example (TU,SU every 2 weeks from Tue 1997-08-05)', () => {
    // 09:00 EDT = 13:00Z.
    assert.deepEqual(first('FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', at(1997, 8, 5), NY), [
      '1997-08-05T13:00:00.000Z',
      '1997-08-10T13:00:00.000Z',
      '1997-08-19T13:00:00.000Z',
      '1997-08-24T13:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', at(1997, 8, 5), NY), [
      '1997-08-05T13:00:00.000Z',
      '1997-08-17T13:00:00.000Z',
      '1997-08-19T13:00:00.000Z',
      '1997-08-31T13:00:00.000Z',
    ]);
  });
});

describe('daylight saving time', () => {
  test('daily at 02:30 across spring-forward in New York: 03:30 that day only', () => {
    const out = first('FREQ=DAILY', at(2026, 3, 7, 2, 30), NY, 3);
    assert.deepEqual(out, ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
    assert.deepEqual(
      out.map((s) => toLocal(new Date(s), NY)).map((l) => `${l.day} ${l.hour}:${l.minute}`),
      ['7 2:30', '8 3:30', '9 2:30'],
    );
  });

  test('daily at 02:30 across spring-forward in Berlin', () => {
    assert.deepEqual(first('FREQ=DAILY', at(2026, 3, 28, 2, 30), BERLIN, 3), [
      '2026-03-28T01:30:00.000Z', // CET
      '2026-03-29T01:30:00.000Z', // 03:30 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  test('daily at 01:30 across fall-back in New York takes the first (EDT) instance', () => {
    assert.deepEqual(first('FREQ=DAILY', at(2026, 10, 31, 1, 30), NY, 3), [
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not 01:30 EST (06:30Z)
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  test('daily at 02:30 across fall-back in Berlin takes the first (CEST) instance', () => {
    assert.deepEqual(first('FREQ=DAILY', at(2026, 10, 24, 2, 30), BERLIN, 3), [
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  test('weekly 09:00 keeps the wall time across both changes', () => {
    // Sundays: 2026-03-01 (EST) .. 2026-03-15 (EDT), 2026-10-25 (EDT) .. 2026-11-08 (EST).
    assert.deepEqual(first('FREQ=WEEKLY;COUNT=3', at(2026, 3, 1), NY), [
      '2026-03-01T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-15T13:00:00.000Z',
    ]);
    assert.deepEqual(first('FREQ=WEEKLY;COUNT=3', at(2026, 10, 25), NY), [
      '2026-10-25T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-08T14:00:00.000Z',
    ]);
  });

  test('times pushed together by a gap are emitted once, in order', () => {
    // 02:30 and 03:30 on 2026-03-08 are both 03:30 EDT.
    assert.deepEqual(first('FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30;COUNT=5', at(2026, 3, 7, 0, 0), NY), [
      '2026-03-07T07:30:00.000Z',
      '2026-03-07T08:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
      '2026-03-09T07:30:00.000Z',
    ]);
  });

  test('occurrencesWithLocal reports the wall time the rule asked for', () => {
    const [a, b] = [...occurrencesWithLocal(parseRRule('FREQ=DAILY;COUNT=2'), at(2026, 3, 7, 2, 30), NY)];
    assert.deepEqual(b?.local, at(2026, 3, 8, 2, 30));
    assert.equal(b?.instant.toISOString(), '2026-03-08T07:30:00.000Z');
    assert.deepEqual(a?.local, at(2026, 3, 7, 2, 30));
  });
});

describe('COUNT, UNTIL, BYHOUR/BYMINUTE', () => {
  test('COUNT counts emitted occurrences', () => {
    assert.deepEqual(first('FREQ=DAILY;INTERVAL=3;COUNT=3', at(2026, 1, 30), 'UTC'), [
      '2026-01-30T09:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-02-05T09:00:00.000Z',
    ]);
    // DTSTART does not match, so it is not counted.
    assert.deepEqual(first('FREQ=WEEKLY;BYDAY=MO;COUNT=2', at(2026, 1, 1), 'UTC'), [
      '2026-01-05T09:00:00.000Z',
      '2026-01-12T09:00:00.000Z',
    ]);
  });

  test('UNTIL (UTC) is inclusive', () => {
    // 09:00 New York = 14:00Z in January.
    const out = first('FREQ=DAILY;UNTIL=20260110T140000Z', at(2026, 1, 5), NY);
    assert.equal(out.length, 6);
    assert.equal(out.at(-1), '2026-01-10T14:00:00.000Z');
    assert.deepEqual(first('FREQ=DAILY;UNTIL=20260110T135959Z', at(2026, 1, 5), NY).at(-1), '2026-01-09T14:00:00.000Z');
  });

  test('a date-only UNTIL includes the whole local day', () => {
    const out = first('FREQ=DAILY;UNTIL=20260110', at(2026, 1, 5, 23, 30), NY);
    assert.equal(out.length, 6);
    assert.equal(out.at(-1), '2026-01-11T04:30:00.000Z'); // Jan 10, 23:30 local
  });

  test('a floating UNTIL is wall time in the series zone', () => {
    assert.equal(first('FREQ=DAILY;UNTIL=20260110T090000', at(2026, 1, 5), NY).at(-1), '2026-01-10T14:00:00.000Z');
    assert.equal(first('FREQ=DAILY;UNTIL=20260110T085959', at(2026, 1, 5), NY).at(-1), '2026-01-09T14:00:00.000Z');
  });

  test('UNTIL before DTSTART yields nothing', () => {
    assert.deepEqual(first('FREQ=DAILY;UNTIL=20250101T000000Z', at(2026, 1, 5), NY), []);
  });

  test('BYHOUR/BYMINUTE replace the start time of day', () => {
    assert.deepEqual(first('FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30', at(2026, 1, 5, 10, 0), 'UTC', 5), [
      '2026-01-05T17:00:00.000Z',
      '2026-01-05T17:30:00.000Z',
      '2026-01-06T09:00:00.000Z',
      '2026-01-06T09:30:00.000Z',
      '2026-01-06T17:00:00.000Z',
    ]);
    // Only BYMINUTE: hour from DTSTART. Seconds always from DTSTART.
    assert.deepEqual(first('FREQ=DAILY;BYMINUTE=15', at(2026, 1, 5, 8, 0, 42), 'UTC', 2), [
      '2026-01-05T08:15:42.000Z',
      '2026-01-06T08:15:42.000Z',
    ]);
  });

  test('BYSETPOS selects among date-times of the period (last time slot of the month)', () => {
    assert.deepEqual(first('FREQ=MONTHLY;BYDAY=FR;BYHOUR=9,17;BYSETPOS=-1', at(2026, 1, 1), 'UTC', 2), [
      '2026-01-30T17:00:00.000Z',
      '2026-02-27T17:00:00.000Z',
    ]);
  });
});

describe('termination and input checks', () => {
  test('rules that can never match end instead of looping', () => {
    const t0 = performance.now();
    assert.deepEqual(first('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', at(2026, 1, 1), 'UTC'), []);
    assert.deepEqual(first('FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31', at(2026, 1, 1), BERLIN), []);
    assert.deepEqual(first('FREQ=DAILY;BYMONTH=6;BYMONTHDAY=31', at(2026, 1, 1), NY), []);
    assert.deepEqual(first('FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYSETPOS=5', at(2026, 1, 1), NY), []);
    assert.equal(occurrencesAfter(parseRRule('FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2'), at(2026, 1, 1), 'UTC', new Date(0)), null);
    assert.ok(performance.now() - t0 < 5000);
  });

  test('sparse but possible rules are found (Feb 29 on a Monday: 2044)', () => {
    assert.deepEqual(first('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', at(2026, 1, 1), 'UTC', 2), [
      '2044-02-29T09:00:00.000Z',
      '2072-02-29T09:00:00.000Z',
    ]);
  });

  test('iteration stops after the year 9999', () => {
    assert.deepEqual(first('FREQ=YEARLY;INTERVAL=3000', at(2026, 6, 1), 'UTC'), [
      '2026-06-01T09:00:00.000Z',
      '5026-06-01T09:00:00.000Z',
      '8026-06-01T09:00:00.000Z',
    ]);
  });

  test('validates eagerly: bad start, bad zone', () => {
    const rule = parseRRule('FREQ=DAILY');
    assert.throws(() => occurrences(rule, at(2026, 2, 30), 'UTC'), isDomain('INVALID_RECURRENCE'));
    assert.throws(() => occurrences(rule, at(2026, 1, 1, 24), 'UTC'), isDomain('INVALID_RECURRENCE'));
    assert.throws(() => occurrences(rule, at(2026, 1, 1), 'Nowhere/Land'), isDomain('INVALID_TIMEZONE'));
    assert.throws(() => occurrencesAfter(rule, at(2026, 1, 1), 'UTC', new Date(Number.NaN)), isDomain('INVALID_RECURRENCE'));
  });
});

describe('occurrencesAfter', () => {
  test('exclusive by default, inclusive on request', () => {
    const rule = parseRRule('FREQ=DAILY');
    const start = at(2026, 1, 5);
    assert.equal(occurrencesAfter(rule, start, NY, new Date('2026-01-06T14:00:00Z'))?.toISOString(), '2026-01-07T14:00:00.000Z');
    assert.equal(
      occurrencesAfter(rule, start, NY, new Date('2026-01-06T14:00:00Z'), true)?.toISOString(),
      '2026-01-06T14:00:00.000Z',
    );
    assert.equal(occurrencesAfter(rule, start, NY, new Date('2020-01-01T00:00:00Z'))?.toISOString(), '2026-01-05T14:00:00.000Z');
  });

  test('keeps the phase when jumping far ahead', () => {
    // Every 3 days from 2026-01-01: 2030-06-15 is day 1626 = 3 * 542, an occurrence.
    const rule = parseRRule('FREQ=DAILY;INTERVAL=3');
    assert.equal(
      occurrencesAfter(rule, at(2026, 1, 1), 'UTC', new Date('2030-06-15T09:00:00Z'))?.toISOString(),
      '2030-06-18T09:00:00.000Z',
    );
    assert.equal(
      occurrencesAfter(rule, at(2026, 1, 1), 'UTC', new Date('2030-06-15T08:59:59Z'))?.toISOString(),
      '2030-06-15T09:00:00.000Z',
    );
  });

  test('agrees with a linear scan of occurrences()', () => {
    const cases: [string, LocalDateTime, string][] = [
      ['FREQ=DAILY;INTERVAL=5', at(2026, 3, 1, 2, 30), NY],
      ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU', at(2026, 1, 4), BERLIN],
      ['FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1', at(2026, 1, 31, 23, 30), 'Australia/Sydney'],
      ['FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR', at(2026, 1, 1, 18), BERLIN],
      ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1', at(2028, 2, 29), NY],
      ['FREQ=DAILY;BYHOUR=1,13;UNTIL=20300101T000000Z', at(2026, 10, 30, 0, 45), NY],
    ];
    for (const [text, start, tz] of cases) {
      const rule = parseRRule(text);
      const all: number[] = [];
      for (const d of occurrences(rule, start, tz)) {
        if (d.getTime() > Date.UTC(2033, 0, 1)) break;
        all.push(d.getTime());
      }
      for (let t = Date.UTC(2025, 11, 1); t < Date.UTC(2030, 11, 1); t += 86_400_000 * 37 + 3_723_000) {
        const expected = all.find((x) => x > t);
        const got = occurrencesAfter(rule, start, tz, new Date(t));
        assert.equal(got?.getTime(), expected, `${text} after ${new Date(t).toISOString()}`);
        const incl = occurrencesAfter(rule, start, tz, new Date(expected ?? t), true);
        assert.equal(incl?.getTime(), expected);
      }
    }
  });

  test('returns null once UNTIL or COUNT is exhausted', () => {
    assert.equal(
      occurrencesAfter(parseRRule('FREQ=DAILY;COUNT=3'), at(2026, 1, 1), 'UTC', new Date('2026-01-03T09:00:00Z')),
      null,
    );
    assert.equal(
      occurrencesAfter(parseRRule('FREQ=DAILY;COUNT=3'), at(2026, 1, 1), 'UTC', new Date('2026-01-02T09:00:00Z'))?.toISOString(),
      '2026-01-03T09:00:00.000Z',
    );
    assert.equal(
      occurrencesAfter(parseRRule('FREQ=DAILY;UNTIL=20260103T090000Z'), at(2026, 1, 1), 'UTC', new Date('2026-01-03T09:00:00Z')),
      null,
    );
  });
});
