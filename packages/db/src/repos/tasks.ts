import { type EditableTaskFields, pickEditable, type Task, type TaskQuery } from '@dueflow/core';
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { deletedTasks, tasks } from '../schema.ts';
import { parseId, type TaskRow, toTask } from './rows.ts';

/** Every column a Task needs (the generated search columns stay in the database). */
const taskColumns = {
  id: tasks.id,
  userId: tasks.userId,
  title: tasks.title,
  description: tasks.description,
  completed: tasks.completed,
  completedAt: tasks.completedAt,
  priority: tasks.priority,
  tags: tasks.tags,
  dueDate: tasks.dueDate,
  reminderAt: tasks.reminderAt,
  remindBeforeMinutes: tasks.remindBeforeMinutes,
  recurrence: tasks.recurrence,
  recurringParentId: tasks.recurringParentId,
  seriesId: tasks.seriesId,
  seriesIndex: tasks.seriesIndex,
  version: tasks.version,
  createdAt: tasks.createdAt,
  updatedAt: tasks.updatedAt,
};

export interface NewTask extends EditableTaskFields {
  userId: string;
  completed?: boolean;
  completedAt?: Date | null;
  recurringParentId?: string | null;
  seriesId?: string | null;
}

/** The times a new row starts with: the caller's clock, so they compare with the caller's `now` later. */
const createdAt = (now: Date) => ({ createdAt: now, updatedAt: now, reminderSetAt: now });

export async function insertTask(db: Db, t: NewTask, now: Date): Promise<Task> {
  const [row] = await db
    .insert(tasks)
    .values({
      ...pickEditable(t),
      ...createdAt(now),
      userId: t.userId,
      completed: t.completed ?? false,
      completedAt: t.completedAt ?? null,
      recurringParentId: t.recurringParentId ? BigInt(t.recurringParentId) : null,
      seriesId: t.seriesId ?? null,
    })
    .returning(taskColumns);
  if (!row) throw new Error('insert returned no row');
  return toTask(row);
}

/**
 * Inserts the next occurrence of a series unless one already exists for `recurringParentId`
 * (unique index): returns the existing one then, so redeliveries create nothing.
 */
export async function insertNextOccurrence(
  db: Db,
  t: NewTask & { recurringParentId: string; seriesIndex: number },
  now: Date,
): Promise<{ task: Task; created: boolean }> {
  const rows = await db
    .insert(tasks)
    .values({
      ...pickEditable(t),
      ...createdAt(now),
      userId: t.userId,
      recurringParentId: BigInt(t.recurringParentId),
      seriesId: t.seriesId ?? null,
      seriesIndex: t.seriesIndex,
    })
    .onConflictDoNothing({ target: tasks.recurringParentId, where: sql`recurring_parent_id IS NOT NULL` })
    .returning(taskColumns);
  const row = rows[0];
  if (row) return { task: toTask(row), created: true };
  const existing = await findNextOccurrence(db, t.recurringParentId);
  if (!existing) throw new Error('next occurrence conflict without a row');
  return { task: existing, created: false };
}

export async function findNextOccurrence(db: Db, parentId: string): Promise<Task | null> {
  const id = parseId(parentId);
  if (id === null) return null;
  const [row] = await db.select(taskColumns).from(tasks).where(eq(tasks.recurringParentId, id)).limit(1);
  return row ? toTask(row) : null;
}

export async function findTask(db: Db, userId: string, taskId: string, opts: { forUpdate?: boolean } = {}): Promise<Task | null> {
  const id = parseId(taskId);
  if (id === null) return null;
  const q = db.select(taskColumns).from(tasks).where(and(eq(tasks.id, id), eq(tasks.userId, userId))).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ? toTask(row) : null;
}

export interface TaskUpdate extends Partial<EditableTaskFields> {
  completed?: boolean;
  completedAt?: Date | null;
  seriesId?: string | null;
  seriesIndex?: number;
}

/** Applies `changes` and bumps the version; `null` when the task is gone. */
export async function updateTask(db: Db, userId: string, taskId: string, changes: TaskUpdate, now: Date): Promise<Task | null> {
  const id = parseId(taskId);
  if (id === null) return null;
  const [row] = await db
    .update(tasks)
    .set({
      ...changes,
      updatedAt: now,
      version: sql`${tasks.version} + 1`,
      // SET sees the old row: the reminder's set time moves only when the reminder itself changes.
      ...(changes.reminderAt !== undefined
        ? {
            reminderSetAt: sql`CASE WHEN ${tasks.reminderAt} IS DISTINCT FROM ${changes.reminderAt ? changes.reminderAt.toISOString() : null}::timestamptz THEN ${now.toISOString()}::timestamptz ELSE ${tasks.reminderSetAt} END`,
          }
        : {}),
    })
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning(taskColumns);
  return row ? toTask(row) : null;
}

