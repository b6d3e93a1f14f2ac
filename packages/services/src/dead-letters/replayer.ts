import { type CloudEvent, type Topic, Topics } from '@dueflow/core';
import { type Database, eventsRepo } from '@dueflow/db';
import type { Logger } from '@dueflow/runtime';
import { UnitOfWork } from '../unit-of-work.ts';

const TOPICS = new Set<string>(Object.values(Topics));

/**
 * Sends dead letters back through the outbox to their topic. Every consumer is idempotent on the
 * event id, so the ones that handled an event skip it and the one that failed gets another go.
 */
export class DeadLetterReplayer {
  private readonly work: UnitOfWork;

  constructor(private readonly opts: { database: Database; logger: Logger; now: () => Date; afterCommit: () => void }) {
    this.work = new UnitOfWork(opts.database, opts.afterCommit);
  }

  /** Replays the dead letters whose automatic replay is due; returns how many. */
  replayDue(limit = 100): Promise<number> {
    return this.replay({ due: true, limit });
  }

  /** Replays the given dead letters now, whatever their schedule (an operator's decision). */
  replayIds(ids: bigint[]): Promise<number> {
    return this.replay({ ids });
  }

  private async replay(which: Parameters<typeof eventsRepo.claimForReplay>[2]): Promise<number> {
    const now = this.opts.now();
    return this.work.run(async (tx, events) => {
      const letters = await eventsRepo.claimForReplay(tx, now, which);
      for (const letter of letters) {
        const event = letter.event as CloudEvent;
        if (!TOPICS.has(letter.topic)) continue;
        const data = event.data as { user_id?: unknown } | null;
        const partitionKey = typeof data?.user_id === 'string' ? data.user_id : (event.subject ?? event.id);
        await events.requeue({ topic: letter.topic as Topic, partitionKey, event }, now);
        this.opts.logger.warn({ event_id: event.id, topic: letter.topic, consumer: letter.consumer, replay: letter.replays }, 'dead letter replayed');
      }
      return letters.length;
    });
  }
}
