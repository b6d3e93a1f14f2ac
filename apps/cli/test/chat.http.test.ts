import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { toLocal } from '@dueflow/core';
import { Client, clockReading, type ErrorJson, eventually, needsOwnSystem, remoteUrl, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

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
    // Stored through the StateStore port (the database table in embedded mode; the distributed suite checks Dapr's).
    if (!remoteUrl) assert.ok(await ts.system.state.get(`chat:${ann.userId}:${id}`));

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
    assert.deepEqual(missing.body.tool_calls, []);
    assert.equal(missing.body.response, 'There is no task #999999.');
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
    assert.deepEqual(fresh.body.tool_calls, []);
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

describe('assistant chat with an OpenAI-compatible language model', { skip: needsOwnSystem }, () => {
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
    assert.equal(first?.body.tools.length, 16);
    // The model may propose a bulk delete but has no way to confirm one.
    const bulk = first?.body.tools.find((t) => t.function.name === 'delete_tasks');
    assert.ok(bulk && !('confirm_token' in (bulk.function.parameters.properties ?? {})));
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

describe('assistant chat rate limit', { skip: needsOwnSystem }, () => {
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

interface FlowJson extends ChatJson {
  pending?: { token: string; kind: 'confirm' | 'choose'; prompt: string; tasks: { id: number; title: string; due_date: string | null }[] };
  change?: { id: string; summary: string };
}

describe('assistant chat: confirmations, choices and undo', { skip: needsOwnSystem }, () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    // Tuesday 10 June 2031, 10:00 in Berlin, moving on from there.
    const started = Date.now();
    ts = await startSystem({}, { clock: clockReading(() => new Date(Date.parse('2031-06-10T08:00:00Z') + Date.now() - started)) });
  });
  after(async () => ts.stop());

  const task = async (body: Record<string, unknown>) => (await ann.post<TaskJson>('/api/v1/tasks', body)).body;
  const get = async (id: number) => ann.get<TaskJson>(`/api/v1/tasks/${id}`);

  test('completing several tasks waits for yes; "no" and a stale token change nothing; Undo takes the change back', async () => {
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    const errands = [await task({ title: 'Buy stamps', tags: ['errands'] }), await task({ title: 'Return books', tags: ['errands'] })];
    const other = await task({ title: 'Write report' });
    const ask = await ann.post<FlowJson>('/api/v1/chat', { message: 'complete all tasks tagged errands' });
    assert.equal(ask.body.pending?.kind, 'confirm');
    assert.deepEqual(ask.body.pending?.tasks.map((t) => t.title).sort(), ['Buy stamps', 'Return books']);
    assert.match(ask.body.response, /Buy stamps/);
    for (const t of errands) assert.equal((await get(t.id)).body.completed, false, 'nothing done before the yes');
    const conversation_id = ask.body.conversation_id;

    const no = await ann.post<FlowJson>('/api/v1/chat', { conversation_id, message: 'no' });
    assert.equal(no.body.pending, undefined);
    for (const t of errands) assert.equal((await get(t.id)).body.completed, false);
    const stale = await ann.post<FlowJson>('/api/v1/chat', { conversation_id, message: 'Yes', action: { type: 'confirm', token: ask.body.pending?.token } });
    assert.match(stale.body.response, /already been answered/);
    for (const t of errands) assert.equal((await get(t.id)).body.completed, false);

    const again = await ann.post<FlowJson>('/api/v1/chat', { conversation_id, message: 'complete all tasks tagged errands' });
    const yes = await ann.post<FlowJson>('/api/v1/chat', { conversation_id, message: 'Yes', action: { type: 'confirm', token: again.body.pending?.token } });
    for (const t of errands) assert.equal((await get(t.id)).body.completed, true);
    assert.equal((await get(other.id)).body.completed, false);
    assert.ok(yes.body.change?.id, 'the change can be undone');

    const kept = await ann.get<{ messages: { change_id?: string }[]; pending?: unknown }>(`/api/v1/chat/${conversation_id}`);
    assert.equal(kept.body.messages.at(-1)?.change_id, yes.body.change?.id);
    assert.equal(kept.body.pending, undefined);

    const undo = await ann.post<FlowJson>('/api/v1/chat', { conversation_id, message: 'Undo', action: { type: 'undo', change_id: yes.body.change?.id } });
    assert.match(undo.body.response, /^Undone: completed 2 tasks/);
    for (const t of errands) assert.equal((await get(t.id)).body.completed, false);
    const twice = await ann.post<FlowJson>('/api/v1/chat', { conversation_id, message: 'Undo', action: { type: 'undo', change_id: yes.body.change?.id } });
    assert.match(twice.body.response, /already undone/);
  });

  test('a name that fits two tasks asks which one, listing title and due date; the answer picks it', async () => {
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    const today = await task({ title: 'Buy milk', due_date: '2031-06-10T18:00' });
    const later = await task({ title: 'Buy milk', due_date: '2031-06-13T10:00' });
    const ask = await ann.post<FlowJson>('/api/v1/chat', { message: 'complete buy milk' });
    assert.equal(ask.body.pending?.kind, 'choose');
    assert.deepEqual(ask.body.pending?.tasks.map((t) => t.id), [today.id, later.id]);
    assert.match(ask.body.response, /1\. Buy milk \(due today 18:00\)\n2\. Buy milk \(due Fri 13 Jun 10:00\)/);
    assert.equal((await get(today.id)).body.completed, false);
    assert.equal((await get(later.id)).body.completed, false);
    await ann.post<FlowJson>('/api/v1/chat', { conversation_id: ask.body.conversation_id, message: 'the second one' });
    assert.equal((await get(later.id)).body.completed, true);
    assert.equal((await get(today.id)).body.completed, false);
  });

  test('"undo" restores a deleted task with its id, puts an edit back, and reopens a completion without its next occurrence', async () => {
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
    const mom = await task({ title: 'Call mom', due_date: '2031-06-11T17:00', priority: 'high' });
    const say = (conversation_id: string | undefined, message: string) => ann.post<FlowJson>('/api/v1/chat', conversation_id ? { conversation_id, message } : { message });

    const deleted = await say(undefined, 'delete call mom');
    assert.equal((await get(mom.id)).status, 404);
    const restored = await say(deleted.body.conversation_id, 'undo');
    assert.match(restored.body.response, /^Undone: deleted “Call mom”/);
    assert.equal((await get(mom.id)).body.title, 'Call mom');

    const moved = await say(deleted.body.conversation_id, 'move call mom to friday');
    assert.equal((await get(mom.id)).body.due_date, '2031-06-13T15:00:00.000Z', 'friday at the same 17:00');
    await say(moved.body.conversation_id, 'undo that');
    assert.equal((await get(mom.id)).body.due_date, mom.due_date);

    const stretch = await task({ title: 'Stretch', recurring: 'daily', due_date: '2031-06-10T21:00' });
    const done = await say(undefined, 'finished stretching');
    assert.equal((await get(stretch.id)).body.completed, true);
    await eventually(async () => ((await ann.get<TaskListJson>('/api/v1/tasks?status=all')).body.tasks.some((t) => t.recurring_parent_id === stretch.id) ? true : undefined));
    await say(done.body.conversation_id, 'undo');
    const after = (await ann.get<TaskListJson>('/api/v1/tasks?status=all')).body.tasks;
    assert.equal(after.find((t) => t.id === stretch.id)?.completed, false);
    assert.equal(after.filter((t) => t.recurring_parent_id === stretch.id).length, 0, 'the next occurrence went with the undo');
    const nothing = await say(undefined, 'undo');
    assert.equal(nothing.body.response, 'There is nothing to undo in this conversation.');

    // "restore <name>" brings back a task this conversation deleted, even after other changes.
    const gone = await say(undefined, 'delete call mom');
    await say(gone.body.conversation_id, 'add buy bread');
    const back = await say(gone.body.conversation_id, 'restore call mom');
    assert.match(back.body.response, /^Restored: #\d+ Call mom/);
    assert.equal((await get(mom.id)).status, 200);
  });
});

describe('assistant chat with a language model: the same rules hold in the tools', { skip: needsOwnSystem }, () => {
  const model = new ScriptedModelServer();
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    const baseUrl = await model.start();
    ts = await startSystem({ LLM_BASE_URL: baseUrl, LLM_MODEL: 'test-model' });
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
  });
  after(async () => {
    await ts.stop();
    await model.stop();
  });

  const toolCall = (id: string, name: string, args: Record<string, unknown>) => ({ id, type: 'function', function: { name, arguments: JSON.stringify(args) } });

  test('a bulk delete proposed by the model changes nothing until the user says yes; a token the model makes up is refused', async () => {
    const ids: number[] = [];
    for (const title of ['Old flyer', 'Old receipt']) ids.push((await ann.post<TaskJson>('/api/v1/tasks', { title, tags: ['junk'] })).body.id);
    const keep = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Keep me' })).body.id;
    model.replies.push(
      completion({ content: null, tool_calls: [toolCall('a', 'delete_tasks', { tags: ['junk'] }), toolCall('b', 'delete_tasks', { tags: ['junk'], confirm_token: 'invented-by-the-model' })] }),
      completion({ content: 'I deleted your junk.' }),
    );
    const res = await ann.post<FlowJson>('/api/v1/chat', { message: 'delete all my junk' });
    assert.deepEqual(res.body.tool_calls.map((c) => c.result.error?.code), ['CONFIRMATION_REQUIRED', 'CONFIRMATION_REQUIRED']);
    for (const id of ids) assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 200, 'nothing deleted without the user');
    assert.equal(res.body.pending?.kind, 'confirm');
    assert.match(res.body.response, /Say yes to go ahead/);
    // The token stayed with the conversation: the model never saw it.
    const seen = JSON.stringify(model.requests.at(-1)?.body.messages);
    assert.doesNotMatch(seen, /confirm_token":"[A-Za-z0-9_-]{20,}/);

    const requests = model.requests.length;
    await ann.post<FlowJson>('/api/v1/chat', { conversation_id: res.body.conversation_id, message: 'yes' });
    assert.equal(model.requests.length, requests, 'the yes is answered without the model');
    for (const id of ids) assert.equal((await ann.get(`/api/v1/tasks/${id}`)).status, 404);
    assert.equal((await ann.get(`/api/v1/tasks/${keep}`)).status, 200);
  });

  test('one message cannot delete several tasks one by one, and an ambiguous name comes back as a question', async () => {
    const a = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Draft letter' })).body.id;
    const b = (await ann.post<TaskJson>('/api/v1/tasks', { title: 'Draft memo' })).body.id;
    model.replies.push(
      completion({ content: null, tool_calls: [toolCall('c', 'delete_task', { task_title: 'draft' }), toolCall('d', 'delete_task', { task_id: a }), toolCall('e', 'delete_task', { task_id: b })] }),
      completion({ content: 'Done.' }),
    );
    const res = await ann.post<FlowJson>('/api/v1/chat', { message: 'delete the drafts' });
    assert.deepEqual(res.body.tool_calls.map((c) => c.result.error?.code ?? 'ok'), ['AMBIGUOUS_TASK', 'CONFIRMATION_REQUIRED', 'CONFIRMATION_REQUIRED']);
    assert.equal((await ann.get(`/api/v1/tasks/${a}`)).status, 200);
    assert.equal((await ann.get(`/api/v1/tasks/${b}`)).status, 200);
  });
});
