// Bad input over HTTP: every rejection is a clear 4xx in the error envelope and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ApiResponse, Client, type ErrorJson, needsOwnSystem, remoteUrl, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

const ALLOWED_STATUS = [400, 401, 403, 404, 409, 413, 422, 429];

/** Asserts the error envelope, a stable code and no stack trace. */
function assertError(res: ApiResponse<unknown>, status: number, code?: string, label = ''): void {
  const what = `${label} → ${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, what);
  assert.ok(ALLOWED_STATUS.includes(res.status), what);
  const body = res.body as ErrorJson;
  assert.equal(typeof body, 'object', what);
  assert.deepEqual(Object.keys(body), ['error'], what);
  assert.match(body.error.code, /^[A-Z][A-Z0-9_]*$/, what);
  assert.equal(typeof body.error.message, 'string', what);
  assert.ok(body.error.message.length > 0, what);
  for (const k of Object.keys(body.error)) assert.ok(['code', 'message', 'details'].includes(k), what);
  const text = JSON.stringify(body);
  assert.doesNotMatch(text, /\bat .+\.(ts|js):\d+/, `stack trace leaked: ${what}`);
  assert.doesNotMatch(text, /"stack"/, what);
  if (code) assert.equal(body.error.code, code, what);
}

const tagsOf = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

interface Case {
  label: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  code?: string;
}

// First in the file: Better Auth's in-memory rate-limit store is shared by every instance in the
// process, so sign-ups of the later suites would already count against this system's small limit.
describe('sign-in rate limit', { skip: needsOwnSystem }, () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let user: Client;
  before(async () => {
    ts = await startSystem({ AUTH_RATE_LIMIT_PER_MINUTE: '3', BODY_LIMIT_BYTES: '2048' });
    user = await signUp(ts.url); // sign-up has its own budget of 3 per minute
  });
  after(async () => ts.stop());

  test('429 RATE_LIMITED after AUTH_RATE_LIMIT_PER_MINUTE attempts, even with the right password', async () => {
    const email = (await user.get<{ email: string }>('/api/v1/me')).body.email;
    const anon = new Client(ts.url);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await anon.post('/api/auth/sign-in/email', { email, password: `wrong password ${i}` });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401]);
    const limited = await anon.post('/api/auth/sign-in/email', { email, password: 'correct horse battery' });
    assertError(limited, 429, 'RATE_LIMITED', 'fourth attempt');
    // The API itself is not rate limited by the sign-in rule.
    assert.equal((await user.get('/api/v1/me')).status, 200);
  });

  test('a client-sent IP header does not reset the limit', async () => {
    const anon = new Client(ts.url);
    const res = await anon.request('POST', '/api/auth/sign-in/email', { email: 'x@example.com', password: 'whatever pw' }, {
      'x-dueflow-client-ip': '10.9.8.7',
      'x-forwarded-for': '10.9.8.7',
    });
    assertError(res, 429, 'RATE_LIMITED', 'spoofed IP');
  });

  test('BODY_LIMIT_BYTES is configurable', async () => {
    const c = user;
    const res = await c.post('/api/v1/tasks', { title: 'x', description: 'y'.repeat(3000) });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE', 'over 2 KiB');
    const list = await c.get<TaskListJson>('/api/v1/tasks');
    assert.equal(list.body.total, 0);
    const small = await c.post('/api/v1/tasks', { title: 'x', description: 'y'.repeat(1000) });
    assert.equal(small.status, 201);
  });
});

describe('bad input is a clear 4xx and changes nothing', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  /** A task with every field set, the target of the update cases. */
  let rich: TaskJson;
  /** A recurring task. */
  let series: TaskJson;

  const snapshot = async () => {
    const list = await ann.get<TaskListJson>('/api/v1/tasks?limit=200');
    assert.equal(list.status, 200);
    const one = await ann.get<TaskJson>(`/api/v1/tasks/${rich.id}`);
    const two = await ann.get<TaskJson>(`/api/v1/tasks/${series.id}`);
    const me = await ann.get('/api/v1/me');
    return { list: list.body, one: one.body, two: two.body, me: me.body };
  };

  /** Sends each case, checks the error and that nothing changed (tasks, list, profile). */
  async function rejectAll(client: Client, cases: Case[]) {
    const before = await snapshot();
    assert.deepEqual(before.one, rich);
    assert.deepEqual(before.two, series);
    for (const c of cases) {
      const res = await client.request(c.method, c.path, c.body);
      assertError(res, c.status, c.code, `${c.label}: ${c.method} ${c.path} ${JSON.stringify(c.body)?.slice(0, 200)}`);
      assert.deepEqual(await snapshot(), before, `${c.label} changed something`);
    }
  }

  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    bob = await signUp(ts.url);
    const r1 = await ann.post<TaskJson>('/api/v1/tasks', {
      title: 'Rich',
      description: 'all fields',
      priority: 'high',
      tags: ['work', 'q3'],
      due_date: '2030-06-01T10:00',
      remind_before_minutes: 30,
    });
    assert.equal(r1.status, 201, JSON.stringify(r1.body));
    rich = r1.body;
    const r2 = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Series', due_date: '2030-06-03T08:00', recurring: 'weekly' });
    assert.equal(r2.status, 201, JSON.stringify(r2.body));
    series = r2.body;
  });
  after(async () => ts.stop());

  test('create: unknown fields, wrong types, lengths, enums, tags', async () => {
    const post = (label: string, body: unknown, status = 400, code?: string): Case => ({ label, method: 'POST', path: '/api/v1/tasks', body, status, ...(code ? { code } : {}) });
    await rejectAll(ann, [
      post('no title', {}),
      post('unknown field', { title: 'x', colour: 'red' }),
      post('server field id', { title: 'x', id: 1 }),
      post('server field version', { title: 'x', version: 1 }),
      post('server field completed_at', { title: 'x', completed_at: '2030-01-01T00:00:00Z' }),
      post('title number', { title: 42 }),
      post('title null', { title: null }),
      post('title array', { title: ['a'] }),
      post('empty title', { title: '' }),
      post('whitespace title', { title: ' \t\n ' }),
      post('201-char title', { title: 'a'.repeat(201) }),
      post('2001-char description', { title: 'x', description: 'd'.repeat(2001) }),
      post('description number', { title: 'x', description: 5 }),
      post('priority unknown', { title: 'x', priority: 'urgent' }),
      post('priority upper', { title: 'x', priority: 'HIGH' }),
      post('priority number', { title: 'x', priority: 1 }),
      post('tags string', { title: 'x', tags: 'a,b' }),
      post('tags numbers', { title: 'x', tags: [1, 2] }),
      post('21 tags', { title: 'x', tags: tagsOf(21) }),
      post('33-char tag', { title: 'x', tags: ['a'.repeat(33)] }),
      post('empty tag', { title: 'x', tags: [''] }),
      post('blank tag', { title: 'x', tags: ['   '] }),
      post('hash-only tag', { title: 'x', tags: ['#'] }),
      post('tag with bad characters', { title: 'x', tags: ['a<b>'] }),
      post('remind_before negative', { title: 'x', due_date: '2030-01-01', remind_before_minutes: -1 }),
      post('remind_before fraction', { title: 'x', due_date: '2030-01-01', remind_before_minutes: 1.5 }),
      post('remind_before string', { title: 'x', due_date: '2030-01-01', remind_before_minutes: '30' }),
      post('recurring unknown', { title: 'x', recurring: 'hourly' }),
      post('NUL in title', { title: 'a\u0000b' }),
      post('NUL in description', { title: 'x', description: 'd\u0000' }),
      post('NUL in a tag', { title: 'x', tags: ['a\u0000'] }),
      { label: 'NUL in title (PATCH)', method: 'PATCH', path: `/api/v1/tasks/${rich.id}`, body: { title: '\u0000' }, status: 400 },
      { label: 'NUL in name', method: 'PATCH', path: '/api/v1/me', body: { name: 'Ann\u0000' }, status: 400 },
    ]);
  });

  test('create: 200-char title and 20 tags of 32 chars are fine (boundaries)', async () => {
    const res = await ann.post<TaskJson>('/api/v1/tasks', { title: 'a'.repeat(200), description: 'd'.repeat(2000), tags: tagsOf(20, 'x'.repeat(30)) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.title.length, 200);
    assert.equal(res.body.tags.length, 20);
    const dedup = await ann.post<TaskJson>('/api/v1/tasks', { title: 'dups', tags: [...tagsOf(20), 'T0', '#t1'] });
    assert.equal(dedup.status, 201, '21+ tags that de-duplicate to 20 are fine');
    assert.equal(dedup.body.tags.length, 20);
    assert.equal((await ann.delete(`/api/v1/tasks/${res.body.id}`)).status, 204);
    assert.equal((await ann.delete(`/api/v1/tasks/${dedup.body.id}`)).status, 204);
  });

  test('malformed dates', async () => {
    const cases: Case[] = [];
    for (const bad of ['2026-02-30', 'tomorrow', '2026-13-01T10:00', '2026-12-01T24:00', '2026-12-01T10:60', '01/02/2026', '2026-1-5', '2026-12-01T10:00+25:00', '']) {
      cases.push({ label: `due_date ${bad}`, method: 'POST', path: '/api/v1/tasks', body: { title: 'x', due_date: bad }, status: 400 });
      cases.push({ label: `patch due_date ${bad}`, method: 'PATCH', path: `/api/v1/tasks/${rich.id}`, body: { due_date: bad }, status: 400 });
      cases.push({ label: `due-date ${bad}`, method: 'PATCH', path: `/api/v1/tasks/${rich.id}/due-date`, body: { due_date: bad }, status: 400 });
      cases.push({ label: `reminder_at ${bad}`, method: 'POST', path: '/api/v1/tasks', body: { title: 'x', due_date: '2030-01-01', reminder_at: bad }, status: 400 });
    }
    cases.push({ label: 'due_date number', method: 'POST', path: '/api/v1/tasks', body: { title: 'x', due_date: 1767225600000 }, status: 400 });
    cases.push({ label: 'due_date object', method: 'POST', path: '/api/v1/tasks', body: { title: 'x', due_date: {} }, status: 400 });
    cases.push({ label: 'INVALID_DATE code', method: 'POST', path: '/api/v1/tasks', body: { title: 'x', due_date: '2026-02-30' }, status: 400, code: 'INVALID_DATE' });
    cases.push({ label: 'INVALID_DATE code', method: 'POST', path: '/api/v1/tasks', body: { title: 'x', due_date: '2026-13-01T10:00' }, status: 400, code: 'INVALID_DATE' });
    await rejectAll(ann, cases);
  });

  test('invalid recurrence → INVALID_RECURRENCE', async () => {
    const rec = (label: string, recurrence: unknown): Case => ({
      label,
      method: 'POST',
      path: '/api/v1/tasks',
      body: { title: 'x', due_date: '2030-01-01T09:00', recurrence },
      status: 400,
      code: 'INVALID_RECURRENCE',
    });
    const cases = [
      rec('unknown pattern', { pattern: 'hourly' }),
      rec('interval 0', { pattern: 'daily', interval: 0 }),
      rec('interval 366', { pattern: 'daily', interval: 366 }),
      rec('interval fraction', { pattern: 'daily', interval: 1.5 }),
      rec('by_weekday for daily', { pattern: 'daily', by_weekday: ['MO'] }),
      rec('by_weekday unknown day', { pattern: 'weekly', by_weekday: ['XX'] }),
      rec('by_weekday empty', { pattern: 'weekly', by_weekday: [] }),
      rec('count with until', { pattern: 'daily', count: 3, until: '2030-12-31' }),
      rec('count 0', { pattern: 'daily', count: 0 }),
      rec('until malformed', { pattern: 'daily', until: '2030-02-30' }),
      rec('until before the due date', { pattern: 'daily', until: '2029-12-01' }),
      rec('unknown from', { pattern: 'daily', from: 'start' }),
      rec('unknown key', { pattern: 'daily', every: 2 }),
      rec('pattern and rrule', { pattern: 'daily', rrule: 'FREQ=DAILY' }),
      rec('rrule FREQ=HOURLY', { rrule: 'FREQ=HOURLY' }),
      rec('rrule garbage', { rrule: 'garbage' }),
      rec('rrule short garbage', { rrule: 'x' }),
      rec('rrule nonsense', { rrule: 'FREQ=DAILY;BYFOO=3' }),
      rec('rrule not a string', { rrule: 5 }),
      rec('empty object', {}),
      rec('string', 'daily'),
      {
        label: 'both recurring and recurrence',
        method: 'POST',
        path: '/api/v1/tasks',
        body: { title: 'x', due_date: '2030-01-01', recurring: 'daily', recurrence: { pattern: 'daily' } },
        status: 400,
      },
    ];
    // The same rules on PATCH and PUT of an existing task.
    for (const c of cases.slice(0, 8)) {
      const recurrence = (c.body as { recurrence: unknown }).recurrence;
      cases.push({ ...c, label: `patch ${c.label}`, method: 'PATCH', path: `/api/v1/tasks/${rich.id}`, body: { recurrence } });
      cases.push({ ...c, label: `put ${c.label}`, method: 'PUT', path: `/api/v1/tasks/${series.id}`, body: { title: 'Series', due_date: '2030-06-03T08:00', recurrence } });
    }
    await rejectAll(ann, cases);
  });

  test('POST /tasks/recurring rejects bad patterns', async () => {
    const rec = (label: string, body: unknown, code?: string): Case => ({ label, method: 'POST', path: '/api/v1/tasks/recurring', body, status: 400, ...(code ? { code } : {}) });
    await rejectAll(ann, [
      rec('no pattern', { title: 'x' }),
      rec('no title', { pattern: 'daily' }),
      rec('unknown pattern', { title: 'x', pattern: 'hourly' }, 'INVALID_RECURRENCE'),
      rec('interval 0', { title: 'x', pattern: 'daily', interval: 0 }, 'INVALID_RECURRENCE'),
      rec('by_weekday for daily', { title: 'x', pattern: 'daily', by_weekday: ['MO'] }, 'INVALID_RECURRENCE'),
      rec('count with until', { title: 'x', pattern: 'weekly', count: 2, until: '2031-01-01' }, 'INVALID_RECURRENCE'),
      rec('rrule is not a field here', { title: 'x', pattern: 'daily', rrule: 'FREQ=DAILY' }),
      rec('unknown field', { title: 'x', pattern: 'daily', recurring: 'daily' }),
      rec('both reminder kinds', { title: 'x', pattern: 'daily', due_date: '2030-01-01', remind_before_minutes: 5, reminder_at: '2029-12-31T10:00' }),
    ]);
  });

  test('reminders: 400 for both kinds, 422 for contradictions', async () => {
    const p = '/api/v1/tasks';
    await rejectAll(ann, [
      { label: 'both kinds', method: 'POST', path: p, body: { title: 'x', due_date: '2030-01-01', remind_before_minutes: 10, reminder_at: '2029-12-31T10:00' }, status: 400 },
      { label: 'after due', method: 'POST', path: p, body: { title: 'x', due_date: '2030-06-01T10:00', reminder_at: '2030-06-01T10:01' }, status: 422, code: 'REMINDER_AFTER_DUE' },
      { label: 'in the past', method: 'POST', path: p, body: { title: 'x', due_date: '2030-06-01T10:00', reminder_at: '2020-01-01T10:00:00Z' }, status: 422, code: 'REMINDER_IN_PAST' },
      { label: 'in the past, no due', method: 'POST', path: p, body: { title: 'x', reminder_at: '2021-01-01' }, status: 422, code: 'REMINDER_IN_PAST' },
      { label: 'offset without due', method: 'POST', path: p, body: { title: 'x', remind_before_minutes: 15 }, status: 422, code: 'REMINDER_NEEDS_DUE_DATE' },
      // Against the existing task (due 2030-06-01T08:00Z, reminder 30 min before).
      { label: 'patch both kinds', method: 'PATCH', path: `${p}/${rich.id}`, body: { remind_before_minutes: 10, reminder_at: '2030-05-01T10:00' }, status: 400 },
      { label: 'patch after due', method: 'PATCH', path: `${p}/${rich.id}`, body: { reminder_at: '2030-06-02T10:00' }, status: 422, code: 'REMINDER_AFTER_DUE' },
      { label: 'patch due before reminder', method: 'PATCH', path: `${p}/${series.id}`, body: { reminder_at: '2030-06-02T10:00', due_date: '2030-06-01T10:00' }, status: 422, code: 'REMINDER_AFTER_DUE' },
      { label: 'patch in the past', method: 'PATCH', path: `${p}/${rich.id}`, body: { reminder_at: '2020-01-01T00:00:00Z' }, status: 422, code: 'REMINDER_IN_PAST' },
      { label: 'patch offset on a task without due', method: 'PATCH', path: `${p}/${rich.id}`, body: { due_date: null, remind_before_minutes: 5 }, status: 422, code: 'REMINDER_NEEDS_DUE_DATE' },
      { label: 'due-date both kinds', method: 'PATCH', path: `${p}/${rich.id}/due-date`, body: { due_date: '2030-07-01', remind_before_minutes: 5, reminder_at: '2030-06-30T10:00' }, status: 400 },
      { label: 'due-date reminder after due', method: 'PATCH', path: `${p}/${rich.id}/due-date`, body: { due_date: '2030-07-01T10:00', reminder_at: '2030-07-01T11:00' }, status: 422, code: 'REMINDER_AFTER_DUE' },
      { label: 'due-date reminder in the past', method: 'PATCH', path: `${p}/${rich.id}/due-date`, body: { due_date: '2030-07-01T10:00', reminder_at: '2001-07-01T11:00' }, status: 422, code: 'REMINDER_IN_PAST' },
      { label: 'due-date offset with null due', method: 'PATCH', path: `${p}/${rich.id}/due-date`, body: { due_date: null, remind_before_minutes: 5 }, status: 422, code: 'REMINDER_NEEDS_DUE_DATE' },
      { label: 'recurring task loses its due date', method: 'PATCH', path: `${p}/${series.id}/due-date`, body: { due_date: null }, status: 422 },
    ]);
  });

  test('update: unknown fields, wrong types, empty titles, bad ids', async () => {
    const id = rich.id;
    const patch = (label: string, body: unknown, status = 400): Case => ({ label, method: 'PATCH', path: `/api/v1/tasks/${id}`, body, status });
    const put = (label: string, body: unknown, status = 400): Case => ({ label, method: 'PUT', path: `/api/v1/tasks/${id}`, body, status });
    await rejectAll(ann, [
      patch('unknown field', { titel: 'typo' }),
      patch('id', { id: 99 }),
      patch('user_id', { user_id: bob.userId }),
      patch('created_at', { created_at: '2020-01-01T00:00:00Z' }),
      patch('title null', { title: null }),
      patch('empty title', { title: '' }),
      patch('whitespace title', { title: '   ' }),
      patch('201-char title', { title: 'b'.repeat(201) }),
      patch('2001-char description', { description: 'd'.repeat(2001) }),
      patch('description null', { description: null }),
      patch('completed string', { completed: 'yes' }),
      patch('completed null', { completed: null }),
      patch('priority', { priority: 'critical' }),
      patch('priority null', { priority: null }),
      patch('tags null', { tags: null }),
      patch('33-char tag', { tags: ['c'.repeat(33)] }),
      patch('21 tags', { tags: tagsOf(21) }),
      patch('version 0', { title: 'x', version: 0 }),
      patch('version string', { title: 'x', version: '1' }),
      patch('array body', [{ title: 'x' }]),
      patch('string body', 'title'),
      patch('JSON null body', 'null'),
      patch('JSON number body', '42'),
      put('no title', { description: 'only' }),
      put('completed not editable by PUT', { title: 'x', completed: true }),
      put('unknown field', { title: 'x', owner: 'me' }),
      put('201-char title', { title: 'a'.repeat(201) }),
      { label: 'non-numeric id', method: 'GET', path: '/api/v1/tasks/abc', status: 400 },
      { label: 'negative id', method: 'GET', path: '/api/v1/tasks/-1', status: 400 },
      { label: 'decimal id', method: 'PATCH', path: '/api/v1/tasks/1.5', body: { title: 'x' }, status: 400 },
      { label: 'id too long', method: 'DELETE', path: `/api/v1/tasks/${'9'.repeat(25)}`, status: 400 },
      { label: 'id with letters', method: 'PUT', path: `/api/v1/tasks/${id}abc`, body: { title: 'x' }, status: 400 },
      { label: 'id with letters on complete', method: 'PATCH', path: `/api/v1/tasks/x${id}/complete`, status: 400 },
      { label: 'unknown id', method: 'PATCH', path: '/api/v1/tasks/987654321', body: { title: 'x' }, status: 404 },
      { label: 'unknown id delete', method: 'DELETE', path: '/api/v1/tasks/987654321', status: 404 },
    ]);
  });

  test('per-field endpoints reject bad bodies', async () => {
    const at = (suffix: string, label: string, body: unknown, status = 400, code?: string): Case => ({
      label: `${suffix} ${label}`,
      method: 'PATCH',
      path: `/api/v1/tasks/${rich.id}/${suffix}`,
      body,
      status,
      ...(code ? { code } : {}),
    });
    await rejectAll(ann, [
      at('complete', 'completed string', { completed: 'true' }),
      at('complete', 'completed null', { completed: null }),
      at('complete', 'unknown field', { done: true }),
      at('complete', 'array body', '[]'),
      at('complete', 'JSON null body', 'null'),
      at('complete', 'invalid JSON', '{"completed": tru', 400, 'INVALID_JSON'),
      at('priority', 'missing', {}),
      at('priority', 'unknown', { priority: 'urgent' }),
      at('priority', 'null', { priority: null }),
      at('priority', 'extra field', { priority: 'low', title: 'x' }),
      at('priority', 'no body', undefined),
      at('tags', 'empty body', {}),
      at('tags', 'tags and add', { tags: ['a'], add: ['b'] }),
      at('tags', 'tags and remove', { tags: ['a'], remove: ['work'] }),
      at('tags', 'add string', { add: 'x' }),
      at('tags', 'empty tag', { add: [''] }),
      at('tags', '33-char tag', { add: ['z'.repeat(33)] }),
      at('tags', '21 tags', { tags: tagsOf(21) }),
      at('tags', 'add 21', { add: tagsOf(21) }),
      at('tags', 'unknown field', { set: ['a'] }),
      at('tags', 'adding past 20', { add: tagsOf(19, 'n') }, 422, 'TOO_MANY_TAGS'),
      at('due-date', 'missing due_date', {}),
      at('due-date', 'no body', undefined),
      at('due-date', 'unknown field', { due_date: '2030-01-01', due: '2030-01-01' }),
      at('due-date', 'tomorrow', { due_date: 'tomorrow' }),
      at('due-date', 'Feb 30', { due_date: '2026-02-30' }, 400, 'INVALID_DATE'),
      at('due-date', 'number', { due_date: 20300101 }),
      at('due-date', 'negative offset', { due_date: '2030-01-01', remind_before_minutes: -5 }),
    ]);
  });

  test('invalid JSON bodies', async () => {
    await rejectAll(ann, [
      { label: 'truncated', method: 'POST', path: '/api/v1/tasks', body: '{"title": "x"', status: 400, code: 'INVALID_JSON' },
      { label: 'single quotes', method: 'POST', path: '/api/v1/tasks', body: "{'title': 'x'}", status: 400, code: 'INVALID_JSON' },
      { label: 'trailing comma', method: 'PATCH', path: `/api/v1/tasks/${rich.id}`, body: '{"title": "x",}', status: 400, code: 'INVALID_JSON' },
      { label: 'not JSON at all', method: 'PUT', path: `/api/v1/tasks/${rich.id}`, body: 'title=x', status: 400, code: 'INVALID_JSON' },
      { label: 'JSON null', method: 'POST', path: '/api/v1/tasks', body: 'null', status: 400 },
      { label: 'JSON array', method: 'POST', path: '/api/v1/tasks', body: '[{"title":"x"}]', status: 400 },
      { label: 'no body', method: 'POST', path: '/api/v1/tasks', status: 400 },
      { label: 'me invalid JSON', method: 'PATCH', path: '/api/v1/me', body: '{"timezone":', status: 400, code: 'INVALID_JSON' },
    ]);
    // A body that is not JSON is 415, the one status outside the usual set, in the same envelope; text/plain
    // too (what a cross-site form can send without a preflight).
    const before = await snapshot();
    for (const [type, status] of [['text/plain', 415], ['application/x-www-form-urlencoded', 415], ['application/xml', 415]] as const) {
      const res = await ann.request('POST', '/api/v1/tasks', 'title=x', { 'content-type': type });
      assert.equal(res.status, status, type);
      assert.equal((res.body as ErrorJson).error.code, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED');
      const patch = await ann.request('PATCH', `/api/v1/tasks/${rich.id}`, 'title=x', { 'content-type': type });
      assert.equal(patch.status, status, type);
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('PATCH /api/v1/me: unknown time zone is INVALID_TIMEZONE', async () => {
    await rejectAll(ann, [
      { label: 'unknown zone', method: 'PATCH', path: '/api/v1/me', body: { timezone: 'Mars/Olympus_Mons' }, status: 400, code: 'INVALID_TIMEZONE' },
      { label: 'garbage zone', method: 'PATCH', path: '/api/v1/me', body: { timezone: 'not a zone' }, status: 400, code: 'INVALID_TIMEZONE' },
      { label: 'offset is not a zone', method: 'PATCH', path: '/api/v1/me', body: { timezone: '+02:00' }, status: 400, code: 'INVALID_TIMEZONE' },
      { label: 'empty zone', method: 'PATCH', path: '/api/v1/me', body: { timezone: '' }, status: 400 },
      { label: 'zone number', method: 'PATCH', path: '/api/v1/me', body: { timezone: 1 }, status: 400 },
      { label: 'email not editable', method: 'PATCH', path: '/api/v1/me', body: { email: 'x@example.com' }, status: 400 },
      { label: 'id not editable', method: 'PATCH', path: '/api/v1/me', body: { id: 'x' }, status: 400 },
      { label: 'blank name', method: 'PATCH', path: '/api/v1/me', body: { name: '  ' }, status: 400 },
    ]);
    const me = await ann.get<{ timezone: string }>('/api/v1/me');
    assert.equal(me.body.timezone, 'Europe/Berlin');
  });

  test('413 for a body over the limit', async () => {
    const big = 'x'.repeat(70 * 1024);
    await rejectAll(ann, [
      { label: 'create', method: 'POST', path: '/api/v1/tasks', body: { title: 'x', description: big }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { label: 'patch', method: 'PATCH', path: `/api/v1/tasks/${rich.id}`, body: { description: big }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { label: 'invalid JSON too', method: 'PUT', path: `/api/v1/tasks/${rich.id}`, body: `{${big}`, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { label: 'sign-in', method: 'POST', path: '/api/auth/sign-in/email', body: { email: 'a@example.com', password: big }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ]);
    // Just under the limit is parsed and then judged on its content.
    const under = await ann.post('/api/v1/tasks', { title: 'x', description: 'y'.repeat(60 * 1024) });
    assertError(under, 400, 'VALIDATION_FAILED', 'just under the limit');
  });

  test('401 without or with a bad token, before anything is read', async () => {
    const anon = new Client(ts.url);
    const bad = new Client(ts.url, 'not-a-token');
    const forged = new Client(ts.url, `${(ann.token ?? '').slice(0, -3)}abc`);
    const cases: Case[] = [];
    for (const [method, path, body] of [
      ['GET', '/api/v1/tasks', undefined],
      ['POST', '/api/v1/tasks', { title: 'sneaky' }],
      ['POST', '/api/v1/tasks/recurring', { title: 'sneaky', pattern: 'daily' }],
      ['GET', `/api/v1/tasks/${rich.id}`, undefined],
      ['PUT', `/api/v1/tasks/${rich.id}`, { title: 'hacked' }],
      ['PATCH', `/api/v1/tasks/${rich.id}`, { title: 'hacked' }],
      ['DELETE', `/api/v1/tasks/${rich.id}`, undefined],
      ['PATCH', `/api/v1/tasks/${rich.id}/complete`, undefined],
      ['PATCH', `/api/v1/tasks/${rich.id}/priority`, { priority: 'low' }],
      ['PATCH', `/api/v1/tasks/${rich.id}/tags`, { add: ['x'] }],
      ['PATCH', `/api/v1/tasks/${rich.id}/due-date`, { due_date: null }],
      ['GET', '/api/v1/me', undefined],
      ['PATCH', '/api/v1/me', { timezone: 'UTC' }],
      ['GET', '/api/v1/tags', undefined],
      ['POST', '/api/v1/tasks', '{not json'],
      ['GET', `/api/${ann.userId}/tasks`, undefined],
      ['PATCH', `/api/${ann.userId}/tasks/${rich.id}`, { title: 'hacked' }],
    ] as const) {
      cases.push({ label: 'no token', method, path, body, status: 401, code: 'UNAUTHENTICATED' });
      cases.push({ label: 'bad token', method, path, body, status: 401, code: 'UNAUTHENTICATED' });
    }
    for (const c of cases) {
      const client = c.label === 'no token' ? anon : bad;
      await rejectAll(client, [c]);
    }
    await rejectAll(forged, [{ label: 'forged token', method: 'GET', path: '/api/v1/tasks', status: 401, code: 'UNAUTHENTICATED' }]);
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Token ${ann.token}`]) {
      const res = await anon.request('GET', '/api/v1/tasks', undefined, { authorization: header });
      assertError(res, 401, 'UNAUTHENTICATED', `authorization: ${header}`);
    }
  });

  test('404 for unknown routes and for tasks that are not yours', async () => {
    await rejectAll(ann, [
      { label: 'unknown route', method: 'GET', path: '/api/v1/nope', status: 404, code: 'ROUTE_NOT_FOUND' },
      { label: 'unknown sub-route', method: 'PATCH', path: `/api/v1/tasks/${rich.id}/archive`, body: {}, status: 404, code: 'ROUTE_NOT_FOUND' },
      { label: 'unknown method', method: 'POST', path: `/api/v1/tasks/${rich.id}`, body: { title: 'x' }, status: 404, code: 'ROUTE_NOT_FOUND' },
      { label: 'singular', method: 'GET', path: '/api/v1/task', status: 404, code: 'ROUTE_NOT_FOUND' },
      { label: 'trailing segment', method: 'GET', path: `/api/v1/tasks/${rich.id}/complete/now`, status: 404, code: 'ROUTE_NOT_FOUND' },
      { label: 'unknown task', method: 'GET', path: '/api/v1/tasks/424242', status: 404, code: 'TASK_NOT_FOUND' },
    ]);
    // Through the public URL (the web role) a path outside /api is a page of the UI, with its own 404 page.
    await rejectAll(new Client(ts.url), [{ label: 'unknown route without auth', method: 'GET', path: remoteUrl ? '/api/nowhere' : '/nowhere', status: 404, code: 'ROUTE_NOT_FOUND' }]);
    await rejectAll(bob, [
      { label: "bob gets ann's task", method: 'GET', path: `/api/v1/tasks/${rich.id}`, status: 404, code: 'TASK_NOT_FOUND' },
      { label: "bob patches ann's task", method: 'PATCH', path: `/api/v1/tasks/${rich.id}`, body: { title: 'mine' }, status: 404, code: 'TASK_NOT_FOUND' },
      { label: "bob completes ann's task", method: 'PATCH', path: `/api/v1/tasks/${series.id}/complete`, body: { completed: true }, status: 404, code: 'TASK_NOT_FOUND' },
      { label: "bob deletes ann's task", method: 'DELETE', path: `/api/v1/tasks/${series.id}`, status: 404, code: 'TASK_NOT_FOUND' },
      { label: "bob with ann's version", method: 'PUT', path: `/api/v1/tasks/${rich.id}`, body: { title: 'mine', version: rich.version }, status: 404, code: 'TASK_NOT_FOUND' },
    ]);
  });

  test('409 on a stale version: the second writer loses and changes nothing', async () => {
    // Two sessions of the same user both read version 1.
    const again = await new Client(ts.url).post<{ token: string; user: { id: string } }>('/api/auth/sign-in/email', {
      email: (await ann.get<{ email: string }>('/api/v1/me')).body.email,
      password: 'correct horse battery',
    });
    assert.equal(again.status, 200);
    const ann2 = new Client(ts.url, again.body.token, again.body.user.id);
    const t = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Shared', tags: ['a'] })).body;
    assert.equal(t.version, 1);
    const read2 = await ann2.get<TaskJson>(`/api/v1/tasks/${t.id}`);
    assert.equal(read2.body.version, 1);

    const first = await ann.patch<TaskJson>(`/api/v1/tasks/${t.id}`, { title: 'First wins', version: 1 });
    assert.equal(first.status, 200);
    assert.equal(first.body.version, 2);

    const stale: [string, string, unknown][] = [
      ['PATCH', '', { title: 'Second loses', version: 1 }],
      ['PUT', '', { title: 'Second loses', version: 1 }],
      ['PATCH', '/complete', { version: 1 }],
      ['PATCH', '/complete', { completed: true, version: 1 }],
      ['PATCH', '/priority', { priority: 'high', version: 1 }],
      ['PATCH', '/tags', { add: ['b'], version: 1 }],
      ['PATCH', '/tags', { tags: ['z'], version: 1 }],
      ['PATCH', '/due-date', { due_date: '2031-01-01', version: 1 }],
      ['PATCH', '', { title: 'Future', version: 3 }],
    ];
    for (const [method, suffix, body] of stale) {
      const res = await ann2.request<ErrorJson>(method, `/api/v1/tasks/${t.id}${suffix}`, body);
      assertError(res, 409, 'VERSION_CONFLICT', `${method} ${suffix} ${JSON.stringify(body)}`);
      assert.deepEqual(res.body.error.details, { current_version: 2 });
      const now = await ann.get<TaskJson>(`/api/v1/tasks/${t.id}`);
      assert.deepEqual(now.body, first.body, `${method} ${suffix} changed the task`);
    }
    // With the current version the second writer gets through.
    const retry = await ann2.patch<TaskJson>(`/api/v1/tasks/${t.id}/priority`, { priority: 'high', version: 2 });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.version, 3);
    assert.equal(retry.body.title, 'First wins');
    assert.equal((await ann.delete(`/api/v1/tasks/${t.id}`)).status, 204);
  });

  test('concurrent writers with the same version: exactly one wins', async () => {
    const t = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Race' })).body;
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((s) => ann.patch<TaskJson | ErrorJson>(`/api/v1/tasks/${t.id}`, { title: `Race ${s}`, version: 1 })),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, JSON.stringify(results.map((r) => r.status)));
    for (const r of results.filter((x) => x.status !== 200)) assertError(r, 409, 'VERSION_CONFLICT');
    const final = await ann.get<TaskJson>(`/api/v1/tasks/${t.id}`);
    assert.deepEqual(final.body, ok[0]?.body);
    assert.equal(final.body.version, 2);
    assert.equal((await ann.delete(`/api/v1/tasks/${t.id}`)).status, 204);
  });
});