/** Deletes the task and keeps it in `deleted_tasks`, so the delete can be undone (restoreTask). */
export async function deleteTask(db: Db, userId: string, taskId: string, now: Date): Promise<Task | null> {
  const id = parseId(taskId);
  if (id === null) return null;
  const [row] = await db
    .delete(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
    .returning(taskColumns);
  if (!row) return null;
  const task = toTask(row);
  const kept: unknown = JSON.parse(JSON.stringify(task));
  await db.insert(deletedTasks).values({ id, userId, task: kept, deletedAt: now }).onConflictDoUpdate({ target: deletedTasks.id, set: { task: kept, deletedAt: now } });
  return task;
}

/**
 * Brings a deleted task back with its id, fields and a bumped version. Its parent link is kept only
 * while the parent exists and has no other next occurrence. Null when there is nothing to restore.
 */
export async function restoreTask(db: Db, userId: string, taskId: string, now: Date): Promise<Task | null> {
  const id = parseId(taskId);
  if (id === null) return null;
  const [kept] = await db.delete(deletedTasks).where(and(eq(deletedTasks.id, id), eq(deletedTasks.userId, userId))).returning();
  if (!kept) return null;
  const t = reviveTask(kept.task as SerializedTask);
  let parentId = t.recurringParentId === null ? null : BigInt(t.recurringParentId);
  if (parentId !== null) {
    const [parent] = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.id, parentId)).limit(1);
    if (!parent || (await findNextOccurrence(db, t.recurringParentId ?? ''))) parentId = null;
  }
  const [row] = await db
    .insert(tasks)
    .overridingSystemValue()
    .values({
      ...pickEditable(t),
      id,
      userId,
      completed: t.completed,
      completedAt: t.completedAt,
      recurringParentId: parentId,
      seriesId: t.seriesId,
      seriesIndex: t.seriesIndex,
      version: t.version + 1,
      createdAt: t.createdAt,
      updatedAt: now,
      reminderSetAt: now,
    })
    .returning(taskColumns);
  return row ? toTask(row) : null;
}

/** Deleted tasks older than `before` can no longer be restored. */
export async function purgeDeleted(db: Db, before: Date): Promise<number> {
  const rows = await db
    .delete(deletedTasks)
    .where(sql`${deletedTasks.deletedAt} < ${before.toISOString()}::timestamptz`)
    .returning({ id: deletedTasks.id });
  return rows.length;
}

type SerializedTask = Omit<Task, 'completedAt' | 'dueDate' | 'reminderAt' | 'createdAt' | 'updatedAt'> & {
  completedAt: string | null;
  dueDate: string | null;
  reminderAt: string | null;
  createdAt: string;
  updatedAt: string;
};

function reviveTask(t: SerializedTask): Task {
  const date = (s: string | null) => (s === null ? null : new Date(s));
  return { ...t, completedAt: date(t.completedAt), dueDate: date(t.dueDate), reminderAt: date(t.reminderAt), createdAt: new Date(t.createdAt), updatedAt: new Date(t.updatedAt) };
}

/** Escapes LIKE metacharacters so a search term matches literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function whereClause(userId: string, q: TaskQuery): SQL {
  const conds: SQL[] = [eq(tasks.userId, userId)];
  if (q.status === 'pending') conds.push(eq(tasks.completed, false));
  if (q.status === 'completed') conds.push(eq(tasks.completed, true));
  if (q.priorities.length > 0) conds.push(inArray(tasks.priority, q.priorities));
  if (q.tags.length > 0) conds.push(sql`${tasks.tags} @> ${sql.param(q.tags)}::text[]`);
  if (q.dueBefore) conds.push(sql`${tasks.dueDate} <= ${q.dueBefore.toISOString()}::timestamptz`);
  if (q.dueAfter) conds.push(sql`${tasks.dueDate} >= ${q.dueAfter.toISOString()}::timestamptz`);
  if (q.overdue) conds.push(sql`NOT ${tasks.completed} AND ${tasks.dueDate} < ${q.now.toISOString()}::timestamptz`);
  if (q.hasDueDate === true) conds.push(sql`${tasks.dueDate} IS NOT NULL`);
  if (q.hasDueDate === false) conds.push(sql`${tasks.dueDate} IS NULL`);
  for (const term of searchTerms(q.search)) {
    // Every word must appear, whole or in part; the trigram index serves these.
    conds.push(sql`${tasks.searchText} LIKE ${`%${likeEscape(term)}%`}`);
  }
  const where = and(...conds);
  if (!where) throw new Error('empty where');
  return where;
}

export function searchTerms(search: string | null): string[] {
  if (!search) return [];
  // No cap on the number of words: every one must match, and the search itself is at most 200 characters.
  return [...new Set(search.toLowerCase().split(/\s+/).filter((t) => t.length > 0))];
}

/**
 * The sort key as SQL, its SQL type for comparing with a cursor value, and its value as cursor text.
 * Timestamps go out as UTC ISO 8601 with microseconds, whatever the session's TimeZone and DateStyle.
 */
