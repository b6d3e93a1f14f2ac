import { type CloudEvent, TASK_EVENT_TYPES, type TaskEventType, Topics } from '@dueflow/core';
import { activityRepo, type Database } from '@dueflow/db';
import { PermanentEventError, type Subscription } from '@dueflow/runtime';
import { eventData } from '../consume.ts';

export const AUDIT_CONSUMER = 'audit';

/** Every task event lands in activity_log once (unique event_id absorbs redeliveries). */
export function auditSubscription(database: Database): Subscription {
  return {
    consumer: AUDIT_CONSUMER,
    topic: Topics.taskEvents,
    async handle(event: CloudEvent) {
      if (!(TASK_EVENT_TYPES as readonly string[]).includes(event.type)) {
        throw new PermanentEventError(`unexpected event type ${event.type} on ${Topics.taskEvents}`);
      }
      const data = eventData(event, event.type as TaskEventType);
      await activityRepo.recordActivity(database.db, {
        eventId: data.event_id,
        userId: data.user_id,
        taskId: String(data.task_id),
        eventType: data.event_type,
        occurredAt: new Date(data.timestamp),
        data: data.task_data,
      });
    },
  };
}
