import type { CloudEvent, Topic } from '@dueflow/core';

/** What a handler tells the bus: done, try again later, or never (dead-letter it). */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

export interface Subscription {
  /** The consumer's stable name: its idempotency scope and (with Dapr) its consumer group. */
  consumer: string;
  topic: Topic;
  /**
   * `broadcast`: every replica receives every message (realtime fan-out); otherwise replicas of one
   * consumer share the work.
   */
  broadcast?: boolean;
  /** Resolves when handled; throws to retry; throws PermanentEventError to dead-letter at once. */
  handle(event: CloudEvent): Promise<void>;
}

export interface PublishOptions {
  /** Keeps one user's events in order (Kafka partition key). */
  partitionKey: string;
}

export interface EventBus {
  /** Resolves once the broker accepted the event (in-process: once every subscriber handled it). */
  publish(topic: Topic, event: CloudEvent, opts: PublishOptions): Promise<void>;
  subscribe(sub: Subscription): void;
  close(): Promise<void>;
}

export interface DeadLetter {
  consumer: string;
  topic: Topic;
  event: CloudEvent;
  error: string;
  attempts: number;
}
