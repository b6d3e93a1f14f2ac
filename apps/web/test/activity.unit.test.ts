import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeActivity, describeChanges, minutesBefore, snapshotOf } from '../components/activity/describe.ts';
import type { ActivityItem } from '../lib/types.ts';

const task = {
  id: 5,
  title: 'Pay rent',
  description: '',
  completed: false,
  completed_at: null,
  priority: 'medium',
  tags: ['home'],
  due_date: '2026-03-01T09:00:00.000Z',
  reminder_at: '2026-03-01T08:00:00.000Z',
  remind_before_minutes: 60,
  recurring: null,
  recurrence: null,
  recurring_parent_id: null,
  version: 1,
  created_at: '2026-02-01T10:00:00.000Z',
  updated_at: '2026-02-01T10:00:00.000Z',
  series_id: null,
};

let n = 0;
function event(type: string, minute: number, changes: Record<string, unknown> = {}): ActivityItem {
  return { event_id: `e${++n}`, event_type: type, task_id: 5, occurred_at: `2026-02-01T10:${String(minute).padStart(2, '0')}:00.000Z`, data: { ...task, ...changes } };
}

const fmt = (iso: string) => `<${iso.slice(0, 16)}>`;

describe('activity in words', () => {
  test('life cycle events, newest first whatever the input order', () => {
    const lines = describeActivity(
      [event('task.created', 0), event('task.completed', 5, { completed: true }), event('task.uncompleted', 6), event('task.deleted', 9)],
      fmt,
    );
    assert.deepEqual(
      lines.map((l) => l.text),
      ['Deleted', 'Reopened', 'Completed', 'Created'],
    );
    assert.equal(lines[0]?.at, '2026-02-01T10:09:00.000Z');
  });

  test('an update says what changed compared with the event before it', () => {
    const lines = describeActivity([event('task.updated', 2, { priority: 'high', tags: ['home', 'money'] }), event('task.created', 0)], fmt);
    assert.equal(lines[0]?.text, 'Priority changed to high; Tag money added');
  });

  test('an update with nothing recognisable, or the oldest one on the page, is just "Updated"', () => {
    assert.deepEqual(
      describeActivity([event('task.updated', 3, { version: 3 }), event('task.updated', 2)], fmt).map((l) => l.text),
      ['Updated', 'Updated'],
    );
  });

  test('the next occurrence of a repeating task', () => {
    assert.equal(describeActivity([event('task.created', 0, { recurring_parent_id: 4 })], fmt)[0]?.text, 'Created as the next occurrence');
  });

  test('unknown event types still get a line', () => {
    assert.equal(describeActivity([event('task.archived', 0)], fmt)[0]?.text, 'Changed');
  });
});

describe('changes between snapshots', () => {
  const before = snapshotOf(task);

  test('title, description, tags', () => {
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, title: 'Pay the rent' }), fmt), ['Renamed to “Pay the rent”']);
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, description: 'By transfer' }), fmt), ['Description added']);
    assert.deepEqual(describeChanges(snapshotOf({ ...task, description: 'x' }), snapshotOf({ ...task, description: 'y' }), fmt), ['Description edited']);
    assert.deepEqual(describeChanges(snapshotOf({ ...task, description: 'x' }), before, fmt), ['Description removed']);
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, tags: ['a', 'b'] }), fmt), ['Tags a, b added', 'Tag home removed']);
  });

  test('due date moved: the relative reminder moves with it and is not reported on its own', () => {
    const after = snapshotOf({ ...task, due_date: '2026-03-02T09:00:00.000Z', reminder_at: '2026-03-02T08:00:00.000Z' });
    assert.deepEqual(describeChanges(before, after, fmt), ['Due date set to <2026-03-02T09:00>']);
  });

  test('the same instant written differently is no change', () => {
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, due_date: '2026-03-01T10:00:00+01:00' }), fmt), []);
  });

  test('due date and reminder cleared', () => {
    const after = snapshotOf({ ...task, due_date: null, reminder_at: null, remind_before_minutes: null });
    assert.deepEqual(describeChanges(before, after, fmt), ['Due date removed', 'Reminder removed']);
  });

  test('reminder offset changed, and an explicit reminder time', () => {
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, remind_before_minutes: 10, reminder_at: '2026-03-01T08:50:00.000Z' }), fmt), [
      'Reminder set to 10 minutes before',
    ]);
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, remind_before_minutes: null, reminder_at: '2026-02-28T18:00:00.000Z' }), fmt), [
      'Reminder set for <2026-02-28T18:00>',
    ]);
  });

  test('repeat rules', () => {
    const weekly = { rrule: 'FREQ=WEEKLY;INTERVAL=1', pattern: 'weekly', interval: 1, from: 'due', anchor: '2026-03-01T09:00:00.000Z' };
    assert.deepEqual(describeChanges(before, snapshotOf({ ...task, recurrence: weekly }), fmt), ['Now repeats weekly']);
    assert.deepEqual(describeChanges(snapshotOf({ ...task, recurrence: weekly }), snapshotOf({ ...task, recurrence: { ...weekly, rrule: 'FREQ=WEEKLY;INTERVAL=2', interval: 2 } }), fmt), [
      'Now repeats every 2 weeks',
    ]);
    assert.deepEqual(describeChanges(snapshotOf({ ...task, recurrence: weekly }), snapshotOf({ ...task, recurrence: { ...weekly, from: 'completion' } }), fmt), [
      'Now repeats from completion',
    ]);
    // The anchor moves with every occurrence: not a change of rule.
    assert.deepEqual(describeChanges(snapshotOf({ ...task, recurrence: weekly }), snapshotOf({ ...task, recurrence: { ...weekly, anchor: '2026-03-08T09:00:00.000Z' } }), fmt), []);
    assert.deepEqual(describeChanges(snapshotOf({ ...task, recurrence: weekly }), before, fmt), ['No longer repeats']);
  });

  test('malformed data is ignored, not thrown on', () => {
    assert.deepEqual(snapshotOf(null), {});
    assert.deepEqual(snapshotOf('x'), {});
    assert.deepEqual(snapshotOf({ title: 3, tags: ['a', 2] }), { tags: ['a'] });
    assert.deepEqual(describeChanges(snapshotOf({}), snapshotOf({ priority: 'high' }), fmt), []);
  });

  test('reminder offsets in words', () => {
    assert.equal(minutesBefore(0), 'at due time');
    assert.equal(minutesBefore(1), '1 minute before');
    assert.equal(minutesBefore(90), '90 minutes before');
    assert.equal(minutesBefore(60), '1 hour before');
    assert.equal(minutesBefore(2880), '2 days before');
  });
});
