import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { activityLog } from '../schema.ts';

export interface ActivityEntry {
  id: string;
  eventId: string;
  eventType: string;
  taskId: string;
  occurredAt: Date;
  data: unknown;
}

/** Stores one audit row per event; false when the event was already recorded. */
export async function recordActivity(
  db: Db,
  e: { eventId: string; userId: string; taskId: string; eventType: string; occurredAt: Date; data: unknown },
): Promise<boolean> {
  const rows = await db
    .insert(activityLog)
    .values({ ...e, taskId: BigInt(e.taskId), data: e.data ?? null })
    .onConflictDoNothing({ target: activityLog.eventId })
    .returning({ id: activityLog.id });
  return rows.length > 0;
}

export async function listActivity(
  db: Db,
  userId: string,
  opts: { taskId?: string; limit: number; before?: string },
): Promise<ActivityEntry[]> {
  const conds: SQL[] = [eq(activityLog.userId, userId)];
  if (opts.taskId !== undefined) conds.push(eq(activityLog.taskId, BigInt(opts.taskId)));
  if (opts.before !== undefined) conds.push(lt(activityLog.id, BigInt(opts.before)));
  const rows = await db
    .select()
    .from(activityLog)
    .where(and(...conds))
    .orderBy(desc(activityLog.id))
    .limit(opts.limit);
  return rows.map((r) => ({
    id: r.id.toString(),
    eventId: r.eventId,
    eventType: r.eventType,
    taskId: r.taskId.toString(),
    occurredAt: r.occurredAt,
    data: r.data,
  }));
}
