import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type CloudEvent, makeCloudEvent, type Topic, Topics } from '@dueflow/core';
import { type Database, eventsRepo, migrate, openDatabase, outboxRepo } from '@dueflow/db';
import { createTestDatabase } from '@dueflow/db/testing';
import {
  createLogger,
  type EventBus,
  InProcessEventBus,
  Metrics,
  OutboxRelay,
  PermanentEventError,
  type PublishOptions,
  type Subscription,
} from '../src/index.ts';
import { FakeClock } from '../src/testing/fake-clock.ts';

const logger = createLogger({ level: 'silent' });

/** Waits for `check` (asynchronous work in the relay's loop); the limit only bounds a failing test. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The real in-process bus behind a switch that makes publishing fail, as a broker outage does. */
class OutageBus implements EventBus {
  down = false;
  attempts = 0;
  constructor(private readonly inner: EventBus) {}
  async publish(topic: Topic, event: CloudEvent, opts: PublishOptions) {
    this.attempts++;
    if (this.down) throw new Error('broker unavailable');
    return this.inner.publish(topic, event, opts);
  }
  subscribe(sub: Subscription) {
    this.inner.subscribe(sub);
  }
  close() {
    return this.inner.close();
  }
}

async function openTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const test = await createTestDatabase();
  const database = await openDatabase(test.options);
  await migrate(database);
  return {
    database,
    drop: async () => {
      await database.close();
      await test.drop();
    },
  };
}

function event(user: string, n: number): CloudEvent {
  return makeCloudEvent('task.changed', 'test', {
    event_id: randomUUID(),
    timestamp: new Date().toISOString(),
    user_id: user,
    task_id: n,
    change: 'updated' as const,
    task: null,
  });
}

