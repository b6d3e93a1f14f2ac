import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeModel,
  describeRecurrence,
  EMPTY_RECURRENCE,
  modelFromApi,
  modelToApi,
  recurrenceChanged,
  recurrenceOfModel,
  upcomingDates,
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

describe('recurrence in words (the domain\'s describer) and the series preview', () => {
  test('patterns, as the server says them', () => {
    assert.equal(describeRecurrence(rec({})), 'Every day');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=DAILY;INTERVAL=3', interval: 3 })), 'Every 3 days');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', pattern: 'weekly', interval: 2, by_weekday: ['MO', 'TH'] })), 'Every 2 weeks on Mon, Thu');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', pattern: 'weekly' })), 'Every weekday');
    // Monthly says which day (the old web copy said just "Every month").
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=2', pattern: 'monthly' })), 'Every month on the 2nd');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15', pattern: 'yearly' })), 'Every year on Mar 15');
  });

  test('after completion, until a date (written like the list), a number of times', () => {
    assert.equal(describeRecurrence(rec({ from: 'completion' })), 'Every day after completion');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=DAILY;UNTIL=20261231T225959Z' })), 'Every day until 31 Dec 2026');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=DAILY;UNTIL=20270101T045959Z', timezone: 'America/New_York' })), 'Every day until 31 Dec 2026');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=DAILY;COUNT=5' })), 'Every day, 5 times');
    assert.equal(describeRecurrence(rec({ rrule: 'FREQ=DAILY;COUNT=1' })), 'Every day, once');
  });

  test('custom rules in words, the last weekday included; a rule the engine refuses shows itself', () => {
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=-1FR' })), 'Every month on the last Fri');
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1' })), 'Every month on the last weekday');
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=DAILY;BYHOUR=9,17' })), 'Every day at 09:00, 17:00');
    assert.equal(describeRecurrence(rec({ pattern: 'custom', rrule: 'FREQ=SECONDLY' })), 'Custom rule (FREQ=SECONDLY)');
  });

  test("the editor's summary is built by the engine from the due date", () => {
    const due = '2026-11-06T16:00:00.000Z';
    assert.equal(describeModel(EMPTY_RECURRENCE, null, due, 'Europe/Berlin'), 'Does not repeat');
    assert.equal(describeModel(model({ repeats: 'weekly', weekdays: ['FR'], ends: 'on', endDate: '2027-01-31' }), null, due, 'Europe/Berlin'), 'Every week on Fri until 31 Jan 2027');
    assert.equal(describeModel(model({ repeats: 'daily', interval: 2, from: 'completion', ends: 'after', count: 10 }), null, due, 'Europe/Berlin'), 'Every 2 days after completion, 10 times');
    assert.equal(describeModel(model({ repeats: 'monthly' }), null, '2026-11-02T16:00:00.000Z', 'Europe/Berlin'), 'Every month on the 2nd');
    assert.equal(describeModel(model({ repeats: 'monthly' }), null, '2026-01-31T16:00:00.000Z', 'Europe/Berlin'), 'Every month on the last day');
    // An end before the first date is refused by the engine: the summary says to look again.
    assert.equal(describeModel(model({ repeats: 'daily', ends: 'on', endDate: '2026-01-01' }), null, due, 'Europe/Berlin'), 'Check the repeat settings');
  });

  test('upcoming dates: month ends clamp without drifting, DST keeps the wall time', () => {
    const monthly = recurrenceOfModel(model({ repeats: 'monthly' }), null, '2026-01-31T16:00:00.000Z', 'Europe/Berlin');
    assert.ok(monthly);
    assert.deepEqual(
      upcomingDates(monthly, 4, new Date('2026-01-01T00:00:00Z')).map((d) => d.toISOString()),
      ['2026-01-31T16:00:00.000Z', '2026-02-28T16:00:00.000Z', '2026-03-31T15:00:00.000Z', '2026-04-30T15:00:00.000Z'],
    );
    // Only dates after `after`: the first (past) one is left out.
    assert.equal(upcomingDates(monthly, 2, new Date('2026-02-01T00:00:00Z'))[0]?.toISOString(), '2026-02-28T16:00:00.000Z');
    const limited = recurrenceOfModel(model({ repeats: 'daily', ends: 'after', count: 2 }), null, '2026-01-31T16:00:00.000Z', 'Europe/Berlin');
    assert.ok(limited);
    assert.equal(upcomingDates(limited, 5, new Date('2026-01-01T00:00:00Z')).length, 2, 'the series ends after 2');
  });
});
