import { z } from 'zod';
import { notificationDtoSchema, storedRecurrenceSchema, taskDtoSchema } from './api/responses.ts';

/** Topics of the event catalogue. */
export const Topics = {
  taskEvents: 'task-events',
  reminders: 'reminders',
  taskUpdates: 'task-updates',
} as const;
export type MainTopic = (typeof Topics)[keyof typeof Topics];
/** A main topic or its dead-letter topic (`<topic>-dlq`), where messages go that cannot be handled. */
export type Topic = MainTopic | `${MainTopic}-dlq`;
export const deadLetterTopic = (t: MainTopic): Topic => `${t}-dlq`;

export const TASK_EVENT_TYPES = ['task.created', 'task.updated', 'task.completed', 'task.uncompleted', 'task.deleted'] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/**
 * Snapshot of the task carried by task events: the API's task JSON plus what the recurring service
 * plans from (the recurrence with its anchor, the series and the position in it).
 */
export const taskDataSchema = taskDtoSchema.extend({
  recurrence: storedRecurrenceSchema.nullable(),
  series_id: z.string().nullable().default(null),
  series_index: z.number().int().min(1).default(1),
});
export type TaskData = z.infer<typeof taskDataSchema>;

export const taskEventDataSchema = z.object({
  event_type: z.enum(TASK_EVENT_TYPES),
  event_id: z.uuid(),
  timestamp: z.string(),
  user_id: z.string().min(1),
  task_id: z.number().int(),
  task_data: taskDataSchema,
});
export type TaskEventData = z.infer<typeof taskEventDataSchema>;

export const reminderDueDataSchema = z.object({
  event_id: z.uuid(),
  timestamp: z.string(),
  task_id: z.number().int(),
  user_id: z.string().min(1),
  title: z.string(),
  due_at: z.string().nullable(),
  remind_at: z.string(),
});
export type ReminderDueData = z.infer<typeof reminderDueDataSchema>;

/** task-updates: what realtime pushes to the user's open connections. */
export const taskChangedDataSchema = z.object({
  event_id: z.uuid(),
  timestamp: z.string(),
  user_id: z.string().min(1),
  task_id: z.number().int(),
  change: z.enum(['created', 'updated', 'completed', 'uncompleted', 'deleted']),
  /** The task as the API shows it (null once deleted). */
  task: taskDtoSchema.nullable(),
});
export type TaskChangedData = z.infer<typeof taskChangedDataSchema>;

export const notificationCreatedDataSchema = z.object({
  event_id: z.uuid(),
  timestamp: z.string(),
  user_id: z.string().min(1),
  notification: notificationDtoSchema,
});
export type NotificationCreatedData = z.infer<typeof notificationCreatedDataSchema>;

/**
 * task-updates: a sign-in ended (sign-out, a revoked session, a revoked or expired access token).
 * Realtime closes the connections opened with it.
 */
export const credentialRevokedDataSchema = z.object({
  event_id: z.uuid(),
  timestamp: z.string(),
  user_id: z.string().min(1),
  credential: z.enum(['session', 'token']),
  credential_id: z.string().min(1),
});
export type CredentialRevokedData = z.infer<typeof credentialRevokedDataSchema>;

/** CloudEvents 1.0 envelope, the same on the in-process bus and through Dapr. */
export const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.string().optional(),
  subject: z.string().optional(),
  datacontenttype: z.string().optional(),
  traceparent: z.string().optional(),
  data: z.unknown(),
});
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  /** W3C trace context of the change (CloudEvents distributed tracing extension). */
  traceparent?: string;
  data: T;
}

export const EVENT_DATA_SCHEMAS = {
  'task.created': taskEventDataSchema,
  'task.updated': taskEventDataSchema,
  'task.completed': taskEventDataSchema,
  'task.uncompleted': taskEventDataSchema,
  'task.deleted': taskEventDataSchema,
  'reminder.due': reminderDueDataSchema,
  'task.changed': taskChangedDataSchema,
  'notification.created': notificationCreatedDataSchema,
  'credential.revoked': credentialRevokedDataSchema,
} as const;
export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
/** The data an event of type K carries. */
export type EventData<K extends EventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[K]>;

/** The topic each event type travels on. */
export const EVENT_TOPICS: { readonly [K in EventType]: MainTopic } = {
  'task.created': Topics.taskEvents,
  'task.updated': Topics.taskEvents,
  'task.completed': Topics.taskEvents,
  'task.uncompleted': Topics.taskEvents,
  'task.deleted': Topics.taskEvents,
  'reminder.due': Topics.reminders,
  'task.changed': Topics.taskUpdates,
  'notification.created': Topics.taskUpdates,
  'credential.revoked': Topics.taskUpdates,
};

/** A CloudEvent of type K: its data is checked against the catalogue when it is made. */
export function makeCloudEvent<K extends EventType>(type: K, source: string, data: EventData<K>, subject?: string): CloudEvent<EventData<K>> {
  const ev: CloudEvent<EventData<K>> = {
    specversion: '1.0',
    id: data.event_id,
    source,
    type,
    time: data.timestamp,
    datacontenttype: 'application/json',
    data,
  };
  if (subject !== undefined) ev.subject = subject;
  return ev;
}

/** Parses the data of an event of a known type; throws a ZodError on a malformed payload. */
export function parseEventData<K extends EventType>(type: K, data: unknown): EventData<K> {
  return EVENT_DATA_SCHEMAS[type].parse(data) as EventData<K>;
}
