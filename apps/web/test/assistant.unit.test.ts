// The assistant panel's pure parts: stored conversation id, message checks, Enter handling,
// tool-call lines and the conversation reducer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../lib/api.ts';
import {
  canSend,
  type ChatAction,
  chatReducer,
  type ChatState,
  CONVERSATION_STORAGE_KEY,
  describeToolCall,
  entriesFromConversation,
  initialChatState,
  isConversationGone,
  MESSAGE_MAX_LENGTH,
  prepareMessage,
  readConversationId,
  sendsOnEnter,
  type StorageLike,
  writeConversationId,
} from '../lib/assistant.ts';
import type { ChatReply, Conversation, ToolCallRecord } from '../lib/types.ts';

const ID_A = '0b6f5f0e-3c1d-4a53-9b1e-2f4d6c8a9e10';
const ID_B = '7d2c1a44-9e8f-4b6a-a1c3-5e7f9b0d2c46';

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const blockedStorage: StorageLike = {
  getItem: () => {
    throw new Error('SecurityError');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
  removeItem: () => {
    throw new Error('SecurityError');
  },
};

const addTask: ToolCallRecord = { name: 'add_task', arguments: { title: 'buy milk' }, result: { ok: true, message: 'Added #1 buy milk.' } };
const missingTask: ToolCallRecord = {
  name: 'complete_task',
  arguments: { task_title: 'nope' },
  result: { ok: false, message: 'no task called "nope"', error: { code: 'TASK_NOT_FOUND', message: 'no task called "nope"' } },
};

const reply = (conversationId: string, response = 'Done.', toolCalls: ToolCallRecord[] = []): ChatReply => ({ conversation_id: conversationId, response, tool_calls: toolCalls });

function conversation(id: string): Conversation {
  return {
    id,
    created_at: '2026-11-25T10:00:00.000Z',
    updated_at: '2026-11-25T10:00:01.000Z',
    messages: [
      { role: 'user', content: 'add buy milk', created_at: '2026-11-25T10:00:00.000Z' },
      { role: 'assistant', content: 'Added #1 buy milk.', created_at: '2026-11-25T10:00:01.000Z', tool_calls: [addTask] },
    ],
  };
}

const run = (state: ChatState, ...actions: ChatAction[]): ChatState => actions.reduce(chatReducer, state);

test('the conversation id round-trips through storage; anything that is not a UUID is ignored', () => {
  const storage = memoryStorage();
  assert.equal(readConversationId(storage), null);
  writeConversationId(storage, ID_A);
  assert.equal(storage.data.get(CONVERSATION_STORAGE_KEY), ID_A);
  assert.equal(readConversationId(storage), ID_A);
  writeConversationId(storage, null);
  assert.equal(storage.data.has(CONVERSATION_STORAGE_KEY), false, 'null forgets the id');
  assert.equal(readConversationId(memoryStorage({ [CONVERSATION_STORAGE_KEY]: 'not-a-uuid' })), null);
  assert.equal(readConversationId(memoryStorage({ [CONVERSATION_STORAGE_KEY]: `${ID_A}/../x` })), null);
});

test('blocked or missing storage costs the restore, never an exception', () => {
  assert.equal(readConversationId(blockedStorage), null);
  assert.doesNotThrow(() => writeConversationId(blockedStorage, ID_A));
  assert.doesNotThrow(() => writeConversationId(blockedStorage, null));
  assert.equal(readConversationId(null), null);
  assert.doesNotThrow(() => writeConversationId(null, ID_A));
});

test('prepareMessage trims, refuses blank and over-long messages', () => {
  assert.equal(prepareMessage('  show my tasks \n'), 'show my tasks');
  assert.equal(prepareMessage('line one\nline two'), 'line one\nline two', 'inner line breaks are kept');
  assert.equal(prepareMessage(''), null);
  assert.equal(prepareMessage(' \n\t '), null);
  assert.equal(prepareMessage('x'.repeat(MESSAGE_MAX_LENGTH)), 'x'.repeat(MESSAGE_MAX_LENGTH));
  assert.equal(prepareMessage('x'.repeat(MESSAGE_MAX_LENGTH + 1)), null);
  assert.equal(prepareMessage(`  ${'x'.repeat(MESSAGE_MAX_LENGTH)}  `), 'x'.repeat(MESSAGE_MAX_LENGTH), 'the limit applies after trimming');
});

test('Enter sends; Shift+Enter, Alt+Enter and Enter during IME composition do not', () => {
  const key = (k: string, mods: Partial<{ shiftKey: boolean; altKey: boolean; isComposing: boolean }> = {}) => ({ key: k, shiftKey: false, altKey: false, isComposing: false, ...mods });
  assert.equal(sendsOnEnter(key('Enter')), true);
  assert.equal(sendsOnEnter(key('Enter', { shiftKey: true })), false);
  assert.equal(sendsOnEnter(key('Enter', { altKey: true })), false);
  assert.equal(sendsOnEnter(key('Enter', { isComposing: true })), false);
  assert.equal(sendsOnEnter(key('a')), false);
});

test('tool calls read as "add_task" or "complete_task: TASK_NOT_FOUND"', () => {
  assert.deepEqual(describeToolCall(addTask), { ok: true, text: 'add_task', detail: 'Added #1 buy milk.' });
  assert.deepEqual(describeToolCall(missingTask), { ok: false, text: 'complete_task: TASK_NOT_FOUND', detail: 'no task called "nope"' });
  const noCode: ToolCallRecord = { ...missingTask, result: { ok: false, message: 'failed' } };
  assert.equal(describeToolCall(noCode).text, 'complete_task');
});

test('isConversationGone is only the 404 CONVERSATION_NOT_FOUND', () => {
  assert.equal(isConversationGone(new ApiError(404, 'CONVERSATION_NOT_FOUND', 'no such conversation')), true);
  assert.equal(isConversationGone(new ApiError(404, 'NOT_FOUND', 'route')), false);
  assert.equal(isConversationGone(new ApiError(400, 'VALIDATION_FAILED', 'bad')), false);
  assert.equal(isConversationGone(new Error('CONVERSATION_NOT_FOUND')), false);
});

test('a stored conversation is restored with its messages and tool calls', () => {
  const start = initialChatState(ID_A);
  assert.equal(start.phase, 'unloaded');
  assert.equal(canSend(start), false, 'nothing goes out before the conversation is back');
  const restoring = chatReducer(start, { type: 'restore-started' });
  assert.equal(restoring.phase, 'restoring');
  const restored = chatReducer(restoring, { type: 'restored', conversation: conversation(ID_A) });
  assert.equal(restored.phase, 'ready');
  assert.equal(restored.conversationId, ID_A);
  assert.deepEqual(
    restored.entries.map((e) => [e.role, e.content, e.toolCalls.length, e.status]),
    [
      ['user', 'add buy milk', 0, 'sent'],
      ['assistant', 'Added #1 buy milk.', 1, 'sent'],
    ],
  );
  assert.equal(new Set(restored.entries.map((e) => e.key)).size, 2, 'entry keys are unique');
});

test('restoring: an answer for another conversation is dropped; 404 starts fresh; other errors can be retried', () => {
  const restoring = run(initialChatState(ID_A), { type: 'restore-started' });
  assert.equal(chatReducer(restoring, { type: 'restored', conversation: conversation(ID_B) }), restoring);

  const gone = chatReducer(restoring, { type: 'conversation-gone', id: ID_A });
  assert.deepEqual(gone, initialChatState(null));
  assert.equal(canSend(gone), true);

  const failed = chatReducer(restoring, { type: 'restore-failed', message: 'Dueflow cannot be reached.' });
  assert.equal(failed.phase, 'unloaded', 'back to "not loaded", so a retry fetches again');
  assert.deepEqual(failed.error, { kind: 'restore', message: 'Dueflow cannot be reached.' });
  const again = chatReducer(failed, { type: 'restore-started' });
  assert.equal(again.phase, 'restoring');
  assert.equal(again.error, null);

  assert.equal(chatReducer(initialChatState(null), { type: 'restore-started' }).phase, 'ready', 'nothing to restore without an id');
});

test('send, wait, answer: the answer carries its tool calls and names the conversation', () => {
  const waiting = chatReducer(initialChatState(null), { type: 'sent', key: 'k1', text: 'add buy milk' });
  assert.equal(waiting.phase, 'waiting');
  assert.equal(canSend(waiting), false);
  assert.deepEqual(
    waiting.entries.map((e) => [e.role, e.status]),
    [['user', 'sending']],
  );
  assert.equal(chatReducer(waiting, { type: 'sent', key: 'k2', text: 'again' }), waiting, 'one message at a time');

  const answered = chatReducer(waiting, { type: 'answered', key: 'k1', reply: reply(ID_A, 'Added #1 buy milk.', [addTask]) });
  assert.equal(answered.phase, 'ready');
  assert.equal(answered.conversationId, ID_A);
  assert.deepEqual(
    answered.entries.map((e) => [e.role, e.content, e.status, e.toolCalls.map((c) => c.name)]),
    [
      ['user', 'add buy milk', 'sent', []],
      ['assistant', 'Added #1 buy milk.', 'sent', ['add_task']],
    ],
  );
});

test('a failed send is marked, says why, and a retry sends the same entry again', () => {
  const failed = run(initialChatState(null), { type: 'sent', key: 'k1', text: 'show my tasks' }, { type: 'send-failed', key: 'k1', message: 'Dueflow cannot be reached.' });
  assert.equal(failed.phase, 'ready');
  assert.equal(failed.entries[0]?.status, 'failed');
  assert.deepEqual(failed.error, { kind: 'send', entryKey: 'k1', message: 'Dueflow cannot be reached.' });

  const retried = chatReducer(failed, { type: 'retried', key: 'k1' });
  assert.equal(retried.phase, 'waiting');
  assert.equal(retried.error, null);
  assert.equal(retried.entries.length, 1, 'no second copy of the message');
  assert.equal(retried.entries[0]?.status, 'sending');

  const answered = chatReducer(retried, { type: 'answered', key: 'k1', reply: reply(ID_A) });
  assert.deepEqual(
    answered.entries.map((e) => [e.role, e.status]),
    [
      ['user', 'sent'],
      ['assistant', 'sent'],
    ],
  );
  assert.equal(chatReducer(answered, { type: 'retried', key: 'k1' }), answered, 'only a failed entry can be retried');
});

test('"New conversation" while waiting: the late answer lands nowhere and names no conversation', () => {
  const waiting = run(initialChatState(ID_A), { type: 'restore-started' }, { type: 'restored', conversation: conversation(ID_A) }, { type: 'sent', key: 'k1', text: 'show my tasks' });
  const fresh = chatReducer(waiting, { type: 'reset' });
  assert.deepEqual(fresh, initialChatState(null));
  assert.equal(chatReducer(fresh, { type: 'answered', key: 'k1', reply: reply(ID_A) }), fresh);
  assert.equal(chatReducer(fresh, { type: 'send-failed', key: 'k1', message: 'x' }), fresh);
});

test('the conversation disappearing mid-send keeps the messages on screen and drops the id', () => {
  const waiting = run(initialChatState(ID_A), { type: 'restore-started' }, { type: 'restored', conversation: conversation(ID_A) }, { type: 'sent', key: 'k1', text: 'show my tasks' });
  const gone = chatReducer(waiting, { type: 'conversation-gone', id: ID_A });
  assert.equal(gone.conversationId, null);
  assert.equal(gone.entries.length, 3);
  assert.equal(gone.phase, 'waiting', 'the message is being sent again as a new conversation');
  const answered = chatReducer(gone, { type: 'answered', key: 'k1', reply: reply(ID_B) });
  assert.equal(answered.conversationId, ID_B);
  assert.equal(chatReducer(answered, { type: 'conversation-gone', id: ID_A }), answered, 'news about an older conversation changes nothing');
});

test('entriesFromConversation: messages without tool calls get an empty list', () => {
  const entries = entriesFromConversation(conversation(ID_A));
  assert.deepEqual(entries[0]?.toolCalls, []);
  assert.deepEqual(entries[1]?.toolCalls, [addTask]);
  assert.deepEqual(entriesFromConversation({ ...conversation(ID_A), messages: [] }), []);
});

test('a question keeps its buttons only while it is the newest; Undo goes once its change is taken back', () => {
  const question = { token: 'q1', kind: 'confirm' as const, prompt: 'Complete these 2 tasks?', tasks: [{ id: 1, title: 'Buy stamps', due_date: null }] };
  let state = run(initialChatState(null), { type: 'sent', key: 'k1', text: 'complete all errands' }, { type: 'answered', key: 'k1', reply: { ...reply(ID_A, 'Complete these 2 tasks?'), pending: question } });
  assert.deepEqual(state.entries.at(-1)?.question, question);
  state = run(state, { type: 'sent', key: 'k2', text: 'Yes' }, { type: 'answered', key: 'k2', reply: { ...reply(ID_A, 'Completed 2 tasks'), change: { id: 'c1', summary: 'completed 2 tasks' } } });
  assert.equal(state.entries.some((e) => e.question), false, 'the answered question has no buttons left');
  assert.equal(state.entries.at(-1)?.changeId, 'c1');
  state = run(state, { type: 'undone', changeId: 'c1' });
  assert.equal(state.entries.at(-1)?.changeId, undefined);
});

test('entriesFromConversation: Undo for changes still undoable, buttons only for the open question', () => {
  const c = conversation(ID_A);
  c.messages[1] = { ...(c.messages[1] as Conversation['messages'][number]), change_id: 'c9', pending_token: 'old' };
  c.messages.push({ role: 'assistant', content: 'Which one?', created_at: '2026-11-25T10:00:02.000Z', pending_token: 'open' });
  c.pending = { token: 'open', kind: 'choose', prompt: 'Which one?', tasks: [] };
  const entries = entriesFromConversation(c);
  assert.equal(entries[1]?.changeId, 'c9');
  assert.equal(entries[1]?.question, undefined, 'an old question is not offered again');
  assert.equal(entries[2]?.question?.token, 'open');
});
