// Shapes of the API (type-only imports: nothing of the domain package reaches the browser bundle).
import type { z } from 'zod';
import type {
  activityItemSchema,
  chatResponseSchema,
  conversationSchema,
  CreateTaskRequest,
  meSchema,
  notificationDtoSchema,
  PatchTaskRequest,
  RecurrenceRequest,
  recurrenceDtoSchema,
  tagCountsSchema,
  taskDtoSchema,
  taskListSchema,
  toolCallRecordSchema,
} from '@dueflow/core';

export type Task = z.infer<typeof taskDtoSchema>;
export type TaskList = z.infer<typeof taskListSchema>;
export type Recurrence = z.infer<typeof recurrenceDtoSchema>;
export type RecurrenceInput = RecurrenceRequest;
export type CreateTaskInput = CreateTaskRequest;
export type PatchTaskInput = PatchTaskRequest;
export type Me = z.infer<typeof meSchema>;
export type TagCount = z.infer<typeof tagCountsSchema>[number];
export type ActivityItem = z.infer<typeof activityItemSchema>;
export type Notification = z.infer<typeof notificationDtoSchema>;
export type Priority = Task['priority'];
/** The assistant (POST /api/v1/chat, GET /api/v1/chat/{id}). */
export type ChatReply = z.infer<typeof chatResponseSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationMessage = Conversation['messages'][number];
export type ToolCallRecord = z.infer<typeof toolCallRecordSchema>;
export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** Messages on GET /api/v1/ws. */
export type LiveMessage =
  | { type: 'hello'; user_id: string }
  | { type: 'pong' }
  | { type: 'task.changed'; id: string; change: 'created' | 'updated' | 'completed' | 'uncompleted' | 'deleted'; task_id: number; task: Task | null; at: string }
  | { type: 'notification.created'; id: string; notification: Notification; at: string };
