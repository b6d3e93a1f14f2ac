import { randomUUID } from 'node:crypto';
import {
  CONFIRMED_TOOLS,
  notFound,
  TOOL_DESCRIPTIONS,
  TOOL_NAMES,
  toolInputSchemas,
  bestMatches,
  toLocal,
  understand,
  type Command,
  type Target,
} from '@dueflow/core';
import type { Logger, StateStore } from '@dueflow/runtime';
import { z } from 'zod';
import type { Caller } from '../tasks/task-service.ts';
import { type ChatModel, ChatModelError, type ModelMessage, type ModelTool } from './chat-model.ts';
import { CommandRunner, type Outcome, type PendingAction, type ToolCallRecord } from './command-runner.ts';
import type { TaskTools, ToolResult, UndoOp } from './task-tools.ts';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  created_at: string;
  tool_calls?: ToolCallRecord[];
  /** The change this answer made, while it can still be undone from the panel. */
  change_id?: string;
  /** The question this answer asked (yes/no, which one). */
  pending_token?: string;
}

/** One change the assistant made, kept so "undo" (or the panel's Undo button) can take it back. */
export interface UndoEntry {
  id: string;
  summary: string;
  at: string;
  ops: UndoOp[];
}

export interface Conversation {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  messages: ChatMessage[];
  /** The tasks the last message acted on or found alone: what "it" and "that one" name next. */
  last_task_ids?: string[];
  last_list_ids?: string[];
  /** Older documents kept one id. */
  last_task_id?: string;
  pending?: PendingAction;
  changes?: UndoEntry[];
}

/** What the panel's buttons send instead of words. */
export type ChatAction = { type: 'confirm'; token: string } | { type: 'cancel'; token: string } | { type: 'undo'; change_id: string };

export interface ChatReply {
  conversation_id: string;
  response: string;
  tool_calls: ToolCallRecord[];
  /** Set when the answer waits for a yes/no or a choice. */
  pending?: { token: string; kind: 'confirm' | 'choose'; prompt: string; tasks: PendingAction['tasks'] };
  /** Set when the answer changed tasks: Undo takes exactly this back. */
  change?: { id: string; summary: string };
}

export interface ChatServiceDeps {
  tools: TaskTools;
  state: StateStore;
  /** A language model when one is configured; otherwise the built-in parser answers. */
  model: ChatModel | null;
  now: () => Date;
  logger: Logger;
}

/** What a conversation keeps; older messages drop off (the model sees the rest as context). */
const KEPT_MESSAGES = 40;
/** Changes that can still be undone, newest last. */
const KEPT_CHANGES = 20;
/** Model rounds per message: each round may call tools; the last one must answer. */
const MAX_ROUNDS = 6;

const conversationKey = (userId: string, id: string) => `chat:${userId}:${id}`;

/**
 * The assistant: one message in, an answer out, with the tools it ran. Conversations live in the
 * StateStore under the user's id, so nobody reaches another user's conversation. The rules that keep
 * tasks safe live in the tools and here, not in a prompt: several tasks are completed or deleted only
 * after the user's "yes", a name that fits more than one task is asked about, and every change can be
 * undone from the conversation.
 */
export class ChatService {
  private readonly modelTools: ModelTool[];
  private readonly runner: CommandRunner;

  constructor(private readonly deps: ChatServiceDeps) {
    this.runner = new CommandRunner(deps.tools, deps.now);
    this.modelTools = TOOL_NAMES.map((name) => {
      let schema = toolInputSchemas[name] as z.ZodObject;
      // The model may propose a bulk change, never confirm one: only the user's yes carries the token.
      if (CONFIRMED_TOOLS.includes(name)) schema = schema.omit({ confirm_token: true });
      return {
        type: 'function',
        function: {
          name,
          description: TOOL_DESCRIPTIONS[name],
          parameters: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
        },
      };
    });
  }

  async conversation(caller: Caller, id: string): Promise<Conversation> {
    const found = await this.deps.state.get<Conversation>(conversationKey(caller.userId, id));
    if (!found || found.user_id !== caller.userId) throw notFound('CONVERSATION_NOT_FOUND', 'no such conversation');
    return found;
  }

