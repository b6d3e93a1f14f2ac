import { z } from 'zod';
import { noNul } from '../task.ts';
import { taskDtoSchema } from './responses.ts';

export const CHAT_MESSAGE_MAX = 4000;

export const chatRequestSchema = z
  .object({
    conversation_id: z.uuid().optional().describe('continue this conversation; omit to start one'),
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

export const chatResponseSchema = z.object({
  conversation_id: z.uuid(),
  response: z.string(),
  tool_calls: z.array(toolCallRecordSchema),
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
    }),
  ),
});
