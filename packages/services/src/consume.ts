import { type CloudEvent, type EventType, parseEventData } from '@dueflow/core';
import { PermanentEventError } from '@dueflow/runtime';

/**
 * Validates an incoming event's data against the catalogue. A malformed event can never succeed,
 * so it is rejected as permanent (dead-lettered, the partition keeps flowing).
 */
export function eventData<K extends EventType>(event: CloudEvent, type: K): ReturnType<typeof parseEventData<K>> {
  try {
    return parseEventData(type, event.data);
  } catch (err) {
    throw new PermanentEventError(`malformed ${type} event ${event.id}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