function sortKey(field: TaskQuery['sort']): { expr: SQL; type: string; text: SQL } {
  const iso = (col: SQL) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  switch (field) {
    case 'due_date':
      return { expr: sql`${tasks.dueDate}`, type: 'timestamptz', text: iso(sql`${tasks.dueDate}`) };
    case 'completed_at':
      return { expr: sql`${tasks.completedAt}`, type: 'timestamptz', text: iso(sql`${tasks.completedAt}`) };
    case 'priority':
      return { expr: sql`${tasks.priorityRank}`, type: 'smallint', text: sql`${tasks.priorityRank}::text` };
    case 'title':
      return { expr: sql`${tasks.titleSort}`, type: 'text', text: sql`${tasks.titleSort}` };
    default:
      return { expr: sql`${tasks.createdAt}`, type: 'timestamptz', text: iso(sql`${tasks.createdAt}`) };
  }
}

export interface TaskPage {
  tasks: Task[];
  total: number;
  /** Cursor material of the last row when more rows may follow. */
  last: { isNull: boolean; value: string | null; id: string } | null;
  offset: number | null;
}

export async function listTasks(db: Db, userId: string, q: TaskQuery): Promise<TaskPage> {
  const where = whereClause(userId, q);
  const totalPromise = db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(where);

  if (q.sort === 'relevance') {
    const offset = q.cursor?.kind === 'offset' ? q.cursor.offset : 0;
    const text = q.search ?? '';
    // Whole words weigh most (title above description, by the vector's weights), then word prefixes;
    // matches inside words only pass the filter. Both ranks read the stored vector: cheap per row.
    const prefix = prefixQuery(text);
    const whole = sql`ts_rank(${tasks.searchVector}, websearch_to_tsquery('simple', ${text}))`;
    const rank = prefix ? sql`${whole} * 2 + ts_rank(${tasks.searchVector}, to_tsquery('simple', ${prefix}))` : whole;
    const rdir = q.order === 'asc' ? asc : desc;
    const rows = await db
      .select(taskColumns)
      .from(tasks)
      .where(where)
      .orderBy(rdir(rank), rdir(tasks.id))
      .limit(q.limit + 1)
      .offset(offset);
    const [total] = await totalPromise;
    const more = rows.length > q.limit;
    return {
      tasks: rows.slice(0, q.limit).map(toTask),
      total: total?.n ?? 0,
      last: null,
      offset: more ? offset + q.limit : null,
    };
  }

  const { expr, type, text } = sortKey(q.sort);
  const dir = q.order === 'asc' ? asc : desc;
  const op = q.order === 'asc' ? sql.raw('>') : sql.raw('<');
  const c = q.cursor?.kind === 'key' ? q.cursor : null;
  const select = { ...taskColumns, sortValue: sql<string | null>`${text}` };
  const want = q.limit + 1;

  // Keyed rows first, in index order; rows without a key (due and completion dates can be missing) follow in
  // a second query, so each part is a plain range scan of its index however deep the page.
  let keyed: (TaskRow & { sortValue: string | null })[] = [];
  if (!c || !c.isNull) {
    const conds: SQL[] = [where, sql`${expr} IS NOT NULL`];
    if (c) conds.push(sql`(${expr}, ${tasks.id}) ${op} (${c.value}::${sql.raw(type)}, ${BigInt(c.id)})`);
    keyed = await db
      .select(select)
      .from(tasks)
      .where(and(...conds))
      .orderBy(dir(expr), dir(tasks.id))
      .limit(want);
  }
  let unkeyed: (TaskRow & { sortValue: string | null })[] = [];
  if ((q.sort === 'due_date' || q.sort === 'completed_at') && keyed.length < want) {
    const conds: SQL[] = [where, sql`${expr} IS NULL`];
    if (c?.isNull) conds.push(sql`${tasks.id} ${op} ${BigInt(c.id)}`);
    unkeyed = await db
      .select(select)
      .from(tasks)
      .where(and(...conds))
      .orderBy(dir(tasks.id))
      .limit(want - keyed.length);
  }
  const rows = [...keyed, ...unkeyed];
  const [total] = await totalPromise;
  const page = rows.slice(0, q.limit);
  const lastRow = page[page.length - 1];
  return {
    tasks: page.map(toTask),
    total: total?.n ?? 0,
    last:
      rows.length > q.limit && lastRow
        ? { isNull: lastRow.sortValue === null, value: lastRow.sortValue, id: lastRow.id.toString() }
        : null,
    offset: null,
  };
}

