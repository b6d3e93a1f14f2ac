import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Database, eventsRepo, migrate, openDatabase } from '@dueflow/db';
import { createTestDatabase } from '@dueflow/db/testing';
import { Metrics, registerDatabaseGauges } from '../src/index.ts';

let database: Database;
let drop: () => Promise<void>;
const now = new Date('2030-03-01T12:00:00Z');

before(async () => {
  const t = await createTestDatabase();
  database = await openDatabase(t.options);
  await migrate(database);
  drop = async () => {
    await database.close();
    await t.drop();
  };
});
after(() => drop());

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `${series} in:\n${text}`);
  return Number(line.split(' ')[1]);
};

test('dead letters are counted by state at scrape time: scheduled for a replay, then exhausted', async () => {
  const metrics = new Metrics();
  registerDatabaseGauges(metrics, database, { backlog: true, now: () => now });
  assert.equal(value(await metrics.registry.metrics(), 'dueflow_dead_letters{state="scheduled"}'), 0);

  const policy = { firstDelayMs: 60_000, maxReplays: 1 };
  const event = { id: 'e1', type: 'task.completed' };
  await eventsRepo.recordDeadLetter(database.db, { consumer: 'recurring', topic: 'task-events', eventId: 'e1', event, error: 'boom', attempts: 4 }, now, policy);
  await eventsRepo.recordDeadLetter(database.db, { consumer: 'audit', topic: 'task-events', eventId: 'e2', event, error: 'boom', attempts: 4 }, now, { firstDelayMs: 60_000, maxReplays: 0 });
  let text = await metrics.registry.metrics();
  assert.equal(value(text, 'dueflow_dead_letters{state="scheduled"}'), 1);
  assert.equal(value(text, 'dueflow_dead_letters{state="exhausted"}'), 1, 'no replays allowed: waits for an operator at once');

  // The automatic replay is taken (neither state while in flight), then fails again: exhausted.
  const later = new Date(now.getTime() + 61_000);
  const [claimed] = await eventsRepo.claimForReplay(database.db, later, { due: true, limit: 10 });
  assert.equal(claimed?.eventId, 'e1');
  text = await metrics.registry.metrics();
  assert.equal(value(text, 'dueflow_dead_letters{state="scheduled"}'), 0);
  assert.equal(value(text, 'dueflow_dead_letters{state="exhausted"}'), 1);
  await eventsRepo.recordDeadLetter(database.db, { consumer: 'recurring', topic: 'task-events', eventId: 'e1', event, error: 'boom again', attempts: 4 }, new Date(later.getTime() + 1000), policy);
  assert.equal(value(await metrics.registry.metrics(), 'dueflow_dead_letters{state="exhausted"}'), 2);
});

test('the oldest due reminder without a notification is reported by age; pool use only on PostgreSQL', async () => {
  const metrics = new Metrics();
  registerDatabaseGauges(metrics, database, { backlog: true, now: () => now });
  assert.equal(value(await metrics.registry.metrics(), 'dueflow_reminder_oldest_undelivered_seconds'), 0);
  const remindAt = new Date(now.getTime() - 90_000);
  const setAt = new Date(now.getTime() - 3600_000);
  await database.query(
    `INSERT INTO users (id, name, email, email_verified, created_at, updated_at) VALUES ('u1', 'U', 'u1@example.com', false, now(), now())`,
  );
  const [task] = await database.query<{ id: string }>(
    `INSERT INTO tasks (user_id, title, reminder_at, reminder_set_at) VALUES ('u1', 'Stuck', $1, $2) RETURNING id`,
    [remindAt.toISOString(), setAt.toISOString()],
  );
  assert.equal(value(await metrics.registry.metrics(), 'dueflow_reminder_oldest_undelivered_seconds'), 90);
  await database.query(`INSERT INTO notifications (user_id, task_id, title, remind_at, due_at) VALUES ('u1', $1, 'Stuck', $2, NULL)`, [task?.id, remindAt.toISOString()]);
  assert.equal(value(await metrics.registry.metrics(), 'dueflow_reminder_oldest_undelivered_seconds'), 0, 'delivered');

  const text = await metrics.registry.metrics();
  if (database.kind === 'postgres') {
    assert.ok(value(text, 'dueflow_db_pool_max_connections') > 0);
    assert.ok(value(text, 'dueflow_db_pool_connections{state="idle"}') >= 0);
  } else {
    assert.ok(!text.includes('dueflow_db_pool_'), 'the embedded database has no pool');
  }
});
