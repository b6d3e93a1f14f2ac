import { type CloudEvent, deadLetterTopic, Topics } from '@dueflow/core';
import { type Database, eventsRepo } from '@dueflow/db';
import type { Subscription } from '@dueflow/runtime';

export const DEAD_LETTER_CONSUMER = 'dead-letters';

/**
 * With a broker, messages no consumer could handle land on `<topic>-dlq`; this keeps them in the
 * dead_letters table (where the in-process bus records them too), from where they are replayed.
 */
export function deadLetterSubscriptions(database: Database, now: () => Date, policy: eventsRepo.ReplayPolicy): Subscription[] {
  return Object.values(Topics).map((topic) => ({
    consumer: DEAD_LETTER_CONSUMER,
    topic: deadLetterTopic(topic),
    async handle(event: CloudEvent) {
      await eventsRepo.recordDeadLetter(
        database.db,
        { consumer: DEAD_LETTER_CONSUMER, topic, eventId: event.id, event, error: 'delivered to the dead-letter topic', attempts: 0 },
        now(),
        policy,
      );
    },
  }));
}
