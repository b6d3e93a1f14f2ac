// Error envelope details, where a bad value was (body, query, path), required bodies, cursors, reminder
// offsets and once-a-day recurrence: the contract as clients read it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, type ErrorJson, signUp, startSystem, type TaskJson } from './harness.ts';

interface Detail {
  in: string;
  path: string;
  message: string;
}

describe('contract details', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('every error carries details: 404, 413, 415, 422 included', async () => {
    const cases: Array<[string, Promise<{ status: number; body: unknown }>, number]> = [
      ['missing task', ann.get('/api/v1/tasks/999999'), 404],
      ['missing route', ann.get('/api/v1/nothing'), 404],
      ['too large', ann.post('/api/v1/tasks', { title: 'x', description: 'y'.repeat(70_000) }), 413],
      ['media type', ann.request('POST', '/api/v1/tasks', '<task/>', { 'content-type': 'application/xml' }), 415],
      ['reminder in the past', ann.post('/api/v1/tasks', { title: 'x', due_date: '2030-01-01T10:00:00Z', reminder_at: '2020-01-01T10:00:00Z' }), 422],
    ];
    for (const [what, p, status] of cases) {
      const res = await p;
      assert.equal(res.status, status, what);
      const body = res.body as ErrorJson;
      assert.ok(body.error.details !== undefined && body.error.details !== null, `${what}: details`);
    }
    const route = (await ann.get<ErrorJson>('/api/v1/nothing')).body.error.details as { method: string; path: string };
    assert.deepEqual(route, { method: 'GET', path: '/api/v1/nothing' });
    const big = (await ann.post<ErrorJson>('/api/v1/tasks', { title: 'x', description: 'y'.repeat(70_000) })).body.error.details as { limit_bytes: number };
    assert.equal(big.limit_bytes, 65_536);
  });

  test('a bad query key or value is reported in the query, a bad path parameter in the path', async () => {
    const unknown = await ann.get<ErrorJson>('/api/v1/tasks?colour=red');
    assert.equal(unknown.status, 400);
    const [d] = unknown.body.error.details as Detail[];
    assert.deepEqual({ in: d?.in, path: d?.path }, { in: 'query', path: 'colour' });
    assert.match(unknown.body.error.message, /^query colour: /);
    const sort = await ann.get<ErrorJson>('/api/v1/tasks?sort=colour');
    assert.equal((sort.body.error.details as Detail[])[0]?.in, 'query');
    const path = await ann.get<ErrorJson>('/api/v1/notifications/abc', );
    assert.ok([400, 404].includes(path.status));
    const patch = await ann.patch<ErrorJson>('/api/v1/notifications/abc', { read: true });
    assert.equal(patch.status, 400);
    assert.equal((patch.body.error.details as Detail[])[0]?.in, 'path');
  });

  test('PATCH /api/v1/me needs a body (an empty object changes nothing)', async () => {
    const none = await ann.request<ErrorJson>('PATCH', '/api/v1/me');
    assert.equal(none.status, 400);
    assert.equal(none.body.error.code, 'BODY_REQUIRED');
    const empty = await ann.patch<ErrorJson>('/api/v1/me', {});
    assert.equal(empty.status, 200);
    // PATCH /complete still toggles without a body.
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'toggle' });
    assert.equal((await ann.request<TaskJson>('PATCH', `/api/v1/tasks/${t.body.id}/complete`)).body.completed, true);
  });

  test('a malformed activity cursor is a 400, not a server error', async () => {
    for (const cursor of ['abc', 'null', '-1', '1.5', '99999999999999999999']) {
      const res = await ann.get<ErrorJson>(`/api/v1/activity?cursor=${cursor}`);
      assert.equal(res.status, 400, cursor);
      assert.equal((res.body.error.details as Detail[])[0]?.in, 'query');
    }
    assert.equal((await ann.get('/api/v1/activity?cursor=12')).status, 200);
  });

  test('a reminder offset longer than the time to the due date is refused, not stored to never fire', async () => {
    const soon = new Date(Date.now() + 30 * 60_000).toISOString();
    const res = await ann.post<ErrorJson>('/api/v1/tasks', { title: 'soon', due_date: soon, remind_before_minutes: 60 });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'REMINDER_IN_PAST');
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'later', due_date: new Date(Date.now() + 3 * 3_600_000).toISOString(), remind_before_minutes: 60 });
    assert.equal(t.status, 201);
    const moved = await ann.patch<ErrorJson>(`/api/v1/tasks/${t.body.id}/due-date`, { due_date: soon });
    assert.equal(moved.status, 422);
    assert.equal((await ann.get<TaskJson>(`/api/v1/tasks/${t.body.id}`)).body.due_date, t.body.due_date, 'unchanged');
  });

  test('BYHOUR and BYMINUTE lists (several times a day) are refused like HOURLY', async () => {
    for (const rrule of ['FREQ=DAILY;BYHOUR=9,17', 'FREQ=WEEKLY;BYDAY=MO;BYMINUTE=0,30', 'FREQ=HOURLY']) {
      const res = await ann.post<ErrorJson>('/api/v1/tasks', { title: 'often', due_date: '2030-01-01T09:00:00Z', recurrence: { rrule } });
      assert.equal(res.status, 400, rrule);
      assert.equal(res.body.error.code, 'INVALID_RECURRENCE');
    }
    assert.equal((await ann.post('/api/v1/tasks', { title: 'daily at 17', due_date: '2030-01-01T09:00:00Z', recurrence: { rrule: 'FREQ=DAILY;BYHOUR=17' } })).status, 201);
  });
});
