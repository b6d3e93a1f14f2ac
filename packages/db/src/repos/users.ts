import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { sessions, users } from '../schema.ts';

export interface UserProfile {
  id: string;
  name: string;
  email: string;
  timezone: string;
}

const profile = { id: users.id, name: users.name, email: users.email, timezone: users.timezone };

export async function findUser(db: Db, userId: string): Promise<UserProfile | null> {
  const [row] = await db.select(profile).from(users).where(eq(users.id, userId)).limit(1);
  return row ?? null;
}

export async function updateUser(
  db: Db,
  userId: string,
  changes: { timezone?: string; name?: string },
  now: Date,
): Promise<UserProfile | null> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: now })
    .where(eq(users.id, userId))
    .returning(profile);
  return row ?? null;
}

/** Of these session ids, the ones that still exist and have not expired. */
export async function liveSessionIds(db: Db, ids: string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(inArray(sessions.id, ids), gt(sessions.expiresAt, now)));
  return new Set(rows.map((r) => r.id));
}

/** Holds the user's row until the transaction ends: per-user limits are checked one request at a time. */
export async function lockUser(db: Db, userId: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  return rows.length > 0;
}
