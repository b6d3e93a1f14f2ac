import { type Database, type Db, type OutboxMessage, outboxRepo } from '@dueflow/db';
import { traced } from './traced.ts';

/** What a unit of work may do with events: they are written in its transaction. */
export interface EventWriter {
  /** Events of this change, written (with the current trace) when the work is done, before commit. */
  add(...messages: OutboxMessage[]): void;
  /** An event unless one with its id is already queued or published; true when written. */
  addIfAbsent(message: OutboxMessage): Promise<boolean>;
  /** An event sent before, put back in line to be published again now (a dead letter's replay). */
  requeue(message: OutboxMessage, now: Date): Promise<void>;
}

/**
 * One transaction for a change and the events that describe it (the outbox): they exist exactly
 * when the change does. After a commit that wrote events, the relay is woken to publish them.
 */
export class UnitOfWork {
  constructor(
    private readonly database: Database,
    /** Called after a commit that wrote to the outbox (wakes the relay). */
    private readonly afterCommit: () => void,
  ) {}

  async run<T>(fn: (tx: Db, events: EventWriter) => Promise<T>): Promise<T> {
    let wrote = false;
    const result = await this.database.transaction(async (tx) => {
      const pending: OutboxMessage[] = [];
      const events: EventWriter = {
        add: (...messages) => void pending.push(...messages),
        addIfAbsent: async (message) => {
          const [m] = traced([message]);
          const added = m ? await outboxRepo.enqueueIfAbsent(tx, m) : false;
          wrote ||= added;
          return added;
        },
        requeue: async (message, now) => {
          await outboxRepo.requeue(tx, message, now);
          wrote = true;
        },
      };
      const r = await fn(tx, events);
      if (pending.length > 0) {
        await outboxRepo.enqueue(tx, traced(pending));
        wrote = true;
      }
      return r;
    });
    if (wrote) this.afterCommit();
    return result;
  }
}
