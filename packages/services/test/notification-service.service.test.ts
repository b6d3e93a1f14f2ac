// Reminders at the service level: the real scheduler on a fake clock, the real database, the outbox.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Topics } from '@dueflow/core';
import type { Database } from '@dueflow/db';
import { createLogger, InProcessEventBus, InProcessScheduler, Metrics, OutboxRelay } from '@dueflow/runtime';
import { FakeClock } from '@dueflow/runtime/testing';
import { type Caller, NotificationService, TaskService } from '../src/index.ts';
import { addUser, openTestDatabase } from './db.ts';

const logger = createLogger({ level: 'silent' });
const ann: Caller = { userId: 'ann', timezone: 'UTC' };

describe('notification service', () => {
  const clock = new FakeClock('2026-02-04T15:00:00.000Z');
  const now = () => clock.now();
  let database: Database;
  let close: () => Promise<void>;
  let relay: OutboxRelay;
  let scheduler: InProcessScheduler;
  let tasks: TaskService;
  const delivered: Array<{ task_id: number; at: string }> = [];

  before(async () => {
    ({ database, close } = await openTestDatabase());
    await addUser(database, 'ann');
    const bus = new InProcessEventBus({ logger, onDeadLetter: async () => {} });
    relay = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), clock });
    const afterCommit = () => {};
    scheduler = new InProcessScheduler(logger, clock);
    const notifications = new NotificationService({ database, scheduler, push: null, logger, metrics: new Metrics(), now, afterCommit, reloadUpcoming: true });
    bus.subscribe(notifications.taskEventsSubscription());
    bus.subscribe(notifications.remindersSubscription());
    bus.subscribe({
      consumer: 'test',
      topic: Topics.taskUpdates,
      handle: async (e) => {
        if (e.type === 'notification.created') delivered.push({ task_id: (e.data as { notification: { task_id: number } }).notification.task_id, at: clock.now().toISOString() });
      },
    });
    tasks = new TaskService({ database, now, afterCommit });
  });
  after(async () => {
    await scheduler.close();
    await close();
  });

  test('a reminder is scheduled from the task event, becomes reminder.due at its instant, and is delivered once', async () => {
    const task = await tasks.createFromRequest(ann, { title: 'Stretch', reminder_at: '2026-02-04T15:00:05Z' });
    await relay.drain();
    assert.equal(scheduler.pendingAt(`reminder-${task.id}`)?.toISOString(), '2026-02-04T15:00:05.000Z');

    clock.advance(4999);
    await relay.drain();
    assert.deepEqual(delivered, []);

    clock.advance(1);
    // The job writes reminder.due to the outbox; wait for it, then publish everything.
    const deadline = Date.now() + 30_000;
    while ((await database.query(`SELECT 1 FROM outbox WHERE topic = 'reminders'`)).length === 0) {
      assert.ok(Date.now() < deadline, 'reminder.due written');
      await new Promise((r) => setTimeout(r, 10));
    }
    await relay.drain();
    await relay.drain();
    assert.deepEqual(delivered, [{ task_id: Number(task.id), at: '2026-02-04T15:00:05.000Z' }]);
  });
});
