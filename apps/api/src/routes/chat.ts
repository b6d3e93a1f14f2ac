import { chatRequestSchema, chatResponseSchema, conversationSchema, DomainError } from '@dueflow/core';
import type { Caller, ChatService } from '@dueflow/services';
import { z } from 'zod';
import { defineRoute, type RouteContext } from '../http.ts';

/** The assistant: POST a message, get the answer and the tools it ran; read a conversation back. */
export function registerChatRoutes(ctx: RouteContext, chat: ChatService): void {
  defineRoute(
    ctx,
    { method: 'POST', url: '/api/v1/chat', summary: 'Talk to the assistant', tag: 'assistant', auth: true, body: chatRequestSchema, response: chatResponseSchema, errors: [404] },
    async ({ caller, body }) => chat.send(caller, body),
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
      errors: [403, 404],
    },
    async ({ caller, body }) => chat.send(caller, body),
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
      const { user_id: _owner, ...conversation } = await chat.conversation(caller, params.conversation_id);
      return conversation;
    },
  );
}
