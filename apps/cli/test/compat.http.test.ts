// The original hackathon contract: /api/{user_id}/tasks[...] behaves like /api/v1 for the caller's own id.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, type ErrorJson, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

describe('compatibility routes /api/{user_id}/tasks', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  let base: string;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    bob = await signUp(ts.url);
    base = `/api/${ann.userId}/tasks`;
  });
  after(async () => ts.stop());

  test('list returns a bare array of the same tasks, with the same filters', async () => {
    const a = (await ann.post<TaskJson>(base, { title: 'Alpha', priority: 'high', tags: ['x'] })).body;
    const b = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Beta', priority: 'low' })).body;
    await bob.post('/api/v1/tasks', { title: "Bob's" });
    const list = await ann.get<TaskJson[]>(base);
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.body), JSON.stringify(list.body));
    const v1 = await ann.get<TaskListJson>('/api/v1/tasks');
    assert.deepEqual(list.body, v1.body.tasks);
    assert.deepEqual(new Set(list.body.map((t) => t.id)), new Set([a.id, b.id]));

    const sorted = await ann.get<TaskJson[]>(`${base}?sort=title&order=desc`);
    assert.deepEqual(sorted.body.map((t) => t.title), ['Beta', 'Alpha']);
    const high = await ann.get<TaskJson[]>(`${base}?priority=high`);
    assert.deepEqual(high.body.map((t) => t.id), [a.id]);
    const tagged = await ann.get<TaskJson[]>(`${base}?tags=x&status=pending`);
    assert.deepEqual(tagged.body.map((t) => t.id), [a.id]);
    const bad = await ann.get<ErrorJson>(`${base}?sort=colour`);
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.body.error.code, 'string');
    for (const t of [a, b]) assert.equal((await ann.delete(`${base}/${t.id}`)).status, 204);
  });

  test('create, get, put, patch, delete behave like /api/v1', async () => {
    const created = await ann.post<TaskJson>(base, { title: 'Compat', description: 'd', tags: ['#Old School'], due_date: '2030-02-01T09:00', remind_before_minutes: 5 });
    assert.equal(created.status, 201);
    assert.equal(created.body.due_date, '2030-02-01T08:00:00.000Z');
    assert.deepEqual(created.body.tags, ['old-school']);
    const id = created.body.id;
    assert.deepEqual((await ann.get<TaskJson>(`/api/v1/tasks/${id}`)).body, created.body);
    const got = await ann.get<TaskJson>(`${base}/${id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created.body);

    const patched = await ann.patch<TaskJson>(`${base}/${id}`, { title: 'Compat 2', version: 1 });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.title, 'Compat 2');
    assert.equal(patched.body.description, 'd');
    assert.equal(patched.body.version, 2);
    const stale = await ann.patch<ErrorJson>(`${base}/${id}`, { title: 'stale', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'VERSION_CONFLICT');

    const put = await ann.put<TaskJson>(`${base}/${id}`, { title: 'Replaced' });
    assert.equal(put.status, 200);
    assert.equal(put.body.title, 'Replaced');
    assert.equal(put.body.description, '');
    assert.equal(put.body.due_date, null);
    assert.deepEqual(put.body.tags, []);
    assert.deepEqual((await ann.get<TaskJson>(`/api/v1/tasks/${id}`)).body, put.body);

    const invalid = await ann.patch<ErrorJson>(`${base}/${id}`, { title: '' });
    assert.equal(invalid.status, 400);
    const noSuch = await ann.get<ErrorJson>(`${base}/987654`);
    assert.equal(noSuch.status, 404);
    assert.equal(noSuch.body.error.code, 'TASK_NOT_FOUND');

    const del = await ann.delete(`${base}/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 404);
    assert.equal((await ann.get(`${base}/${id}`)).status, 404);
  });

  test('per-field routes and recurring creation', async () => {
    const t = (await ann.post<TaskJson>(base, { title: 'Fields' })).body;
    const done = await ann.patch<TaskJson>(`${base}/${t.id}/complete`);
    assert.equal(done.status, 200);
    assert.equal(done.body.completed, true);
    assert.ok(done.body.completed_at);
    const undone = await ann.patch<TaskJson>(`${base}/${t.id}/complete`, {});
    assert.equal(undone.body.completed, false);
    assert.equal(undone.body.completed_at, null);
    const set = await ann.patch<TaskJson>(`${base}/${t.id}/complete`, { completed: true });
    assert.equal(set.body.completed, true);
    const again = await ann.patch<TaskJson>(`${base}/${t.id}/complete`, { completed: true });
    assert.deepEqual(again.body, set.body);

    const prio = await ann.patch<TaskJson>(`${base}/${t.id}/priority`, { priority: 'high' });
    assert.equal(prio.status, 200);
    assert.equal(prio.body.priority, 'high');
    const tags = await ann.patch<TaskJson>(`${base}/${t.id}/tags`, { tags: ['A', 'b'] });
    assert.deepEqual(tags.body.tags, ['a', 'b']);
    const edit = await ann.patch<TaskJson>(`${base}/${t.id}/tags`, { add: ['C'], remove: ['a'] });
    assert.deepEqual(edit.body.tags, ['b', 'c']);
    const due = await ann.patch<TaskJson>(`${base}/${t.id}/due-date`, { due_date: '2030-02-01T09:00', remind_before_minutes: 30 });
    assert.equal(due.status, 200);
    assert.equal(due.body.due_date, '2030-02-01T08:00:00.000Z');
    assert.equal(due.body.reminder_at, '2030-02-01T07:30:00.000Z');
    const cleared = await ann.patch<TaskJson>(`${base}/${t.id}/due-date`, { due_date: null });
    assert.equal(cleared.body.due_date, null);
    assert.deepEqual((await ann.get<TaskJson>(`/api/v1/tasks/${t.id}`)).body, cleared.body);

    const rec = await ann.post<TaskJson>(`${base}/recurring`, { title: 'Daily', pattern: 'daily', interval: 2, due_date: '2030-02-01T07:00' });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    assert.equal(rec.body.recurring, 'daily');
    assert.equal(rec.body.recurrence?.['rrule'], 'FREQ=DAILY;INTERVAL=2');
    const bad = await ann.post<ErrorJson>(`${base}/recurring`, { title: 'x', pattern: 'hourly' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'INVALID_RECURRENCE');
  });

  test("another user's id is 403 FORBIDDEN on every route and nothing changes", async () => {
    const mine = (await ann.post<TaskJson>(base, { title: 'Mine', tags: ['keep'] })).body;
    const bobs = (await bob.post<TaskJson>('/api/v1/tasks', { title: "Bob's own" })).body;
    const snapshot = async () => ({
      ann: (await ann.get<TaskListJson>('/api/v1/tasks?limit=200')).body,
      bob: (await bob.get<TaskListJson>('/api/v1/tasks?limit=200')).body,
    });
    const before = await snapshot();
    for (const id of [mine.id, bobs.id]) {
      for (const [method, path, body] of [
        ['GET', base, undefined],
        ['GET', `${base}?sort=colour`, undefined],
        ['POST', base, { title: 'planted' }],
        ['POST', base, { title: '' }],
        ['POST', base, '{broken json'],
        ['POST', `${base}/recurring`, { title: 'planted', pattern: 'daily' }],
        ['GET', `${base}/${id}`, undefined],
        ['GET', `${base}/not-a-number`, undefined],
        ['PUT', `${base}/${id}`, { title: 'hijacked' }],
        ['PATCH', `${base}/${id}`, { title: 'hijacked' }],
        ['PATCH', `${base}/${id}`, { unknown: true }],
        ['DELETE', `${base}/${id}`, undefined],
        ['PATCH', `${base}/${id}/complete`, undefined],
        ['PATCH', `${base}/${id}/complete`, { completed: true }],
        ['PATCH', `${base}/${id}/priority`, { priority: 'low' }],
        ['PATCH', `${base}/${id}/tags`, { tags: [] }],
        ['PATCH', `${base}/${id}/due-date`, { due_date: '2030-01-01' }],
      ] as const) {
        const res = await bob.request<ErrorJson>(method, path, body);
        assert.equal(res.status, 403, `${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
        assert.deepEqual(Object.keys(res.body), ['error']);
        assert.equal(res.body.error.code, 'FORBIDDEN');
        assert.deepEqual(await snapshot(), before, `${method} ${path} changed something`);
      }
    }
    // A made-up user id is forbidden too, and a signed-out caller is still a 401.
    const madeUp = await bob.get<ErrorJson>('/api/someone-else/tasks');
    assert.equal(madeUp.status, 403);
    assert.equal(madeUp.body.error.code, 'FORBIDDEN');
    const anon = await new Client(ts.url).get<ErrorJson>(base);
    assert.equal(anon.status, 401);
    // Bob's own id on Ann's task is the usual 404.
    const own = await bob.get<ErrorJson>(`/api/${bob.userId}/tasks/${mine.id}`);
    assert.equal(own.status, 404);
    assert.equal(own.body.error.code, 'TASK_NOT_FOUND');
    const ownPatch = await bob.patch<ErrorJson>(`/api/${bob.userId}/tasks/${mine.id}/priority`, { priority: 'low' });
    assert.equal(ownPatch.status, 404);
    // Bob's own list under his id holds only his task.
    const bobList = await bob.get<TaskJson[]>(`/api/${bob.userId}/tasks`);
    assert.deepEqual(bobList.body.map((t) => t.id), before.bob.tasks.map((t) => t.id));
    assert.deepEqual(await snapshot(), before);
  });
});
