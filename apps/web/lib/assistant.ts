// The assistant panel's client side: the two chat calls, the conversation id kept in sessionStorage,
// and the panel's state as a pure reducer (tested in assistant.unit.test.ts without a browser).
import { CHAT_MESSAGE_MAX } from '@dueflow/core/browser';
import { ApiError, request } from './api';
import type { ChatReply, Conversation, ToolCallRecord } from './types';

/** The API's limit. */
export const MESSAGE_MAX_LENGTH = CHAT_MESSAGE_MAX;

/** Per tab: a reload restores the conversation, a new tab starts its own. */
export const CONVERSATION_STORAGE_KEY = 'dueflow:assistant-conversation';

/** Offered while the conversation is empty; a click sends the text as it is. */
export const SUGGESTIONS: readonly string[] = ['Add buy milk tomorrow at 5pm', "What's overdue?", 'Show my tasks'];

// ---- API ----

/** A button's answer instead of typed words: yes/no to the question asked, or Undo of one change. */
export type ChatButton = { type: 'confirm'; token: string } | { type: 'cancel'; token: string } | { type: 'undo'; change_id: string };

export const assistantApi = {
  send: (message: string, conversationId: string | null, action?: ChatButton) =>
    request<ChatReply>('POST', '/api/v1/chat', { ...(conversationId ? { conversation_id: conversationId } : {}), message, ...(action ? { action } : {}) }),
  conversation: (id: string) => request<Conversation>('GET', `/api/v1/chat/${encodeURIComponent(id)}`),
};

/** The server no longer has (or never had) this conversation for this user: start a new one. */
export function isConversationGone(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404 && err.code === 'CONVERSATION_NOT_FOUND';
}

/** The sentence under a failed request. */
export function failureText(err: unknown): string {
  return err instanceof Error && err.message ? err.message : 'Something went wrong.';
}

// ---- the conversation id in sessionStorage ----

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored id, or null when there is none, it is not a UUID, or storage is blocked. */
export function readConversationId(storage: StorageLike | null): string | null {
  try {
    const value = storage?.getItem(CONVERSATION_STORAGE_KEY) ?? null;
    return value && UUID.test(value) ? value : null;
  } catch {
    return null;
  }
}

/** Stores `id`, or forgets the stored one for null. Blocked storage only costs the restore on reload. */
export function writeConversationId(storage: StorageLike | null, id: string | null): void {
  try {
    if (id) storage?.setItem(CONVERSATION_STORAGE_KEY, id);
    else storage?.removeItem(CONVERSATION_STORAGE_KEY);
  } catch {
    /* private mode or quota: nothing to do */
  }
}

// ---- small pure helpers for the panel ----

/** The message to send (trimmed), or null when there is nothing to send or it is too long. */
export function prepareMessage(draft: string): string | null {
  const message = draft.trim();
  return message.length > 0 && message.length <= MESSAGE_MAX_LENGTH ? message : null;
}

/** Enter sends; Shift+Enter (and Enter while an IME composes) types a new line. */
export function sendsOnEnter(e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'isComposing'>): boolean {
  return e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.isComposing;
}

/** "✓ add_task" / "✗ complete_task: TASK_NOT_FOUND", split into its parts for the view. */
export function describeToolCall(call: ToolCallRecord): { ok: boolean; text: string; detail: string } {
  const ok = call.result.ok;
  const code = ok ? undefined : call.result.error?.code;
  return { ok, text: code ? `${call.name}: ${code}` : call.name, detail: call.result.message };
}

// ---- the panel's state ----

export type ChatRole = 'user' | 'assistant';
/** A user message is `sending` until the answer arrives, `failed` when the request failed. */
export type EntryStatus = 'sent' | 'sending' | 'failed';

/** The question an answer asked (yes/no, or which of a few tasks), while it is still open. */
export type ChatQuestion = NonNullable<ChatReply['pending']>;

export interface ChatEntry {
  key: string;
  role: ChatRole;
  content: string;
  toolCalls: ToolCallRecord[];
  status: EntryStatus;
  /** The change this answer made, while Undo can still take it back. */
  changeId?: string;
  question?: ChatQuestion;
}

/** `unloaded`: a stored conversation not fetched yet (it is, when the panel first opens). */
export type ChatPhase = 'unloaded' | 'restoring' | 'ready' | 'waiting';

export type ChatError = { kind: 'send'; entryKey: string; message: string } | { kind: 'restore'; message: string };

