import { eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { stateEntries } from '../schema.ts';

export async function getState(db: Db, key: string): Promise<unknown> {
  const [row] = await db.select({ value: stateEntries.value }).from(stateEntries).where(eq(stateEntries.key, key)).limit(1);
  return row?.value;
}

export async function setState(db: Db, key: string, value: unknown, now: Date): Promise<void> {
  await db
    .insert(stateEntries)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: stateEntries.key, set: { value: sql`excluded.value`, updatedAt: now } });
}

export async function deleteState(db: Db, key: string): Promise<void> {
  await db.delete(stateEntries).where(eq(stateEntries.key, key));
}
