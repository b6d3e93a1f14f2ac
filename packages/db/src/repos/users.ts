import { eq } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { users } from '../schema.ts';

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