export interface ChatState {
  conversationId: string | null;
  entries: ChatEntry[];
  phase: ChatPhase;
  error: ChatError | null;
}

export type ChatAction =
  | { type: 'restore-started' }
  | { type: 'restored'; conversation: Conversation }
  | { type: 'restore-failed'; message: string }
  /** The server answered CONVERSATION_NOT_FOUND for `id`: continue without an id. */
  | { type: 'conversation-gone'; id: string }
  | { type: 'sent'; key: string; text: string }
  | { type: 'retried'; key: string }
  | { type: 'answered'; key: string; reply: ChatReply }
  | { type: 'send-failed'; key: string; message: string }
  /** A change was taken back: its Undo button goes. */
  | { type: 'undone'; changeId: string }
  | { type: 'reset' };

export function initialChatState(storedId: string | null): ChatState {
  return { conversationId: storedId, entries: [], phase: storedId ? 'unloaded' : 'ready', error: null };
}

/** A message can go out: nothing is loading or waiting for an answer. */
export function canSend(state: ChatState): boolean {
  return state.phase === 'ready';
}

export function entriesFromConversation(conversation: Conversation): ChatEntry[] {
  const open = conversation.pending;
  return conversation.messages.map((m, i) => ({
    key: `${conversation.id}:${i}`,
    role: m.role,
    content: m.content,
    toolCalls: m.tool_calls ?? [],
    status: 'sent',
    ...(m.change_id ? { changeId: m.change_id } : {}),
    ...(open && m.pending_token === open.token ? { question: open } : {}),
  }));
}

/** Only the newest question can be answered: older ones lose their buttons. */
const withoutQuestions = (entries: ChatEntry[]): ChatEntry[] => entries.map(({ question: _q, ...e }) => e);

function withStatus(entries: ChatEntry[], key: string, status: EntryStatus): ChatEntry[] {
  return entries.map((e) => (e.key === key ? { ...e, status } : e));
}

/**
 * Answers to a request started before "New conversation" find no entry of theirs and change nothing,
 * so a late reply never lands in (or sets the id of) the new conversation.
 */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'restore-started':
      return state.conversationId ? { ...state, phase: 'restoring', error: null } : state;
    case 'restored':
      if (state.phase !== 'restoring' || action.conversation.id !== state.conversationId) return state;
      return { ...state, entries: entriesFromConversation(action.conversation), phase: 'ready', error: null };
    case 'restore-failed':
      return state.phase === 'restoring' ? { ...state, phase: 'unloaded', error: { kind: 'restore', message: action.message } } : state;
    case 'conversation-gone':
      if (state.conversationId !== action.id) return state;
      // Gone while restoring: nothing to show, start fresh. Gone while sending: keep what is on screen.
      return state.phase === 'restoring' ? initialChatState(null) : { ...state, conversationId: null };
    case 'sent':
      if (!canSend(state)) return state;
      return {
        ...state,
        entries: [...state.entries, { key: action.key, role: 'user', content: action.text, toolCalls: [], status: 'sending' }],
        phase: 'waiting',
        error: null,
      };
    case 'retried': {
      const failed = state.entries.find((e) => e.key === action.key && e.status === 'failed');
      if (!failed || !canSend(state)) return state;
      return { ...state, entries: withStatus(state.entries, action.key, 'sending'), phase: 'waiting', error: null };
    }
    case 'answered': {
      if (!state.entries.some((e) => e.key === action.key && e.status === 'sending')) return state;
      const answer: ChatEntry = {
        key: `${action.key}:answer`,
        role: 'assistant',
        content: action.reply.response,
        toolCalls: action.reply.tool_calls,
        status: 'sent',
        ...(action.reply.change ? { changeId: action.reply.change.id } : {}),
        ...(action.reply.pending ? { question: action.reply.pending } : {}),
      };
      return {
        conversationId: action.reply.conversation_id,
        entries: [...withoutQuestions(withStatus(state.entries, action.key, 'sent')), answer],
        phase: 'ready',
        error: null,
      };
    }
    case 'send-failed':
      if (!state.entries.some((e) => e.key === action.key && e.status === 'sending')) return state;
      return { ...state, entries: withStatus(state.entries, action.key, 'failed'), phase: 'ready', error: { kind: 'send', entryKey: action.key, message: action.message } };
    case 'undone':
      return { ...state, entries: state.entries.map(({ changeId, ...e }) => (changeId === action.changeId ? e : { ...e, ...(changeId ? { changeId } : {}) })) };
    case 'reset':
      return initialChatState(null);
  }
}
