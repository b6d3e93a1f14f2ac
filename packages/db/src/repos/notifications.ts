import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { notifications, pushSubscriptions } from '../schema.ts';

export interface Notification {
  id: string;
  userId: string;
  taskId: string;
  title: string;
  dueAt: Date | null;
  remindAt: Date;
  deliveredAt: Date;
  read: boolean;
}

type Row = typeof notifications.$inferSelect;
const toNotification = (r: Row): Notification => ({
  id: r.id.toString(),
  userId: r.userId,
  taskId: r.taskId.toString(),
  title: r.title,
  dueAt: r.dueAt,
  remindAt: r.remindAt,
  deliveredAt: r.deliveredAt,
  read: r.read,
});

/** Stores a delivered reminder once per (task, remind_at); null when it was already delivered. */
export async function insertNotification(
  db: Db,
  n: { userId: string; taskId: string; title: string; dueAt: Date | null; remindAt: Date; deliveredAt: Date },
): Promise<Notification | null> {
  const rows = await db
    .insert(notifications)
    .values({ ...n, taskId: BigInt(n.taskId) })
    .onConflictDoNothing({ target: [notifications.taskId, notifications.remindAt] })
    .returning();
  const row = rows[0];
  return row ? toNotification(row) : null;
}

export async function listNotifications(db: Db, userId: string, opts: { unreadOnly: boolean; limit: number }) {
  const where = opts.unreadOnly
    ? and(eq(notifications.userId, userId), eq(notifications.read, false))
    : eq(notifications.userId, userId);
  const rows = await db.select().from(notifications).where(where).orderBy(desc(notifications.id)).limit(opts.limit);
  const [unread] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false)));
  return { notifications: rows.map(toNotification), unread: unread?.n ?? 0 };
}

export async function setNotificationRead(db: Db, userId: string, id: string, read: boolean): Promise<Notification | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  const [row] = await db
    .update(notifications)
    .set({ read })
    .where(and(eq(notifications.id, BigInt(id)), eq(notifications.userId, userId)))
    .returning();
  return row ? toNotification(row) : null;
}

export interface PushSubscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * Saves the user's subscription (new, or new keys for an endpoint they registered before). An endpoint
 * registered by another user is left alone: false.
 */
export async function savePushSubscription(db: Db, userId: string, s: PushSubscription): Promise<boolean> {
  const rows = await db
    .insert(pushSubscriptions)
    .values({ userId, ...s })
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: { p256dh: s.p256dh, auth: s.auth }, setWhere: eq(pushSubscriptions.userId, userId) })
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** How many endpoints the user has registered, and whether `endpoint` is one of them. */
export async function pushSubscriptionCount(db: Db, userId: string, endpoint: string): Promise<{ count: number; has: boolean }> {
  const rows = await db.select({ endpoint: pushSubscriptions.endpoint }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
  return { count: rows.length, has: rows.some((r) => r.endpoint === endpoint) };
}

export async function deletePushSubscription(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/** Removes an endpoint the push service reported gone (404/410), whoever it belonged to. */
export async function forgetPushEndpoint(db: Db, endpoint: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
}

export async function pushSubscriptionsOf(db: Db, userId: string): Promise<PushSubscription[]> {
  return db
    .select({ endpoint: pushSubscriptions.endpoint, p256dh: pushSubscriptions.p256dh, auth: pushSubscriptions.auth })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId));
}
