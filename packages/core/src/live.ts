// Messages on the WebSocket GET /api/v1/ws (server → page). Types only, shared by the realtime
// service that sends them and the web page that reads them.
import type { NotificationCreatedData, TaskChangedData } from './events.ts';
import type { TaskDto } from './task-model.ts';

export type LiveMessage =
  | { type: 'hello'; user_id: string }
  | { type: 'pong' }
  | { type: 'task.changed'; id: string; change: TaskChangedData['change']; task_id: number; task: TaskDto | null; at: string }
  | { type: 'notification.created'; id: string; notification: NotificationCreatedData['notification']; at: string };

export function taskChangedMessage(d: TaskChangedData): LiveMessage {
  // The event's task is the API's task JSON (its schema is open to extra fields for other consumers).
  return { type: 'task.changed', id: d.event_id, change: d.change, task_id: d.task_id, task: d.task as TaskDto | null, at: d.timestamp };
}

export function notificationMessage(d: NotificationCreatedData): LiveMessage {
  return { type: 'notification.created', id: d.event_id, notification: d.notification, at: d.timestamp };
}
