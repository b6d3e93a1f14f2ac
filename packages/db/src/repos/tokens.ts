import { and, asc, count, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { apiTokens, users } from '../schema.ts';

export type TokenScope = 'read' | 'read-write';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const columns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scope: apiTokens.scope,
  createdAt: apiTokens.createdAt,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

export async function insertToken(db: Db, t: ApiToken & { tokenHash: string }): Promise<void> {
  await db.insert(apiTokens).values(t);
}

export async function countTokens(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(apiTokens).where(eq(apiTokens.userId, userId));
  return Number(row?.n ?? 0);
}

export async function listTokens(db: Db, userId: string): Promise<ApiToken[]> {
  return db.select(columns).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
}

/** The token with this hash, unless it has expired, with its user's time zone. */
export async function findValidToken(db: Db, tokenHash: string, now: Date): Promise<(ApiToken & { timezone: string }) | null> {
  const [row] = await db
    .select({ ...columns, timezone: users.timezone })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))))
    .limit(1);
  return row ?? null;
}

export async function deleteToken(db: Db, userId: string, id: string): Promise<ApiToken | null> {
  const [row] = await db.delete(apiTokens).where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id))).returning(columns);
  return row ?? null;
}

export async function touchToken(db: Db, id: string, at: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}

/** Of these token ids, the ones that still exist and have not expired. */
export async function liveTokenIds(db: Db, ids: string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(inArray(apiTokens.id, ids), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
  return new Set(rows.map((r) => r.id));
}
