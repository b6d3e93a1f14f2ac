import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { DomainError } from '@dueflow/core';
import type { Database } from '@dueflow/db';
import { type Caller, TaskService } from '../src/index.ts';
import { addUser, openTestDatabase, outboxEvents } from './db.ts';

const ann: Caller = { userId: 'ann', timezone: 'Europe/Berlin' };
const bob: Caller = { userId: 'bob', timezone: 'UTC' };

describe('task service', () => {
  let database: Database;
  let close: () => Promise<void>;
  let wakes = 0;
  let now = new Date('2026-02-04T15:00:00.000Z');
  let tasks: TaskService;
  before(async () => {
    ({ database, close } = await openTestDatabase());
    await addUser(database, 'ann');
    await addUser(database, 'bob');
    tasks = new TaskService({ database, now: () => now, afterCommit: () => void wakes++ });
  });
  after(() => close());
  beforeEach(async () => {
    wakes = 0;
    await database.query('DELETE FROM outbox');
  });

  test('a change writes the live update and the domain event, in that order, stamped with the service clock', async () => {
    const task = await tasks.createFromRequest(ann, { title: 'Call mum', due_date: '2026-02-05T18:00', remind_before_minutes: 30 });
    assert.equal(task.dueDate?.toISOString(), '2026-02-05T17:00:00.000Z', 'local time in the caller zone');
    assert.equal(task.createdAt.toISOString(), now.toISOString());
    assert.deepEqual(
      (await outboxEvents(database)).map((e) => [e.topic, e.type, e.task_id]),
      [
        ['task-updates', 'task.changed', Number(task.id)],
        ['task-events', 'task.created', Number(task.id)],
      ],
    );
    assert.equal(wakes, 1);
  });

  test('a write that changes nothing keeps the version and emits nothing; a stale version is refused and changes nothing', async () => {
    const task = await tasks.createFromRequest(ann, { title: 'Stable', priority: 'high' });
    await database.query('DELETE FROM outbox');
    wakes = 0;
    const same = await tasks.setPriority(ann, task.id, 'high');
    assert.equal(same.version, task.version);
    assert.deepEqual(await outboxEvents(database), []);
    assert.equal(wakes, 0);

    now = new Date(now.getTime() + 60_000);
    const changed = await tasks.setPriority(ann, task.id, 'low', task.version);
    assert.equal(changed.version, task.version + 1);
    assert.equal(changed.updatedAt.toISOString(), now.toISOString());
    await assert.rejects(tasks.setPriority(ann, task.id, 'medium', task.version), (e: DomainError) => e.code === 'VERSION_CONFLICT');
    assert.equal((await tasks.get(ann, task.id)).priority, 'low');
    assert.deepEqual((await outboxEvents(database)).map((e) => e.type), ['task.changed', 'task.updated']);
  });

  test('another user never sees, changes or deletes the task', async () => {
    const task = await tasks.createFromRequest(ann, { title: 'Private' });
    await assert.rejects(tasks.get(bob, task.id), (e: DomainError) => e.code === 'TASK_NOT_FOUND');
    await assert.rejects(tasks.complete(bob, task.id, true), (e: DomainError) => e.code === 'TASK_NOT_FOUND');
    await assert.rejects(tasks.delete(bob, task.id), (e: DomainError) => e.code === 'TASK_NOT_FOUND');
    assert.equal((await tasks.get(ann, task.id)).completed, false);
  });

  test('the next occurrence of a completed task is created once, however often it is asked for', async () => {
    const parent = await tasks.createFromRequest(ann, { title: 'Weekly', due_date: '2026-02-06T09:00', recurring: 'weekly' });
    const fields = { ...parent, dueDate: new Date('2026-02-13T08:00:00.000Z'), reminderAt: null };
    assert.equal(await tasks.createNextOccurrence('ann', parent.id, fields, parent.seriesId), null, 'not while the parent is open');
    await tasks.complete(ann, parent.id, true);
    const first = await tasks.createNextOccurrence('ann', parent.id, fields, parent.seriesId);
    const again = await tasks.createNextOccurrence('ann', parent.id, fields, parent.seriesId);
    assert.equal(first?.created, true);
    assert.equal(again?.created, false);
    assert.equal(again?.task.id, first?.task.id);
    assert.equal(first?.task.seriesIndex, 2);
    assert.equal(first?.task.recurringParentId, parent.id);
    assert.equal(await tasks.createNextOccurrence('bob', parent.id, fields, parent.seriesId), null, 'not for another user');
    assert.equal((await outboxEvents(database)).filter((e) => e.type === 'task.created' && e.task_id === Number(first?.task.id)).length, 1);
  });
});
