import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { savedFilters } from '../schema.ts';

export interface SavedFilter {
  id: string;
  userId: string;
  name: string;
  query: string;
  createdAt: Date;
  updatedAt: Date;
}

const toFilter = (r: typeof savedFilters.$inferSelect): SavedFilter => ({ ...r, id: r.id.toString() });
const parseId = (id: string): bigint | null => (/^\d{1,19}$/.test(id) ? BigInt(id) : null);

/** The user's saved filters, oldest first (the order they were made in). */
export async function listFilters(db: Db, userId: string): Promise<SavedFilter[]> {
  const rows = await db.select().from(savedFilters).where(eq(savedFilters.userId, userId)).orderBy(asc(savedFilters.id));
  return rows.map(toFilter);
}

export async function countFilters(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(savedFilters).where(eq(savedFilters.userId, userId));
  return row?.n ?? 0;
}

/** Whether another of the user's filters has this name (names compare without case). */
export async function nameTaken(db: Db, userId: string, name: string, exceptId?: string): Promise<boolean> {
  const conds = [eq(savedFilters.userId, userId), sql`lower(${savedFilters.name}) = lower(${name})`];
  const except = exceptId ? parseId(exceptId) : null;
  if (except !== null) conds.push(ne(savedFilters.id, except));
  const [row] = await db.select({ id: savedFilters.id }).from(savedFilters).where(and(...conds)).limit(1);
  return row !== undefined;
}

/** Null when the name is taken (the unique index decides, so two at once cannot both win). */
export async function insertFilter(db: Db, userId: string, name: string, query: string, now: Date): Promise<SavedFilter | null> {
  const [row] = await db.insert(savedFilters).values({ userId, name, query, createdAt: now, updatedAt: now }).onConflictDoNothing().returning();
  return row ? toFilter(row) : null;
}

export async function updateFilter(db: Db, userId: string, id: string, changes: { name?: string; query?: string }, now: Date): Promise<SavedFilter | null> {
  const key = parseId(id);
  if (key === null) return null;
  const [row] = await db
    .update(savedFilters)
    .set({ ...changes, updatedAt: now })
    .where(and(eq(savedFilters.id, key), eq(savedFilters.userId, userId)))
    .returning();
  return row ? toFilter(row) : null;
}

export async function deleteFilter(db: Db, userId: string, id: string): Promise<boolean> {
  const key = parseId(id);
  if (key === null) return false;
  const rows = await db
    .delete(savedFilters)
    .where(and(eq(savedFilters.id, key), eq(savedFilters.userId, userId)))
    .returning({ id: savedFilters.id });
  return rows.length > 0;
}
