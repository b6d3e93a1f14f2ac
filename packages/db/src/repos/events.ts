import { and, eq, lt } from 'drizzle-orm';
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

export async function recordDeadLetter(
  db: Db,
  d: { consumer: string; topic: string; eventId: string; event: unknown; error: string; attempts: number },
): Promise<void> {
  await db
    .insert(deadLetters)
    .values({ ...d, error: d.error.slice(0, 2000), event: d.event ?? null })
    .onConflictDoNothing();
}

export async function listDeadLetters(db: Db, consumer?: string) {
  const q = db.select().from(deadLetters);
  return consumer ? q.where(eq(deadLetters.consumer, consumer)) : q;
}

/** Forgets handled-event records older than `before` (redeliveries come within minutes, not weeks). */
export async function purgeProcessed(db: Db, before: Date): Promise<void> {
  await db.delete(processedEvents).where(lt(processedEvents.processedAt, before));
}
