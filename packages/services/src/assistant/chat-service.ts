import { randomUUID } from 'node:crypto';
import { isPronounRef, notFound, parseMessage, TOOL_DESCRIPTIONS, TOOL_NAMES, toolInputSchemas, toLocal } from '@dueflow/core';
import type { Logger, StateStore } from '@dueflow/runtime';
import { z } from 'zod';
import type { Caller } from '../tasks/task-service.ts';
import { type ChatModel, ChatModelError, type ModelMessage, type ModelTool } from './chat-model.ts';
import type { TaskTools, ToolResult } from './task-tools.ts';

export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  result: ToolResult;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  created_at: string;
  tool_calls?: ToolCallRecord[];
}

export interface Conversation {
  id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  messages: ChatMessage[];
  /** The task the last tool acted on or found alone: what "it" and "that one" name next. */
  last_task_id?: string;
}

export interface ChatReply {
  conversation_id: string;
  response: string;
  tool_calls: ToolCallRecord[];
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
/** Model rounds per message: each round may call tools; the last one must answer. */
const MAX_ROUNDS = 6;

const WHICH_TASK = 'TASK_REFERENCE_REQUIRED';

const conversationKey = (userId: string, id: string) => `chat:${userId}:${id}`;

/**
 * The assistant: one message in, an answer out, with the tools it ran. Conversations live in the
 * StateStore under the user's id, so nobody reaches another user's conversation.
 */
export class ChatService {
  private readonly modelTools: ModelTool[];

  constructor(private readonly deps: ChatServiceDeps) {
    this.modelTools = TOOL_NAMES.map((name) => ({
      type: 'function',
      function: {
        name,
        description: TOOL_DESCRIPTIONS[name],
        parameters: z.toJSONSchema(toolInputSchemas[name], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
      },
    }));
  }

  async conversation(caller: Caller, id: string): Promise<Conversation> {
    const found = await this.deps.state.get<Conversation>(conversationKey(caller.userId, id));
    if (!found || found.user_id !== caller.userId) throw notFound('CONVERSATION_NOT_FOUND', 'no such conversation');
    return found;
  }

  async send(caller: Caller, input: { conversation_id?: string | undefined; message: string }): Promise<ChatReply> {
    const now = this.deps.now().toISOString();
    const conversation: Conversation = input.conversation_id
      ? await this.conversation(caller, input.conversation_id)
      : { id: randomUUID(), user_id: caller.userId, created_at: now, updated_at: now, messages: [] };

    const model = this.deps.model;
    const answer = model ? await this.withModel(model, caller, conversation, input.message) : await this.withParser(caller, conversation, input.message);
    conversation.messages.push(
      { role: 'user', content: input.message, created_at: now },
      // Lists are not kept: the answer's text has them, and the document is read and written whole each message.
      { role: 'assistant', content: answer.response, created_at: this.deps.now().toISOString(), tool_calls: answer.tool_calls.map(withoutList) },
    );
    conversation.messages = conversation.messages.slice(-KEPT_MESSAGES);
    conversation.updated_at = this.deps.now().toISOString();
    await this.deps.state.set(conversationKey(caller.userId, conversation.id), conversation);
    return { conversation_id: conversation.id, ...answer };
  }

  private async withParser(caller: Caller, conversation: Conversation, message: string): Promise<Omit<ChatReply, 'conversation_id'>> {
    const parsed = parseMessage(message, { now: this.deps.now(), timezone: caller.timezone });
    if (parsed.kind === 'reply') return { response: parsed.text, tool_calls: [] };
    const call = await this.runTool(caller, conversation, parsed.call.name, parsed.call.arguments);
    const { result } = call;
    const response = result.ok || result.error?.code === WHICH_TASK ? result.message : `I could not do that: ${result.message}`;
    return { response, tool_calls: [call] };
  }

  /** Runs a tool as the caller; "it" or "that one" names the task the conversation was last about. */
  private async runTool(caller: Caller, conversation: Conversation, name: string, args: Record<string, unknown>): Promise<ToolCallRecord> {
    const title = args['task_title'];
    if (args['task_id'] === undefined && typeof title === 'string' && isPronounRef(title)) {
      if (!conversation.last_task_id) {
        const message = 'Which task do you mean? Say its number or its title.';
        return { name, arguments: args, result: { ok: false, message, error: { code: WHICH_TASK, message } } };
      }
      const { task_title: _pronoun, ...rest } = args;
      args = { ...rest, task_id: conversation.last_task_id };
    }
    const result = await this.deps.tools.run(caller, name, args);
    const single = result.task ?? (result.tasks?.length === 1 ? result.tasks[0] : undefined);
    if (single) conversation.last_task_id = String(single.id);
    return { name, arguments: args, result };
  }

  private async withModel(model: ChatModel, caller: Caller, conversation: Conversation, message: string): Promise<Omit<ChatReply, 'conversation_id'>> {
    const messages: ModelMessage[] = [
      { role: 'system', content: this.systemPrompt(caller) },
      ...conversation.messages.map((m): ModelMessage => ({ role: m.role, content: m.content })),
      { role: 'user', content: message },
    ];
    const calls: ToolCallRecord[] = [];
    try {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        // The last round offers no tools, so the model has to answer.
        const reply = await model.complete(messages, round === MAX_ROUNDS - 1 ? [] : this.modelTools);
        if (reply.toolCalls.length === 0) return { response: reply.content?.trim() || 'Done.', tool_calls: calls };
        messages.push({ role: 'assistant', content: reply.content, tool_calls: reply.toolCalls });
        for (const call of reply.toolCalls) {
          const args = parseArguments(call.function.arguments);
          const record = args ? await this.runTool(caller, conversation, call.function.name, args) : { name: call.function.name, arguments: {}, result: invalidArguments() };
          calls.push(record);
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(record.result) });
        }
      }
      return { response: 'I ran out of steps for this request; here is what I did so far.', tool_calls: calls };
    } catch (err) {
      if (!(err instanceof ChatModelError) || calls.length > 0) throw err;
      // The model is down before anything ran: the built-in parser still serves the user.
      this.deps.logger.warn({ err: err.message }, 'language model failed; answering with the built-in parser');
      return this.withParser(caller, conversation, message);
    }
  }

  private systemPrompt(caller: Caller): string {
    const local = toLocal(this.deps.now(), caller.timezone);
    const pad = (n: number) => String(n).padStart(2, '0');
    const today = `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)}`;
    return [
      'You are the Dueflow assistant. You manage the user\'s tasks only through the tools given.',
      `Now is ${today} in the user's time zone ${caller.timezone}. Pass dates as local ISO 8601 without an offset (e.g. 2026-12-03T17:00, or 2026-12-03 for a whole day).`,
      'Name a task by task_id when you know it, else by task_title. After acting, answer briefly in plain text.',
    ].join('\n');
  }
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

const invalidArguments = (): ToolResult => ({
  ok: false,
  message: 'the arguments were not a JSON object',
  error: { code: 'VALIDATION_FAILED', message: 'the arguments were not a JSON object' },
});