describe('outbox relay', () => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    ({ database, drop } = await openTestDatabase());
  });
  after(async () => drop());
  beforeEach(async () => {
    await database.query('DELETE FROM outbox');
    await database.query('DELETE FROM dead_letters');
  });

  test('a broker outage delays events with back-off, loses none, duplicates none, keeps per-user order', async () => {
    // Ahead of the database's clock, so the fake time alone decides what is due.
    const clock = new FakeClock(Date.now() + 365 * 86_400_000);
    const received: CloudEvent[] = [];
    const inner = new InProcessEventBus({ logger, onDeadLetter: async () => {} });
    const bus = new OutageBus(inner);
    bus.subscribe({ consumer: 'c', topic: Topics.taskUpdates, handle: async (e) => void received.push(e) });
    const relay = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), clock, maxBackoffMs: 1000 });

    const written: CloudEvent[] = [];
    for (let i = 0; i < 30; i++) {
      const e = event(i % 2 ? 'u1' : 'u2', i);
      written.push(e);
      await outboxRepo.enqueue(database.db, [{ topic: Topics.taskUpdates, partitionKey: i % 2 ? 'u1' : 'u2', event: e }]);
    }
    bus.down = true;
    // Each user's first event fails once; everything after it waits behind it.
    for (let i = 0; i < 3; i++) assert.equal(await relay.drain(), 0);
    assert.equal(bus.attempts, 2, 'one attempt per user, then back-off');
    clock.advance(249);
    assert.equal(await relay.drain(), 0);
    assert.equal(bus.attempts, 2, 'nothing retried before the back-off ends');
    clock.advance(1);
    // A drain stops at a failure; the next one reaches the other user's event.
    for (let i = 0; i < 3; i++) assert.equal(await relay.drain(), 0);
    assert.equal(bus.attempts, 4, 'retried once the back-off ended');
    assert.equal(received.length, 0, 'nothing delivered while down');
    assert.equal(await outboxRepo.pendingCount(database.db), 30);

    bus.down = false;
    clock.advance(1000);
    assert.equal(await relay.drain(), 30);
    assert.equal(received.length, 30, 'every event delivered');
    assert.equal(new Set(received.map((e) => e.id)).size, 30, 'none twice');
    for (const user of ['u1', 'u2']) {
      const order = (list: CloudEvent[]) => list.filter((e) => (e.data as { user_id: string }).user_id === user).map((e) => e.id);
      assert.deepEqual(order(received), order(written), `order kept for ${user}`);
    }
    assert.equal(await outboxRepo.pendingCount(database.db), 0);
  });

  test('a commit wakes the running relay at once; events from elsewhere wait for the poll', async () => {
    const clock = new FakeClock(Date.now() + 365 * 86_400_000);
    const received: string[] = [];
    const bus = new InProcessEventBus({ logger, onDeadLetter: async () => {} });
    bus.subscribe({ consumer: 'c', topic: Topics.taskUpdates, handle: async (e) => void received.push(e.id) });
    const relay = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), clock, pollMs: 60_000 });
    relay.start();
    try {
      const local = event('u1', 1);
      await outboxRepo.enqueue(database.db, [{ topic: Topics.taskUpdates, partitionKey: 'u1', event: local }]);
      relay.notify();
      await eventually(() => received.includes(local.id));
      // Asleep until the next poll.
      await eventually(() => clock.pendingTimers() > 0);
      // Written by another process: no notify here, so only the poll finds it.
      const remote = event('u1', 2);
      await outboxRepo.enqueue(database.db, [{ topic: Topics.taskUpdates, partitionKey: 'u1', event: remote }]);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(received.includes(remote.id), false, 'not before the poll');
      clock.advance(60_000);
      await eventually(() => received.includes(remote.id));
    } finally {
      await relay.stop();
    }
  });

  test('once publishing works again, events backing off after an outage go out with the next publish, not at the end of their back-off', async () => {
    const received: string[] = [];
    const bus = new OutageBus(new InProcessEventBus({ logger, onDeadLetter: async () => {} }));
    bus.subscribe({ consumer: 'c', topic: Topics.taskUpdates, handle: async (e) => void received.push(e.id) });
    // A back-off cap far beyond the test, as if the outage had lasted long: only the recovery rule helps.
    const relay = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), maxBackoffMs: 600_000 });
    const backlog = [1, 2, 3].map((n) => event('ann', n));
    await outboxRepo.enqueue(database.db, backlog.map((e) => ({ topic: Topics.taskUpdates, partitionKey: 'ann', event: e })));
    bus.down = true;
    for (let i = 0; i < 4; i++) {
      await relay.drain();
      await database.query('UPDATE outbox SET next_attempt_at = now() WHERE published_at IS NULL');
    }
    await relay.drain();
    const [waiting] = await database.query<{ attempts: number; wait_s: number }>(
      'SELECT attempts, extract(epoch FROM next_attempt_at - now())::float AS wait_s FROM outbox WHERE event_id = $1',
      [backlog[0]?.id],
    );
    assert.equal(waiting?.attempts, 5);
    assert.ok((waiting?.wait_s ?? 0) > 3, `backing off ${JSON.stringify(waiting)}`);
    assert.deepEqual(received, []);

    // The broker is back; another user's new event is the first publish that works.
    bus.down = false;
    const fresh = event('bob', 9);
    await outboxRepo.enqueue(database.db, [{ topic: Topics.taskUpdates, partitionKey: 'bob', event: fresh }]);
    await relay.drain();
    assert.deepEqual(received, [fresh.id, ...backlog.map((e) => e.id)], 'the backlog went out in the same drain, in order');
    assert.equal(await outboxRepo.pendingCount(database.db), 0);
  });

  test('a poison message is dead-lettered after bounded retries and the stream keeps flowing', async () => {
    const handled: string[] = [];
    const bus = new InProcessEventBus({
      logger,
      retryDelayMs: 1,
      maxAttempts: 3,
      onDeadLetter: async (d) =>
        eventsRepo.recordDeadLetter(database.db, { consumer: d.consumer, topic: d.topic, eventId: d.event.id, event: d.event, error: d.error, attempts: d.attempts }, new Date(), { firstDelayMs: 60_000, maxReplays: 3 }),
    });
    let tries = 0;
    bus.subscribe({
      consumer: 'picky',
      topic: Topics.taskUpdates,
      handle: async (e) => {
        if ((e.data as { task_id: number }).task_id === 2) {
          tries++;
          throw new Error('cannot handle task 2');
        }
        if ((e.data as { task_id: number }).task_id === 3) throw new PermanentEventError('malformed');
        handled.push(e.id);
      },
    });
    const events = [1, 2, 3, 4].map((n) => event('u1', n));
    await outboxRepo.enqueue(database.db, events.map((e) => ({ topic: Topics.taskUpdates, partitionKey: 'u1', event: e })));
    const relay = new OutboxRelay({ database, bus, logger, metrics: new Metrics() });
    await relay.drain();
    assert.deepEqual(handled, [events[0]?.id, events[3]?.id]);
    assert.equal(tries, 3, 'bounded retries');
    const dead = await eventsRepo.listDeadLetters(database.db, 'picky');
    assert.deepEqual(dead.map((d) => [d.eventId, d.attempts]).sort(), [
      [events[1]?.id, 3],
      [events[2]?.id, 1],
    ].sort());
    assert.equal(await outboxRepo.pendingCount(database.db), 0);
  });

  test('two relays on one outbox publish each event once (claims)', async () => {
    const seen: string[] = [];
    const bus = new InProcessEventBus({ logger, onDeadLetter: async () => {} });
    bus.subscribe({ consumer: 'c', topic: Topics.taskUpdates, handle: async (e) => void seen.push(e.id) });
    const events = Array.from({ length: 200 }, (_, i) => event(`u${i % 7}`, i));
    await outboxRepo.enqueue(database.db, events.map((e) => ({ topic: Topics.taskUpdates, partitionKey: (e.data as { user_id: string }).user_id, event: e })));
    const a = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), batchSize: 10 });
    const b = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), batchSize: 10 });
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    await a.drain();
    assert.equal(seen.length, 200);
    assert.equal(new Set(seen).size, 200);
  });

  test('housekeeping drops day-old published events and month-old processed records, keeps the rest', async () => {
    const old = event('u1', 1);
    const fresh = event('u1', 2);
    const pending = event('u1', 3);
    await outboxRepo.enqueue(database.db, [old, fresh, pending].map((e) => ({ topic: Topics.taskUpdates, partitionKey: 'u1', event: e })));
    await database.query(`UPDATE outbox SET published_at = now() - interval '2 days' WHERE event_id = $1`, [old.id]);
    await database.query(`UPDATE outbox SET published_at = now() - interval '1 hour' WHERE event_id = $1`, [fresh.id]);
    await database.query(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('c', 'ancient', now() - interval '40 days'), ('c', 'recent', now())`);
    // A bus that never accepts: the pending event must survive housekeeping.
    const bus = new OutageBus(new InProcessEventBus({ logger, onDeadLetter: async () => {} }));
    bus.down = true;
    const relay = new OutboxRelay({ database, bus, logger, metrics: new Metrics(), pollMs: 10 });
    relay.start();
    await new Promise((r) => setTimeout(r, 100));
    await relay.stop();
    const left = await database.query<{ event_id: string }>('SELECT event_id FROM outbox ORDER BY id');
    assert.deepEqual(left.map((r) => r.event_id), [fresh.id, pending.id]);
    const processed = await database.query<{ event_id: string }>("SELECT event_id FROM processed_events WHERE consumer = 'c'");
    assert.deepEqual(processed.map((r) => r.event_id), ['recent']);
  });
});
