import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupByCompletion, groupByDay, groupToday } from '../lib/groups.ts';
import type { Task } from '../lib/types.ts';

const tz = 'Europe/Berlin';
const today = { year: 2026, month: 11, day: 25 };
const task = (id: number, due: string | null, extra: Partial<Task> = {}): Task => ({
  id, title: `T${id}`, description: '', completed: false, completed_at: null, priority: 'medium', tags: [], due_date: due, reminder_at: null,
  remind_before_minutes: null, recurring: null, recurrence: null, recurring_parent_id: null, version: 1, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z', ...extra,
});
const shape = (groups: { key: string; label: string; tasks: Task[] }[]) => groups.map((g) => [g.key, g.label, g.tasks.map((t) => t.id)]);

test('Today: overdue by local date, then today; one just added for later first', () => {
  const groups = groupToday(
    [task(1, '2026-11-23T10:00:00Z'), task(2, '2026-11-24T22:59:59Z'), task(3, '2026-11-24T23:30:00Z'), task(4, '2026-11-26T08:00:00Z')],
    tz,
    today,
  );
  // 23:30 UTC on the 24th is already the 25th in Berlin: today, not overdue.
  assert.deepEqual(shape(groups), [['added', 'Just added', [4]], ['overdue', 'Overdue', [1, 2]], ['2026-11-25', 'Today', [3]]]);
  assert.deepEqual(shape(groupToday([], tz, today)), [['2026-11-25', 'Today', []]], 'an empty day still has its heading');
});

test('Upcoming: every day of the span, empty ones too, in the list order', () => {
  const groups = groupByDay([task(5, '2026-11-25T09:00:00Z'), task(6, '2026-11-27T09:00:00Z'), task(7, '2026-11-27T10:00:00Z'), task(8, null)], tz, today, 3);
  assert.deepEqual(shape(groups), [['added', 'Just added', [8]], ['2026-11-25', 'Today', [5]], ['2026-11-26', 'Tomorrow', []], ['2026-11-27', 'Fri 27 Nov', [6, 7]]]);
  assert.equal(groupByDay([], tz, today, 14).length, 14);
});

test('Completed: by the local day of completion', () => {
  const groups = groupByCompletion(
    [task(9, null, { completed: true, completed_at: '2026-11-25T08:00:00Z' }), task(10, null, { completed: true, completed_at: '2026-11-24T20:00:00Z' }), task(11, null, { completed: true, completed_at: '2026-11-20T20:00:00Z' })],
    tz,
    today,
  );
  assert.deepEqual(shape(groups), [['2026-11-25', 'Completed today', [9]], ['2026-11-24', 'Completed yesterday', [10]], ['2026-11-20', 'Completed Fri 20 Nov', [11]]]);
});
