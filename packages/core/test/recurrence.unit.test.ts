import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../src/errors.ts';
import {
  buildRecurrence,
  describeRecurrence,
  nextOccurrence,
  type Recurrence,
  type RecurrenceInput,
} from '../src/recurrence/index.ts';
import { toLocal } from '../src/time/zoned.ts';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const isDomain = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;
const d = (iso: string): Date => new Date(iso);

const build = (input: RecurrenceInput, anchor: string, timezone = NY): Recurrence =>
  buildRecurrence(input, { anchor: d(anchor), timezone });

/** Completes each occurrence on time, `n` times: the due dates that follow. */
function onTimeChain(rec: Recurrence, n: number): string[] {
  const out: string[] = [];
  let due: Date | null = d(rec.anchor);
  for (let i = 0; i < n && due !== null; i++) {
    due = nextOccurrence(rec, { currentDue: due, completedAt: due, now: due });
    if (due) out.push(due.toISOString());
  }
  return out;
}

describe('buildRecurrence: patterns', () => {
  test('daily', () => {
    assert.deepEqual(build({ pattern: 'daily' }, '2026-01-05T14:00:00.789Z'), {
      rrule: 'FREQ=DAILY',
      pattern: 'daily',
      interval: 1,
      by_weekday: null,
      from: 'due',
      until: null,
      count: null,
      timezone: NY,
      anchor: '2026-01-05T14:00:00.000Z', // truncated to whole seconds
    });
    const r = build({ pattern: 'daily', interval: 3, from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(r.rrule, 'FREQ=DAILY;INTERVAL=3');
    assert.equal(r.interval, 3);
    assert.equal(r.from, 'completion');
  });

  test('weekly defaults to the anchor weekday (in the series zone)', () => {
    // 2026-01-08T03:00Z is Wednesday evening in New York, Thursday in UTC.
    const r = build({ pattern: 'weekly' }, '2026-01-08T03:00:00Z');
    assert.equal(r.rrule, 'FREQ=WEEKLY;BYDAY=WE');
    assert.deepEqual(r.by_weekday, ['WE']);
    const r2 = build({ pattern: 'weekly', interval: 2, by_weekday: ['TH', 'MO'] }, '2026-01-08T15:00:00Z');
    assert.equal(r2.rrule, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH');
    assert.deepEqual(r2.by_weekday, ['MO', 'TH']);
  });

  test('monthly uses the anchor day, clamped for 29..31', () => {
    assert.equal(build({ pattern: 'monthly' }, '2026-01-15T14:00:00Z').rrule, 'FREQ=MONTHLY;BYMONTHDAY=15');
    assert.equal(build({ pattern: 'monthly' }, '2026-01-28T14:00:00Z').rrule, 'FREQ=MONTHLY;BYMONTHDAY=28');
    assert.equal(build({ pattern: 'monthly' }, '2026-01-29T14:00:00Z').rrule, 'FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1');
    assert.equal(build({ pattern: 'monthly' }, '2026-01-30T14:00:00Z').rrule, 'FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1');
    assert.equal(build({ pattern: 'monthly' }, '2026-01-31T14:00:00Z').rrule, 'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1');
    // Local date, not UTC date: 2027-01-31T23:30Z is Feb 1 in Berlin.
    assert.equal(build({ pattern: 'monthly' }, '2027-01-31T23:30:00Z', BERLIN).rrule, 'FREQ=MONTHLY;BYMONTHDAY=1');
    const r = build({ pattern: 'monthly', by_weekday: ['FR', 'MO'] }, '2026-01-15T14:00:00Z');
    assert.equal(r.rrule, 'FREQ=MONTHLY;BYDAY=MO,FR');
    assert.deepEqual(r.by_weekday, ['MO', 'FR']);
  });

  test('monthly from Jan 31: Feb 28, Mar 31, Apr 30 (no drift)', () => {
    const rec = build({ pattern: 'monthly' }, '2027-01-31T17:00:00Z', BERLIN); // 18:00 CET
    assert.deepEqual(onTimeChain(rec, 5), [
      '2027-02-28T17:00:00.000Z',
      '2027-03-31T16:00:00.000Z', // 18:00 CEST
      '2027-04-30T16:00:00.000Z',
      '2027-05-31T16:00:00.000Z',
      '2027-06-30T16:00:00.000Z',
    ]);
  });

  test('monthly from Jan 30: Feb 28 (29 in leap years), Mar 30', () => {
    assert.deepEqual(onTimeChain(build({ pattern: 'monthly' }, '2027-01-30T14:00:00Z'), 2), [
      '2027-02-28T14:00:00.000Z',
      '2027-03-30T13:00:00.000Z',
    ]);
    assert.deepEqual(onTimeChain(build({ pattern: 'monthly' }, '2028-01-30T14:00:00Z'), 2), [
      '2028-02-29T14:00:00.000Z',
      '2028-03-30T13:00:00.000Z',
    ]);
  });

  test('yearly: BYMONTH/BYMONTHDAY; Feb 29 falls back to Feb 28 in common years', () => {
    assert.equal(build({ pattern: 'yearly' }, '2026-03-15T13:00:00Z').rrule, 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15');
    const rec = build({ pattern: 'yearly' }, '2028-02-29T08:00:00Z', BERLIN);
    assert.equal(rec.rrule, 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1');
    assert.deepEqual(onTimeChain(rec, 4), [
      '2029-02-28T08:00:00.000Z',
      '2030-02-28T08:00:00.000Z',
      '2031-02-28T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
    ]);
  });

  test('until: a date means the end of that local day; date-times with and without offset', () => {
    const a = build({ pattern: 'daily', until: '2026-01-10' }, '2026-01-05T14:00:00Z');
    assert.equal(a.until, '2026-01-11T04:59:59.000Z');
    assert.equal(a.rrule, 'FREQ=DAILY;UNTIL=20260111T045959Z');
    assert.equal(build({ pattern: 'daily', until: '2026-01-10T14:00:00Z' }, '2026-01-05T14:00:00Z').until, '2026-01-10T14:00:00.000Z');
    assert.equal(build({ pattern: 'daily', until: '2026-01-10T15:00:00+01:00' }, '2026-01-05T14:00:00Z').until, '2026-01-10T14:00:00.000Z');
    assert.equal(build({ pattern: 'daily', until: '2026-01-10T09:00' }, '2026-01-05T14:00:00Z').until, '2026-01-10T14:00:00.000Z');
    assert.equal(build({ pattern: 'daily', until: '2026-01-10T14:00:00.999Z' }, '2026-01-05T14:00:00Z').until, '2026-01-10T14:00:00.000Z');
    // An until equal to the anchor is allowed.
    assert.equal(build({ pattern: 'daily', until: '2026-01-05T14:00:00Z' }, '2026-01-05T14:00:00Z').until, '2026-01-05T14:00:00.000Z');
  });

  test('count', () => {
    const r = build({ pattern: 'weekly', count: 5 }, '2026-01-05T14:00:00Z');
    assert.equal(r.rrule, 'FREQ=WEEKLY;BYDAY=MO;COUNT=5');
    assert.equal(r.count, 5);
  });
});

describe('buildRecurrence: raw RRULE', () => {
  test('derives the pattern when the rule is a plain one', () => {
    const cases: [string, Recurrence['pattern'], Recurrence['by_weekday']][] = [
      ['RRULE:FREQ=DAILY;INTERVAL=2', 'daily', null],
      ['FREQ=WEEKLY;BYDAY=TH,MO;INTERVAL=2', 'weekly', ['MO', 'TH']],
      ['FREQ=WEEKLY', 'weekly', null],
      ['FREQ=MONTHLY', 'monthly', null],
      ['FREQ=YEARLY;COUNT=3', 'yearly', null],
      ['FREQ=DAILY;BYDAY=MO,TU', 'custom', ['MO', 'TU']],
      ['FREQ=WEEKLY;BYDAY=MO;WKST=SU', 'custom', ['MO']],
      ['FREQ=MONTHLY;BYMONTHDAY=-1', 'custom', null],
      ['FREQ=MONTHLY;BYDAY=-1FR', 'custom', null],
      ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15', 'custom', null],
      ['FREQ=DAILY;BYHOUR=9', 'custom', null],
    ];
    for (const [rrule, pattern, byWeekday] of cases) {
      const r = build({ rrule }, '2026-01-05T14:00:00Z');
      assert.equal(r.pattern, pattern, rrule);
      assert.deepEqual(r.by_weekday, byWeekday, rrule);
    }
    const r = build({ rrule: 'FREQ=WEEKLY;BYDAY=TH,MO;INTERVAL=2', from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(r.rrule, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH');
    assert.equal(r.interval, 2);
    assert.equal(r.from, 'completion');
  });

  test('a date or floating UNTIL is resolved in the zone and stored as UTC', () => {
    const r = build({ rrule: 'FREQ=DAILY;UNTIL=20260110' }, '2026-01-05T14:00:00Z');
    assert.equal(r.until, '2026-01-11T04:59:59.000Z');
    assert.equal(r.rrule, 'FREQ=DAILY;UNTIL=20260111T045959Z');
    assert.equal(build({ rrule: 'FREQ=DAILY;UNTIL=20260110T090000' }, '2026-01-05T14:00:00Z').until, '2026-01-10T14:00:00.000Z');
  });

  test('follows RFC 5545 exactly: FREQ=MONTHLY from Jan 31 skips to Mar 31', () => {
    const rec = build({ rrule: 'FREQ=MONTHLY' }, '2027-01-31T14:00:00Z');
    assert.deepEqual(onTimeChain(rec, 2), ['2027-03-31T13:00:00.000Z', '2027-05-31T13:00:00.000Z']);
  });
});

describe('buildRecurrence: invalid input', () => {
  const anchor = '2026-01-05T14:00:00Z';
  const bad: [string, unknown][] = [
    ['interval 0', { pattern: 'daily', interval: 0 }],
    ['interval 366', { pattern: 'daily', interval: 366 }],
    ['fractional interval', { pattern: 'daily', interval: 1.5 }],
    ['count 0', { pattern: 'daily', count: 0 }],
    ['count 1001', { pattern: 'daily', count: 1001 }],
    ['count and until', { pattern: 'daily', count: 3, until: '2026-02-01' }],
    ['until before anchor', { pattern: 'daily', until: '2026-01-04' }],
    ['until not a date', { pattern: 'daily', until: 'next week' }],
    ['until impossible date', { pattern: 'daily', until: '2026-02-30' }],
    ['until bad offset', { pattern: 'daily', until: '2026-02-01T10:00+25:00' }],
    ['by_weekday with daily', { pattern: 'daily', by_weekday: ['MO'] }],
    ['by_weekday with yearly', { pattern: 'yearly', by_weekday: ['MO'] }],
    ['duplicate by_weekday', { pattern: 'weekly', by_weekday: ['MO', 'MO'] }],
    ['unknown weekday', { pattern: 'weekly', by_weekday: ['XX'] }],
    ['empty by_weekday', { pattern: 'weekly', by_weekday: [] }],
    ['unknown pattern', { pattern: 'hourly' }],
    ['bad from', { pattern: 'daily', from: 'start' }],
    ['sub-daily rrule', { rrule: 'FREQ=HOURLY' }],
    ['two times a day through BYHOUR', { rrule: 'FREQ=DAILY;BYHOUR=9,17' }],
    ['two times an hour through BYMINUTE', { rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0,30' }],
    ['rrule with unknown part', { rrule: 'FREQ=DAILY;X-FOO=1' }],
    ['rrule count over the limit', { rrule: 'FREQ=DAILY;COUNT=5000' }],
    ['rrule interval over the limit', { rrule: 'FREQ=DAILY;INTERVAL=400' }],
    ['rrule until before anchor', { rrule: 'FREQ=DAILY;UNTIL=20251231T000000Z' }],
    ['rrule count and until', { rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20261231T000000Z' }],
  ];
  for (const [why, input] of bad) {
    test(`rejects ${why}`, () => {
      assert.throws(() => buildRecurrence(input as RecurrenceInput, { anchor: d(anchor), timezone: NY }), isDomain('INVALID_RECURRENCE'));
    });
  }

  test('unknown time zone -> INVALID_TIMEZONE; invalid anchor -> INVALID_RECURRENCE', () => {
    assert.throws(() => buildRecurrence({ pattern: 'daily' }, { anchor: d(anchor), timezone: 'Moon/Base' }), isDomain('INVALID_TIMEZONE'));
    assert.throws(() => buildRecurrence({ pattern: 'daily' }, { anchor: new Date(Number.NaN), timezone: NY }), isDomain('INVALID_RECURRENCE'));
    const rec = build({ pattern: 'daily' }, anchor);
    assert.throws(
      () => nextOccurrence({ ...rec, timezone: 'Moon/Base' }, { currentDue: null, completedAt: d(anchor), now: d(anchor) }),
      isDomain('INVALID_TIMEZONE'),
    );
  });
});

describe('nextOccurrence from due', () => {
  // Daily 09:00 New York from Monday 2026-01-05 (14:00Z).
  const daily = build({ pattern: 'daily' }, '2026-01-05T14:00:00Z');

  test('on time: the next one', () => {
    assert.equal(
      nextOccurrence(daily, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: d('2026-01-05T15:00:00Z'), now: d('2026-01-05T15:00:00Z') })?.toISOString(),
      '2026-01-06T14:00:00.000Z',
    );
    // Early completion still moves past the current due date.
    assert.equal(
      nextOccurrence(daily, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: d('2026-01-05T10:00:00Z'), now: d('2026-01-05T10:00:00Z') })?.toISOString(),
      '2026-01-06T14:00:00.000Z',
    );
    // No current due date: the anchor.
    assert.equal(
      nextOccurrence(daily, { currentDue: null, completedAt: d('2026-01-05T10:00:00Z'), now: d('2026-01-05T10:00:00Z') })?.toISOString(),
      '2026-01-06T14:00:00.000Z',
    );
  });

  test('catch-up: a late completion skips missed occurrences and lands in the future', () => {
    const now = d('2026-01-08T20:00:00Z'); // Thursday 15:00 local
    const next = nextOccurrence(daily, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: now, now });
    assert.equal(next?.toISOString(), '2026-01-09T14:00:00.000Z');
    assert.ok(next !== null && next.getTime() > now.getTime());
    // Weekly Mon/Thu every 2 weeks keeps its phase from the anchor.
    const weekly = build({ pattern: 'weekly', interval: 2, by_weekday: ['MO', 'TH'] }, '2026-01-05T14:00:00Z');
    const late = d('2026-01-20T12:00:00Z'); // two weeks later, Tuesday
    assert.equal(
      nextOccurrence(weekly, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: late, now: late })?.toISOString(),
      '2026-01-22T14:00:00.000Z',
    );
  });

  test('keeps the wall time across DST: 02:30 -> 03:30 on the gap day, 02:30 after', () => {
    const rec = build({ pattern: 'daily' }, '2026-03-07T07:30:00Z'); // 02:30 EST
    const chain = onTimeChain(rec, 2);
    assert.deepEqual(chain, ['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
    assert.deepEqual(
      chain.map((s) => toLocal(d(s), NY).hour),
      [3, 2],
    );
    const fall = build({ pattern: 'daily' }, '2026-10-31T05:30:00Z'); // 01:30 EDT
    assert.deepEqual(onTimeChain(fall, 2), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  test('COUNT counts from the anchor, including skipped occurrences', () => {
    const rec = build({ pattern: 'daily', count: 3 }, '2026-01-05T14:00:00Z');
    assert.deepEqual(onTimeChain(rec, 5), ['2026-01-06T14:00:00.000Z', '2026-01-07T14:00:00.000Z']);
    const late = d('2026-01-06T20:00:00Z');
    assert.equal(nextOccurrence(rec, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: late, now: late })?.toISOString(), '2026-01-07T14:00:00.000Z');
    const tooLate = d('2026-01-07T20:00:00Z');
    assert.equal(nextOccurrence(rec, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: tooLate, now: tooLate }), null);
  });

  test('occurrenceNumber also ends the series at COUNT', () => {
    const rec = build({ pattern: 'daily', count: 3 }, '2026-01-05T14:00:00Z');
    const ctx = { currentDue: d('2026-01-05T14:00:00Z'), completedAt: d('2026-01-05T15:00:00Z'), now: d('2026-01-05T15:00:00Z') };
    assert.equal(nextOccurrence(rec, { ...ctx, occurrenceNumber: 2 })?.toISOString(), '2026-01-06T14:00:00.000Z');
    assert.equal(nextOccurrence(rec, { ...ctx, occurrenceNumber: 3 }), null);
    assert.throws(() => nextOccurrence(rec, { ...ctx, occurrenceNumber: 0 }), isDomain('INVALID_RECURRENCE'));
  });

  test('UNTIL is inclusive and ends the series', () => {
    const rec = build({ pattern: 'daily', until: '2026-01-07' }, '2026-01-05T14:00:00Z');
    assert.deepEqual(onTimeChain(rec, 5), ['2026-01-06T14:00:00.000Z', '2026-01-07T14:00:00.000Z']);
    const late = d('2026-01-09T12:00:00Z');
    assert.equal(nextOccurrence(rec, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: late, now: late }), null);
  });
});

describe('nextOccurrence from completion', () => {
  // Every 3 days at 09:00 New York, anchored Monday 2026-01-05.
  const rec = build({ pattern: 'daily', interval: 3, from: 'completion' }, '2026-01-05T14:00:00Z');
  const next = (completedAt: string, extra: { occurrenceNumber?: number } = {}) =>
    nextOccurrence(rec, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: d(completedAt), now: d(completedAt), ...extra })?.toISOString() ?? null;

  test('counts from the completion date at the anchor time of day', () => {
    assert.equal(next('2026-01-05T20:00:00Z'), '2026-01-08T14:00:00.000Z'); // Mon 15:00 -> Thu 09:00
    assert.equal(next('2026-01-05T13:00:00Z'), '2026-01-08T14:00:00.000Z'); // Mon 08:00 -> Thu 09:00
    assert.equal(next('2026-01-07T15:00:00Z'), '2026-01-10T14:00:00.000Z'); // Wed 10:00 -> Sat 09:00
    // The completion's local date counts: 03:00Z Tuesday is Monday 22:00 in New York.
    assert.equal(next('2026-01-06T03:00:00Z'), '2026-01-08T14:00:00.000Z');
  });

  test('the next one is a full interval after the completion day, never on it', () => {
    // Completed on a day the rule matches, before the time of day: still not that day.
    assert.equal(next('2026-01-08T12:00:00Z'), '2026-01-11T14:00:00.000Z'); // Thu 07:00 -> Sun 09:00
    const daily = build({ pattern: 'daily', from: 'completion' }, '2026-01-05T14:00:00Z');
    const at = d('2026-01-09T13:59:59Z'); // Fri 08:59:59
    assert.equal(nextOccurrence(daily, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: at, now: at })?.toISOString(), '2026-01-10T14:00:00.000Z');
  });

  test('weekly on Monday from completion: the next Monday after the completion', () => {
    const weekly = build({ pattern: 'weekly', from: 'completion' }, '2026-01-05T14:00:00Z');
    const at = d('2026-01-14T12:00:00Z'); // Wednesday
    assert.equal(nextOccurrence(weekly, { currentDue: d('2026-01-05T14:00:00Z'), completedAt: at, now: at })?.toISOString(), '2026-01-19T14:00:00.000Z');
  });

  test('never returns a time before the completion, even on the completion day', () => {
    const atFive = build({ rrule: 'FREQ=DAILY;BYHOUR=17', from: 'completion' }, '2026-01-05T14:00:00Z');
    const ctx = (at: string) => ({ currentDue: d('2026-01-05T14:00:00Z'), completedAt: d(at), now: d(at) });
    assert.equal(nextOccurrence(atFive, ctx('2026-01-07T17:00:00Z'))?.toISOString(), '2026-01-07T22:00:00.000Z'); // 12:00 -> 17:00
    assert.equal(nextOccurrence(atFive, ctx('2026-01-07T23:00:00Z'))?.toISOString(), '2026-01-08T22:00:00.000Z'); // 18:00 -> 17:00 tomorrow
  });

  test('UNTIL still ends the series; COUNT via occurrenceNumber', () => {
    const until = build({ pattern: 'daily', interval: 3, from: 'completion', until: '2026-01-09' }, '2026-01-05T14:00:00Z');
    const ctx = (at: string) => ({ currentDue: d('2026-01-05T14:00:00Z'), completedAt: d(at), now: d(at) });
    assert.equal(nextOccurrence(until, ctx('2026-01-05T20:00:00Z'))?.toISOString(), '2026-01-08T14:00:00.000Z');
    assert.equal(nextOccurrence(until, ctx('2026-01-07T15:00:00Z')), null); // Jan 10 is past until
    const counted = build({ pattern: 'daily', from: 'completion', count: 2 }, '2026-01-05T14:00:00Z');
    assert.equal(nextOccurrence(counted, { ...ctx('2026-01-20T15:00:00Z'), occurrenceNumber: 1 })?.toISOString(), '2026-01-21T14:00:00.000Z');
    assert.equal(nextOccurrence(counted, { ...ctx('2026-01-20T15:00:00Z'), occurrenceNumber: 2 }), null);
    // Without occurrenceNumber the phase restarts at each completion, so COUNT is left to the caller.
    const once = build({ pattern: 'daily', from: 'completion', count: 1 }, '2026-01-05T14:00:00Z');
    assert.equal(nextOccurrence(once, ctx('2026-01-20T15:00:00Z'))?.toISOString(), '2026-01-21T14:00:00.000Z');
    assert.equal(nextOccurrence(once, { ...ctx('2026-01-20T15:00:00Z'), occurrenceNumber: 1 }), null);
  });

  const at = (rec: Recurrence, completed: string, extra: { occurrenceNumber?: number } = {}): string | null =>
    nextOccurrence(rec, { currentDue: d(rec.anchor), completedAt: d(completed), now: d(completed), ...extra })?.toISOString() ?? null;

  test('monthly counts from the completion day, not the anchor day', () => {
    // Anchored on the 15th at 09:00 New York.
    const monthly = build({ pattern: 'monthly', from: 'completion' }, '2026-01-15T14:00:00Z');
    assert.equal(monthly.rrule, 'FREQ=MONTHLY;BYMONTHDAY=15');
    assert.equal(at(monthly, '2026-03-20T14:00:00Z'), '2026-04-20T13:00:00.000Z'); // Mar 20 10:00 EDT -> Apr 20 09:00 EDT
    assert.equal(at(monthly, '2026-03-20T12:00:00Z'), '2026-04-20T13:00:00.000Z'); // before 09:00 on Mar 20: still Apr 20
    assert.equal(at(monthly, '2026-03-10T14:00:00Z'), '2026-04-10T13:00:00.000Z'); // early: Apr 10, not Mar 15
    // Local date of the completion: 2026-03-21T02:00Z is still Mar 20 in New York.
    assert.equal(at(monthly, '2026-03-21T02:00:00Z'), '2026-04-20T13:00:00.000Z');
    const every2 = build({ pattern: 'monthly', interval: 2, from: 'completion' }, '2026-01-15T14:00:00Z');
    assert.equal(at(every2, '2026-03-20T14:00:00Z'), '2026-05-20T13:00:00.000Z');
  });

  test('monthly from completion clamps to the month end like patterns do', () => {
    const monthly = build({ pattern: 'monthly', from: 'completion' }, '2026-01-15T14:00:00Z');
    assert.equal(at(monthly, '2027-01-31T20:00:00Z'), '2027-02-28T14:00:00.000Z'); // Jan 31 -> Feb 28
    assert.equal(at(monthly, '2027-01-29T20:00:00Z'), '2027-02-28T14:00:00.000Z'); // Jan 29 -> Feb 28
    assert.equal(at(monthly, '2028-01-30T20:00:00Z'), '2028-02-29T14:00:00.000Z'); // leap year: Feb 29
    assert.equal(at(monthly, '2027-02-28T20:00:00Z'), '2027-03-28T13:00:00.000Z'); // Feb 28 -> Mar 28 (EDT)
    assert.equal(at(monthly, '2027-03-31T20:00:00Z'), '2027-04-30T13:00:00.000Z'); // Mar 31 -> Apr 30
  });

  test('yearly from completion: the completion month and day; Feb 29 -> Feb 28', () => {
    const yearly = build({ pattern: 'yearly', from: 'completion' }, '2026-03-15T13:00:00Z');
    assert.equal(at(yearly, '2026-06-10T16:00:00Z'), '2027-06-10T13:00:00.000Z');
    assert.equal(at(yearly, '2028-02-29T15:00:00Z'), '2029-02-28T14:00:00.000Z');
    const every2 = build({ pattern: 'yearly', interval: 2, from: 'completion' }, '2026-03-15T13:00:00Z');
    assert.equal(at(every2, '2026-06-10T16:00:00Z'), '2028-06-10T13:00:00.000Z');
  });

  test('weekly from completion keeps the stored weekdays, a full interval after the completion week', () => {
    const monThu = build({ pattern: 'weekly', by_weekday: ['MO', 'TH'], from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(at(monThu, '2026-01-05T13:00:00Z'), '2026-01-08T14:00:00.000Z'); // Mon 08:00 -> Thu, not Mon 09:00
    assert.equal(at(monThu, '2026-01-13T20:00:00Z'), '2026-01-15T14:00:00.000Z'); // Tue -> Thu
    assert.equal(at(monThu, '2026-01-15T12:00:00Z'), '2026-01-19T14:00:00.000Z'); // Thu 07:00 -> Mon
    // Every 2 weeks on Monday, completed Wednesday: the completion's week is week 0, so week 2.
    const biweekly = build({ pattern: 'weekly', interval: 2, from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(biweekly.rrule, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO');
    assert.equal(at(biweekly, '2026-01-14T17:00:00Z'), '2026-01-26T14:00:00.000Z');
    // A raw FREQ=WEEKLY (no BYDAY) is a weekly pattern without weekdays: one week after the completion day.
    const raw = build({ rrule: 'FREQ=WEEKLY', from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(raw.pattern, 'weekly');
    assert.equal(at(raw, '2026-01-14T17:00:00Z'), '2026-01-21T14:00:00.000Z');
  });

  test('monthly by weekday from completion keeps the weekdays', () => {
    const rec = build({ pattern: 'monthly', by_weekday: ['MO', 'FR'], from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(at(rec, '2026-01-14T17:00:00Z'), '2026-01-16T14:00:00.000Z'); // Wed -> Fri
    assert.equal(at(rec, '2026-01-30T12:00:00Z'), '2026-02-02T14:00:00.000Z'); // Fri 07:00 -> Mon (next month)
  });

  test('pattern UNTIL is inclusive and ends the series; occurrenceNumber ends it at COUNT', () => {
    const rec = build({ pattern: 'monthly', from: 'completion', until: '2026-04-20' }, '2026-01-15T14:00:00Z');
    assert.equal(at(rec, '2026-03-20T14:00:00Z'), '2026-04-20T13:00:00.000Z'); // on the until day
    assert.equal(at(rec, '2026-03-21T14:00:00Z'), null); // Apr 21 is past until
    assert.equal(at(rec, '2026-05-01T14:00:00Z'), null);
    const counted = build({ pattern: 'monthly', from: 'completion', count: 3 }, '2026-01-15T14:00:00Z');
    assert.equal(at(counted, '2026-03-20T14:00:00Z', { occurrenceNumber: 2 }), '2026-04-20T13:00:00.000Z');
    assert.equal(at(counted, '2026-03-20T14:00:00Z', { occurrenceNumber: 3 }), null);
  });

  test('Europe/Berlin across the DST change keeps the wall time', () => {
    // Daily 09:00 Berlin; summer time starts 2026-03-29 (02:00 CET -> 03:00 CEST).
    const daily = build({ pattern: 'daily', from: 'completion' }, '2026-03-20T08:00:00Z', BERLIN);
    assert.equal(at(daily, '2026-03-28T19:00:00Z'), '2026-03-29T07:00:00.000Z'); // Sat 20:00 CET -> Sun 09:00 CEST
    // 22:30Z on Mar 29 is already Mar 30 00:30 in Berlin: counts from Mar 30.
    assert.equal(at(daily, '2026-03-29T22:30:00Z'), '2026-03-31T07:00:00.000Z');
    // Monthly on the completion day: Mar 28 (CET) -> Apr 28 09:00 CEST.
    const monthly = build({ pattern: 'monthly', from: 'completion' }, '2026-01-31T08:00:00Z', BERLIN);
    assert.equal(at(monthly, '2026-03-28T12:00:00Z'), '2026-04-28T07:00:00.000Z');
    // Weekly on Friday, winter time starts 2026-10-25: Fri 09:00 CEST -> Fri 09:00 CET.
    const weekly = build({ pattern: 'weekly', from: 'completion' }, '2026-10-23T07:00:00Z', BERLIN);
    assert.equal(at(weekly, '2026-10-23T10:00:00Z'), '2026-10-30T08:00:00.000Z');
    // 02:30 does not exist on 2026-03-29: moves forward to 03:30 CEST, then 02:30 CEST again.
    const early = build({ pattern: 'daily', from: 'completion' }, '2026-03-20T01:30:00Z', BERLIN);
    assert.equal(at(early, '2026-03-28T12:00:00Z'), '2026-03-29T01:30:00.000Z');
    assert.equal(toLocal(d('2026-03-29T01:30:00Z'), BERLIN).hour, 3);
    assert.equal(at(early, '2026-03-29T12:00:00Z'), '2026-03-30T00:30:00.000Z');
  });

  test('custom (raw) rules are evaluated per RFC 5545 from the completion date', () => {
    // Last day of the month: from a completion on Jan 10 the same month's last day still counts.
    const last = build({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(last.pattern, 'custom');
    assert.equal(at(last, '2026-01-10T17:00:00Z'), '2026-01-31T14:00:00.000Z');
    // Raw monthly on the 15th: the anchor's day (the rule names it), not the completion's.
    const fifteenth = build({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=15', from: 'completion' }, '2026-01-15T14:00:00Z');
    assert.equal(at(fifteenth, '2026-03-20T14:00:00Z'), '2026-04-15T13:00:00.000Z');
    // A raw rule shaped like a plain pattern is that pattern: FREQ=MONTHLY completed Jan 31 clamps to Feb 28.
    const plain = build({ rrule: 'FREQ=MONTHLY', from: 'completion' }, '2026-01-15T14:00:00Z');
    assert.equal(plain.pattern, 'monthly');
    assert.equal(at(plain, '2027-01-31T20:00:00Z'), '2027-02-28T14:00:00.000Z');
    // UNTIL ends a raw series too.
    const until = build({ rrule: 'FREQ=DAILY;BYHOUR=17;UNTIL=20260107T235959Z', from: 'completion' }, '2026-01-05T14:00:00Z');
    assert.equal(at(until, '2026-01-07T17:00:00Z'), '2026-01-07T22:00:00.000Z');
    assert.equal(at(until, '2026-01-07T23:00:00Z'), null);
  });
});

describe('describeRecurrence', () => {
  const anchor = '2026-01-05T14:00:00Z'; // Monday 09:00 New York
  const text = (input: RecurrenceInput, at = anchor, tz = NY) => describeRecurrence(build(input, at, tz));

  test('patterns', () => {
    assert.equal(text({ pattern: 'daily' }), 'every day');
    assert.equal(text({ pattern: 'daily', interval: 2 }), 'every 2 days');
    assert.equal(text({ pattern: 'weekly' }), 'every week on Mon');
    assert.equal(text({ pattern: 'weekly', interval: 2, by_weekday: ['TH', 'MO'] }), 'every 2 weeks on Mon, Thu');
    assert.equal(text({ pattern: 'weekly', by_weekday: ['MO', 'TU', 'WE', 'TH', 'FR'] }), 'every weekday');
    assert.equal(text({ pattern: 'monthly' }, '2026-01-15T14:00:00Z'), 'every month on the 15th');
    assert.equal(text({ pattern: 'monthly' }, '2026-01-31T14:00:00Z'), 'every month on the last day');
    assert.equal(text({ pattern: 'monthly' }, '2026-01-30T14:00:00Z'), 'every month on the 30th (or the last day of shorter months)');
    assert.equal(text({ pattern: 'monthly', interval: 3 }, '2026-01-02T14:00:00Z'), 'every 3 months on the 2nd');
    assert.equal(text({ pattern: 'yearly' }, '2026-03-15T13:00:00Z'), 'every year on Mar 15');
    assert.equal(text({ pattern: 'yearly' }, '2028-02-29T14:00:00Z'), 'every year on Feb 29 (Feb 28 in common years)');
  });

  test('raw rules', () => {
    assert.equal(text({ rrule: 'FREQ=YEARLY' }), 'every year');
    assert.equal(text({ rrule: 'FREQ=MONTHLY' }), 'every month');
    assert.equal(text({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' }), 'every weekday');
    assert.equal(text({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1' }), 'every month on the last day');
    assert.equal(text({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR' }), 'every month on the last Fri');
    assert.equal(text({ rrule: 'FREQ=MONTHLY;BYDAY=1MO,-2TU' }), 'every month on the 1st Mon, the 2nd to last Tue');
    assert.equal(text({ rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1' }), 'every month on the last weekday');
    assert.equal(text({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR' }), 'every month on the 13th if a Fri');
    assert.equal(text({ rrule: 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH' }), 'every year in Nov on the 4th Thu');
    assert.equal(text({ rrule: 'FREQ=DAILY;BYHOUR=17' }, '2026-01-05T14:30:00Z'), 'every day at 17:30');
  });

  test('from completion, until and count', () => {
    assert.equal(text({ pattern: 'daily', interval: 3, from: 'completion' }), 'every 3 days after completion');
    assert.equal(text({ pattern: 'daily', until: '2027-01-31' }), 'every day until 2027-01-31');
    assert.equal(text({ pattern: 'daily', until: '2027-01-31T12:00' }), 'every day until 2027-01-31 12:00');
    assert.equal(text({ pattern: 'weekly', count: 5 }), 'every week on Mon, 5 times');
    assert.equal(text({ pattern: 'daily', count: 1 }), 'every day, once');
  });
});

test('a raw rule that can never occur is rejected', () => {
  const anchor = new Date('2026-01-10T09:00:00Z');
  assert.throws(
    () => buildRecurrence({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, { anchor, timezone: 'UTC' }),
    (e: unknown) => e instanceof DomainError && e.code === 'INVALID_RECURRENCE',
  );
  assert.equal(buildRecurrence({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' }, { anchor, timezone: 'UTC' }).pattern, 'custom');
});
