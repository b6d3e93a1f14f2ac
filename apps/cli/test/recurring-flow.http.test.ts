import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CloudEvent } from '@dueflow/core';
import { type Client, eventually, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

type Started = Awaited<ReturnType<typeof startSystem>>;

async function children(client: Client, parentId: number): Promise<TaskJson[]> {
  const res = await client.get<TaskListJson>('/api/v1/tasks?limit=200');
  return res.body.tasks.filter((t) => t.recurring_parent_id === parentId);
}

/** The task.completed events of `taskId`, as the outbox recorded them. */
async function completedEvents(ts: Started, taskId: number): Promise<CloudEvent[]> {
  const rows = await ts.system.database.query<{ event: CloudEvent }>(
    `SELECT event FROM outbox WHERE topic = 'task-events' AND event->>'type' = 'task.completed' AND (event->'data'->>'task_id')::bigint = $1 ORDER BY id`,
    [taskId],
  );
  return rows.map((r) => r.event);
}

const DAY = 86_400_000;

describe('recurring tasks', () => {
  let ts: Started;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'America/New_York' });
  });
  after(async () => ts.stop());

  test('completing creates exactly one next occurrence carrying the task fields', async () => {
    const due = new Date(Date.now() + 2 * DAY);
    const created = await ann.post<TaskJson>('/api/v1/tasks', {
      title: 'Water plants',
      description: 'balcony',
      priority: 'high',
      tags: ['home'],
      due_date: due.toISOString(),
      remind_before_minutes: 60,
      recurrence: { pattern: 'weekly' },
    });
    assert.equal(created.status, 201);
    const done = await ann.patch<TaskJson>(`/api/v1/tasks/${created.body.id}/complete`);
    assert.equal(done.body.completed, true);

    const [next] = await eventually(async () => {
      const c = await children(ann, created.body.id);
      return c.length > 0 ? c : undefined;
    });
    assert.ok(next);
    assert.equal(next.title, 'Water plants');
    assert.equal(next.description, 'balcony');
    assert.equal(next.priority, 'high');
    assert.deepEqual(next.tags, ['home']);
    assert.equal(next.completed, false);
    assert.equal(next.remind_before_minutes, 60);
    assert.equal(next.due_date, new Date(Date.parse(created.body.due_date ?? '') + 7 * DAY).toISOString());
    assert.equal(next.reminder_at, new Date(Date.parse(next.due_date ?? '') - 3600_000).toISOString());
    assert.deepEqual(next.recurrence, created.body.recurrence);

    // Un-complete and complete again: still one.
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`, { completed: false });
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`, { completed: true });
    await ts.system.relay.drain();
    assert.equal((await completedEvents(ts, created.body.id)).length, 2);
    assert.equal((await children(ann, created.body.id)).length, 1);
  });

  test('a redelivered or concurrently delivered completion event creates nothing more', async () => {
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Standup', due_date: new Date(Date.now() + DAY).toISOString(), recurring: 'daily' });
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`);
    await eventually(async () => ((await children(ann, created.body.id)).length === 1 ? true : undefined));
    const [event] = await completedEvents(ts, created.body.id);
    assert.ok(event);
    const activityBefore = await ann.get<{ items: unknown[] }>(`/api/v1/activity?task_id=${created.body.id}`);
    // The same event three times, two of them at once (a crash between create and ack looks like this).
    await Promise.all([
      ts.system.bus.publish('task-events', event, { partitionKey: ann.userId }),
      ts.system.bus.publish('task-events', event, { partitionKey: ann.userId }),
    ]);
    await ts.system.bus.publish('task-events', event, { partitionKey: ann.userId });
    await ts.system.relay.drain();
    assert.equal((await children(ann, created.body.id)).length, 1);
    const activityAfter = await ann.get<{ items: unknown[] }>(`/api/v1/activity?task_id=${created.body.id}`);
    assert.equal(activityAfter.body.items.length, activityBefore.body.items.length);
  });

  test('even without the processed-events record the natural key keeps it to one', async () => {
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Review', due_date: new Date(Date.now() + DAY).toISOString(), recurring: 'monthly' });
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`);
    await eventually(async () => ((await children(ann, created.body.id)).length === 1 ? true : undefined));
    const [event] = await completedEvents(ts, created.body.id);
    assert.ok(event);
    // Forget that the event was handled, as if the consumer crashed after creating the occurrence.
    await ts.system.database.query(`DELETE FROM processed_events WHERE event_id = $1`, [event.id]);
    await ts.system.bus.publish('task-events', event, { partitionKey: ann.userId });
    assert.equal((await children(ann, created.body.id)).length, 1);
  });

  test('the series ends after count occurrences', async () => {
    const first = await ann.post<TaskJson>('/api/v1/tasks', {
      title: 'Course',
      due_date: new Date(Date.now() + DAY).toISOString(),
      recurrence: { pattern: 'daily', count: 2 },
    });
    await ann.patch(`/api/v1/tasks/${first.body.id}/complete`);
    const [second] = await eventually(async () => {
      const c = await children(ann, first.body.id);
      return c.length ? c : undefined;
    });
    assert.ok(second);
    await ann.patch(`/api/v1/tasks/${second.id}/complete`);
    await ts.system.relay.drain();
    assert.equal((await children(ann, second.id)).length, 0, 'no third occurrence');
  });

  test('from due: a late completion skips to the next date in the future', async () => {
    const past = new Date(Date.now() - 3.5 * DAY);
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Late', due_date: past.toISOString(), recurring: 'daily' });
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`);
    const [next] = await eventually(async () => {
      const c = await children(ann, created.body.id);
      return c.length ? c : undefined;
    });
    assert.ok(next?.due_date);
    const nextDue = Date.parse(next.due_date);
    assert.ok(nextDue > Date.now(), 'in the future');
    assert.ok(nextDue - Date.now() <= DAY + 3600_000, 'the first future date, not later');
    // Same phase: the same wall-clock time in the user's zone.
    const clock = (d: Date) => d.toLocaleTimeString('en-GB', { timeZone: 'America/New_York' });
    assert.equal(clock(new Date(nextDue)), clock(new Date(created.body.due_date ?? '')));
  });

  test('deleting or not recurring creates nothing', async () => {
    const plain = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Once', due_date: new Date(Date.now() + DAY).toISOString() });
    await ann.patch(`/api/v1/tasks/${plain.body.id}/complete`);
    await ts.system.relay.drain();
    assert.equal((await children(ann, plain.body.id)).length, 0);
  });
});