  async send(caller: Caller, input: { conversation_id?: string | undefined; message: string; action?: ChatAction | undefined }): Promise<ChatReply> {
    const now = this.deps.now().toISOString();
    const conversation: Conversation = input.conversation_id
      ? await this.conversation(caller, input.conversation_id)
      : { id: randomUUID(), user_id: caller.userId, created_at: now, updated_at: now, messages: [] };
    conversation.last_task_ids ??= conversation.last_task_id ? [conversation.last_task_id] : [];

    const outcome = await this.answer(caller, conversation, input.message, input.action);
    if (outcome.pending !== undefined) {
      if (outcome.pending === null) delete conversation.pending;
      else conversation.pending = outcome.pending;
    }
    if (outcome.lastIds && outcome.lastIds.length > 0) conversation.last_task_ids = outcome.lastIds;
    // A list names positions until something else is done.
    if (outcome.listIds) conversation.last_list_ids = outcome.listIds;
    else if (outcome.lastIds && outcome.lastIds.length > 0) delete conversation.last_list_ids;
    const change = this.recordChange(conversation, outcome);

    const reply: ChatReply = { conversation_id: conversation.id, response: outcome.response, tool_calls: outcome.calls.map(publicCall) };
    const pending = outcome.pending ?? undefined;
    if (pending) reply.pending = { token: pending.token, kind: pending.kind, prompt: pending.prompt, tasks: pending.tasks };
    if (change) reply.change = { id: change.id, summary: change.summary };
    conversation.messages.push(
      { role: 'user', content: input.message, created_at: now },
      {
        role: 'assistant',
        content: outcome.response,
        created_at: this.deps.now().toISOString(),
        // Lists are not kept: the answer's text has them, and the document is read and written whole each message.
        tool_calls: reply.tool_calls.map(withoutList),
        ...(change ? { change_id: change.id } : {}),
        ...(pending ? { pending_token: pending.token } : {}),
      },
    );
    conversation.messages = conversation.messages.slice(-KEPT_MESSAGES);
    conversation.updated_at = this.deps.now().toISOString();
    await this.deps.state.set(conversationKey(caller.userId, conversation.id), conversation);
    return reply;
  }

  private async answer(caller: Caller, conversation: Conversation, message: string, action: ChatAction | undefined): Promise<Outcome> {
    if (action) return this.button(caller, conversation, action);
    const command = understand(message, { now: this.deps.now(), timezone: caller.timezone });
    // Words about the conversation itself are answered here, with or without a model.
    if (command.kind === 'undo') return this.undoLast(caller, conversation);
    if (command.kind === 'restore') return this.restore(caller, conversation, command.target);
    if (command.kind === 'confirm' || command.kind === 'cancel' || (command.kind === 'choose' && conversation.pending)) {
      return this.runner.run(caller, command, conversation);
    }
    const byName = await this.runner.answerByName(caller, message, conversation);
    if (byName) return byName;
    const model = this.deps.model;
    return model ? this.withModel(model, caller, conversation, message, command) : this.withParser(caller, conversation, command);
  }

  private async withParser(caller: Caller, conversation: Conversation, command: Command): Promise<Outcome> {
    const outcome = await this.runner.run(caller, command, conversation);
    // A new request replaces a question left unanswered.
    return outcome.pending === undefined && conversation.pending ? { ...outcome, pending: null } : outcome;
  }

  private async button(caller: Caller, conversation: Conversation, action: ChatAction): Promise<Outcome> {
    if (action.type === 'undo') return this.undoChange(caller, conversation, action.change_id);
    if (conversation.pending?.token !== action.token) return { response: 'That question has already been answered.', calls: [] };
    return this.runner.run(caller, { kind: action.type === 'confirm' ? 'confirm' : 'cancel' }, conversation);
  }

  // ---- undo

  private recordChange(conversation: Conversation, outcome: Outcome): UndoEntry | null {
    const ops = outcome.calls.flatMap((c) => (c.result.ok ? (c.result.undo ?? []) : []));
    if (ops.length === 0 || outcome.undone) return null;
    const entry: UndoEntry = { id: randomUUID(), summary: summarize(outcome.calls), at: this.deps.now().toISOString(), ops };
    conversation.changes = [...(conversation.changes ?? []), entry].slice(-KEPT_CHANGES);
    return entry;
  }

  private async undoLast(caller: Caller, conversation: Conversation): Promise<Outcome> {
    const last = conversation.changes?.at(-1);
    if (!last) return { response: 'There is nothing to undo in this conversation.', calls: [], pending: null };
    return this.undoChange(caller, conversation, last.id);
  }

