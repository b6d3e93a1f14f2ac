import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { makeCloudEvent, Topics } from '@dueflow/core';
import { type Database, type OutboxMessage, tasksRepo } from '@dueflow/db';
import { childTrace, withTrace } from '@dueflow/runtime';
import { UnitOfWork } from '../src/index.ts';
import { addUser, openTestDatabase, outboxEvents } from './db.ts';

const now = new Date('2026-02-04T15:00:00.000Z');
const fields = { description: '', priority: 'medium' as const, tags: [], dueDate: null, reminderAt: null, remindBeforeMinutes: null, recurrence: null };

function changed(taskId: number): OutboxMessage {
  const data = { event_id: randomUUID(), timestamp: now.toISOString(), user_id: 'u1', task_id: taskId, change: 'updated' as const, task: null };
  return { topic: Topics.taskUpdates, partitionKey: 'u1', event: makeCloudEvent('task.changed', 'test', data) };
}

describe('unit of work', () => {
  let database: Database;
  let close: () => Promise<void>;
  let wakes = 0;
  let work: UnitOfWork;
  before(async () => {
    ({ database, close } = await openTestDatabase());
    await addUser(database, 'u1');
    work = new UnitOfWork(database, () => void wakes++);
  });
  after(() => close());
  beforeEach(async () => {
    wakes = 0;
    await database.query('DELETE FROM outbox');
    await database.query('DELETE FROM tasks');
  });

  test('the change and its events commit together, then the relay is woken once', async () => {
    const task = await work.run(async (tx, events) => {
      const t = await tasksRepo.insertTask(tx, { ...fields, userId: 'u1', title: 'together' }, now);
      events.add(changed(Number(t.id)), changed(Number(t.id)));
      assert.equal(wakes, 0, 'not before the commit');
      return t;
    });
    assert.equal(wakes, 1);
    assert.deepEqual((await outboxEvents(database)).map((e) => e.task_id), [Number(task.id), Number(task.id)]);
  });

  test('a failure rolls back the change and its events, and wakes nobody', async () => {
    await assert.rejects(
      work.run(async (tx, events) => {
        const t = await tasksRepo.insertTask(tx, { ...fields, userId: 'u1', title: 'never' }, now);
        events.add(changed(Number(t.id)));
        await events.addIfAbsent(changed(Number(t.id)));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(wakes, 0);
    assert.deepEqual(await outboxEvents(database), []);
    assert.deepEqual(await database.query('SELECT id FROM tasks'), []);
  });

  test('work without events does not wake the relay; an event already queued is not written twice', async () => {
    await work.run(async (tx) => tasksRepo.insertTask(tx, { ...fields, userId: 'u1', title: 'quiet' }, now));
    assert.equal(wakes, 0);
    const once = changed(1);
    assert.equal(await work.run((_tx, events) => events.addIfAbsent(once)), true);
    assert.equal(await work.run((_tx, events) => events.addIfAbsent(once)), false);
    assert.equal(wakes, 1, 'woken only for the write');
    assert.equal((await outboxEvents(database)).length, 1);
  });

  test('events carry the trace of the request that made them', async () => {
    const trace = childTrace(null);
    await withTrace(trace, () => work.run(async (_tx, events) => events.add(changed(7))));
    const [row] = await outboxEvents(database);
    assert.equal(row?.traceparent, trace.traceparent);
  });
});
