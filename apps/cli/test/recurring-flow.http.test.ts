import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CloudEvent } from '@dueflow/core';
import { FakeClock } from '@dueflow/runtime/testing';
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
  // Thursday 2026-01-08, 15:00 in New York (no DST change within the weeks these tests span).
  const clock = new FakeClock('2026-01-08T20:00:00.000Z');
  const fromNow = (ms: number) => new Date(clock.now().getTime() + ms);
  let ts: Started;
  let ann: Client;
  before(async () => {
    ts = await startSystem({}, { clock });
    ann = await signUp(ts.url, { timezone: 'America/New_York' });
  });
  after(async () => ts.stop());

  test('completing creates exactly one next occurrence carrying the task fields', async () => {
    const due = fromNow(2 * DAY);
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
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Standup', due_date: fromNow(DAY).toISOString(), recurring: 'daily' });
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
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Review', due_date: fromNow(DAY).toISOString(), recurring: 'monthly' });
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
      due_date: fromNow(DAY).toISOString(),
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
    // Monday 03:00 in New York, three and a half days ago.
    const past = fromNow(-3.5 * DAY);
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Late', due_date: past.toISOString(), recurring: 'daily' });
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`);
    const [next] = await eventually(async () => {
      const c = await children(ann, created.body.id);
      return c.length ? c : undefined;
    });
    // The first date after now with the same phase: Friday 03:00 in New York.
    assert.equal(next?.due_date, '2026-01-09T08:00:00.000Z');
  });

  test('deleting or not recurring creates nothing', async () => {
    const plain = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Once', due_date: fromNow(DAY).toISOString() });
    await ann.patch(`/api/v1/tasks/${plain.body.id}/complete`);
    await ts.system.relay.drain();
    assert.equal((await children(ann, plain.body.id)).length, 0);
  });
});

describe('undoing a completion, skipping an occurrence', () => {
  let ts: Started;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'America/New_York' });
  });
  after(async () => ts.stop());

  async function completedWithNext(title: string): Promise<{ task: TaskJson; next: TaskJson }> {
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title, due_date: new Date(Date.now() + DAY).toISOString(), recurring: 'daily' });
    assert.equal(task.status, 201);
    await ann.patch(`/api/v1/tasks/${task.body.id}/complete`, { completed: true });
    const [next] = await eventually(async () => {
      const c = await children(ann, task.body.id);
      return c.length ? c : undefined;
    });
    assert.ok(next);
    return { task: task.body, next };
  }

  const pendingTitled = async (title: string) =>
    (await ann.get<TaskListJson>(`/api/v1/tasks?status=pending&limit=200`)).body.tasks.filter((t) => t.title === title);

  test('undo removes the next occurrence the completion made while nobody touched it', async () => {
    const { task, next } = await completedWithNext('Stretch');
    const undone = await ann.patch<TaskJson>(`/api/v1/tasks/${task.id}/complete`, { completed: false });
    assert.equal(undone.body.completed, false);
    assert.equal((await ann.get(`/api/v1/tasks/${next.id}`)).status, 404, 'the next occurrence is gone');
    assert.deepEqual((await pendingTitled('Stretch')).map((t) => t.id), [task.id], 'one pending copy, the original');
    // Its deletion is an event like any other (other tabs drop the row, its reminder is cancelled).
    await ts.system.relay.drain();
    const deleted = await ts.system.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE event->>'type' = 'task.deleted' AND (event->'data'->>'task_id')::bigint = $1`,
      [next.id],
    );
    assert.equal(deleted[0]?.n, 1);
    // Completing again makes a new next occurrence.
    await ann.patch(`/api/v1/tasks/${task.id}/complete`, { completed: true });
    const again = await eventually(async () => {
      const c = await children(ann, task.id);
      return c.length ? c : undefined;
    });
    assert.equal(again.length, 1);
    assert.notEqual(again[0]?.id, next.id);
  });

  test('the same through PATCH /tasks/{id} {completed: false}', async () => {
    const { task, next } = await completedWithNext('Journal');
    await ann.patch(`/api/v1/tasks/${task.id}`, { completed: false });
    assert.equal((await ann.get(`/api/v1/tasks/${next.id}`)).status, 404);
  });

  test('a next occurrence that was edited or completed stays', async () => {
    const edited = await completedWithNext('Read');
    await ann.patch(`/api/v1/tasks/${edited.next.id}`, { priority: 'high' });
    await ann.patch(`/api/v1/tasks/${edited.task.id}/complete`, { completed: false });
    assert.equal((await ann.get(`/api/v1/tasks/${edited.next.id}`)).status, 200, 'edited: kept');

    const done = await completedWithNext('Walk');
    await ann.patch(`/api/v1/tasks/${done.next.id}/complete`, { completed: true });
    await ann.patch(`/api/v1/tasks/${done.task.id}/complete`, { completed: false });
    assert.equal((await ann.get(`/api/v1/tasks/${done.next.id}`)).status, 200, 'completed: kept');
  });

  test('a completion event that arrives after the undo makes no occurrence', async () => {
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Floss', due_date: new Date(Date.now() + DAY).toISOString(), recurring: 'daily' });
    await ann.patch(`/api/v1/tasks/${task.body.id}/complete`, { completed: true });
    const [event] = await eventually(async () => {
      const e = await completedEvents(ts, task.body.id);
      return e.length ? e : undefined;
    });
    assert.ok(event);
    await eventually(async () => ((await children(ann, task.body.id)).length === 1 ? true : undefined));
    await ann.patch(`/api/v1/tasks/${task.body.id}/complete`, { completed: false });
    assert.equal((await children(ann, task.body.id)).length, 0);
    // The same completion again under a new id (a late delivery the consumer has not seen): the task
    // is open now, so the series does not move on.
    const late = { ...event, id: crypto.randomUUID(), data: { ...(event.data as object), event_id: crypto.randomUUID() } };
    await ts.system.bus.publish('task-events', late, { partitionKey: ann.userId });
    await ts.system.relay.drain();
    assert.equal((await children(ann, task.body.id)).length, 0);
  });

  test('skip moves the occurrence to the next date without drifting or completing it', async () => {
    // Jan 31 in New York, monthly: Feb 28, then Mar 31 (the anchor is kept).
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Pay rent', due_date: '2031-01-31T17:00', remind_before_minutes: 60, recurrence: { pattern: 'monthly' } });
    assert.equal(task.status, 201);
    // No body at all, as `curl -X POST …/skip` sends it: the body is optional.
    const first = await ann.post<TaskJson>(`/api/v1/tasks/${task.body.id}/skip`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.id, task.body.id);
    assert.equal(first.body.completed, false);
    assert.equal(first.body.due_date, '2031-02-28T22:00:00.000Z');
    assert.equal(first.body.reminder_at, '2031-02-28T21:00:00.000Z', 'the reminder moves with it');
    assert.deepEqual(first.body.recurrence, task.body.recurrence, 'the rule is unchanged');
    const second = await ann.post<TaskJson>(`/api/v1/tasks/${task.body.id}/skip`, { version: first.body.version });
    assert.equal(second.body.due_date, '2031-03-31T21:00:00.000Z', 'back on the month end (DST: 17:00 EDT)');
    const stale = await ann.post(`/api/v1/tasks/${task.body.id}/skip`, { version: first.body.version });
    assert.equal(stale.status, 409);
    assert.equal((await children(ann, task.body.id)).length, 0, 'skipping creates no task');
  });

  test('skip refuses what it cannot do and changes nothing', async () => {
    const plain = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Once', due_date: new Date(Date.now() + DAY).toISOString() });
    const notRecurring = await ann.post<{ error: { code: string } }>(`/api/v1/tasks/${plain.body.id}/skip`, {});
    assert.deepEqual([notRecurring.status, notRecurring.body.error.code], [422, 'NOT_RECURRING']);
    const last = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Twice', due_date: new Date(Date.now() + DAY).toISOString(), recurrence: { pattern: 'daily', count: 2 } });
    assert.equal((await ann.post(`/api/v1/tasks/${last.body.id}/skip`, {})).status, 200);
    const ended = await ann.post<{ error: { code: string } }>(`/api/v1/tasks/${last.body.id}/skip`, {});
    assert.deepEqual([ended.status, ended.body.error.code], [422, 'SERIES_ENDED']);
    const after = await ann.get<TaskJson>(`/api/v1/tasks/${last.body.id}`);
    assert.equal(after.body.version, 2, 'the refused skip changed nothing');
    assert.equal((await ann.post(`/api/v1/tasks/99999999/skip`, {})).status, 404);
    assert.equal((await ann.post(`/api/v1/tasks/${plain.body.id}/skip`, { when: 'never' })).status, 400);
  });
});
