import { EVENT_TOPICS, type EventData, type EventType, makeCloudEvent } from '@dueflow/core';
import type { OutboxMessage } from '@dueflow/db';

/**
 * The outbox message for an event: the topic follows from its type, and the user is the partition
 * key, so one user's events stay in order.
 */
export function eventMessage<K extends EventType>(type: K, source: string, data: EventData<K>, subject: string): OutboxMessage {
  const userId: string = data.user_id;
  return { topic: EVENT_TOPICS[type], partitionKey: userId, event: makeCloudEvent(type, source, data, subject) };
}