describe('sign-up and sign-in', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  const anon = () => new Client(ts.url);
  before(async () => {
    ts = await startSystem();
  });
  after(async () => ts.stop());

  test('sign-up stores the time zone; sign-in returns {token, user}; the token works', async () => {
    const email = `zoe-${Date.now()}@example.com`;
    const up = await anon().post<{ token: string; user: { id: string; email: string } }>('/api/auth/sign-up/email', {
      name: 'Zoe',
      email,
      password: 'long enough password',
      timezone: 'America/New_York',
    });
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.equal(typeof up.body.token, 'string');
    assert.equal(up.body.user.email, email);

    const dup = await anon().post('/api/auth/sign-up/email', { name: 'Zoe 2', email, password: 'another long password' });
    assert.ok(dup.status >= 400 && dup.status < 500, `duplicate email: ${dup.status}`);
    assertError(dup, dup.status, undefined, 'duplicate email');
    const dupCase = await anon().post('/api/auth/sign-up/email', { name: 'Zoe 3', email: email.toUpperCase(), password: 'another long password' });
    assert.ok(dupCase.status >= 400 && dupCase.status < 500, `duplicate email in other case: ${dupCase.status}`);

    const wrong = await anon().post('/api/auth/sign-in/email', { email, password: 'not the password' });
    assertError(wrong, 401, undefined, 'wrong password');
    const nobody = await anon().post('/api/auth/sign-in/email', { email: `nobody-${Date.now()}@example.com`, password: 'whatever password' });
    assertError(nobody, 401, undefined, 'unknown user');

    const inRes = await anon().post<{ token: string; user: { id: string; email: string } }>('/api/auth/sign-in/email', { email, password: 'long enough password' });
    assert.equal(inRes.status, 200);
    assert.equal(typeof inRes.body.token, 'string');
    assert.ok(inRes.body.token.length > 10);
    assert.equal(inRes.body.user.id, up.body.user.id);
    assert.equal(inRes.body.user.email, email);

    const client = new Client(ts.url, inRes.body.token, inRes.body.user.id);
    const me = await client.get<{ id: string; name: string; email: string; timezone: string }>('/api/v1/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { id: up.body.user.id, name: 'Zoe', email, timezone: 'America/New_York' });
    // The zone is used for date-only input.
    const t = await client.post<TaskJson>('/api/v1/tasks', { title: 'NY', due_date: '2030-01-15' });
    assert.equal(t.body.due_date, '2030-01-16T04:59:59.000Z');
  });

  test('bad sign-ups are 4xx and create no user', async () => {
    const email = `bad-${Date.now()}@example.com`;
    for (const [label, body] of [
      ['short password', { name: 'Short', email, password: 'short' }],
      ['no password', { name: 'NoPw', email }],
      ['no email', { name: 'NoMail', password: 'long enough password' }],
      ['invalid email', { name: 'Bad', email: 'not-an-email', password: 'long enough password' }],
      ['unknown time zone', { name: 'Tz', email, password: 'long enough password', timezone: 'Mars/Phobos' }],
      ['time zone not a string', { name: 'Tz', email, password: 'long enough password', timezone: 1 }],
      ['NUL in name', { name: 'N\u0000', email, password: 'long enough password' }],
      ['invalid JSON', '{"email":'],
    ] as const) {
      const res = await anon().post('/api/auth/sign-up/email', body);
      assert.ok(res.status >= 400 && res.status < 500, `${label}: ${res.status} ${JSON.stringify(res.body)}`);
      assertError(res, res.status, undefined, label);
    }
    const tz = await anon().post('/api/auth/sign-up/email', { name: 'Tz', email, password: 'long enough password', timezone: 'Mars/Phobos' });
    assertError(tz, 400, 'INVALID_TIMEZONE', 'unknown time zone at sign-up');
    // None of them created the account: the email is still free, and nothing can sign in with it.
    const noUser = await anon().post('/api/auth/sign-in/email', { email, password: 'long enough password' });
    assertError(noUser, 401, undefined, 'no user was created');
    const ok = await anon().post('/api/auth/sign-up/email', { name: 'Fine', email, password: 'long enough password' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  test('a signed-out token no longer works', async () => {
    const c = await signUp(ts.url);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const out = await c.post('/api/auth/sign-out', {});
    assert.equal(out.status, 200, JSON.stringify(out.body));
    assertError(await c.get('/api/v1/me'), 401, 'UNAUTHENTICATED', 'after sign-out');
  });
});