/** `a:* & b:*` from the search words (letters and digits only), or null when nothing is left. */
function prefixQuery(search: string): string | null {
  const words = search
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w.length > 0);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

export async function tagCounts(db: Db, userId: string): Promise<{ tag: string; count: number }[]> {
  const tag = sql<string>`unnest(${tasks.tags})`;
  const rows = await db
    .select({ tag, count: sql<number>`count(*)::int` })
    .from(tasks)
    .where(eq(tasks.userId, userId))
    .groupBy(sql`1`)
    .orderBy(sql`2 DESC`, sql`1 ASC`);
  return rows;
}

/** Open tasks whose reminder falls in [from, to], oldest first (scheduler reload and missed-reminder sweep). */
export async function tasksWithReminderBetween(db: Db, from: Date, to: Date, limit = 1000): Promise<Task[]> {
  const rows = await db
    .select(taskColumns)
    .from(tasks)
    .where(
      sql`NOT ${tasks.completed} AND ${tasks.reminderAt} >= ${from.toISOString()}::timestamptz AND ${tasks.reminderAt} <= ${to.toISOString()}::timestamptz`,
    )
    .orderBy(asc(tasks.reminderAt), asc(tasks.id))
    .limit(limit);
  return rows.map(toTask);
}

export async function findTaskById(db: Db, taskId: string): Promise<Task | null> {
  const id = parseId(taskId);
  if (id === null) return null;
  const [row] = await db.select(taskColumns).from(tasks).where(eq(tasks.id, id)).limit(1);
  return row ? toTask(row) : null;
}

/**
 * Open tasks whose reminder fell in [from, to], was still ahead when it was set (later edits of other
 * fields do not matter), and
 * has no delivered notification: the reminders missed while nothing was running to fire them.
 */
export async function missedReminders(db: Db, from: Date, to: Date, limit = 1000): Promise<Task[]> {
  const rows = await db
    .select(taskColumns)
    .from(tasks)
    .where(
      sql`NOT ${tasks.completed}
        AND ${tasks.reminderAt} >= ${from.toISOString()}::timestamptz AND ${tasks.reminderAt} <= ${to.toISOString()}::timestamptz
        AND ${tasks.reminderAt} > ${tasks.reminderSetAt}
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.task_id = ${tasks.id} AND n.remind_at = ${tasks.reminderAt})`,
    )
    .orderBy(asc(tasks.reminderAt), asc(tasks.id))
    .limit(limit);
  return rows.map(toTask);
}

/**
 * Age in seconds of the oldest reminder in [from, now] that is due and still has no notification
 * (the same rule as missedReminders); 0 when every due reminder was delivered.
 */
export async function oldestUndeliveredReminderAgeSeconds(db: Db, from: Date, now: Date): Promise<number> {
  const [row] = await db
    .select({ reminderAt: tasks.reminderAt })
    .from(tasks)
    .where(
      sql`NOT ${tasks.completed}
        AND ${tasks.reminderAt} >= ${from.toISOString()}::timestamptz AND ${tasks.reminderAt} <= ${now.toISOString()}::timestamptz
        AND ${tasks.reminderAt} > ${tasks.reminderSetAt}
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.task_id = ${tasks.id} AND n.remind_at = ${tasks.reminderAt})`,
    )
    .orderBy(asc(tasks.reminderAt))
    .limit(1);
  return row?.reminderAt ? Math.max(0, (now.getTime() - row.reminderAt.getTime()) / 1000) : 0;
}
