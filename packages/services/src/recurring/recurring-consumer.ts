import {
  type CloudEvent,
  type EditableTaskFields,
  editableFromJson,
  planNextOccurrence,
  type TaskEventData,
  Topics,
} from '@dueflow/core';
import { type Database, eventsRepo } from '@dueflow/db';
import type { Logger, Subscription } from '@dueflow/runtime';
import { eventData } from '../consume.ts';

export const RECURRING_CONSUMER = 'recurring';

/**
 * How the recurring service reaches the task service: a direct call in one process, Dapr service
 * invocation of the API when distributed. Idempotent per parent task: a repeat returns the first.
 */
export interface OccurrenceCreator {
  createNextOccurrence(
    userId: string,
    parentId: string,
    fields: EditableTaskFields,
    seriesId: string | null,
  ): Promise<{ task: { id: string }; created: boolean } | null>;
}

export interface RecurringDeps {
  database: Database;
  creator: OccurrenceCreator;
  logger: Logger;
  now: () => Date;
}

/**
 * On `task.completed` of a recurring task, creates exactly one next occurrence. The unique
 * (recurring_parent_id) key makes a redelivery, a crash between create and ack, or a
 * re-completion return the first occurrence instead of making another.
 */
export function recurringSubscription(deps: RecurringDeps): Subscription {
  return {
    consumer: RECURRING_CONSUMER,
    topic: Topics.taskEvents,
    async handle(event: CloudEvent) {
      if (event.type !== 'task.completed') return;
      const data = eventData(event, 'task.completed');
      if (await eventsRepo.wasProcessed(deps.database.db, RECURRING_CONSUMER, data.event_id)) return;
      const snapshot = fromSnapshot(data);
      if (snapshot.fields.recurrence) {
        const seriesId = snapshot.seriesId;
        const next = planNextOccurrence(snapshot.fields, {
          completedAt: snapshot.completedAt ?? new Date(data.timestamp),
          now: deps.now(),
          occurrenceNumber: snapshot.seriesIndex,
        });
        if (next) {
          const result = await deps.creator.createNextOccurrence(data.user_id, String(data.task_id), next, seriesId);
          deps.logger.info(
            { task_id: data.task_id, next_task_id: result?.task.id ?? null, created: result?.created ?? false, due: next.dueDate?.toISOString() },
            result ? 'next occurrence' : 'completed task is gone; series ended',
          );
        } else {
          deps.logger.info({ task_id: data.task_id }, 'recurring series ended');
        }
      }
      await eventsRepo.markProcessed(deps.database.db, RECURRING_CONSUMER, data.event_id);
    },
  };
}

function fromSnapshot(data: TaskEventData): { fields: EditableTaskFields; completedAt: Date | null; seriesId: string | null; seriesIndex: number } {
  const t = data.task_data;
  const date = (s: string | null) => (s ? new Date(s) : null);
  return {
    fields: editableFromJson(t),
    completedAt: date(t.completed_at),
    seriesId: t.series_id,
    seriesIndex: t.series_index,
  };
}
