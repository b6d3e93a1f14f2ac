// The browser's entry to the domain: everything here is zod-free at run time, so the web bundle
// carries no schema library and no parser. Types of the API's JSON (inferred from the zod schemas
// on the server) are exported as types only, which the bundler erases.
import type { z } from 'zod';
import type { chatResponseSchema, conversationSchema, toolCallRecordSchema } from './api/chat.ts';
import type {
  activityItemSchema,
  meSchema,
  notificationDtoSchema,
  recurrenceDtoSchema,
  tagCountsSchema,
  taskDtoSchema,
  taskListSchema,
} from './api/responses.ts';

export * from './vocabulary.ts';
export * from './time/zoned.ts';
export { describeRecurrence, type DescribeOptions } from './recurrence/describe.ts';
export { buildRecurrence, nextOccurrence, COUNT_MAX, INTERVAL_MAX } from './recurrence/recurrence.ts';
export type { Pattern, Recurrence, RecurrenceFrom, RecurrenceInput } from './recurrence/recurrence.ts';
export { occurrences, occurrencesAfter } from './recurrence/expand.ts';
export { parseRRule } from './recurrence/rrule.ts';
export { WEEKDAY_CODES, type Weekday } from './recurrence/rrule.ts';
export { EDITABLE_FIELDS, EDITABLE_JSON_NAMES, type EditableFieldsJson } from './task-model.ts';
export { DomainError } from './errors.ts';
export type { CreateTaskRequest, PatchTaskRequest, RecurrenceRequest } from './api/task-requests.ts';

/** Task JSON of the API. */
export type TaskJson = z.infer<typeof taskDtoSchema>;
export type TaskListJson = z.infer<typeof taskListSchema>;
export type RecurrenceJson = z.infer<typeof recurrenceDtoSchema>;
export type MeJson = z.infer<typeof meSchema>;
export type TagCountJson = z.infer<typeof tagCountsSchema>[number];
export type ActivityItemJson = z.infer<typeof activityItemSchema>;
export type NotificationJson = z.infer<typeof notificationDtoSchema>;
export type ChatReplyJson = z.infer<typeof chatResponseSchema>;
export type ConversationJson = z.infer<typeof conversationSchema>;
export type ToolCallRecordJson = z.infer<typeof toolCallRecordSchema>;
export type { LiveMessage } from './live.ts';
export { readDatePhrase, readQuickAdd, readTimePhrase, type QuickAddOptions, type QuickAddPart, type QuickAddPartKind, type QuickAddReading, type QuickAddRequest } from './assistant/quick-add.ts';
export type { TimeOfDay } from './assistant/parse-dates.ts';
export type { SavedFilterDto as SavedFilterJson } from './api/saved-filters.ts';
