import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../lib/api.ts';
import { loadQueue, queueEntry, remapClientId, replayQueue, type ReplayApi, storeQueue } from '../lib/offline-queue.ts';
import { formFromTask } from '../lib/task-form.ts';
import type { PatchTaskInput, Task } from '../lib/types.ts';

const tz = 'Europe/Berlin';

/** A small in-memory stand-in for the task API: versions, 409 on a stale one, 404, and going offline. */
function fakeApi() {
  const tasks = new Map<number, Task>();
  let nextId = 100;
  const state = { offlineAfter: Infinity, calls: 0 };
  const call = () => {
    state.calls += 1;
    if (state.calls > state.offlineAfter) throw new ApiError(0, 'NETWORK', 'offline');
  };
  const make = (title: string, extra: Partial<Task> = {}): Task => {
    const t: Task = {
      id: nextId++, title, description: '', completed: false, completed_at: null, priority: 'medium', tags: [], due_date: null, reminder_at: null,
      remind_before_minutes: null, recurring: null, recurrence: null, recurring_parent_id: null, version: 1, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', ...extra,
    };
    tasks.set(t.id, t);
    return t;
  };
  const api: ReplayApi = {
    async createTask(input) {
      call();
      return make(input.title, { tags: input.tags ?? [] });
    },
    async setCompleted(id, completed) {
      call();
      const t = tasks.get(id);
      if (!t) throw new ApiError(404, 'TASK_NOT_FOUND', 'gone');
      const next = { ...t, completed, version: t.version + 1 };
      tasks.set(id, next);
      return next;
    },
    async deleteTask(id) {
      call();
      if (!tasks.delete(id)) throw new ApiError(404, 'TASK_NOT_FOUND', 'gone');
    },
    async getTask(id) {
      call();
      const t = tasks.get(id);
      if (!t) throw new ApiError(404, 'TASK_NOT_FOUND', 'gone');
      return t;
    },
    async patchTask(id, patch: PatchTaskInput) {
      call();
      const t = tasks.get(id);
      if (!t) throw new ApiError(404, 'TASK_NOT_FOUND', 'gone');
      if (patch.version !== undefined && patch.version !== t.version) throw new ApiError(409, 'VERSION_CONFLICT', 'changed');
      const next: Task = { ...t, version: t.version + 1 };
      if (patch.title !== undefined) next.title = patch.title;
      if (patch.priority !== undefined) next.priority = patch.priority;
      tasks.set(id, next);
      return next;
    },
  };
  return { api, tasks, make, state };
}

test('kept per user in storage, in order', () => {
  const data = new Map<string, string>();
  const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), removeItem: (k: string) => void data.delete(k) };
  const a = queueEntry({ kind: 'delete', taskId: 1, title: 'A' });
  const b = queueEntry({ kind: 'complete', taskId: 2, title: 'B', completed: true });
  storeQueue(storage, 'u1', [a, b]);
  assert.deepEqual(loadQueue(storage, 'u1'), [a, b]);
  assert.deepEqual(loadQueue(storage, 'u2'), []);
  storeQueue(storage, 'u1', []);
  assert.equal(data.size, 0);
});

test('replay: creates first get their ids, later changes to them follow; other fields changed elsewhere survive', async () => {
  const { api, tasks, make } = fakeApi();
  const rent = make('Pay rent');
  const base = { ...rent };
  // Meanwhile, elsewhere: the priority changed (version 2).
  tasks.set(rent.id, { ...rent, priority: 'high', version: 2 });
  const entries = [
    queueEntry({ kind: 'create', clientId: -5, input: { title: 'Offline', tags: ['later'] } }),
    queueEntry({ kind: 'complete', taskId: -5, title: 'Offline', completed: true }),
    queueEntry({ kind: 'save', taskId: rent.id, base, baseValues: formFromTask(base, tz), values: { ...formFromTask(base, tz), title: 'Pay the rent' } }),
  ];
  const result = await replayQueue(entries, api, tz);
  assert.equal(result.applied, 3);
  assert.deepEqual(result.remaining, []);
  const created = result.created.get(-5);
  assert.ok(created);
  assert.equal(tasks.get(created.id)?.completed, true, 'the completion reached the task made from the draft');
  assert.deepEqual([tasks.get(rent.id)?.title, tasks.get(rent.id)?.priority], ['Pay the rent', 'high']);
  assert.deepEqual(result.notes, []);
});

test('replay: a field changed on both sides keeps the other change and says so', async () => {
  const { api, tasks, make } = fakeApi();
  const rent = make('Pay rent');
  tasks.set(rent.id, { ...rent, title: 'Rent (elsewhere)', version: 2 });
  const values = { ...formFromTask(rent, tz), title: 'Rent (offline)', priority: 'low' as const };
  const result = await replayQueue([queueEntry({ kind: 'save', taskId: rent.id, base: rent, baseValues: formFromTask(rent, tz), values })], api, tz);
  assert.deepEqual([tasks.get(rent.id)?.title, tasks.get(rent.id)?.priority], ['Rent (elsewhere)', 'low'], 'the title stays, the priority is sent');
  assert.match(result.notes[0] ?? '', /Title was changed elsewhere too/);
});

test('replay stops when the connection fails again and keeps the rest; a refused change is dropped with a note', async () => {
  const { api, make, state } = fakeApi();
  const a = make('A');
  state.offlineAfter = 1;
  const entries = [queueEntry({ kind: 'delete', taskId: 999, title: 'Gone' }), queueEntry({ kind: 'complete', taskId: a.id, title: 'A', completed: true }), queueEntry({ kind: 'delete', taskId: a.id, title: 'A' })];
  const result = await replayQueue(entries, api, tz);
  assert.equal(result.applied, 1, 'the delete of a task already gone counts as done');
  assert.deepEqual(result.remaining.map((e) => e.id), entries.slice(1).map((e) => e.id));
  assert.deepEqual(remapClientId(entries, 999, 5)[0]?.change, { kind: 'delete', taskId: 5, title: 'Gone' });
});
