// Shapes of the API, from the domain's browser entry (types only where they come from the schemas).
import type {
  ActivityItemJson,
  ChatReplyJson,
  ConversationJson,
  CreateTaskRequest,
  LiveMessage as CoreLiveMessage,
  MeJson,
  NotificationJson,
  PatchTaskRequest,
  RecurrenceJson,
  RecurrenceRequest,
  SavedFilterJson,
  TagCountJson,
  TaskJson,
  TaskListJson,
  ToolCallRecordJson,
} from '@dueflow/core/browser';

export type { Priority, Weekday } from '@dueflow/core/browser';
export type Task = TaskJson;
export type TaskList = TaskListJson;
export type Recurrence = RecurrenceJson;
export type RecurrenceInput = RecurrenceRequest;
export type CreateTaskInput = CreateTaskRequest;
export type PatchTaskInput = PatchTaskRequest;
export type Me = MeJson;
export type TagCount = TagCountJson;
export type ActivityItem = ActivityItemJson;
export type Notification = NotificationJson;
export type SavedFilter = SavedFilterJson;
/** The assistant (POST /api/v1/chat, GET /api/v1/chat/{id}). */
export type ChatReply = ChatReplyJson;
export type Conversation = ConversationJson;
export type ConversationMessage = Conversation['messages'][number];
export type ToolCallRecord = ToolCallRecordJson;
/** Messages on GET /api/v1/ws. */
export type LiveMessage = CoreLiveMessage;