  private async undoChange(caller: Caller, conversation: Conversation, id: string): Promise<Outcome> {
    const entry = conversation.changes?.find((c) => c.id === id);
    if (!entry) return { response: 'That change was already undone or is too old to undo here.', calls: [], pending: null, undone: true };
    const touched = await this.deps.tools.revert(caller, entry.ops);
    conversation.changes = (conversation.changes ?? []).filter((c) => c.id !== id);
    for (const m of conversation.messages) if (m.change_id === id) delete m.change_id;
    const names = [...new Set(touched.map((t) => `“${t.title}”`))];
    const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    return { response: `Undone: ${entry.summary}${list ? ` (${list})` : ''}.`, calls: [], pending: null, lastIds: touched.map((t) => t.id), undone: true };
  }

  /** Deleted tasks come back by number, or by name when this conversation deleted them. */
  private async restore(caller: Caller, conversation: Conversation, target: Target): Promise<Outcome> {
    const deleted = (conversation.changes ?? []).flatMap((c) => c.ops.filter((op) => op.kind === 'deleted')).reverse();
    let ids: string[] = [];
    if (target.kind === 'ids') ids = target.ids;
    else if (target.kind === 'it' && deleted[0]) ids = [deleted[0].task_id];
    else if (target.kind === 'title') {
      const named = bestMatches(target.text, deleted.map((op) => ({ id: op.task_id, title: op.kind === 'deleted' ? (op.title ?? '') : '' })));
      if (named.length === 1 && named[0]) ids = [named[0].task.id];
      else if (named.length > 1) return { response: `More than one deleted task is called that: ${named.map((n) => `#${n.task.id}`).join(', ')}. Say which number.`, calls: [] };
    }
    if (ids.length === 0) return { response: 'I can bring back a task deleted in this conversation by its name, or any deleted task by its number ("restore task 12").', calls: [] };
    const calls: ToolCallRecord[] = [];
    for (const id of ids) calls.push({ name: 'restore_task', arguments: { task_id: id }, result: await this.deps.tools.restore(caller, id) });
    const response = calls.map((c) => (c.result.ok ? c.result.message : `I could not bring back #${String(c.arguments['task_id'])}: ${c.result.message}`)).join('\n');
    return { response, calls, pending: null, lastIds: calls.flatMap((c) => (c.result.task ? [String(c.result.task.id)] : [])) };
  }

  // ---- the language model

  private async withModel(model: ChatModel, caller: Caller, conversation: Conversation, message: string, command: Command): Promise<Outcome> {
    const messages: ModelMessage[] = [
      { role: 'system', content: this.systemPrompt(caller) },
      ...conversation.messages.map((m): ModelMessage => ({ role: m.role, content: m.content })),
      { role: 'user', content: message },
    ];
    const calls: ToolCallRecord[] = [];
    let pending: PendingAction | null = null;
    let destructiveSingles = 0;
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        // The last round offers no tools, so the model has to answer.
        const reply = await model.complete(messages, round === MAX_ROUNDS - 1 ? [] : this.modelTools);
        if (reply.toolCalls.length === 0) return this.modelOutcome(reply.content?.trim() || 'Done.', calls, pending);
        messages.push({ role: 'assistant', content: reply.content, tool_calls: reply.toolCalls });
        for (const call of reply.toolCalls) {
          const args = parseArguments(call.function.arguments);
          const name = call.function.name;
          let record: ToolCallRecord;
          if (!args) record = { name, arguments: {}, result: refusal('VALIDATION_FAILED', 'the arguments were not a JSON object') };
          else if (CONFIRMED_TOOLS.includes(name as never) && 'confirm_token' in args) {
            record = { name, arguments: args, result: refusal('CONFIRMATION_REQUIRED', 'only the user can confirm this, by answering yes in the chat') };
          } else if ((name === 'delete_task' || name === 'complete_task') && (args['completed'] ?? true) !== false && ++destructiveSingles > 1) {
            // One task per message by name; several go through complete_tasks/delete_tasks, which ask the user.
            record = { name, arguments: args, result: refusal('CONFIRMATION_REQUIRED', `to ${name === 'delete_task' ? 'delete' : 'complete'} several tasks use ${name}s, which asks the user first`) };
          } else {
            record = await this.runModelTool(caller, conversation, name, args);
            const details = record.result.error?.details as { confirm_token?: string } | undefined;
            if (record.result.error?.code === 'CONFIRMATION_REQUIRED' && details?.confirm_token) {
              const prompt = `${record.result.message}\nSay yes to go ahead or no to leave them.`;
              const tasks = (record.result.tasks ?? []).map((t) => ({ id: t.id, title: t.title, due_date: t.due_date }));
              pending = { token: randomUUID(), kind: 'confirm', prompt, tasks, run: { name, arguments: { confirm_token: details.confirm_token } } };
              // The model learns that the user is being asked; the token stays with the conversation.
              record = { name, arguments: args, result: { ...record.result, error: { code: 'CONFIRMATION_REQUIRED', message: 'the user is asked to confirm in the app; tell them what will happen and wait' } } };
            }
          }
          calls.push(record);
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(publicCall(record).result) });
        }
      }
      return this.modelOutcome('I ran out of steps for this request; here is what I did so far.', calls, pending);
    } catch (err) {
      if (!(err instanceof ChatModelError) || calls.length > 0) throw err;
      // The model is down before anything ran: the built-in parser still serves the user.
      this.deps.logger.warn({ err: err.message }, 'language model failed; answering with the built-in parser');
      return this.withParser(caller, conversation, command);
    }
  }

  private modelOutcome(text: string, calls: ToolCallRecord[], pending: PendingAction | null): Outcome {
    const single = calls.map((c) => c.result.task).filter((t) => t !== undefined);
    const response = pending ? `${text}\n\n${pending.prompt}` : text;
    return { response, calls, pending, ...(single.length > 0 ? { lastIds: [String(single.at(-1)?.id)] } : {}) };
  }

  /** Runs a tool for the model; "it" or "that one" names the task the conversation was last about. */
  private async runModelTool(caller: Caller, conversation: Conversation, name: string, args: Record<string, unknown>): Promise<ToolCallRecord> {
    const title = args['task_title'];
    if (args['task_id'] === undefined && typeof title === 'string' && /^(?:it|this|that|this one|that one|the last one)$/i.test(title.trim())) {
      const last = conversation.last_task_ids?.at(-1);
      if (!last) return { name, arguments: args, result: refusal('TASK_REFERENCE_REQUIRED', 'Which task do you mean? Say its number or its title.') };
      const { task_title: _pronoun, ...rest } = args;
      args = { ...rest, task_id: last };
    }
    const result = await this.deps.tools.run(caller, name, args);
    if (result.task) conversation.last_task_ids = [String(result.task.id)];
    return { name, arguments: args, result };
  }

  private systemPrompt(caller: Caller): string {
    const local = toLocal(this.deps.now(), caller.timezone);
    const pad = (n: number) => String(n).padStart(2, '0');
    const today = `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`;
    return [
      'You are the Dueflow assistant. You manage the user\'s tasks only through the tools given.',
      `Now is ${today} in the user's time zone ${caller.timezone}. Pass dates as local ISO 8601 without an offset (e.g. 2026-12-03T17:00, or 2026-12-03 for a whole day).`,
      'Name a task by task_id when you know it, else by task_title. When a tool answers AMBIGUOUS_TASK, ask the user which one; do not pick.',
      'To complete or delete several tasks use complete_tasks or delete_tasks: the user confirms in the app before anything changes.',
      'When moving a task to another day keep its time unless the user names one; when changing only the time keep its day.',
      'After acting, answer briefly in plain text, naming tasks by title and due date.',
    ].join('\n');
  }
}

