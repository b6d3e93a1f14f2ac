import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { toLocal } from '@dueflow/core';
import { Client, type ErrorJson, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

interface ChatJson {
  conversation_id: string;
  response: string;
  tool_calls: { name: string; arguments: Record<string, unknown>; result: { ok: boolean; message: string; task?: TaskJson; tasks?: TaskJson[]; error?: { code: string } } }[];
}

describe('assistant chat, built-in parser (no language model configured)', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'America/New_York' });
    bob = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('a message becomes a task with its due date, priority and tags in the user\'s zone', async () => {
    const res = await ann.post<ChatJson>('/api/v1/chat', { message: 'add buy milk tomorrow at 5pm #errands high priority' });
    assert.equal(res.status, 200);
    assert.match(res.body.conversation_id, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.tool_calls.length, 1);
    const [call] = res.body.tool_calls;
    assert.equal(call?.name, 'add_task');
    const task = (await ann.get<TaskJson>(`/api/v1/tasks/${call?.result.task?.id}`)).body;
    assert.equal(task.title, 'buy milk');
    assert.equal(task.priority, 'high');
    assert.deepEqual(task.tags, ['errands']);
    const due = toLocal(new Date(task.due_date ?? ''), 'America/New_York');
    const today = toLocal(new Date(), 'America/New_York');
    assert.deepEqual([due.hour, due.minute], [17, 0]);
    assert.equal(Date.UTC(due.year, due.month - 1, due.day) - Date.UTC(today.year, today.month - 1, today.day), 86_400_000);
    assert.match(res.body.response, /^Added: #\d+ buy milk \(due tomorrow 17:00, high priority, #errands\)\.$/);
  });

  test('a conversation continues and is kept for its owner only', async () => {
    const first = await ann.post<ChatJson>('/api/v1/chat', { message: 'add call the plumber' });
    const id = first.body.conversation_id;
    const second = await ann.post<ChatJson>('/api/v1/chat', { conversation_id: id, message: 'show my tasks' });
    assert.equal(second.body.conversation_id, id);
    assert.equal(second.body.tool_calls[0]?.name, 'list_tasks');
    assert.match(second.body.response, /call the plumber/);
    const kept = await ann.get<{ id: string; messages: { role: string; content: string }[] }>(`/api/v1/chat/${id}`);
    assert.equal(kept.status, 200);
    assert.deepEqual(kept.body.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.equal(kept.body.messages[2]?.content, 'show my tasks');
    // The list is in the answer's text; the kept tool call has its outcome, not the tasks.
    const keptCall = (kept.body.messages[3] as { tool_calls?: { name: string; result: Record<string, unknown> }[] } | undefined)?.tool_calls?.[0];
    assert.equal(keptCall?.name, 'list_tasks');
    assert.equal(keptCall?.result['ok'], true);
    assert.equal('tasks' in (keptCall?.result ?? {}), false);
    assert.ok(second.body.tool_calls[0]?.result.tasks?.length, 'the reply itself carries the tasks');
    assert.equal('user_id' in kept.body, false);
    // Stored through the StateStore port (the database table in embedded mode).
    assert.ok(await ts.system.state.get(`chat:${ann.userId}:${id}`));

    const stranger = await bob.post<ErrorJson>('/api/v1/chat', { conversation_id: id, message: 'show my tasks' });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.error.code, 'CONVERSATION_NOT_FOUND');
    assert.equal((await bob.get<ErrorJson>(`/api/v1/chat/${id}`)).status, 404);
  });

  test('complete, reprioritise and delete by title; an unknown title is said plainly', async () => {
    await ann.post('/api/v1/chat', { message: 'add water the plants' });
    const done = await ann.post<ChatJson>('/api/v1/chat', { message: 'complete water the plants' });
    assert.equal(done.body.tool_calls[0]?.result.task?.completed, true);
    const missing = await ann.post<ChatJson>('/api/v1/chat', { message: 'delete task 999999' });
    assert.equal(missing.status, 200);
    assert.equal(missing.body.tool_calls[0]?.result.error?.code, 'TASK_NOT_FOUND');
    assert.match(missing.body.response, /^I could not do that: /);
  });

  test('"it" and "that one" name the task the conversation was just about', async () => {
    const first = await ann.post<ChatJson>('/api/v1/chat', { message: 'add renew the car insurance' });
    const id = first.body.tool_calls[0]?.result.task?.id;
    const conversation_id = first.body.conversation_id;
    const say = (message: string) => ann.post<ChatJson>('/api/v1/chat', { conversation_id, message });
    assert.equal((await say('make it high priority')).body.tool_calls[0]?.result.task?.id, id);
    await say('move it to friday 9am');
    await say('tag that one with #car');
    const task = (await ann.get<TaskJson>(`/api/v1/tasks/${id}`)).body;
    assert.equal(task.priority, 'high');
    assert.deepEqual(task.tags, ['car']);
    assert.equal(toLocal(new Date(task.due_date ?? ''), 'America/New_York').hour, 9);
    assert.equal((await say('complete it')).body.tool_calls[0]?.result.task?.completed, true);

    // A new conversation has no "it" yet: it asks, and nothing changes.
    const before = (await ann.get<TaskListJson>('/api/v1/tasks')).body.total;
    const fresh = await ann.post<ChatJson>('/api/v1/chat', { message: 'delete it' });
    assert.equal(fresh.body.response, 'Which task do you mean? Say its number or its title.');
    assert.equal(fresh.body.tool_calls[0]?.result.ok, false);
    assert.equal((await ann.get<TaskListJson>('/api/v1/tasks')).body.total, before);
  });

  test('what it does not understand changes nothing', async () => {
    const before = (await ann.get<TaskListJson>('/api/v1/tasks')).body.total;
    const res = await ann.post<ChatJson>('/api/v1/chat', { message: 'qwzx plorf' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.tool_calls, []);
    assert.ok(res.body.response.length > 20);
    assert.equal((await ann.get<TaskListJson>('/api/v1/tasks')).body.total, before);
  });

  test('bad requests are 4xx with stable codes', async () => {
    for (const body of [{}, { message: '   ' }, { message: 'x'.repeat(4001) }, { message: 'hi', extra: 1 }, { message: 'hi', conversation_id: 'nope' }]) {
      const res = await ann.post<ErrorJson>('/api/v1/chat', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
    assert.equal((await new Client(ts.url).post('/api/v1/chat', { message: 'hi' })).status, 401);
    const unknown = await ann.post<ErrorJson>('/api/v1/chat', { message: 'hi', conversation_id: '00000000-0000-4000-8000-000000000000' });
    assert.equal(unknown.status, 404);
  });

  test('the compatibility route answers for the caller only', async () => {
    const own = await ann.post<ChatJson>(`/api/${ann.userId}/chat`, { message: 'list tasks' });
    assert.equal(own.status, 200);
    assert.equal(own.body.tool_calls[0]?.name, 'list_tasks');
    const other = await ann.post<ErrorJson>(`/api/${bob.userId}/chat`, { message: 'list tasks' });
    assert.equal(other.status, 403);
  });
});

/**
 * A scripted server speaking the OpenAI chat-completions protocol: no language model can run here,
 * so this stands in for OpenRouter/OpenAI to test the agent loop over the real wire format.
 */
class ScriptedModelServer {
  readonly requests: { authorization: string | undefined; body: { model: string; messages: { role: string; content: string | null }[]; tools: { function: { name: string; parameters: { properties?: Record<string, unknown> } } }[] } }[] = [];
  replies: (() => { status: number; body: unknown })[] = [];
  private server: Server | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        this.requests.push({ authorization: req.headers.authorization, body: JSON.parse(text) as ScriptedModelServer['requests'][number]['body'] });
        const next = this.replies.shift() ?? (() => ({ status: 500, body: { error: 'no scripted reply' } }));
        const { status, body } = next();
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop() {
    await new Promise((r) => this.server?.close(r));
  }
}

const readBody = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

const completion = (message: Record<string, unknown>) => () => ({ status: 200, body: { id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }] } });

