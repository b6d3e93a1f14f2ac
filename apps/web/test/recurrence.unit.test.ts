import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeModel,
  describeRecurrence,
  EMPTY_RECURRENCE,
  modelFromApi,
  modelToApi,
  recurrenceChanged,
  validateModel,
  type RecurrenceModel,
} from '../lib/recurrence.ts';
import type { Recurrence } from '../lib/types.ts';

function rec(overrides: Partial<Recurrence>): Recurrence {
  return {
    rrule: 'FREQ=DAILY',
    pattern: 'daily',
    interval: 1,
    by_weekday: null,
    from: 'due',
    until: null,
    count: null,
    timezone: 'Europe/Berlin',
    ...overrides,
  };
}

const model = (overrides: Partial<RecurrenceModel>): RecurrenceModel => ({ ...EMPTY_RECURRENCE, ...overrides });

describe('recurrence model <-> API', () => {
  test('never is null both ways', () => {
    assert.deepEqual(modelFromApi(null, 'UTC'), EMPTY_RECURRENCE);
    assert.equal(modelToApi(EMPTY_RECURRENCE), null);
  });

  test('a weekly rule with weekdays, from completion, ending on a date', () => {
    // UNTIL is the end of Dec 31 in Berlin: 22:59:59 UTC.
    const stored = rec({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20261231T225959Z', pattern: 'weekly', interval: 2, by_weekday: ['TH', 'MO'], from: 'completion', until: '2026-12-31T22:59:59.000Z' });
    const m = modelFromApi(stored, 'UTC');
    assert.deepEqual(m, { repeats: 'weekly', interval: 2, weekdays: ['MO', 'TH'], from: 'completion', ends: 'on', endDate: '2026-12-31', count: 5, rrule: null });
    assert.deepEqual(modelToApi(m), { pattern: 'weekly', interval: 2, by_weekday: ['MO', 'TH'], from: 'completion', until: '2026-12-31' });
    assert.equal(recurrenceChanged(m, stored, 'UTC'), false);
    assert.equal(recurrenceChanged({ ...m, interval: 3 }, stored, 'UTC'), true);
  });

  test('defaults are left out of the input; count ends after N', () => {
    assert.deepEqual(modelToApi(model({ repeats: 'daily' })), { pattern: 'daily' });
    assert.deepEqual(modelToApi(model({ repeats: 'monthly', interval: 3, ends: 'after', count: 12 })), { pattern: 'monthly', interval: 3, count: 12 });
    // Weekdays only matter for weekly rules; an unused end date is not sent.
    assert.deepEqual(modelToApi(model({ repeats: 'yearly', weekdays: ['MO'], ends: 'never', endDate: '2027-01-01' })), { pattern: 'yearly' });
    assert.deepEqual(modelFromApi(rec({ pattern: 'monthly', rrule: 'FREQ=MONTHLY;COUNT=4', count: 4 }), 'UTC'), model({ repeats: 'monthly', ends: 'after', count: 4 }));
  });

  test('a custom rule is kept unless the user picks another', () => {
    const stored = rec({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR', pattern: 'custom', from: 'completion' });
    const m = modelFromApi(stored, 'UTC');
    assert.equal(m.repeats, 'custom');
    assert.deepEqual(modelToApi(m), { rrule: 'FREQ=MONTHLY;BYDAY=-1FR', from: 'completion' });
    assert.equal(recurrenceChanged(m, stored, 'UTC'), false);
    assert.equal(recurrenceChanged({ ...m, repeats: 'daily' }, stored, 'UTC'), true);
  });

  test('invalid editor input is explained', () => {
    assert.equal(validateModel(model({ repeats: 'daily' })), null);
    assert.match(validateModel(model({ repeats: 'daily', interval: 0 })) ?? '', /Every/);
    assert.match(validateModel(model({ repeats: 'daily', ends: 'on', endDate: '' })) ?? '', /end date/);
    assert.match(validateModel(model({ repeats: 'daily', ends: 'after', count: 1001 })) ?? '', /Occurrences/);
  });
});

describe('recurrence in words', () => {
  test('patterns', () => {
    assert.equal(describeRecurrence(rec({})), 'Every day');
    assert.equal(describeRecurrence(rec({ interval: 3 })), 'Every 3 days');
    assert.equal(describeRecurrence(rec({ pattern: 'weekly', interval: 2, by_weekday: ['TH', 'MO'] })), 'Every 2 weeks on Mon, Thu');
    assert.equal(describeRecurrence(rec({ pattern: 'weekly', by_weekday: ['MO', 'TU', 'WE', 'TH', 'FR'] })), 'Every weekday');
    assert.equal(describeRecurrence(rec({ pattern: 'monthly' })), 'Every month');
    assert.equal(describeRecurrence(rec({ pattern: 'yearly' })), 'Every year');
  });

  test('from completion, until a date, a number of times', () => {
    assert.equal(describeRecurrence(rec({ from: 'completion' })), 'Every day from completion');
    assert.equal(describeRecurrence(rec({ until: '2026-12-31T22:59:59.000Z' })), 'Every day until 31 Dec 2026');
    assert.equal(describeRecurrence(rec({ until: '2026-12-31T22:59:59.000Z', timezone: 'America/New_York' })), 'Every day until 31 Dec 2026');
    assert.equal(describeRecurrence(rec({ count: 5 })), 'Every day, 5 times');
    assert.equal(describeRecurrence(rec({ count: 1 })), 'Every day, once');
  });

  test('custom rules in words where possible, else the rule itself', () => {
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=-1FR' })), 'Every month on the last Fri');
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15,-1' })), 'Every 2 months on the 15th, last day');
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', count: 3 })), 'Every year in Mar on the 2nd Sun, 3 times');
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=DAILY;BYHOUR=9,17' })), 'Custom rule (FREQ=DAILY;BYHOUR=9,17)');
  });

  test("the editor's summary", () => {
    assert.equal(describeModel(EMPTY_RECURRENCE, null), 'Does not repeat');
    assert.equal(describeModel(model({ repeats: 'weekly', weekdays: ['FR'], ends: 'on', endDate: '2027-01-31' }), null), 'Every week on Fri until 31 Jan 2027');
    assert.equal(describeModel(model({ repeats: 'daily', interval: 2, from: 'completion', ends: 'after', count: 10 }), null), 'Every 2 days from completion, 10 times');
  });
});
