import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseUserDate } from '../src/dates.ts';
import { DomainError } from '../src/errors.ts';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const parse = (s: string, tz = NY, dateOnly?: 'start' | 'end'): string =>
  (dateOnly === undefined ? parseUserDate(s, tz, 'due_date') : parseUserDate(s, tz, 'due_date', dateOnly)).toISOString();

function invalidDate(input: string, field = 'due_date'): void {
  assert.throws(
    () => parseUserDate(input, NY, field),
    (e: unknown) => {
      assert.ok(e instanceof DomainError, `expected a DomainError for ${JSON.stringify(input)}`);
      assert.equal(e.code, 'INVALID_DATE');
      assert.equal(e.kind, 'validation');
      assert.deepEqual(e.details, { field });
      assert.match(e.message, new RegExp(`^${field} `));
      return true;
    },
    JSON.stringify(input),
  );
}

describe('parseUserDate', () => {
  test('an instant with Z or an offset is taken as is', () => {
    assert.equal(parse('2026-01-10T17:00:00Z'), '2026-01-10T17:00:00.000Z');
    assert.equal(parse('2026-01-10T17:00:00z'), '2026-01-10T17:00:00.000Z');
    assert.equal(parse('2026-01-10T17:00Z'), '2026-01-10T17:00:00.000Z');
    assert.equal(parse('2026-01-10T17:00:00+01:00'), '2026-01-10T16:00:00.000Z');
    assert.equal(parse('2026-01-10T17:00:00+0100'), '2026-01-10T16:00:00.000Z');
    assert.equal(parse('2026-01-10T12:00:00-05:00'), '2026-01-10T17:00:00.000Z');
    assert.equal(parse('2026-01-10 17:00:00Z'), '2026-01-10T17:00:00.000Z');
    // The zone does not matter for instants.
    assert.equal(parse('2026-01-10T17:00:00Z', BERLIN), '2026-01-10T17:00:00.000Z');
  });

  test('a local date-time is wall time in the user zone', () => {
    assert.equal(parse('2026-01-10T17:00'), '2026-01-10T22:00:00.000Z'); // EST
    assert.equal(parse('2026-07-10T17:00:30'), '2026-07-10T21:00:30.000Z'); // EDT
    assert.equal(parse('2026-01-10 17:00'), '2026-01-10T22:00:00.000Z');
    assert.equal(parse('2026-01-10T17:00', BERLIN), '2026-01-10T16:00:00.000Z');
    assert.equal(parse('  2026-01-10T17:00  '), '2026-01-10T22:00:00.000Z');
  });

  test('DST in America/New_York: a gap time moves forward, an ambiguous one takes the first', () => {
    // 2026-03-08 02:30 does not exist (02:00 EST -> 03:00 EDT): 03:30 EDT.
    assert.equal(parse('2026-03-08T02:30'), '2026-03-08T07:30:00.000Z');
    assert.equal(parse('2026-03-08T01:59:59'), '2026-03-08T06:59:59.000Z');
    assert.equal(parse('2026-03-08T03:00'), '2026-03-08T07:00:00.000Z');
    // 2026-11-01 01:30 happens twice: the first (EDT).
    assert.equal(parse('2026-11-01T01:30'), '2026-11-01T05:30:00.000Z');
  });

  test('a date alone is the end of the day by default, or its start', () => {
    assert.equal(parse('2026-01-10'), '2026-01-11T04:59:59.000Z');
    assert.equal(parse('2026-01-10', NY, 'end'), '2026-01-11T04:59:59.000Z');
    assert.equal(parse('2026-01-10', NY, 'start'), '2026-01-10T05:00:00.000Z');
    assert.equal(parse('2026-07-10', NY, 'start'), '2026-07-10T04:00:00.000Z');
    assert.equal(parse('2026-01-10', BERLIN), '2026-01-10T22:59:59.000Z');
    assert.equal(parse('2026-01-10', 'UTC', 'start'), '2026-01-10T00:00:00.000Z');
    // On the DST days themselves.
    assert.equal(parse('2026-03-08', NY, 'start'), '2026-03-08T05:00:00.000Z');
    assert.equal(parse('2026-03-08', NY, 'end'), '2026-03-09T03:59:59.000Z');
    // Leap day.
    assert.equal(parse('2028-02-29', 'UTC', 'start'), '2028-02-29T00:00:00.000Z');
    // 'start' / 'end' only affect date-only input.
    assert.equal(parse('2026-01-10T17:00', NY, 'start'), '2026-01-10T22:00:00.000Z');
  });

  test('truncates to whole seconds', () => {
    assert.equal(parse('2026-01-10T17:00:00.999Z'), '2026-01-10T17:00:00.000Z');
    assert.equal(parse('2026-01-10T17:00:00.123456Z'), '2026-01-10T17:00:00.000Z');
    assert.equal(parse('2026-01-10T12:00:59.999'), '2026-01-10T17:00:59.000Z');
    assert.equal(parse('1969-12-31T23:59:59.500Z'), '1969-12-31T23:59:59.000Z');
  });

  test('to the millisecond (reminders): a finer fraction rounds up, never earlier than asked', () => {
    const precise = (s: string) => parseUserDate(s, NY, 'reminder_at', 'end', 'millisecond').toISOString();
    assert.equal(precise('2026-01-10T17:00:00.999Z'), '2026-01-10T17:00:00.999Z');
    assert.equal(precise('2026-01-10T17:00:00.1Z'), '2026-01-10T17:00:00.100Z');
    assert.equal(precise('2026-01-10T17:00:00.123456Z'), '2026-01-10T17:00:00.124Z');
    assert.equal(precise('2026-01-10T17:00:00.123000Z'), '2026-01-10T17:00:00.123Z');
    assert.equal(precise('2026-01-10T17:00:59.9999Z'), '2026-01-10T17:01:00.000Z');
    assert.equal(precise('2026-01-10T12:00:59.500'), '2026-01-10T17:00:59.500Z');
    assert.equal(precise('2026-01-10T18:00:00.250+01:00'), '2026-01-10T17:00:00.250Z');
    assert.equal(precise('1969-12-31T23:59:59.500Z'), '1969-12-31T23:59:59.500Z');
  });

  test('invalid dates are INVALID_DATE with the field name', () => {
    for (const s of [
      '',
      '   ',
      'tomorrow',
      'next friday',
      '2026-02-30',
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-01-32',
      '2026-04-31T10:00',
      '2026-01-10T24:00',
      '2026-01-10T17:60',
      '2026-01-10T17:00:60',
      '2026-01-10T17:00:60Z',
      '2026-01-10T17:00+25:00',
      '2026-1-10',
      '10/01/2026',
      '2026-01-10T17',
      '2026-01-10T17:00:00+01',
      '20260110',
    ]) {
      invalidDate(s);
    }
    invalidDate('soon', 'reminder_at');
  });

  test(
    'an impossible calendar date with an offset is INVALID_DATE too',
    () => {
      invalidDate('2026-02-30T10:00:00Z');
      invalidDate('2026-04-31T10:00:00+02:00');
    },
  );
});
