import { type CloudEvent, cloudEventSchema, type Topic, Topics } from '@dueflow/core';
import { type Database, eventsRepo } from '@dueflow/db';
import type { Logger } from '@dueflow/runtime';
import { UnitOfWork } from '../unit-of-work.ts';

const TOPICS = new Set<string>(Object.values(Topics));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one replay did: letters queued for publishing, and letters held back with the reason. */
export interface ReplayResult {
  replayed: bigint[];
  held: Array<{ id: bigint; reason: string }>;
}

/**
 * Why a dead letter cannot go back through the outbox, or null when it can. The outbox keys events
 * by UUID (every event Dueflow writes has one); anything else reached a dead-letter topic from
 * outside and can only be looked at and discarded.
 */
export function unreplayableReason(topic: string, event: unknown): string | null {
  if (!TOPICS.has(topic)) return `not replayable: unknown topic "${topic}"`;
  const parsed = cloudEventSchema.safeParse(event);
  if (!parsed.success) return 'not replayable: not a CloudEvent';
  if (!UUID.test(parsed.data.id)) return `not replayable: event id "${parsed.data.id.slice(0, 80)}" is not a UUID`;
  return null;
}

/**
 * Sends dead letters back through the outbox to their topic. Every consumer is idempotent on the
 * event id, so the ones that handled an event skip it and the one that failed gets another go.
 * A letter that cannot be replayed is held (out of the schedule, reason recorded) and never stops
 * the others in its batch.
 */
export class DeadLetterReplayer {
  private readonly work: UnitOfWork;

  constructor(private readonly opts: { database: Database; logger: Logger; now: () => Date; afterCommit: () => void }) {
    this.work = new UnitOfWork(opts.database, opts.afterCommit);
  }

  /** Replays the dead letters whose automatic replay is due; returns how many were queued. */
  async replayDue(limit = 100): Promise<number> {
    return (await this.replay({ due: true, limit })).replayed.length;
  }

  /** Replays the given dead letters now, whatever their schedule (an operator's decision). */
  replayIds(ids: bigint[]): Promise<ReplayResult> {
    return this.replay({ ids });
  }

  private async replay(which: Parameters<typeof eventsRepo.claimForReplay>[2]): Promise<ReplayResult> {
    const now = this.opts.now();
    return this.work.run(async (tx, events) => {
      const out: ReplayResult = { replayed: [], held: [] };
      const letters = await eventsRepo.claimForReplay(tx, now, which);
      for (const letter of letters) {
        const reason = unreplayableReason(letter.topic, letter.event);
        if (reason) {
          await eventsRepo.holdDeadLetter(tx, letter.id, reason, now);
          out.held.push({ id: letter.id, reason });
          this.opts.logger.warn({ dead_letter: String(letter.id), event_id: letter.eventId, topic: letter.topic, reason }, 'dead letter held for an operator');
          continue;
        }
        const event = letter.event as CloudEvent;
        const data = event.data as { user_id?: unknown } | null;
        const partitionKey = typeof data?.user_id === 'string' ? data.user_id : (event.subject ?? event.id);
        await events.requeue({ topic: letter.topic as Topic, partitionKey, event }, now);
        out.replayed.push(letter.id);
        this.opts.logger.warn({ event_id: event.id, topic: letter.topic, consumer: letter.consumer, replay: letter.replays }, 'dead letter replayed');
      }
      return out;
    });
  }
}
