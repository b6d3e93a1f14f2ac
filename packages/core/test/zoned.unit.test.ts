import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../src/errors.ts';
import {
  addDays,
  assertTimeZone,
  daysInMonth,
  fromLocal,
  isValidTimeZone,
  toLocal,
  weekday,
  type LocalDateTime,
} from '../src/time/zoned.ts';

const at = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});
const iso = (l: LocalDateTime, tz: string): string => fromLocal(l, tz).toISOString();
const isDomain = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

describe('time zones', () => {
  test('isValidTimeZone accepts IANA names and UTC, rejects others', () => {
    assert.equal(isValidTimeZone('UTC'), true);
    assert.equal(isValidTimeZone('America/New_York'), true);
    assert.equal(isValidTimeZone('Europe/Berlin'), true);
    assert.equal(isValidTimeZone('Asia/Kathmandu'), true);
    assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(isValidTimeZone(''), false);
    assert.equal(isValidTimeZone('+01:00'), false);
    // Asked twice: the negative answer is cached and stays the same.
    assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
  });

  test('assertTimeZone returns the zone or throws INVALID_TIMEZONE', () => {
    assert.equal(assertTimeZone('Europe/Berlin'), 'Europe/Berlin');
    assert.throws(() => assertTimeZone('Not/AZone'), isDomain('INVALID_TIMEZONE'));
    assert.throws(() => toLocal(new Date(0), 'Not/AZone'), isDomain('INVALID_TIMEZONE'));
    assert.throws(() => fromLocal(at(2026, 1, 1), 'Not/AZone'), isDomain('INVALID_TIMEZONE'));
  });
});

