import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, type ErrorJson, rawRequest, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

describe('task CRUD over /api/v1', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    bob = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('create returns 201 with defaults and normalised tags', async () => {
    const res = await ann.post<TaskJson>('/api/v1/tasks', { title: '  Water plants ', tags: ['Home', 'home', '#Garden Work'] });
    assert.equal(res.status, 201);
    assert.equal(res.body.title, 'Water plants');
    assert.equal(res.body.priority, 'medium');
    assert.equal(res.body.completed, false);
    assert.deepEqual(res.body.tags, ['home', 'garden-work']);
    assert.equal(res.body.due_date, null);
    assert.equal(res.body.version, 1);
  });

  test('a request without a body has none, however it is framed (curl -X PATCH, Content-Length: 0, an empty chunked body)', async () => {
    const t = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Toggle me' })).body;
    const auth = `Authorization: Bearer ${ann.token}`;
    const path = `/api/v1/tasks/${t.id}/complete`;
    const states: boolean[] = [];
    for (const framing of ['', '\nContent-Length: 0', '\nTransfer-Encoding: chunked']) {
      const res = await rawRequest(ts.url, `PATCH ${path} HTTP/1.1\n${auth}${framing}`, framing.includes('chunked') ? '0\r\n\r\n' : '');
      assert.equal(res.status, 200, `${framing || 'no body headers'}: ${res.body}`);
      states.push((JSON.parse(res.body) as TaskJson).completed);
    }
    assert.deepEqual(states, [true, false, true]);
    const withBody = await rawRequest(ts.url, `PATCH ${path} HTTP/1.1\n${auth}\nContent-Type: application/xml\nContent-Length: 4`, '<a/>');
    assert.equal(withBody.status, 415, 'a body of another type is still refused');
  });

  test('date-only and local due dates are read in the user time zone', async () => {
    const local = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Call', due_date: '2027-07-01T09:30', remind_before_minutes: 30 });
    assert.equal(local.status, 201);
    assert.equal(local.body.due_date, '2027-07-01T07:30:00.000Z'); // CEST = UTC+2
    assert.equal(local.body.reminder_at, '2027-07-01T07:00:00.000Z');
    const dateOnly = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Report', due_date: '2027-01-15' });
    assert.equal(dateOnly.body.due_date, '2027-01-15T22:59:59.000Z'); // end of day, CET = UTC+1
  });

  test('get, put, patch, delete', async () => {
    const created = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Draft', description: 'v1', priority: 'low', tags: ['a'] })).body;
    const got = await ann.get<TaskJson>(`/api/v1/tasks/${created.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, created);

    const patched = await ann.patch<TaskJson>(`/api/v1/tasks/${created.id}`, { description: 'v2' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.description, 'v2');
    assert.equal(patched.body.priority, 'low');
    assert.deepEqual(patched.body.tags, ['a']);
    assert.equal(patched.body.version, 2);

    const put = await ann.put<TaskJson>(`/api/v1/tasks/${created.id}`, { title: 'Final' });
    assert.equal(put.status, 200);
    assert.equal(put.body.title, 'Final');
    assert.equal(put.body.description, '', 'PUT resets omitted fields');
    assert.equal(put.body.priority, 'medium');
    assert.deepEqual(put.body.tags, []);

    const del = await ann.delete(`/api/v1/tasks/${created.id}`);
    assert.equal(del.status, 204);
    const gone = await ann.get<ErrorJson>(`/api/v1/tasks/${created.id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'TASK_NOT_FOUND');
  });

  test("another user's task is a 404 and stays untouched", async () => {
    const mine = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Private' })).body;
    for (const [method, path, body] of [
      ['GET', `/api/v1/tasks/${mine.id}`, undefined],
      ['PATCH', `/api/v1/tasks/${mine.id}`, { title: 'hacked' }],
      ['PUT', `/api/v1/tasks/${mine.id}`, { title: 'hacked' }],
      ['PATCH', `/api/v1/tasks/${mine.id}/complete`, undefined],
      ['PATCH', `/api/v1/tasks/${mine.id}/priority`, { priority: 'high' }],
      ['PATCH', `/api/v1/tasks/${mine.id}/tags`, { add: ['x'] }],
      ['PATCH', `/api/v1/tasks/${mine.id}/due-date`, { due_date: '2030-01-01' }],
      ['DELETE', `/api/v1/tasks/${mine.id}`, undefined],
    ] as const) {
      const res = await bob.request<ErrorJson>(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    const list = await bob.get<TaskListJson>('/api/v1/tasks');
    assert.equal(list.body.tasks.some((t) => t.id === mine.id), false);
    const still = await ann.get<TaskJson>(`/api/v1/tasks/${mine.id}`);
    assert.deepEqual(still.body, mine);
  });

  test('no token is a 401', async () => {
    const anon = new Client(ts.url);
    const res = await anon.get<ErrorJson>('/api/v1/tasks');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    const bad = await new Client(ts.url, 'not-a-token').get<ErrorJson>('/api/v1/tasks');
    assert.equal(bad.status, 401);
  });
});
