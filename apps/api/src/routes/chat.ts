import { chatRequestSchema, chatResponseSchema, conversationSchema, DomainError } from '@dueflow/core';
import type { Caller, ChatService } from '@dueflow/services';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { defineRoute, type RouteContext } from '../http.ts';
import { WindowRateLimiter } from '../rate-limit.ts';

/** The assistant: POST a message, get the answer and the tools it ran; read a conversation back. */
export function registerChatRoutes(ctx: RouteContext, chat: ChatService, opts: { messagesPerMinute: number }): void {
  const limiter = new WindowRateLimiter();
  /** Per user and replica: a message may cost a language-model call. */
  const send = async (caller: Caller, body: Parameters<ChatService['send']>[1], reply: FastifyReply) => {
    const { allowed, retryAfter } = await limiter.consume(caller.userId, { window: 60, max: opts.messagesPerMinute });
    if (!allowed) {
      reply.header('retry-after', String(retryAfter ?? 60));
      throw new DomainError('rate_limited', 'RATE_LIMITED', `at most ${opts.messagesPerMinute} messages a minute; try again in ${retryAfter ?? 60} s`);
    }
    return chat.send(caller, body);
  };

  defineRoute(
    ctx,
    { method: 'POST', url: '/api/v1/chat', summary: 'Talk to the assistant', tag: 'assistant', auth: true, body: chatRequestSchema, response: chatResponseSchema, errors: [404, 429] },
    async ({ caller, body, reply }) => send(caller, body, reply),
  );

  defineRoute(
    ctx,
    {
      method: 'POST',
      url: '/api/:user_id/chat',
      summary: 'Talk to the assistant (compatibility route)',
      tag: 'assistant (compatibility)',
      auth: true,
      authorize: (caller: Caller, params: Record<string, string>) => {
        if (params['user_id'] !== caller.userId) throw new DomainError('forbidden', 'FORBIDDEN', 'you can only reach your own conversations');
      },
      params: z.object({ user_id: z.string().min(1).max(100) }),
      body: chatRequestSchema,
      response: chatResponseSchema,
      errors: [403, 404, 429],
    },
    async ({ caller, body, reply }) => send(caller, body, reply),
  );

  defineRoute(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/chat/:conversation_id',
      summary: 'A conversation with the assistant',
      tag: 'assistant',
      auth: true,
      params: z.object({ conversation_id: z.uuid() }),
      response: conversationSchema,
      errors: [404],
    },
    async ({ caller, params }) => {
      const { id, created_at, updated_at, messages, pending } = await chat.conversation(caller, params.conversation_id);
      return { id, created_at, updated_at, messages, ...(pending ? { pending: { token: pending.token, kind: pending.kind, prompt: pending.prompt, tasks: pending.tasks } } : {}) };
    },
  );
}
