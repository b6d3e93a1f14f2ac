// Personal access tokens: shown once, stored hashed, read or read-write, optional expiry, revocable;
// accepted as bearer tokens on REST, the websocket and MCP; managed only from a signed-in session.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, clockReading, type ErrorJson, LiveSocket, signUp, startSystem, type TaskJson } from './harness.ts';

interface TokenJson {
  id: string;
  name: string;
  scope: 'read' | 'read-write';
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  token?: string;
}

async function mcp(url: string, token: string): Promise<McpClient> {
  const client = new McpClient({ name: 'token-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

describe('personal access tokens', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let clock = Date.now();
  let ann: Client;
  let bob: Client;
  before(async () => {
    // A clock the test moves forward (token expiry); it starts at the real time.
    ts = await startSystem({}, { clock: clockReading(() => new Date(clock)) });
    ann = await signUp(ts.url);
    bob = await signUp(ts.url);
  });
  after(async () => ts.stop());

  const create = (owner: Client, body: Record<string, unknown>) => owner.post<TokenJson & ErrorJson>('/api/v1/tokens', body);

  test('created from a session, shown once, listed without the secret, stored only as a hash', async () => {
    const res = await create(ann, { name: 'backup script', scope: 'read-write' });
    assert.equal(res.status, 201);
    assert.match(res.body.token ?? '', /^dfp_[A-Za-z0-9_-]{43}$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.body.scope, 'read-write');
    assert.equal(res.body.expires_at, null);
    assert.ok(res.body.token?.startsWith(res.body.prefix));
    const list = await ann.get<{ tokens: TokenJson[] }>('/api/v1/tokens');
    assert.equal(list.status, 200);
    const listed = list.body.tokens.find((t) => t.id === res.body.id);
    assert.ok(listed);
    assert.equal(listed.token, undefined, 'the secret is never listed');
    assert.equal(JSON.stringify(list.body).includes(res.body.token ?? '-'), false);
    const rows = await ts.system.database.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = $1', [res.body.id]);
    assert.equal(rows.length, 1);
    assert.equal(JSON.stringify(rows).includes(res.body.token ?? '-'), false, 'no column holds the token');
    assert.match(String(rows[0]?.['token_hash']), /^[0-9a-f]{64}$/);
    // Scope defaults to read; bad input is a 400; expiry in the past a 422.
    assert.equal((await create(ann, { name: 'reader' })).body.scope, 'read');
    assert.equal((await create(ann, { name: 'x', scope: 'admin' })).status, 400);
    assert.equal((await create(ann, { name: '' })).status, 400);
    assert.equal((await create(ann, { name: 'x', expires_at: 'tomorrow' })).status, 400);
    const past = await create(ann, { name: 'x', expires_at: new Date(clock - 1000).toISOString() });
    assert.equal(past.status, 422);
    assert.equal(past.body.error.code, 'TOKEN_EXPIRY_IN_PAST');
  });

  test('a read token reads on REST, the websocket and MCP, and can change nothing', async () => {
    const read = (await create(ann, { name: 'dashboard', scope: 'read' })).body;
    const reader = new Client(ts.url, read.token ?? '', ann.userId);
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Readable' });
    assert.equal((await reader.get('/api/v1/tasks')).status, 200);
    assert.equal((await reader.get(`/api/v1/tasks/${task.body.id}`)).status, 200);
    assert.equal((await reader.get(`/api/${ann.userId}/tasks`)).status, 200);
    assert.equal((await reader.get('/api/v1/me')).status, 200);
    for (const [method, path, body] of [
      ['POST', '/api/v1/tasks', { title: 'nope' }],
      ['PATCH', `/api/v1/tasks/${task.body.id}`, { title: 'nope' }],
      ['DELETE', `/api/v1/tasks/${task.body.id}`, undefined],
      ['PATCH', '/api/v1/me', { name: 'nope' }],
      ['POST', '/api/v1/chat', { message: 'add nope' }],
      ['POST', `/api/${ann.userId}/tasks`, { title: 'nope' }],
    ] as const) {
      const res = await reader.request<ErrorJson>(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'INSUFFICIENT_SCOPE');
    }
    assert.equal((await ann.get<TaskJson>(`/api/v1/tasks/${task.body.id}`)).body.title, 'Readable', 'unchanged');
    const live = await LiveSocket.open(reader);
    live.close();
    const client = await mcp(ts.url, read.token ?? '');
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, ['filter_tasks', 'list_tasks', 'search_tasks', 'sort_tasks']);
      const listed = (await client.callTool({ name: 'list_tasks', arguments: {} })) as { isError?: boolean };
      assert.notEqual(listed.isError, true);
      const add = (await client.callTool({ name: 'add_task', arguments: { title: 'via mcp' } }).catch((e: unknown) => ({ isError: true, error: e }))) as { isError?: boolean };
      assert.equal(add.isError, true, 'a write tool is not there for a read token');
    } finally {
      await client.close();
    }
    assert.equal((await ann.get<{ tasks: TaskJson[] }>('/api/v1/tasks?search=via%20mcp')).body.tasks.length, 0);
  });

  test('a read-write token works everywhere a session does, but cannot manage tokens', async () => {
    const rw = (await create(ann, { name: 'sync', scope: 'read-write' })).body;
    const script = new Client(ts.url, rw.token ?? '', ann.userId);
    const made = await script.post<TaskJson>('/api/v1/tasks', { title: 'From a script' });
    assert.equal(made.status, 201);
    assert.equal((await script.patch(`/api/v1/tasks/${made.body.id}/complete`)).status, 200);
    const client = await mcp(ts.url, rw.token ?? '');
    try {
      const add = (await client.callTool({ name: 'add_task', arguments: { title: 'From MCP with a token' } })) as { isError?: boolean };
      assert.notEqual(add.isError, true);
    } finally {
      await client.close();
    }
    for (const [method, path] of [['POST', '/api/v1/tokens'], ['GET', '/api/v1/tokens'], ['DELETE', `/api/v1/tokens/${rw.id}`]] as const) {
      const res = await script.request<ErrorJson>(method, path, method === 'POST' ? { name: 'minted by a token' } : undefined);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'SESSION_REQUIRED');
    }
    const listed = (await ann.get<{ tokens: TokenJson[] }>('/api/v1/tokens')).body.tokens.find((t) => t.id === rw.id);
    assert.ok(listed?.last_used_at, 'last use is recorded');
    // Tokens are not Better Auth sessions: the auth routes do not take them.
    assert.equal((await script.get('/api/auth/get-session')).body, null);
  });

  test('revoked and expired tokens stop working; another user cannot see or revoke them', async () => {
    const t = (await create(ann, { name: 'short', scope: 'read-write', expires_at: new Date(clock + 3_600_000).toISOString() })).body;
    const script = new Client(ts.url, t.token ?? '', ann.userId);
    assert.equal((await script.get('/api/v1/tasks')).status, 200);
    assert.equal((await bob.get<{ tokens: TokenJson[] }>('/api/v1/tokens')).body.tokens.length, 0);
    assert.equal((await bob.delete(`/api/v1/tokens/${t.id}`)).status, 404);
    assert.equal((await script.get('/api/v1/tasks')).status, 200, 'Bob could not revoke it');
    clock += 2 * 3_600_000;
    assert.equal((await script.get('/api/v1/tasks')).status, 401, 'expired');
    await assert.rejects(LiveSocket.open(script), /401/);

    const other = (await create(ann, { name: 'revoke me', scope: 'read' })).body;
    const reader = new Client(ts.url, other.token ?? '', ann.userId);
    assert.equal((await reader.get('/api/v1/tasks')).status, 200);
    assert.equal((await ann.delete(`/api/v1/tokens/${other.id}`)).status, 204);
    assert.equal((await reader.get('/api/v1/tasks')).status, 401);
    assert.equal((await ann.delete(`/api/v1/tokens/${other.id}`)).status, 404);
    const badMcp = await fetch(`${ts.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${other.token ?? ''}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(badMcp.status, 401);
    assert.equal((await new Client(ts.url, 'dfp_not-a-real-token', ann.userId).get('/api/v1/tasks')).status, 401);
  });
});
