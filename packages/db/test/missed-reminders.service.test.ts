import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Database, migrate, openDatabase, tasksRepo } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/test-database.ts';

let db: TestDatabase;
let database: Database;
before(async () => {
  db = await createTestDatabase();
  database = await openDatabase(db.options);
  await migrate(database);
  await database.query(`INSERT INTO users (id, name, email) VALUES ('u1', 'U', 'u1@example.com')`);
});
after(async () => {
  await database.close();
  await db.drop();
});

const base = { userId: 'u1', description: '', priority: 'medium' as const, tags: [], dueDate: null, remindBeforeMinutes: null, recurrence: null };

test('a reminder missed while down is found even if the task was edited after its time', async () => {
  const t0 = Date.now();
  const remindAt = new Date(t0 + 2_000);
  const task = await tasksRepo.insertTask(database.db, { ...base, title: 'missed', reminderAt: remindAt }, new Date(t0));
  // Later, after the reminder time, the title changes (nothing was running to fire the reminder).
  await tasksRepo.updateTask(database.db, 'u1', task.id, { title: 'renamed' }, new Date(t0 + 60_000));
  const found = await tasksRepo.missedReminders(database.db, new Date(t0 - 3_600_000), new Date(t0 + 120_000));
  assert.deepEqual(found.map((t) => t.id), [task.id]);
});

test('a reminder set when its time had already passed is not a missed one', async () => {
  const t0 = Date.now();
  const task = await tasksRepo.insertTask(database.db, { ...base, title: 'set late', reminderAt: null }, new Date(t0));
  // Set at t0 + 60 s to a time at t0 + 10 s: it was never ahead.
  await tasksRepo.updateTask(database.db, 'u1', task.id, { reminderAt: new Date(t0 + 10_000) }, new Date(t0 + 60_000));
  const found = await tasksRepo.missedReminders(database.db, new Date(t0 - 3_600_000), new Date(t0 + 120_000));
  assert.equal(found.some((t) => t.id === task.id), false);
  // Moved ahead again (set at t0 + 60 s to t0 + 90 s): missed once that passes.
  await tasksRepo.updateTask(database.db, 'u1', task.id, { reminderAt: new Date(t0 + 90_000) }, new Date(t0 + 60_000));
  const later = await tasksRepo.missedReminders(database.db, new Date(t0 - 3_600_000), new Date(t0 + 120_000));
  assert.equal(later.some((t) => t.id === task.id), true);
});