describe('assistant chat with an OpenAI-compatible language model', () => {
  const model = new ScriptedModelServer();
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    const baseUrl = await model.start();
    ts = await startSystem({ LLM_BASE_URL: baseUrl, LLM_MODEL: 'test-model', LLM_API_KEY: 'sk-test-key' });
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
  });
  after(async () => {
    await ts.stop();
    await model.stop();
  });

  test('the model calls tools, sees their results and answers', async () => {
    model.replies.push(
      completion({ content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'add_task', arguments: JSON.stringify({ title: 'Book flights', priority: 'high', due_date: '2031-05-02' }) } }] }),
      completion({ content: 'Added “Book flights” for Friday.' }),
    );
    const res = await ann.post<ChatJson>('/api/v1/chat', { message: 'I need to book flights by May 2nd, it is important' });
    assert.equal(res.status, 200);
    assert.equal(res.body.response, 'Added “Book flights” for Friday.');
    assert.equal(res.body.tool_calls[0]?.name, 'add_task');
    const task = res.body.tool_calls[0]?.result.task;
    assert.equal(task?.priority, 'high');
    assert.equal((await ann.get<TaskJson>(`/api/v1/tasks/${task?.id}`)).body.title, 'Book flights');

    const [first, second] = model.requests.slice(-2);
    assert.equal(first?.authorization, 'Bearer sk-test-key');
    assert.equal(first?.body.model, 'test-model');
    assert.equal(first?.body.tools.length, 14);
    assert.ok(first?.body.tools.find((t) => t.function.name === 'set_reminder')?.function.parameters.properties?.['remind_before_minutes']);
    assert.match(first?.body.messages[0]?.content ?? '', /Europe\/Berlin/);
    // The second round carries the tool's result back to the model.
    const toolMessage = second?.body.messages.at(-1);
    assert.equal(toolMessage?.role, 'tool');
    assert.match(toolMessage?.content ?? '', /"ok":true/);
  });

  test('a bad tool call is reported back to the model, which can correct itself', async () => {
    model.replies.push(
      completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'set_priority', arguments: '{"task_title":"Book flights","priority":"urgent"}' } }] }),
      completion({ content: null, tool_calls: [{ id: 'd', type: 'function', function: { name: 'set_priority', arguments: '{"task_title":"Book flights","priority":"low"}' } }] }),
      completion({ content: 'Lowered it.' }),
    );
    const res = await ann.post<ChatJson>('/api/v1/chat', { message: 'make the flights less important' });
    assert.deepEqual(res.body.tool_calls.map((c) => c.result.ok), [false, true]);
    assert.equal(res.body.tool_calls[0]?.result.error?.code, 'VALIDATION_FAILED');
    assert.equal(res.body.tool_calls[1]?.result.task?.priority, 'low');
  });

  test('history goes to the model; when the model is down the built-in parser answers', async () => {
    model.replies.push(completion({ content: 'Hello!' }));
    const first = await ann.post<ChatJson>('/api/v1/chat', { message: 'hi there' });
    model.replies.push(() => ({ status: 503, body: { error: 'overloaded' } }));
    const res = await ann.post<ChatJson>('/api/v1/chat', { conversation_id: first.body.conversation_id, message: 'add renew passport' });
    assert.equal(res.status, 200);
    assert.equal(res.body.tool_calls[0]?.name, 'add_task');
    assert.equal(res.body.tool_calls[0]?.result.task?.title, 'renew passport');
    const seen = model.requests.at(-1)?.body.messages.map((m) => m.content);
    assert.deepEqual(seen?.slice(1), ['hi there', 'Hello!', 'add renew passport']);
  });
});

describe('assistant chat rate limit', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  before(async () => {
    ts = await startSystem({ CHAT_RATE_LIMIT_PER_MINUTE: '2' });
  });
  after(async () => ts.stop());

  test('each user gets their own budget of messages a minute; over it is a 429 with Retry-After that changes nothing', async () => {
    const [ann, bob] = [await signUp(ts.url), await signUp(ts.url)];
    for (const n of [1, 2]) assert.equal((await ann.post('/api/v1/chat', { message: `add task ${n}` })).status, 200);
    const over = await ann.post<ErrorJson>('/api/v1/chat', { message: 'add task 3 today' });
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'RATE_LIMITED');
    assert.match(over.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await ann.get<TaskListJson>('/api/v1/tasks')).body.total, 2);
    assert.equal((await bob.post('/api/v1/chat', { message: 'hello' })).status, 200);
  });
});