/** What a change was, in a few words: "completed “Pay rent”", "deleted 3 tasks". */
function summarize(calls: ToolCallRecord[]): string {
  const done = calls.filter((c) => c.result.ok && (c.result.undo?.length ?? 0) > 0);
  const verbs: Record<string, string> = {
    add_task: 'added', create_recurring: 'added', delete_task: 'deleted', delete_tasks: 'deleted', complete_tasks: 'completed',
  };
  const parts = done.map((c) => {
    const verb = c.name === 'complete_task' ? (c.arguments['completed'] === false ? 'reopened' : 'completed') : (verbs[c.name] ?? 'changed');
    const n = c.result.undo?.length ?? 0;
    return n > 1 ? `${verb} ${n} tasks` : `${verb} “${c.result.task?.title ?? c.result.tasks?.[0]?.title ?? 'a task'}”`;
  });
  if (parts.length > 3) {
    const verb = parts[0]?.split(' ')[0] ?? 'changed';
    return parts.every((p) => p.startsWith(verb)) ? `${verb} ${parts.length} tasks` : `changed ${parts.length} tasks`;
  }
  return parts.join(', ');
}

/** The call as clients see it: no undo records. */
function publicCall(call: ToolCallRecord): ToolCallRecord {
  const { undo: _undo, ...result } = call.result;
  return { ...call, result };
}

function withoutList(call: ToolCallRecord): ToolCallRecord {
  const { tasks: _tasks, ...result } = call.result;
  return { ...call, result };
}

function parseArguments(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw === '' ? '{}' : raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const refusal = (code: string, message: string): ToolResult => ({ ok: false, message, error: { code, message } });
