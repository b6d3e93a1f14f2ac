import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { deadLetters, processedEvents } from '../schema.ts';

/**
 * Records that `consumer` handled `eventId`. Returns false when it already had: run this first in
 * the handler's transaction, and do nothing more on false.
 */
export async function markProcessed(db: Db, consumer: string, eventId: string): Promise<boolean> {
  const rows = await db
    .insert(processedEvents)
    .values({ consumer, eventId })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  return rows.length > 0;
}

export async function wasProcessed(db: Db, consumer: string, eventId: string): Promise<boolean> {
  const rows = await db
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.consumer, consumer), eq(processedEvents.eventId, eventId)))
    .limit(1);
  return rows.length > 0;
}

/** When failed events are replayed on their own: after `firstDelayMs`, then 4× longer each time. */
export interface ReplayPolicy {
  firstDelayMs: number;
  maxReplays: number;
}

/**
 * Records an event a consumer gave up on. The first time, and again after each automatic replay
 * that failed, it is scheduled for another replay until the policy's replays are used up.
 */
export async function recordDeadLetter(
  db: Db,
  d: { consumer: string; topic: string; eventId: string; event: unknown; error: string; attempts: number },
  now: Date,
  policy: ReplayPolicy,
): Promise<void> {
  const firstReplayAt = new Date(now.getTime() + policy.firstDelayMs);
  await db
    .insert(deadLetters)
    .values({ ...d, error: d.error.slice(0, 2000), event: d.event ?? null, replayAt: policy.maxReplays > 0 ? firstReplayAt : null, updatedAt: now })
    .onConflictDoUpdate({
      target: [deadLetters.consumer, deadLetters.eventId],
      set: {
        error: sql`excluded.error`,
        attempts: sql`${deadLetters.attempts} + excluded.attempts`,
        updatedAt: now,
        replayAt: sql`CASE WHEN ${deadLetters.replays} < ${policy.maxReplays}
          THEN ${now.toISOString()}::timestamptz + make_interval(secs => ${policy.firstDelayMs / 1000} * power(4, ${deadLetters.replays}))
          ELSE NULL END`,
      },
    });
}

export type DeadLetter = typeof deadLetters.$inferSelect;

export async function listDeadLetters(db: Db, consumer?: string): Promise<DeadLetter[]> {
  const q = db.select().from(deadLetters).orderBy(asc(deadLetters.id));
  return consumer ? q.where(eq(deadLetters.consumer, consumer)) : q;
}

/**
 * Takes the dead letters whose replay is due (or the given ids, due or not): counts the replay and
 * clears the schedule, in the caller's transaction, so two replayers never send one twice.
 */
export async function claimForReplay(db: Db, now: Date, which: { due: true; limit: number } | { ids: bigint[] }): Promise<DeadLetter[]> {
  if ('ids' in which && which.ids.length === 0) return [];
  const pick =
    'ids' in which
      ? sql`SELECT id FROM dead_letters WHERE id IN (${sql.join(which.ids.map((id) => sql`${id}`), sql`, `)}) FOR UPDATE SKIP LOCKED`
      : sql`SELECT id FROM dead_letters WHERE replay_at <= ${now.toISOString()}::timestamptz ORDER BY id LIMIT ${which.limit} FOR UPDATE SKIP LOCKED`;
  return db
    .update(deadLetters)
    .set({ replays: sql`${deadLetters.replays} + 1`, replayAt: null, lastReplayedAt: now, updatedAt: now })
    .where(sql`${deadLetters.id} IN (${pick})`)
    .returning();
}

/**
 * Takes a claimed dead letter out of automatic replay with the reason (e.g. its event cannot go
 * through the outbox); it stays listed for an operator to look at and discard.
 */
export async function holdDeadLetter(db: Db, id: bigint, reason: string, now: Date): Promise<void> {
  await db.update(deadLetters).set({ replayAt: null, error: reason.slice(0, 2000), updatedAt: now }).where(eq(deadLetters.id, id));
}

/** Deletes the given dead letters (an operator's decision); returns the ids that existed. */
export async function discardDeadLetters(db: Db, ids: bigint[]): Promise<bigint[]> {
  if (ids.length === 0) return [];
  const rows = await db.delete(deadLetters).where(inArray(deadLetters.id, ids)).returning({ id: deadLetters.id });
  return rows.map((r) => r.id);
}

/** Forgets handled-event records older than `before` (redeliveries come within minutes, not weeks). */
export async function purgeProcessed(db: Db, before: Date): Promise<void> {
  await db.delete(processedEvents).where(lt(processedEvents.processedAt, before));
}

/**
 * Dead letters by state: `scheduled` wait for an automatic replay; `exhausted` failed again after their
 * last replay (or were never to be replayed) and wait for an operator (`dueflow dead-letters replay`).
 */
export async function deadLetterCounts(db: Db): Promise<{ scheduled: number; exhausted: number }> {
  const [row] = await db
    .select({
      scheduled: sql<number>`count(*) FILTER (WHERE ${deadLetters.replayAt} IS NOT NULL)::int`,
      exhausted: sql<number>`count(*) FILTER (WHERE ${deadLetters.replayAt} IS NULL AND (${deadLetters.lastReplayedAt} IS NULL OR ${deadLetters.updatedAt} > ${deadLetters.lastReplayedAt}))::int`,
    })
    .from(deadLetters);
  return { scheduled: row?.scheduled ?? 0, exhausted: row?.exhausted ?? 0 };
}
