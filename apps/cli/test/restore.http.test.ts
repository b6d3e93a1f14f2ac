import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeClock } from '@dueflow/runtime/testing';
import { type Client, type ErrorJson, eventually, needsOwnSystem, remoteUrl, signUp, startSystem, type TaskJson } from './harness.ts';

describe('undo a delete: the task comes back with its id', () => {
  const clock = new FakeClock('2026-02-04T15:00:00.000Z');
  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  before(async () => {
    // Through a public URL the server keeps its own time: the tests that move the clock are skipped there.
    ts = await startSystem({}, remoteUrl ? {} : { clock });
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    bob = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('same id, fields and series; version moves on; history continues', async () => {
    const created = await ann.post<TaskJson>('/api/v1/tasks', {
      title: 'Water the plants',
      description: 'balcony too',
      priority: 'high',
      tags: ['home'],
      due_date: '2031-06-02T09:00',
      remind_before_minutes: 30,
      recurrence: { pattern: 'weekly', by_weekday: ['MO', 'TH'] },
    });
    const id = created.body.id;
    assert.equal((await ann.delete(`/api/v1/tasks/${id}`)).status, 204);
    assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 404);

    const restored = await ann.post<TaskJson>(`/api/v1/tasks/${id}/restore`);
    assert.equal(restored.status, 200);
    const { version, updated_at: _u, ...fields } = restored.body;
    const { version: oldVersion, updated_at: _o, ...oldFields } = created.body;
    assert.deepEqual(fields, oldFields);
    assert.equal(version, oldVersion + 1);
    assert.deepEqual((await ann.get<TaskJson>(`/api/v1/tasks/${id}`)).body, restored.body);

    await ts.system.relay.drain();
    const history = await eventually(async () => {
      const res = await ann.get<{ items: { event_type: string }[] }>(`/api/v1/activity?task_id=${id}`);
      return res.body.items.length === 3 ? res.body.items.map((i) => i.event_type) : undefined;
    });
    assert.deepEqual(history, ['task.created', 'task.deleted', 'task.created']);
  });

  test('its reminder is scheduled again and arrives once', { skip: needsOwnSystem }, async () => {
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Call back', reminder_at: later(3000) });
    await ann.delete(`/api/v1/tasks/${task.body.id}`);
    await ts.system.relay.drain();
    assert.equal(ts.system.scheduler?.pendingAt(`reminder-${task.body.id}`), null, 'a deleted task has no reminder');
    assert.equal((await ann.post(`/api/v1/tasks/${task.body.id}/restore`)).status, 200);
    await ts.system.relay.drain();
    assert.equal(ts.system.scheduler?.pendingAt(`reminder-${task.body.id}`)?.toISOString(), task.body.reminder_at, 'scheduled again');
    clock.advance(3000);
    const delivered = await eventually(async () => {
      const res = await ann.get<{ notifications: { task_id: number }[] }>('/api/v1/notifications');
      const mine = res.body.notifications.filter((n) => n.task_id === task.body.id);
      return mine.length > 0 ? mine : undefined;
    });
    assert.equal(delivered.length, 1);
    clock.advance(2000);
    await ts.system.notifications?.sweep();
    await ts.system.relay.drain();
    const again = await ann.get<{ notifications: { task_id: number }[] }>('/api/v1/notifications');
    assert.equal(again.body.notifications.filter((n) => n.task_id === task.body.id).length, 1, 'once');
  });

  test('only a deleted task of the caller can be restored, once', async () => {
    const kept = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Still here' });
    const notDeleted = await ann.post<ErrorJson>(`/api/v1/tasks/${kept.body.id}/restore`);
    assert.equal(notDeleted.status, 404);
    assert.equal(notDeleted.body.error.code, 'DELETED_TASK_NOT_FOUND');

    const gone = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Private' });
    await ann.delete(`/api/v1/tasks/${gone.body.id}`);
    assert.equal((await bob.post(`/api/v1/tasks/${gone.body.id}/restore`)).status, 404);
    assert.equal((await ann.post(`/api/v1/tasks/${gone.body.id}/restore`)).status, 200);
    assert.equal((await ann.post(`/api/v1/tasks/${gone.body.id}/restore`)).status, 404);
    assert.equal((await bob.get(`/api/v1/tasks/${gone.body.id}`)).status, 404);
    assert.equal((await ann.post('/api/v1/tasks/abc/restore')).status, 400);
  });

  test('after the keeping period a deleted task is gone for good', { skip: needsOwnSystem }, async () => {
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Old news' });
    await ann.delete(`/api/v1/tasks/${task.body.id}`);
    const recent = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Yesterday' });
    clock.advance(29 * 86_400_000);
    await ann.delete(`/api/v1/tasks/${recent.body.id}`);
    clock.advance(86_400_000);
    assert.deepEqual(await ts.system.maintenance?.run(), { purgedDeletedTasks: 0 }, 'thirty days are kept');
    clock.advance(1000);
    assert.deepEqual(await ts.system.maintenance?.run(), { purgedDeletedTasks: 1 });
    assert.equal((await ann.post(`/api/v1/tasks/${task.body.id}/restore`)).status, 404);
    assert.equal((await ann.post(`/api/v1/tasks/${recent.body.id}/restore`)).status, 200, 'a later delete is still kept');
  });
});
