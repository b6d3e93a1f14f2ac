import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, createTestDatabase, eventually, inMs, LiveSocket, onPostgres, signUp, startSystem, type TaskJson } from './harness.ts';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reminders', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('a reminder a few seconds ahead arrives on the websocket and in /notifications on time, once', async () => {
    const live = await LiveSocket.open(ann);
    const remindAt = inMs(2000);
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Leave for the train', due_date: inMs(600_000), reminder_at: remindAt });
    assert.equal(task.status, 201);
    const msg = await eventually(async () => live.of('notification.created')[0], 6000);
    const receivedAt = Date.now();
    const n = msg['notification'] as NotificationJson;
    assert.equal(n.task_id, task.body.id);
    assert.equal(n.remind_at, remindAt);
    assert.equal(n.title, 'Leave for the train');
    const lateness = receivedAt - Date.parse(remindAt);
    assert.ok(lateness >= 0, `not early (${lateness} ms)`);
    assert.ok(lateness < 1500, `on time (${lateness} ms late)`);

    const list = await ann.get<NotificationList>('/api/v1/notifications');
    assert.equal(list.body.notifications.filter((x) => x.task_id === task.body.id).length, 1);
    assert.equal(list.body.unread, 1);

    // A sweep (every second in tests) and a second fire must not deliver it again.
    await sleep(2200);
    await ts.system.notifications?.sweep();
    await ts.system.relay.drain();
    assert.equal(live.of('notification.created').length, 1);
    assert.equal((await ann.get<NotificationList>('/api/v1/notifications')).body.notifications.length, 1);

    const read = await ann.patch<NotificationJson>(`/api/v1/notifications/${n.id}`, { read: true });
    assert.equal(read.body.read, true);
    assert.equal((await ann.get<NotificationList>('/api/v1/notifications')).body.unread, 0);
    live.close();
  });

  test('an offset reminder follows its due date; completion or deletion cancels it', async () => {
    const moved = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Moved', due_date: inMs(61_500), remind_before_minutes: 1 });
    // Scheduling follows the task event, which the relay delivers after the response.
    await eventually(async () => (ts.system.scheduler?.pending().includes(`reminder-${moved.body.id}`) ? true : undefined));
    const res = await ann.patch<TaskJson>(`/api/v1/tasks/${moved.body.id}/due-date`, { due_date: inMs(3_600_000) });
    assert.equal(res.body.reminder_at, new Date(Date.parse(res.body.due_date ?? '') - 60_000).toISOString());

    const completed = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Done early', reminder_at: inMs(1500) });
    const deleted = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Dropped', reminder_at: inMs(1500) });
    await ann.patch(`/api/v1/tasks/${completed.body.id}/complete`);
    await ann.delete(`/api/v1/tasks/${deleted.body.id}`);
    await ts.system.relay.drain();
    assert.equal(ts.system.scheduler?.pending().includes(`reminder-${completed.body.id}`), false);
    await sleep(2500);
    await ts.system.notifications?.sweep();
    await ts.system.relay.drain();
    const ids = (await ann.get<NotificationList>('/api/v1/notifications')).body.notifications.map((x) => x.task_id);
    assert.equal(ids.includes(moved.body.id), false, 'moved reminder did not fire at the old time');
    assert.equal(ids.includes(completed.body.id), false);
    assert.equal(ids.includes(deleted.body.id), false);
  });

  test('another user gets none of it', async () => {
    const bob = await signUp(ts.url);
    const live = await LiveSocket.open(bob);
    await ann.post<TaskJson>('/api/v1/tasks', { title: 'Ann only', reminder_at: inMs(1200) });
    await sleep(2500);
    assert.equal(live.of('notification.created').length, 0);
    assert.equal(live.of('task.changed').length, 0);
    assert.equal((await bob.get<NotificationList>('/api/v1/notifications')).body.notifications.length, 0);
    live.close();
  });
});

describe('reminders across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dueflow-restart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a reminder due while stopped is delivered once at start; one still ahead fires on time', async () => {
    const db = await createTestDatabase({ pgliteDir: join(dir, 'db') });
    const first = await startSystem({}, { db, keepDb: true });
    const ann = await signUp(first.url);
    const missed = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Missed while down', reminder_at: inMs(1500) });
    const ahead = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Still ahead', reminder_at: inMs(5000) });
    await first.stop();
    await sleep(2000);

    const second = await startSystem({}, { db, keepDb: !onPostgres });
    try {
      const again = new Client(second.url, ann.token, ann.userId);
      const live = await LiveSocket.open(again);
      const list = await eventually(async () => {
        const r = await again.get<NotificationList>('/api/v1/notifications');
        return r.body.notifications.some((n) => n.task_id === missed.body.id) ? r.body : undefined;
      });
      assert.equal(list.notifications.filter((n) => n.task_id === missed.body.id).length, 1);
      const msg = await eventually(async () => live.of('notification.created').find((m) => (m['notification'] as NotificationJson).task_id === ahead.body.id), 8000);
      const lateness = Date.now() - Date.parse(ahead.body.reminder_at ?? '');
      assert.ok(msg);
      assert.ok(lateness >= 0 && lateness < 1500, `on time after restart (${lateness} ms)`);
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
