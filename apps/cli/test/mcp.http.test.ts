import assert from 'node:assert/strict';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type Client, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

interface CallResult {
  isError?: boolean;
  content: { type: string; text: string }[];
}

/** An MCP client of the official SDK over Streamable HTTP, signed in as `user`. */
async function connect(url: string, token: string): Promise<McpClient> {
  const client = new McpClient({ name: 'dueflow-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

async function call(client: McpClient, name: string, args: Record<string, unknown>) {
  const res = (await client.callTool({ name, arguments: args })) as CallResult;
  const [message, data] = res.content;
  return { isError: res.isError === true, message: message?.text ?? '', data: JSON.parse(data?.text ?? '{}') as { task?: TaskJson; tasks?: TaskJson[]; error?: { code: string } } };
}

describe('MCP server over Streamable HTTP', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  let mcp: McpClient;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    bob = await signUp(ts.url);
    mcp = await connect(ts.url, ann.token ?? '');
  });
  after(async () => {
    await mcp.close();
    await ts.stop();
  });

  test('lists the task tools with their input schemas; destructive ones say so', async () => {
    const { tools } = await mcp.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'add_tag', 'add_task', 'complete_task', 'complete_tasks', 'create_recurring', 'delete_task', 'delete_tasks', 'filter_tasks', 'list_tasks',
      'remove_tag', 'search_tasks', 'set_due_date', 'set_priority', 'set_reminder', 'sort_tasks', 'update_task',
    ]);
    assert.equal(tools.find((t) => t.name === 'delete_tasks')?.annotations?.destructiveHint, true);
    assert.equal(tools.find((t) => t.name === 'list_tasks')?.annotations?.destructiveHint, false);
    const add = tools.find((t) => t.name === 'add_task');
    assert.deepEqual(add?.inputSchema.required, ['title']);
    assert.ok(add?.inputSchema.properties && 'due_date' in add.inputSchema.properties);
  });

  test('every tool acts on the caller\'s tasks, as the REST API shows them', async () => {
    const added = await call(mcp, 'add_task', { title: 'Buy milk', priority: 'high', tags: ['Errands'], due_date: '2031-03-04T17:00' });
    assert.equal(added.isError, false, added.message);
    const id = added.data.task?.id;
    assert.ok(id);
    assert.match(added.message, /^Added: #\d+ Buy milk \(due Tue 4 Mar 2031 17:00, high priority, #errands\)\.$/);
    const rest = await ann.get<TaskJson>(`/api/v1/tasks/${id}`);
    assert.equal(rest.body.due_date, '2031-03-04T16:00:00.000Z'); // 17:00 in Berlin
    assert.deepEqual(rest.body.tags, ['errands']);

    await call(mcp, 'add_task', { title: 'Call the dentist' });
    const listed = await call(mcp, 'list_tasks', {});
    assert.deepEqual(listed.data.tasks?.map((t) => t.title), ['Call the dentist', 'Buy milk']);
    assert.match(listed.message, /- #\d+ Call the dentist\n- #\d+ Buy milk/);

    assert.equal((await call(mcp, 'set_priority', { task_title: 'dentist', priority: 'low' })).data.task?.priority, 'low');
    assert.deepEqual((await call(mcp, 'add_tag', { task_id: id, tags: ['home', '#Shop'] })).data.task?.tags, ['errands', 'home', 'shop']);
    assert.deepEqual((await call(mcp, 'remove_tag', { task_id: String(id), tags: ['errands'] })).data.task?.tags, ['home', 'shop']);
    const moved = await call(mcp, 'set_due_date', { task_id: id, due_date: '2031-03-05' });
    assert.equal(moved.data.task?.due_date, '2031-03-05T22:59:59.000Z'); // end of that day in Berlin
    const reminded = await call(mcp, 'set_reminder', { task_id: id, remind_before_minutes: 60 });
    assert.equal(reminded.data.task?.reminder_at, '2031-03-05T21:59:59.000Z');
    assert.equal((await call(mcp, 'update_task', { task_id: id, title: 'Buy oat milk', description: '2 litres' })).data.task?.title, 'Buy oat milk');

    assert.deepEqual((await call(mcp, 'search_tasks', { query: 'oat' })).data.tasks?.map((t) => t.id), [id]);
    assert.deepEqual((await call(mcp, 'filter_tasks', { priority: ['high'] })).data.tasks?.map((t) => t.id), [id]);
    assert.deepEqual((await call(mcp, 'sort_tasks', { sort: 'title' })).data.tasks?.map((t) => t.title), ['Buy oat milk', 'Call the dentist']);

    const done = await call(mcp, 'complete_task', { task_title: 'buy oat milk' });
    assert.equal(done.data.task?.completed, true);
    assert.deepEqual((await call(mcp, 'list_tasks', { status: 'completed' })).data.tasks?.map((t) => t.id), [id]);
    assert.equal((await call(mcp, 'delete_task', { task_id: id })).isError, false);
    assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 404);
  });

  test('create_recurring makes a repeating task', async () => {
    const res = await call(mcp, 'create_recurring', { title: 'Water plants', pattern: 'weekly', by_weekday: ['MO', 'TH'], due_date: '2031-03-03T09:00' });
    assert.equal(res.isError, false, res.message);
    assert.equal(res.data.task?.recurring, 'weekly');
    assert.match(res.message, /every week on Mon, Thu/);
  });

  test('bad arguments and unknown tasks are errors that change nothing', async () => {
    const before = (await ann.get<TaskListJson>('/api/v1/tasks')).body.total;
    const bad = await call(mcp, 'add_task', { title: '' });
    assert.equal(bad.isError, true);
    assert.equal((await call(mcp, 'set_priority', { task_id: 1, priority: 'urgent' })).isError, true);
    const noRef = await call(mcp, 'delete_task', {});
    assert.equal(noRef.isError, true);
    assert.equal(noRef.data.error?.code, 'TASK_REFERENCE_REQUIRED');
    const missing = await call(mcp, 'complete_task', { task_title: 'no such thing anywhere' });
    assert.equal(missing.data.error?.code, 'TASK_NOT_FOUND');
    assert.equal((await ann.get<TaskListJson>('/api/v1/tasks')).body.total, before);
  });

  test('a title that matches several tasks asks which one', async () => {
    await call(mcp, 'add_task', { title: 'Report for Anna' });
    await call(mcp, 'add_task', { title: 'Report for Ben' });
    const res = await call(mcp, 'complete_task', { task_title: 'report' });
    assert.equal(res.isError, true);
    assert.equal(res.data.error?.code, 'AMBIGUOUS_TASK');
    assert.match(res.message, /Report for Anna.*Report for Ben|Report for Ben.*Report for Anna/);
  });

  test('a bulk delete takes two calls: the first lists and changes nothing, only its single-use token acts', async () => {
    const ids: number[] = [];
    for (const title of ['Old flyer', 'Old receipt']) ids.push((await call(mcp, 'add_task', { title, tags: ['junk'] })).data.task?.id ?? 0);
    const keep = (await call(mcp, 'add_task', { title: 'Keep me' })).data.task?.id;
    const first = await call(mcp, 'delete_tasks', { tags: ['junk'] });
    assert.equal(first.isError, true);
    const details = first.data.error as { code: string; details?: { confirm_token: string; task_ids: number[] } } | undefined;
    assert.equal(details?.code, 'CONFIRMATION_REQUIRED');
    assert.deepEqual([...(details?.details?.task_ids ?? [])].sort(), [...ids].sort());
    assert.match(first.message, /Old flyer/);
    for (const id of ids) assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 200, 'nothing deleted by the first call');
    // A made-up token does nothing; the real one works once, on exactly the tasks listed.
    assert.equal((await call(mcp, 'delete_tasks', { confirm_token: 'made-up-token-123' })).data.error?.code, 'CONFIRMATION_INVALID');
    const token = details?.details?.confirm_token ?? '';
    assert.equal((await call(mcp, 'complete_tasks', { confirm_token: token })).data.error?.code, 'CONFIRMATION_INVALID', 'a delete token does not complete');
    const second = await call(mcp, 'delete_tasks', { confirm_token: token });
    assert.equal(second.isError, false, second.message);
    for (const id of ids) assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 404);
    assert.equal((await ann.get(`/api/v1/tasks/${keep}`)).status, 200);
    assert.equal((await call(mcp, 'delete_tasks', { confirm_token: token })).data.error?.code, 'CONFIRMATION_INVALID', 'single use');
  });

  test('another user\'s task is out of reach', async () => {
    const bobs = await bob.post<TaskJson>('/api/v1/tasks', { title: 'Bob only' });
    const res = await call(mcp, 'delete_task', { task_id: bobs.body.id });
    assert.equal(res.data.error?.code, 'TASK_NOT_FOUND');
    assert.equal((await call(mcp, 'search_tasks', { query: 'Bob only' })).data.tasks?.length, 0);
    assert.equal((await bob.get(`/api/v1/tasks/${bobs.body.id}`)).status, 200);
  });

  test('the endpoint needs a valid bearer token and takes POST only', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await fetch(`${ts.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(init) });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
    const forged = await fetch(`${ts.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: 'Bearer not-a-token' }, body: JSON.stringify(init) });
    assert.equal(forged.status, 401);
    const get = await fetch(`${ts.url}/mcp`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${ann.token}` } });
    assert.equal(get.status, 405);
    await assert.rejects(connect(ts.url, 'not-a-token'));
  });
});

describe('dueflow mcp (stdio)', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
  });
  after(async () => ts.stop());

  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const stdio = (env: Record<string, string>) =>
    new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', main, 'mcp'], env: { PATH: process.env['PATH'] ?? '', ...env }, stderr: 'pipe' });

  test('a desktop client on stdin/stdout reaches the caller\'s tasks', async () => {
    const client = new McpClient({ name: 'desktop', version: '1.0.0' });
    await client.connect(stdio({ DUEFLOW_URL: ts.url, DUEFLOW_TOKEN: ann.token ?? '' }));
    try {
      assert.equal((await client.listTools()).tools.length, 16);
      const added = await call(client, 'add_task', { title: 'From the desktop' });
      assert.equal(added.isError, false, added.message);
      assert.equal((await ann.get<TaskJson>(`/api/v1/tasks/${added.data.task?.id}`)).body.title, 'From the desktop');
    } finally {
      await client.close();
    }
  });

  test('a bad token is an error the client sees, not a hang', async () => {
    const client = new McpClient({ name: 'desktop', version: '1.0.0' });
    await assert.rejects(client.connect(stdio({ DUEFLOW_URL: ts.url, DUEFLOW_TOKEN: 'wrong' })), /unreachable or refused/);
    await client.close();
  });
});
