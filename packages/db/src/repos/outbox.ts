import type { CloudEvent, Topic } from '@dueflow/core';
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { outbox } from '../schema.ts';

export interface OutboxMessage {
  topic: Topic;
  partitionKey: string;
  event: CloudEvent;
}

export interface ClaimedMessage extends OutboxMessage {
  id: bigint;
  attempts: number;
}

/** Writes events in the caller's transaction: they exist exactly when the change they describe does. */
export async function enqueue(db: Db, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db.insert(outbox).values(
    messages.map((m) => ({ eventId: m.event.id, topic: m.topic, partitionKey: m.partitionKey, event: m.event })),
  );
}

/** Writes one event unless an event with its id is already there; true when written. */
export async function enqueueIfAbsent(db: Db, m: OutboxMessage): Promise<boolean> {
  const rows = await db
    .insert(outbox)
    .values({ eventId: m.event.id, topic: m.topic, partitionKey: m.partitionKey, event: m.event })
    .onConflictDoNothing({ target: outbox.eventId })
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/**
 * Puts an event back in line for publishing: a new row, or its earlier row (already published, or
 * still waiting) reset to be sent again now.
 */
export async function requeue(db: Db, m: OutboxMessage, now: Date): Promise<void> {
  await db
    .insert(outbox)
    .values({ eventId: m.event.id, topic: m.topic, partitionKey: m.partitionKey, event: m.event, nextAttemptAt: now })
    .onConflictDoUpdate({
      target: outbox.eventId,
      set: { publishedAt: null, attempts: 0, nextAttemptAt: now, claimedUntil: null, lastError: null },
    });
}

/**
 * Claims up to `limit` unpublished messages due for an attempt, in order, for `leaseMs`. A message
 * waits while an earlier one with the same partition key is backing off or held by another relay,
 * so one user's events are never published out of order. A relay that
 * dies holding a claim loses it when the lease expires, so another picks the messages up.
 */
export async function claimBatch(db: Db, now: Date, limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
  const nowIso = now.toISOString();
  const until = new Date(now.getTime() + leaseMs).toISOString();
  // Due by the caller's clock or the database's: a row written with the database's now() a fraction of
  // a millisecond ahead of the caller's clock would otherwise wait for the next poll.
  const due = sql`GREATEST(statement_timestamp(), ${nowIso}::timestamptz)`;
  const rows = await db
    .update(outbox)
    .set({ claimedUntil: sql`${until}::timestamptz` })
    .where(
      inArray(
        outbox.id,
        db
          .select({ id: outbox.id })
          .from(outbox)
          .where(
            sql`${outbox.publishedAt} IS NULL AND ${outbox.nextAttemptAt} <= ${due}
              AND (${outbox.claimedUntil} IS NULL OR ${outbox.claimedUntil} < ${nowIso}::timestamptz)
              AND NOT EXISTS (
                SELECT 1 FROM outbox earlier
                WHERE earlier.partition_key = ${outbox.partitionKey} AND earlier.published_at IS NULL
                  AND earlier.id < ${outbox.id}
                  AND (earlier.next_attempt_at > ${due} OR earlier.claimed_until >= ${nowIso}::timestamptz)
              )`,
          )
          .orderBy(asc(outbox.id))
          .limit(limit)
          .for('update', { skipLocked: true }),
      ),
    )
    .returning({
      id: outbox.id,
      topic: outbox.topic,
      partitionKey: outbox.partitionKey,
      event: outbox.event,
      attempts: outbox.attempts,
    });
  return rows
    .map((r) => ({ id: r.id, topic: r.topic as Topic, partitionKey: r.partitionKey, event: r.event as CloudEvent, attempts: r.attempts }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Marks claimed messages published. A message requeued meanwhile (a dead letter replayed while its
 * first publish was still in flight) lost its claim and stays queued for the replay.
 */
export async function markPublished(db: Db, ids: bigint[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ publishedAt: now, claimedUntil: null })
    .where(and(inArray(outbox.id, ids), isNotNull(outbox.claimedUntil)));
}

/** Gives claimed messages back without counting an attempt (they were not tried). */
export async function releaseClaims(db: Db, ids: bigint[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(outbox).set({ claimedUntil: null }).where(inArray(outbox.id, ids));
}

export async function markFailed(db: Db, id: bigint, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error.slice(0, 1000), nextAttemptAt, claimedUntil: null })
    .where(eq(outbox.id, id));
}

/**
 * Makes the unpublished messages waiting out a failure's back-off due now (publishing works again),
 * those due before `until`: a message refused outright waits longer and keeps its schedule.
 * Returns how many.
 */
export async function retryBackedOffNow(db: Db, now: Date, until: Date): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ nextAttemptAt: now })
    .where(
      sql`${outbox.publishedAt} IS NULL AND ${outbox.attempts} > 0 AND ${outbox.nextAttemptAt} > ${now.toISOString()}::timestamptz
        AND ${outbox.nextAttemptAt} <= ${until.toISOString()}::timestamptz`,
    )
    .returning({ id: outbox.id });
  return rows.length;
}

/** Age in seconds of the oldest unpublished message (0 when none): the relay's lag. */
export async function oldestPendingAgeSeconds(db: Db, now: Date): Promise<number> {
  const [row] = await db
    .select({ createdAt: outbox.createdAt })
    .from(outbox)
    .where(isNull(outbox.publishedAt))
    .orderBy(asc(outbox.id))
    .limit(1);
  return row ? Math.max(0, (now.getTime() - row.createdAt.getTime()) / 1000) : 0;
}

export async function pendingCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.publishedAt));
  return row?.n ?? 0;
}

/** Published messages older than `before` are history; keep the table small. */
export async function purgePublished(db: Db, before: Date): Promise<void> {
  await db.delete(outbox).where(and(sql`${outbox.publishedAt} IS NOT NULL`, sql`${outbox.publishedAt} < ${before.toISOString()}::timestamptz`));
}
