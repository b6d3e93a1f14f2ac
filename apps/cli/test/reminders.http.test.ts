// Reminders on a fake clock: the test moves time itself, so "fires at its instant, not before, once"
// is checked exactly and does not depend on how fast or loaded the machine is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '@dueflow/runtime/testing';
import { Client, createTestDatabase, eventually, LiveSocket, onPostgres, signUp, startSystem, type TaskJson } from './harness.ts';

interface NotificationJson {
  id: number;
  task_id: number;
  title: string;
  due_at: string | null;
  remind_at: string;
  delivered_at: string;
  read: boolean;
}
interface NotificationList {
  notifications: NotificationJson[];
  unread: number;
}

/** A Wednesday afternoon, on a whole second. */
const START = '2026-02-04T15:00:00.000Z';
const later = (clock: FakeClock, ms: number) => new Date(clock.now().getTime() + ms).toISOString();
const jobOf = (taskId: number) => `reminder-${taskId}`;

describe('reminders', () => {
  const clock = new FakeClock(START);
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    ts = await startSystem({}, { clock });
    ann = await signUp(ts.url);
  });
  after(async () => ts.stop());

  /** Everything written so far is published and handled (the in-process bus delivers before it returns). */
  const settle = () => ts.system.relay.drain();

  test('a reminder arrives on the websocket and in /notifications at its instant, not before, once', async () => {
    const live = await LiveSocket.open(ann);
    const remindAt = later(clock, 2000);
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Leave for the train', due_date: later(clock, 600_000), reminder_at: remindAt });
    assert.equal(task.status, 201);
    await settle();
    assert.equal(ts.system.scheduler?.pendingAt(jobOf(task.body.id))?.toISOString(), remindAt, 'scheduled for its reminder time');

    clock.advance(1999);
    await settle();
    assert.equal(live.of('notification.created').length, 0, 'not early');
    assert.equal((await ann.get<NotificationList>('/api/v1/notifications')).body.notifications.length, 0);

    clock.advance(1);
    const msg = await eventually(async () => live.of('notification.created')[0]);
    const n = msg['notification'] as NotificationJson;
    assert.equal(n.task_id, task.body.id);
    assert.equal(n.title, 'Leave for the train');
    assert.equal(n.remind_at, remindAt);
    assert.equal(n.delivered_at, remindAt, 'delivered at the reminder instant');

    const list = await ann.get<NotificationList>('/api/v1/notifications');
    assert.equal(list.body.notifications.filter((x) => x.task_id === task.body.id).length, 1);
    assert.equal(list.body.unread, 1);

    // Sweeps (every second here) and a second fire must not deliver it again.
    clock.advance(2000);
    await ts.system.notifications?.sweep();
    await settle();
    assert.equal(live.of('notification.created').length, 1);
    assert.equal((await ann.get<NotificationList>('/api/v1/notifications')).body.notifications.length, 1);

    const read = await ann.patch<NotificationJson>(`/api/v1/notifications/${n.id}`, { read: true });
    assert.equal(read.body.read, true);
    assert.equal((await ann.get<NotificationList>('/api/v1/notifications')).body.unread, 0);
    live.close();
  });

  test('reminder_at keeps its milliseconds, and a reminder is never delivered before it', async () => {
    const second = Math.ceil((clock.now().getTime() + 1500) / 1000) * 1000;
    const times = [100, 500, 900].map((ms) => new Date(second + ms).toISOString());
    const made: TaskJson[] = [];
    for (const at of times) made.push((await ann.post<TaskJson>('/api/v1/tasks', { title: `At ${at}`, reminder_at: at })).body);
    assert.deepEqual(made.map((t) => t.reminder_at), times, 'stored and returned to the millisecond');
    const micro = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Micro', reminder_at: new Date(second + 60_000).toISOString().replace('Z', '001Z') });
    assert.equal(micro.body.reminder_at, new Date(second + 60_001).toISOString(), 'a finer fraction rounds up');
    await ann.delete(`/api/v1/tasks/${micro.body.id}`);
    await settle();
    const ours = async () => (await ann.get<NotificationList>('/api/v1/notifications')).body.notifications.filter((n) => made.some((t) => t.id === n.task_id));
    for (const [i, at] of times.entries()) {
      clock.advance(Date.parse(at) - 1 - clock.now().getTime());
      await settle();
      assert.equal((await ours()).length, i, `nothing more a millisecond before ${at}`);
      clock.advance(1);
      const list = await eventually(async () => {
        const l = await ours();
        return l.length === i + 1 ? l : undefined;
      });
      const n = list.find((x) => x.task_id === made[i]?.id);
      assert.equal(n?.remind_at, at);
      assert.equal(n?.delivered_at, at, 'delivered at its millisecond');
    }
    // Back on a whole second for the tests after this one (due dates are whole seconds).
    clock.advance(Math.ceil(clock.now().getTime() / 1000) * 1000 - clock.now().getTime());
  });

  test('an offset reminder follows its due date; completion or deletion cancels it', async () => {
    const moved = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Moved', due_date: later(clock, 61_000), remind_before_minutes: 1 });
    await settle();
    assert.equal(ts.system.scheduler?.pendingAt(jobOf(moved.body.id))?.toISOString(), later(clock, 1000));
    const res = await ann.patch<TaskJson>(`/api/v1/tasks/${moved.body.id}/due-date`, { due_date: later(clock, 3_600_000) });
    const newReminder = new Date(Date.parse(res.body.due_date ?? '') - 60_000).toISOString();
    assert.equal(res.body.reminder_at, newReminder);
    await settle();
    assert.equal(ts.system.scheduler?.pendingAt(jobOf(moved.body.id))?.toISOString(), newReminder, 'rescheduled with its due date');

    const completed = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Done early', reminder_at: later(clock, 2000) });
    const deleted = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Dropped', reminder_at: later(clock, 2000) });
    await settle();
    assert.ok(ts.system.scheduler?.pendingAt(jobOf(completed.body.id)));
    assert.ok(ts.system.scheduler?.pendingAt(jobOf(deleted.body.id)));
    await ann.patch(`/api/v1/tasks/${completed.body.id}/complete`);
    await ann.delete(`/api/v1/tasks/${deleted.body.id}`);
    await settle();
    assert.equal(ts.system.scheduler?.pendingAt(jobOf(completed.body.id)), null);
    assert.equal(ts.system.scheduler?.pendingAt(jobOf(deleted.body.id)), null);

    clock.advance(3000);
    await ts.system.notifications?.sweep();
    await settle();
    const ids = (await ann.get<NotificationList>('/api/v1/notifications')).body.notifications.map((x) => x.task_id);
    assert.equal(ids.includes(moved.body.id), false, 'moved reminder did not fire at the old time');
    assert.equal(ids.includes(completed.body.id), false);
    assert.equal(ids.includes(deleted.body.id), false);
  });

  test('another user gets none of it', async () => {
    const bob = await signUp(ts.url);
    const bobLive = await LiveSocket.open(bob);
    const annLive = await LiveSocket.open(ann);
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Ann only', reminder_at: later(clock, 1000) });
    await settle();
    clock.advance(1000);
    // Once Ann has hers, everything Bob could have been sent has been sent.
    await eventually(async () => annLive.of('notification.created').find((m) => (m['notification'] as NotificationJson).task_id === task.body.id));
    await settle();
    assert.equal(bobLive.of('notification.created').length, 0);
    assert.equal(bobLive.of('task.changed').length, 0);
    assert.equal((await bob.get<NotificationList>('/api/v1/notifications')).body.notifications.length, 0);
    bobLive.close();
    annLive.close();
  });
});