describe('toLocal', () => {
  test('reads the wall clock of an instant in a zone', () => {
    assert.deepEqual(toLocal(new Date('2026-01-15T14:00:00Z'), 'America/New_York'), at(2026, 1, 15, 9));
    assert.deepEqual(toLocal(new Date('2026-07-15T13:00:00Z'), 'America/New_York'), at(2026, 7, 15, 9));
    assert.deepEqual(toLocal(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin'), at(2026, 7, 1, 14));
    assert.deepEqual(toLocal(new Date('2025-12-31T18:15:00Z'), 'Asia/Kathmandu'), at(2026, 1, 1, 0, 0));
    assert.deepEqual(toLocal(new Date('2026-03-08T07:30:00Z'), 'America/New_York'), at(2026, 3, 8, 3, 30));
    assert.deepEqual(toLocal(new Date('2026-01-01T00:00:00.999Z'), 'UTC'), at(2026, 1, 1));
    assert.deepEqual(toLocal(new Date('2026-12-31T23:59:59Z'), 'Etc/UTC'), at(2026, 12, 31, 23, 59, 59));
  });

  test('midnight is hour 0, not 24', () => {
    assert.deepEqual(toLocal(new Date('2026-05-01T22:00:00Z'), 'Europe/Berlin'), at(2026, 5, 2, 0));
  });
});

describe('fromLocal', () => {
  test('regular times use the offset in force', () => {
    assert.equal(iso(at(2026, 1, 15, 9), 'America/New_York'), '2026-01-15T14:00:00.000Z');
    assert.equal(iso(at(2026, 7, 15, 9), 'America/New_York'), '2026-07-15T13:00:00.000Z');
    assert.equal(iso(at(2026, 1, 1, 0), 'Asia/Kathmandu'), '2025-12-31T18:15:00.000Z');
    assert.equal(iso(at(2026, 6, 1, 12, 0, 7), 'UTC'), '2026-06-01T12:00:07.000Z');
  });

  test('a time in the spring-forward gap moves forward by the gap', () => {
    // America/New_York, 2026-03-08: 02:00 EST -> 03:00 EDT.
    assert.equal(iso(at(2026, 3, 8, 1, 59, 59), 'America/New_York'), '2026-03-08T06:59:59.000Z');
    assert.equal(iso(at(2026, 3, 8, 2, 0), 'America/New_York'), '2026-03-08T07:00:00.000Z');
    assert.equal(iso(at(2026, 3, 8, 2, 30), 'America/New_York'), '2026-03-08T07:30:00.000Z');
    assert.deepEqual(toLocal(fromLocal(at(2026, 3, 8, 2, 30), 'America/New_York'), 'America/New_York'), at(2026, 3, 8, 3, 30));
    assert.equal(iso(at(2026, 3, 8, 3, 0), 'America/New_York'), '2026-03-08T07:00:00.000Z');
    // Europe/Berlin, 2026-03-29: 02:00 CET -> 03:00 CEST.
    assert.equal(iso(at(2026, 3, 29, 2, 30), 'Europe/Berlin'), '2026-03-29T01:30:00.000Z');
    assert.deepEqual(toLocal(fromLocal(at(2026, 3, 29, 2, 30), 'Europe/Berlin'), 'Europe/Berlin'), at(2026, 3, 29, 3, 30));
  });

  test('an ambiguous fall-back time takes the earlier instant', () => {
    // America/New_York, 2026-11-01: 02:00 EDT -> 01:00 EST; 01:30 happens twice.
    assert.equal(iso(at(2026, 11, 1, 1, 30), 'America/New_York'), '2026-11-01T05:30:00.000Z');
    assert.equal(iso(at(2026, 11, 1, 0, 59, 59), 'America/New_York'), '2026-11-01T04:59:59.000Z');
    assert.equal(iso(at(2026, 11, 1, 2, 0), 'America/New_York'), '2026-11-01T07:00:00.000Z');
    // Europe/Berlin, 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 happens twice.
    assert.equal(iso(at(2026, 10, 25, 2, 30), 'Europe/Berlin'), '2026-10-25T00:30:00.000Z');
    assert.equal(iso(at(2026, 10, 25, 3, 0), 'Europe/Berlin'), '2026-10-25T02:00:00.000Z');
    // Australia/Sydney, 2026-04-05: 03:00 AEDT -> 02:00 AEST.
    assert.equal(iso(at(2026, 4, 5, 2, 30), 'Australia/Sydney'), '2026-04-04T15:30:00.000Z');
  });

  test('a skipped calendar day (Samoa, 2011-12-30) moves forward by the whole gap', () => {
    assert.equal(iso(at(2011, 12, 30, 12), 'Pacific/Apia'), '2011-12-30T22:00:00.000Z');
    assert.deepEqual(toLocal(new Date('2011-12-30T22:00:00Z'), 'Pacific/Apia'), at(2011, 12, 31, 12));
  });

  test('inverts toLocal for every hour of a year, except the repeated fall-back hour', () => {
    for (const tz of ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe']) {
      let repeated = 0;
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 1_800_000) {
        const local = toLocal(new Date(t), tz);
        const back = fromLocal(local, tz).getTime();
        if (back !== t) {
          // The second occurrence of an ambiguous wall time maps to the first one.
          repeated++;
          assert.ok(back < t && t - back <= 3_600_000, `${tz} ${new Date(t).toISOString()}`);
          assert.deepEqual(toLocal(new Date(back), tz), local);
        }
      }
      // One repeated hour a year (Lord Howe repeats 30 minutes): 2 or 1 half-hour samples.
      assert.equal(repeated, tz === 'Australia/Lord_Howe' ? 1 : 2, tz);
    }
  });

  test('rejects impossible local dates', () => {
    assert.throws(() => fromLocal(at(2026, 2, 30), 'UTC'), RangeError);
    assert.throws(() => fromLocal(at(2026, 13, 1), 'Europe/Berlin'), RangeError);
    assert.throws(() => fromLocal(at(2026, 1, 1, 24), 'Europe/Berlin'), RangeError);
  });
});

describe('calendar math', () => {
  test('daysInMonth handles leap years', () => {
    assert.equal(daysInMonth(2028, 2), 29);
    assert.equal(daysInMonth(2027, 2), 28);
    assert.equal(daysInMonth(2000, 2), 29);
    assert.equal(daysInMonth(2100, 2), 28);
    assert.equal(daysInMonth(2026, 4), 30);
    assert.equal(daysInMonth(2026, 12), 31);
  });

  test('weekday is ISO ordered (0 = Monday)', () => {
    assert.equal(weekday(1970, 1, 1), 3); // Thursday
    assert.equal(weekday(2000, 1, 1), 5); // Saturday
    assert.equal(weekday(2026, 1, 4), 6); // Sunday
    assert.equal(weekday(2026, 1, 5), 0); // Monday
    assert.equal(weekday(2028, 2, 29), 1); // Tuesday
    assert.equal(weekday(1969, 12, 31), 2); // Wednesday
  });

  test('addDays crosses months, years and leap days', () => {
    assert.deepEqual(addDays({ year: 2028, month: 2, day: 28 }, 1), { year: 2028, month: 2, day: 29 });
    assert.deepEqual(addDays({ year: 2028, month: 2, day: 28 }, 2), { year: 2028, month: 3, day: 1 });
    assert.deepEqual(addDays({ year: 2026, month: 12, day: 31 }, 1), { year: 2027, month: 1, day: 1 });
    assert.deepEqual(addDays({ year: 2026, month: 3, day: 1 }, -1), { year: 2026, month: 2, day: 28 });
    assert.deepEqual(addDays({ year: 1970, month: 1, day: 1 }, -1), { year: 1969, month: 12, day: 31 });
  });

  test('weekday and addDays agree with Date.UTC over four centuries', () => {
    const base = Date.UTC(1900, 0, 1);
    for (let n = 0; n < 146_097 * 1.1; n += 97) {
      const d = new Date(base + n * 86_400_000);
      const expected = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      assert.deepEqual(addDays({ year: 1900, month: 1, day: 1 }, n), expected);
      assert.equal(weekday(expected.year, expected.month, expected.day), (d.getUTCDay() + 6) % 7);
    }
  });
});
