import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CreateTaskRequest } from '../src/api/task-requests.ts';
import { DomainError, type ErrorKind } from '../src/errors.ts';
import { applyChanges, DEFAULT_FIELDS, endOfLocalDay, planCreate, recurrenceToInput, type PlanContext } from '../src/plan.ts';
import { buildRecurrence } from '../src/recurrence/index.ts';
import type { EditableTaskFields } from '../src/task-model.ts';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const d = (iso: string): Date => new Date(iso);
// Monday 2026-01-05 10:00 in New York.
const ctx: PlanContext = { timezone: NY, now: d('2026-01-05T15:00:00Z') };

/** Asserts that `fn` throws a DomainError with this code and kind. */
function throwsDomain(fn: () => unknown, code: string, kind: ErrorKind): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError, `expected a DomainError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.kind, kind);
    return true;
  });
}

const create = (req: Omit<CreateTaskRequest, 'title'> & { title?: string }, c: PlanContext = ctx): EditableTaskFields =>
  planCreate({ title: 'Task', ...req }, c);
const iso = (v: Date | null): string | null => (v === null ? null : v.toISOString());

describe('planCreate', () => {
  test('defaults', () => {
    assert.deepEqual(planCreate({ title: 'Buy milk' }, ctx), { ...DEFAULT_FIELDS, title: 'Buy milk' });
    assert.deepEqual(DEFAULT_FIELDS, {
      title: '',
      description: '',
      priority: 'medium',
      tags: [],
      dueDate: null,
      reminderAt: null,
      remindBeforeMinutes: null,
      recurrence: null,
    });
  });

  test('copies the given fields; tags as given (already normalised by the schema)', () => {
    const t = create({ description: 'two litres', priority: 'high', tags: ['shopping', 'home'] });
    assert.equal(t.description, 'two litres');
    assert.equal(t.priority, 'high');
    assert.deepEqual(t.tags, ['shopping', 'home']);
  });

  test('due date: local wall time in the user zone, date-only is the end of that day', () => {
    assert.equal(iso(create({ due_date: '2026-01-10T17:00' }).dueDate), '2026-01-10T22:00:00.000Z');
    assert.equal(iso(create({ due_date: '2026-01-10' }).dueDate), '2026-01-11T04:59:59.000Z');
    assert.equal(iso(create({ due_date: '2026-01-10T17:00:00Z' }).dueDate), '2026-01-10T17:00:00.000Z');
    throwsDomain(() => create({ due_date: 'next friday' }), 'INVALID_DATE', 'validation');
  });

  test('reminder offset is computed from the due date', () => {
    const t = create({ due_date: '2026-01-10T17:00', remind_before_minutes: 30 });
    assert.equal(iso(t.reminderAt), '2026-01-10T21:30:00.000Z');
    assert.equal(t.remindBeforeMinutes, 30);
    const zero = create({ due_date: '2026-01-10T17:00', remind_before_minutes: 0 });
    assert.equal(iso(zero.reminderAt), '2026-01-10T22:00:00.000Z');
  });

  test('explicit reminder_at is kept, without an offset', () => {
    const t = create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-10T08:00' });
    assert.equal(iso(t.reminderAt), '2026-01-10T13:00:00.000Z');
    assert.equal(t.remindBeforeMinutes, null);
    // A reminder without a due date is allowed when it is absolute.
    const alone = create({ reminder_at: '2026-01-06T08:00' });
    assert.equal(iso(alone.reminderAt), '2026-01-06T13:00:00.000Z');
    assert.equal(alone.dueDate, null);
    // Equal to the due date is fine.
    assert.equal(iso(create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-10T17:00' }).reminderAt), '2026-01-10T22:00:00.000Z');
  });

  test('REMINDER_CONFLICT: offset and explicit time together', () => {
    throwsDomain(
      () => create({ due_date: '2026-01-10T17:00', remind_before_minutes: 30, reminder_at: '2026-01-10T08:00' }),
      'REMINDER_CONFLICT',
      'validation',
    );
  });

  test('REMINDER_AFTER_DUE', () => {
    throwsDomain(() => create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-10T17:00:01' }), 'REMINDER_AFTER_DUE', 'unprocessable');
  });

  test('a due date drops its fraction, a reminder keeps it; a reminder within the due second is not after it', () => {
    const t = create({ due_date: '2026-01-10T17:00:00.750Z', reminder_at: '2026-01-10T17:00:00.500Z' });
    assert.equal(iso(t.dueDate), '2026-01-10T17:00:00.000Z');
    assert.equal(iso(t.reminderAt), '2026-01-10T17:00:00.500Z');
    throwsDomain(() => create({ due_date: '2026-01-10T17:00:00.750Z', reminder_at: '2026-01-10T17:00:01.000Z' }), 'REMINDER_AFTER_DUE', 'unprocessable');
  });

  test('REMINDER_IN_PAST: at or before now', () => {
    throwsDomain(() => create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-05T09:00' }), 'REMINDER_IN_PAST', 'unprocessable');
    throwsDomain(() => create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-05T15:00:00Z' }), 'REMINDER_IN_PAST', 'unprocessable');
    assert.equal(iso(create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-05T15:00:01Z' }).reminderAt), '2026-01-05T15:00:01.000Z');
  });

  test('REMINDER_IN_PAST: an offset longer than the time left to a future due date', () => {
    // Due 10:30 New York, now 10:00: 30 minutes left.
    throwsDomain(() => create({ due_date: '2026-01-05T10:30', remind_before_minutes: 60 }), 'REMINDER_IN_PAST', 'unprocessable');
    throwsDomain(() => create({ due_date: '2026-01-05T10:30', remind_before_minutes: 30 }), 'REMINDER_IN_PAST', 'unprocessable');
    assert.equal(iso(create({ due_date: '2026-01-05T10:30', remind_before_minutes: 29 }).reminderAt), '2026-01-05T15:01:00.000Z');
    // Moving the due date closer than the kept offset is refused too.
    const base = create({ due_date: '2026-01-10T17:00', remind_before_minutes: 60 });
    throwsDomain(() => applyChanges(base, { due_date: '2026-01-05T10:20' }, ctx), 'REMINDER_IN_PAST', 'unprocessable');
    // An overdue task keeps its (passed) offset reminder: nothing would fire either way.
    assert.equal(iso(create({ due_date: '2026-01-04T17:00', remind_before_minutes: 60 }).reminderAt), '2026-01-04T21:00:00.000Z');
  });

  test('REMINDER_NEEDS_DUE_DATE: an offset without a due date', () => {
    throwsDomain(() => create({ remind_before_minutes: 30 }), 'REMINDER_NEEDS_DUE_DATE', 'unprocessable');
    throwsDomain(() => create({ due_date: null, remind_before_minutes: 30 }), 'REMINDER_NEEDS_DUE_DATE', 'unprocessable');
  });

  test('RECURRENCE_CONFLICT: recurring and recurrence together', () => {
    throwsDomain(
      () => create({ due_date: '2026-01-10T17:00', recurring: 'daily', recurrence: { pattern: 'weekly' } }),
      'RECURRENCE_CONFLICT',
      'validation',
    );
  });

  test('recurring: "daily" shorthand is a plain daily pattern from the due date', () => {
    const t = create({ due_date: '2026-01-10T09:00', recurring: 'daily' });
    assert.deepEqual(t.recurrence, {
      rrule: 'FREQ=DAILY',
      pattern: 'daily',
      interval: 1,
      by_weekday: null,
      from: 'due',
      until: null,
      count: null,
      timezone: NY,
      anchor: '2026-01-10T14:00:00.000Z',
    });
    assert.equal(create({ due_date: '2026-01-10T09:00', recurring: null }).recurrence, null);
  });

  test('a full recurrence object is built in the user zone', () => {
    const t = create({
      due_date: '2026-01-15T09:00',
      recurrence: { pattern: 'monthly', interval: 2, from: 'completion', count: 6 },
    });
    assert.equal(t.recurrence?.rrule, 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15;COUNT=6');
    assert.equal(t.recurrence?.from, 'completion');
    assert.equal(t.recurrence?.timezone, NY);
    assert.equal(t.recurrence?.anchor, '2026-01-15T14:00:00.000Z');
    const raw = create({ due_date: '2026-01-15T09:00', recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=-1FR' } });
    assert.equal(raw.recurrence?.pattern, 'custom');
    throwsDomain(() => create({ due_date: '2026-01-15T09:00', recurrence: { pattern: 'daily', count: 2, until: '2026-02-01' } }), 'INVALID_RECURRENCE', 'validation');
  });

  test('a recurrence without a due date is due at the end of today in the user zone', () => {
    const t = create({ recurring: 'daily' });
    assert.equal(iso(t.dueDate), '2026-01-06T04:59:59.000Z'); // 2026-01-05 23:59:59 EST
    assert.equal(t.recurrence?.anchor, '2026-01-06T04:59:59.000Z');
    // 03:00Z on Jan 6 is still Jan 5 in New York.
    const late = create({ recurring: 'daily' }, { timezone: NY, now: d('2026-01-06T03:00:00Z') });
    assert.equal(iso(late.dueDate), '2026-01-06T04:59:59.000Z');
    // ...and already Jan 6 in Berlin.
    const berlin = create({ recurring: 'weekly' }, { timezone: BERLIN, now: d('2026-01-06T03:00:00Z') });
    assert.equal(iso(berlin.dueDate), '2026-01-06T22:59:59.000Z');
    assert.equal(berlin.recurrence?.rrule, 'FREQ=WEEKLY;BYDAY=TU');
    // With an offset reminder, the reminder follows that due date.
    const reminded = create({ recurring: 'daily', remind_before_minutes: 60 });
    assert.equal(iso(reminded.reminderAt), '2026-01-06T03:59:59.000Z');
  });
});

describe('applyChanges', () => {
  const base = create({ due_date: '2026-01-10T17:00', remind_before_minutes: 30, tags: ['a'] });

  test('merges only the given fields and does not mutate the base', () => {
    const t = applyChanges(base, { title: 'Renamed', tags: ['b', 'c'] }, ctx);
    assert.equal(t.title, 'Renamed');
    assert.deepEqual(t.tags, ['b', 'c']);
    assert.equal(iso(t.dueDate), '2026-01-10T22:00:00.000Z');
    assert.equal(iso(t.reminderAt), '2026-01-10T21:30:00.000Z');
    assert.deepEqual(base.tags, ['a']);
    assert.equal(base.title, 'Task');
    assert.deepEqual(applyChanges(base, {}, ctx), base);
  });

  test('moving the due date moves an offset reminder', () => {
    const t = applyChanges(base, { due_date: '2026-01-12T08:00' }, ctx);
    assert.equal(iso(t.dueDate), '2026-01-12T13:00:00.000Z');
    assert.equal(iso(t.reminderAt), '2026-01-12T12:30:00.000Z');
    assert.equal(t.remindBeforeMinutes, 30);
    const changedOffset = applyChanges(base, { remind_before_minutes: 120 }, ctx);
    assert.equal(iso(changedOffset.reminderAt), '2026-01-10T20:00:00.000Z');
  });

  test('moving the due date keeps an explicit reminder', () => {
    const explicit = create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-09T08:00' });
    const t = applyChanges(explicit, { due_date: '2026-01-20T17:00' }, ctx);
    assert.equal(iso(t.reminderAt), '2026-01-09T13:00:00.000Z');
    assert.equal(t.remindBeforeMinutes, null);
    // Moving the due date before an explicit reminder is a contradiction.
    throwsDomain(() => applyChanges(explicit, { due_date: '2026-01-08T17:00' }, ctx), 'REMINDER_AFTER_DUE', 'unprocessable');
  });

  test('switching between offset and explicit reminders; clearing them', () => {
    const explicit = applyChanges(base, { reminder_at: '2026-01-09T08:00' }, ctx);
    assert.equal(iso(explicit.reminderAt), '2026-01-09T13:00:00.000Z');
    assert.equal(explicit.remindBeforeMinutes, null);
    const offset = applyChanges(explicit, { remind_before_minutes: 15 }, ctx);
    assert.equal(iso(offset.reminderAt), '2026-01-10T21:45:00.000Z');
    assert.equal(offset.remindBeforeMinutes, 15);
    for (const clear of [{ remind_before_minutes: null }, { reminder_at: null }, { remind_before_minutes: null, reminder_at: null }]) {
      const t = applyChanges(base, clear, ctx);
      assert.equal(t.reminderAt, null, JSON.stringify(clear));
      assert.equal(t.remindBeforeMinutes, null, JSON.stringify(clear));
    }
    const cleared = applyChanges(explicit, { reminder_at: null }, ctx);
    assert.equal(cleared.reminderAt, null);
    // Offset null + explicit time: becomes explicit.
    const both = applyChanges(base, { remind_before_minutes: null, reminder_at: '2026-01-09T08:00' }, ctx);
    assert.equal(iso(both.reminderAt), '2026-01-09T13:00:00.000Z');
    assert.equal(both.remindBeforeMinutes, null);
  });

  test('clearing the due date clears an offset reminder, keeps an explicit one', () => {
    const t = applyChanges(base, { due_date: null }, ctx);
    assert.equal(t.dueDate, null);
    assert.equal(t.reminderAt, null);
    assert.equal(t.remindBeforeMinutes, null);
    const explicit = create({ due_date: '2026-01-10T17:00', reminder_at: '2026-01-09T08:00' });
    const kept = applyChanges(explicit, { due_date: null }, ctx);
    assert.equal(kept.dueDate, null);
    assert.equal(iso(kept.reminderAt), '2026-01-09T13:00:00.000Z');
  });

  test('clearing the due date while setting an offset is REMINDER_NEEDS_DUE_DATE', () => {
    throwsDomain(() => applyChanges(base, { due_date: null, remind_before_minutes: 45 }, ctx), 'REMINDER_NEEDS_DUE_DATE', 'unprocessable');
  });

  test('RECURRENCE_NEEDS_DUE_DATE: clearing the due date of a recurring task', () => {
    const recurring = create({ due_date: '2026-01-10T09:00', recurring: 'daily' });
    throwsDomain(() => applyChanges(recurring, { due_date: null }, ctx), 'RECURRENCE_NEEDS_DUE_DATE', 'unprocessable');
    // Clearing both is fine.
    const t = applyChanges(recurring, { due_date: null, recurrence: null }, ctx);
    assert.equal(t.dueDate, null);
    assert.equal(t.recurrence, null);
    assert.equal(applyChanges(recurring, { recurring: null }, ctx).recurrence, null);
  });

  test('changing the due date re-anchors a monthly recurrence', () => {
    const monthly = create({ due_date: '2026-01-15T09:00', recurrence: { pattern: 'monthly', from: 'completion', count: 5 } });
    assert.equal(monthly.recurrence?.rrule, 'FREQ=MONTHLY;BYMONTHDAY=15;COUNT=5');
    const moved = applyChanges(monthly, { due_date: '2026-01-20T10:30' }, ctx);
    assert.equal(moved.recurrence?.rrule, 'FREQ=MONTHLY;BYMONTHDAY=20;COUNT=5');
    assert.equal(moved.recurrence?.anchor, '2026-01-20T15:30:00.000Z');
    assert.equal(moved.recurrence?.from, 'completion');
    assert.equal(moved.recurrence?.count, 5);
    // To the 31st: clamped pattern.
    const end = applyChanges(monthly, { due_date: '2026-01-31T09:00' }, ctx);
    assert.equal(end.recurrence?.rrule, 'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=5');
    // UNTIL survives the re-anchor unchanged.
    const until = create({ due_date: '2026-01-15T09:00', recurrence: { pattern: 'monthly', until: '2026-12-31' } });
    const movedUntil = applyChanges(until, { due_date: '2026-02-03T09:00' }, ctx);
    assert.equal(movedUntil.recurrence?.until, '2027-01-01T04:59:59.000Z');
    assert.equal(movedUntil.recurrence?.rrule, 'FREQ=MONTHLY;BYMONTHDAY=3;UNTIL=20270101T045959Z');
    // A new due date after UNTIL is rejected.
    throwsDomain(() => applyChanges(until, { due_date: '2027-02-01T09:00' }, ctx), 'INVALID_RECURRENCE', 'validation');
  });

  test('changing the due date keeps a custom rule and explicit weekdays', () => {
    const custom = create({ due_date: '2026-01-30T09:00', recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=-1FR' } });
    const moved = applyChanges(custom, { due_date: '2026-02-27T09:00' }, ctx);
    assert.equal(moved.recurrence?.rrule, 'FREQ=MONTHLY;BYDAY=-1FR');
    assert.equal(moved.recurrence?.anchor, '2026-02-27T14:00:00.000Z');
    const monThu = create({ due_date: '2026-01-05T09:00', recurrence: { pattern: 'weekly', by_weekday: ['MO', 'TH'] } });
    assert.equal(applyChanges(monThu, { due_date: '2026-01-08T09:00' }, ctx).recurrence?.rrule, 'FREQ=WEEKLY;BYDAY=MO,TH');
  });

  test(
    'changing the due date of a plain weekly task (no weekdays given) follows the new weekday',
    () => {
      const weekly = create({ due_date: '2026-01-05T09:00', recurring: 'weekly' }); // Monday
      const moved = applyChanges(weekly, { due_date: '2026-01-07T09:00' }, ctx); // Wednesday
      assert.equal(moved.recurrence?.rrule, 'FREQ=WEEKLY;BYDAY=WE');
    },
  );

  test('setting a recurrence on a task without a due date gives it the end of today', () => {
    const plain = create({});
    const t = applyChanges(plain, { recurrence: { pattern: 'weekly', by_weekday: ['FR'] } }, ctx);
    assert.equal(iso(t.dueDate), '2026-01-06T04:59:59.000Z');
    assert.equal(t.recurrence?.rrule, 'FREQ=WEEKLY;BYDAY=FR');
  });

  test('replacing the recurrence on a task with a due date', () => {
    const daily = create({ due_date: '2026-01-15T09:00', recurring: 'daily' });
    const t = applyChanges(daily, { recurring: 'yearly' }, ctx);
    assert.equal(t.recurrence?.rrule, 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15');
    assert.equal(iso(t.dueDate), '2026-01-15T14:00:00.000Z');
  });
});

describe('recurrenceToInput', () => {
  const anchor = d('2026-01-05T14:00:00Z');
  test('pattern recurrences round-trip through their input', () => {
    const cases = [
      { pattern: 'daily', interval: 3, from: 'completion' },
      { pattern: 'weekly', interval: 2, by_weekday: ['MO', 'TH'], from: 'due' },
      { pattern: 'monthly', interval: 1, by_weekday: ['FR'], from: 'due', count: 4 },
      { pattern: 'yearly', interval: 1, from: 'due', until: '2030-01-01T00:00:00.000Z' },
    ] as const;
    for (const input of cases) {
      const rec = buildRecurrence({ ...input, by_weekday: 'by_weekday' in input ? [...input.by_weekday] : undefined }, { anchor, timezone: NY });
      const back = recurrenceToInput(rec);
      assert.deepEqual(back, { ...input, ...('by_weekday' in input ? { by_weekday: [...input.by_weekday] } : {}) }, input.pattern);
      assert.deepEqual(buildRecurrence(back, { anchor, timezone: NY }), rec, input.pattern);
    }
  });

  test('a weekly pattern carries its (derived) weekday; daily and yearly carry none', () => {
    assert.deepEqual(recurrenceToInput(buildRecurrence({ pattern: 'weekly' }, { anchor, timezone: NY })), {
      pattern: 'weekly',
      interval: 1,
      from: 'due',
      by_weekday: ['MO'],
    });
    assert.deepEqual(recurrenceToInput(buildRecurrence({ pattern: 'daily' }, { anchor, timezone: NY })), {
      pattern: 'daily',
      interval: 1,
      from: 'due',
    });
  });

  test('custom rules keep the raw rule text', () => {
    const rec = buildRecurrence({ rrule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=3', from: 'completion' }, { anchor, timezone: NY });
    assert.deepEqual(recurrenceToInput(rec), { rrule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=3', from: 'completion' });
  });
});

describe('endOfLocalDay', () => {
  test('23:59:59 of the local day, across zones and DST', () => {
    assert.equal(endOfLocalDay(d('2026-01-05T15:00:00Z'), NY).toISOString(), '2026-01-06T04:59:59.000Z');
    assert.equal(endOfLocalDay(d('2026-01-06T04:59:59Z'), NY).toISOString(), '2026-01-06T04:59:59.000Z');
    assert.equal(endOfLocalDay(d('2026-01-06T05:00:00Z'), NY).toISOString(), '2026-01-07T04:59:59.000Z');
    assert.equal(endOfLocalDay(d('2026-03-08T12:00:00Z'), NY).toISOString(), '2026-03-09T03:59:59.000Z'); // EDT from 02:00
    assert.equal(endOfLocalDay(d('2026-03-29T12:00:00Z'), BERLIN).toISOString(), '2026-03-29T21:59:59.000Z'); // CEST
    assert.equal(endOfLocalDay(d('2026-01-05T15:00:00Z'), 'UTC').toISOString(), '2026-01-05T23:59:59.000Z');
  });
});
