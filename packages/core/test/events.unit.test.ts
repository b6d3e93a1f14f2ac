import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_DATA_SCHEMAS, EVENT_TOPICS, makeCloudEvent, parseEventData, TASK_EVENT_TYPES, Topics } from '../src/index.ts';

const reminder = {
  event_id: '6f1c1c9e-8d7f-4b8e-9a6f-0c1d2e3f4a5b',
  timestamp: '2026-02-04T15:00:00.000Z',
  task_id: 7,
  user_id: 'u1',
  title: 'Call',
  due_at: null,
  remind_at: '2026-02-04T15:00:00.000Z',
};

test('every event type has a topic: task events, reminders and live updates', () => {
  assert.deepEqual(Object.keys(EVENT_TOPICS).sort(), Object.keys(EVENT_DATA_SCHEMAS).sort());
  for (const t of TASK_EVENT_TYPES) assert.equal(EVENT_TOPICS[t], Topics.taskEvents);
  assert.equal(EVENT_TOPICS['reminder.due'], Topics.reminders);
  assert.equal(EVENT_TOPICS['task.changed'], Topics.taskUpdates);
  assert.equal(EVENT_TOPICS['notification.created'], Topics.taskUpdates);
});

test('makeCloudEvent takes only the data of its type', () => {
  const ev = makeCloudEvent('reminder.due', 'test', reminder, 'task/7');
  assert.equal(ev.id, reminder.event_id);
  assert.equal(ev.time, reminder.timestamp);
  assert.equal(ev.data.remind_at, reminder.remind_at);
  // @ts-expect-error a reminder's data is not a live task update
  makeCloudEvent('task.changed', 'test', reminder);
  // @ts-expect-error task events carry the task snapshot
  makeCloudEvent('task.completed', 'test', { event_id: reminder.event_id, timestamp: reminder.timestamp, user_id: 'u1', task_id: 7 });
});

test('the task snapshot declares the series and the anchored recurrence; older events default the series', () => {
  const task = {
    id: 7,
    title: 'Water plants',
    description: '',
    completed: true,
    completed_at: '2026-02-04T15:00:00.000Z',
    priority: 'medium',
    tags: [],
    due_date: '2026-02-04T09:00:00.000Z',
    reminder_at: null,
    remind_before_minutes: null,
    recurring: 'weekly',
    recurrence: { rrule: 'FREQ=WEEKLY', pattern: 'weekly', interval: 1, by_weekday: null, from: 'due', until: null, count: null, timezone: 'UTC', anchor: '2026-01-28T09:00:00.000Z' },
    recurring_parent_id: null,
    version: 2,
    created_at: '2026-01-28T09:00:00.000Z',
    updated_at: '2026-02-04T15:00:00.000Z',
  };
  const base = { event_type: 'task.completed', event_id: reminder.event_id, timestamp: reminder.timestamp, user_id: 'u1', task_id: 7 };
  const parsed = parseEventData('task.completed', { ...base, task_data: { ...task, series_id: 's-1', series_index: 3 } });
  assert.equal(parsed.task_data.series_id, 's-1');
  assert.equal(parsed.task_data.series_index, 3);
  assert.equal(parsed.task_data.recurrence?.anchor, '2026-01-28T09:00:00.000Z');
  const older = parseEventData('task.completed', { ...base, task_data: task });
  assert.equal(older.task_data.series_id, null);
  assert.equal(older.task_data.series_index, 1);
  const { anchor: _a, ...withoutAnchor } = task.recurrence;
  assert.throws(() => parseEventData('task.completed', { ...base, task_data: { ...task, recurrence: withoutAnchor } }), /anchor/);
});
