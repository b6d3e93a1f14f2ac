import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../lib/api.ts';
import { EMPTY_RECURRENCE } from '../lib/recurrence.ts';
import { changedFields, errorField, formFromTask, patchFor, rebase, validate, type FormValues } from '../lib/task-form.ts';
import type { Task } from '../lib/types.ts';

const tz = 'Europe/Berlin';
const task: Task = {
  id: 7, title: 'Pay rent', description: '', completed: false, completed_at: null, priority: 'medium', tags: ['home'],
  due_date: '2026-12-01T16:00:00.000Z', reminder_at: '2026-12-01T15:00:00.000Z', remind_before_minutes: 60,
  recurring: null, recurrence: null, recurring_parent_id: null, version: 3, created_at: '2026-11-01T10:00:00Z', updated_at: '2026-11-01T10:00:00Z',
};
const base = formFromTask(task, tz);
const edit = (patch: Partial<FormValues>): FormValues => ({ ...base, ...patch });

describe('the form and its patch', () => {
  test('values per field, in the user\'s zone', () => {
    assert.deepEqual(base.due, { date: '2026-12-01', time: '17:00' });
    assert.equal(base.reminder, 60);
    assert.deepEqual(formFromTask({ ...task, due_date: '2026-12-01T22:59:59.000Z' }, tz).due, { date: '2026-12-01', time: '' }, 'a day without a time');
  });

  test('only the changed fields are sent', () => {
    const values = edit({ title: '  Pay the rent ', priority: 'high' });
    assert.deepEqual(changedFields(base, values), ['title', 'priority']);
    assert.deepEqual(patchFor(values, changedFields(base, values), tz), { title: 'Pay the rent', priority: 'high' });
    assert.deepEqual(changedFields(base, edit({ title: 'Pay rent  ' })), [], 'spaces around a title change nothing');
  });

  test('a due date goes with its reminder; clearing it drops the reminder', () => {
    const moved = edit({ due: { date: '2026-12-02', time: '' } });
    assert.deepEqual(patchFor(moved, ['due'], tz), { due_date: '2026-12-02T22:59:59.000Z', remind_before_minutes: 60 });
    assert.deepEqual(patchFor(edit({ due: { date: '', time: '' } }), ['due'], tz), { due_date: null, remind_before_minutes: null });
  });

  test('problems are told per field, in the form\'s words', () => {
    assert.deepEqual(validate(edit({ title: ' ' }), tz), { title: 'Give the task a title.' });
    const series = edit({ recurrence: { ...EMPTY_RECURRENCE, repeats: 'weekly', ends: 'on', endDate: '2026-11-20' } });
    assert.deepEqual(validate(series, tz), { recurrence: 'The end date is before the first due date: choose a later end date.' });
    assert.deepEqual(validate(edit({ due: { date: '', time: '' }, recurrence: { ...EMPTY_RECURRENCE, repeats: 'daily' } }), tz), {
      due: 'A repeating task needs a due date: set one, or choose Repeats: Never.',
    });
  });

  test('a server refusal lands on its field', () => {
    assert.deepEqual(errorField(new ApiError(400, 'INVALID_RECURRENCE', 'until must not be before the first due date')), {
      field: 'recurrence',
      message: 'The end date is before the first due date: choose a later end date.',
    });
    assert.deepEqual(errorField(new ApiError(400, 'VALIDATION_FAILED', 'title: too long', [{ path: 'title', message: 'title must be at most 200 characters' }])), {
      field: 'title',
      message: 'Title must be at most 200 characters',
    });
    assert.equal(errorField(new ApiError(0, 'NETWORK', 'offline')).field, null);
  });
});

describe('three-way rebase on the server\'s newer version', () => {
  test('different fields on each side: both survive, no conflict', () => {
    const mine = edit({ title: 'Pay rent today' });
    const theirs = formFromTask({ ...task, priority: 'high', version: 4 }, tz);
    const merged = rebase(base, mine, theirs);
    assert.deepEqual(merged.conflicts, []);
    assert.equal(merged.values.title, 'Pay rent today');
    assert.equal(merged.values.priority, 'high');
    assert.deepEqual(changedFields(theirs, merged.values), ['title'], 'what is left to send');
  });

  test('the same field changed the same way is no conflict; differently, it is', () => {
    const mine = edit({ tags: ['home', 'money'], priority: 'low' });
    const theirs = formFromTask({ ...task, tags: ['home', 'money'], priority: 'high' }, tz);
    const merged = rebase(base, mine, theirs);
    assert.deepEqual(merged.conflicts, ['priority']);
    assert.equal(merged.values.priority, 'low', 'the user\'s value stays until they choose');
  });

  test('a field nobody here touched follows the server', () => {
    const merged = rebase(base, base, formFromTask({ ...task, due_date: null, reminder_at: null, remind_before_minutes: null }, tz));
    assert.deepEqual([merged.values.due, merged.values.reminder, merged.conflicts], [{ date: '', time: '' }, null, []]);
  });
});
