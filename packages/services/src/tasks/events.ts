import { randomUUID } from 'node:crypto';
import { idToJson, type Task, type TaskChangedData, type TaskEventData, type TaskEventType, toTaskDto } from '@dueflow/core';
import type { OutboxMessage } from '@dueflow/db';
import { eventMessage } from '../event-message.ts';

export const EVENT_SOURCE = 'dueflow/api';

const CHANGE: Record<TaskEventType, TaskChangedData['change']> = {
  'task.created': 'created',
  'task.updated': 'updated',
  'task.completed': 'completed',
  'task.uncompleted': 'uncompleted',
  'task.deleted': 'deleted',
};

/**
 * The outbox messages for one task change: the domain event on `task-events` (recurring, audit,
 * notification) and the live update on `task-updates` (realtime), both keyed by user.
 */
export function taskChangeMessages(type: TaskEventType, task: Task, now: Date): OutboxMessage[] {
  const timestamp = now.toISOString();
  const dto = toTaskDto(task);
  const taskEvent: TaskEventData = {
    event_type: type,
    event_id: randomUUID(),
    timestamp,
    user_id: task.userId,
    task_id: idToJson(task.id),
    // The full recurrence (with its anchor) and series: the recurring service plans from this snapshot.
    task_data: { ...dto, recurrence: task.recurrence ? { ...task.recurrence } : null, series_id: task.seriesId, series_index: task.seriesIndex },
  };
  const changed: TaskChangedData = {
    event_id: randomUUID(),
    timestamp,
    user_id: task.userId,
    task_id: idToJson(task.id),
    change: CHANGE[type],
    task: type === 'task.deleted' ? null : dto,
  };
  // The live update first: the user's other devices see the change before the slower consumers run.
  return [
    eventMessage('task.changed', EVENT_SOURCE, changed, `task/${task.id}`),
    eventMessage(type, EVENT_SOURCE, taskEvent, `task/${task.id}`),
  ];
}
