import { idToJson } from '@dueflow/core';
import type { Notification } from '@dueflow/db';

/** A delivered reminder as the API and the live update show it. */
export const toNotificationDto = (n: Notification) => ({
  id: idToJson(n.id),
  task_id: idToJson(n.taskId),
  title: n.title,
  due_at: n.dueAt ? n.dueAt.toISOString() : null,
  remind_at: n.remindAt.toISOString(),
  delivered_at: n.deliveredAt.toISOString(),
  read: n.read,
});