describe('reminders across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dueflow-restart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a reminder due while stopped is delivered once at start; one still ahead fires at its instant', async () => {
    const clock = new FakeClock(START);
    const db = await createTestDatabase({ pgliteDir: join(dir, 'db') });
    const first = await startSystem({}, { db, keepDb: true, clock });
    const ann = await signUp(first.url);
    const missed = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Missed while down', reminder_at: later(clock, 1000) });
    const ahead = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Still ahead', reminder_at: later(clock, 5000) });
    await first.system.relay.drain();
    await first.stop();
    // Time passes while nothing runs: the first reminder's moment goes by.
    clock.advance(2000);

    const second = await startSystem({}, { db, keepDb: !onPostgres, clock });
    try {
      const again = new Client(second.url, ann.token, ann.userId);
      const live = await LiveSocket.open(again);
      const caughtUp = await eventually(async () => {
        const r = await again.get<NotificationList>('/api/v1/notifications');
        return r.body.notifications.find((n) => n.task_id === missed.body.id);
      });
      assert.equal(caughtUp.remind_at, missed.body.reminder_at);
      assert.equal(caughtUp.delivered_at, clock.now().toISOString(), 'delivered at start');
      const aheadAt = ahead.body.reminder_at ?? '';
      assert.equal(second.system.scheduler?.pendingAt(jobOf(ahead.body.id))?.toISOString(), aheadAt, 'reloaded at start');

      clock.advanceTo(Date.parse(aheadAt) - 1);
      await second.system.relay.drain();
      assert.equal(live.of('notification.created').filter((m) => (m['notification'] as NotificationJson).task_id === ahead.body.id).length, 0, 'not early');
      clock.advance(1);
      const msg = await eventually(async () => live.of('notification.created').find((m) => (m['notification'] as NotificationJson).task_id === ahead.body.id));
      assert.equal((msg['notification'] as NotificationJson).delivered_at, aheadAt, 'on time after a restart');

      await second.system.notifications?.sweep();
      await second.system.relay.drain();
      const final = await again.get<NotificationList>('/api/v1/notifications');
      assert.equal(final.body.notifications.length, 2, 'each reminder exactly once');
      live.close();
    } finally {
      await second.stop();
    }
  });
});
