import { z } from 'zod';
import { noNul } from '../task.ts';
import { CHAT_MESSAGE_MAX } from '../vocabulary.ts';
import { taskDtoSchema } from './responses.ts';

export { CHAT_MESSAGE_MAX } from '../vocabulary.ts';

/** What the panel's buttons send with the words they stand for ("Yes", "No", "Undo"). */
export const chatActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('confirm'), token: z.string().min(1).max(100) }).strict(),
  z.object({ type: z.literal('cancel'), token: z.string().min(1).max(100) }).strict(),
  z.object({ type: z.literal('undo'), change_id: z.string().min(1).max(100) }).strict(),
]);

export const chatRequestSchema = z
  .object({
    conversation_id: z.uuid().optional().describe('continue this conversation; omit to start one'),
    action: chatActionSchema.optional().describe('a button instead of words: answer the pending question (confirm/cancel with its token) or undo one change'),
    message: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().min(1, 'message must not be empty').max(CHAT_MESSAGE_MAX, `message must be at most ${CHAT_MESSAGE_MAX} characters`).refine(...noNul('message'))),
  })
  .strict();

export const toolResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  task: taskDtoSchema.optional(),
  tasks: z.array(taskDtoSchema).optional(),
  total: z.number().int().optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
});

export const toolCallRecordSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  result: toolResultSchema,
});

const pendingSchema = z.object({
  token: z.string(),
  kind: z.enum(['confirm', 'choose']).describe('confirm: yes or no; choose: which of the tasks listed'),
  prompt: z.string(),
  tasks: z.array(z.object({ id: z.number().int(), title: z.string(), due_date: z.string().nullable() })),
});

export const chatResponseSchema = z.object({
  conversation_id: z.uuid(),
  response: z.string(),
  tool_calls: z.array(toolCallRecordSchema),
  pending: pendingSchema.optional().describe('the answer waits for a yes/no or a choice; nothing has changed yet'),
  change: z.object({ id: z.string(), summary: z.string() }).optional().describe('what this answer changed; undo it with action {type: "undo", change_id}'),
});

export const conversationSchema = z.object({
  id: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  messages: z.array(
    z.object({
      role: z.enum(['user', 'assistant']),
      content: z.string(),
      created_at: z.string(),
      tool_calls: z.array(toolCallRecordSchema).optional(),
      change_id: z.string().optional().describe('this answer\'s change, while it can still be undone'),
      pending_token: z.string().optional(),
    }),
  ),
  pending: pendingSchema.optional().describe('the question still waiting for an answer'),
});
