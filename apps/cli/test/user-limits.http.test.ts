// Per-user limits on the REST API and MCP: a request rate and a number of requests in progress at once.
// Over either: 429 RATE_LIMITED with Retry-After, nothing changed, and other users are not affected.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type Client, eventually, signUp, startSystem } from './harness.ts';

interface ErrorJson {
  error: { code: string; message: string };
}

/** One MCP tools/call as a plain JSON-RPC POST (what any MCP client sends). */
function mcpCall(url: string, token: string, name: string, args: Record<string, unknown>) {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
}

async function taskCount(client: Client, ts: { system: { database: { query<T>(sql: string, params?: unknown[]): Promise<T[]> } } }) {
  const [row] = await ts.system.database.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [client.userId]);
  return row?.n ?? 0;
}

describe('per-user request rate', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  before(async () => {
    ts = await startSystem({ API_RATE_LIMIT_PER_MINUTE: '4' });
  });
  after(async () => ts.stop());

  test('REST and MCP share one budget per user; over it is a 429 with Retry-After that changes nothing; another user is unaffected', async () => {
    const [ann, bob] = [await signUp(ts.url), await signUp(ts.url)];
    assert.equal((await ann.post('/api/v1/tasks', { title: 'one' })).status, 201);
    assert.equal((await ann.get('/api/v1/tasks')).status, 200);
    assert.equal((await ann.get('/api/v1/me')).status, 200);
    const viaMcp = await mcpCall(ts.url, ann.token ?? '', 'add_task', { title: 'two' });
    assert.equal(viaMcp.status, 200, await viaMcp.text());

    const over = await ann.post<ErrorJson>('/api/v1/tasks', { title: 'three' });
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'RATE_LIMITED');
    const retryAfter = Number(over.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${over.headers.get('retry-after')}`);
    const overMcp = await mcpCall(ts.url, ann.token ?? '', 'add_task', { title: 'four' });
    assert.equal(overMcp.status, 429);
    assert.match(overMcp.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(await taskCount(ann, ts), 2, 'refused requests created nothing');

    // Bob has a budget of his own.
    assert.equal((await bob.post('/api/v1/tasks', { title: 'bob' })).status, 201);
    assert.equal((await bob.get('/api/v1/tasks')).status, 200);
    assert.equal((await mcpCall(ts.url, bob.token ?? '', 'list_tasks', {})).status, 200);
  });
});

/**
 * Starts a POST whose body is held back after its first byte, so the request stays in progress (it has
 * been authenticated and admitted; its body is still being read) until `finish` sends the rest.
 */
function heldCreate(url: string, token: string, title: string) {
  const body = JSON.stringify({ title });
  const req = httpRequest(`${url}/api/v1/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
  });
  const response = new Promise<number>((resolveStatus, reject) => {
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.once('error', reject);
  });
  req.write(body.slice(0, 1));
  return { response, finish: () => req.end(body.slice(1)), abort: () => req.destroy() };
}

describe('per-user requests in progress', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  before(async () => {
    ts = await startSystem({ API_CONCURRENCY_PER_USER: '1', API_QUEUE_PER_USER: '0' });
  });
  after(async () => ts.stop());

  /**
   * A held create of Ann's that has her one slot: with no queue, her other requests either run (the held
   * one is not admitted yet) or get 429 (it is). If a probe took the slot first, the held one itself is
   * refused: start another.
   */
  async function holdSlot(ann: Client) {
    for (;;) {
      const held = heldCreate(ts.url, ann.token ?? '', 'held');
      held.response.catch(() => {});
      const outcome = await eventually(async () => {
        const probe = await ann.get<ErrorJson>('/api/v1/tasks');
        if (probe.status === 429) return { admitted: true as const, probe };
        const early = await Promise.race([held.response, Promise.resolve(null)]);
        return early === 429 ? { admitted: false as const } : undefined;
      });
      if (outcome.admitted) return { held, probe: outcome.probe };
    }
  }

  test('beyond the requests a user may have in progress they get 429 with Retry-After; another user is unaffected; the slot comes back', async () => {
    const [ann, bob] = [await signUp(ts.url), await signUp(ts.url)];
    const { held, probe } = await holdSlot(ann);
    try {
      assert.equal(probe.body.error.code, 'RATE_LIMITED');
      assert.equal(probe.headers.get('retry-after'), '1');
      assert.equal((await ann.post('/api/v1/tasks', { title: 'refused' })).status, 429);
      // Bob is not held up by Ann's slot.
      assert.equal((await bob.get('/api/v1/tasks')).status, 200);
      assert.equal((await bob.post('/api/v1/tasks', { title: 'bob' })).status, 201);
      assert.equal((await mcpCall(ts.url, bob.token ?? '', 'list_tasks', {})).status, 200);
    } finally {
      held.finish();
    }
    assert.equal(await held.response, 201);
    assert.equal((await ann.get('/api/v1/tasks')).status, 200);
    assert.equal(await taskCount(ann, ts), 1, 'only the held create wrote');
  });

  test('a client that goes away mid-request gives its slot back', async () => {
    const ann = await signUp(ts.url);
    const { held } = await holdSlot(ann);
    held.abort();
    await eventually(async () => ((await ann.get('/api/v1/tasks')).status === 200 ? true : undefined));
    assert.equal(await taskCount(ann, ts), 0, 'the abandoned create wrote nothing');
  });
});
