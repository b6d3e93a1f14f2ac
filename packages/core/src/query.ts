import { z } from 'zod';
import { validationError } from './errors.ts';
import { noNul, tagSchema } from './task.ts';
import { LIST_LIMIT_MAX, PRIORITIES, type Priority, SORT_FIELDS, type SortField, TASK_STATUSES } from './vocabulary.ts';

export { DEFAULT_ORDER, LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, SORT_FIELDS, type SortField, type SortOrder, TASK_STATUSES, type TaskStatus } from './vocabulary.ts';
export const CURSOR_LENGTH_MAX = 3000;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(item).max(20));

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query string of GET /api/v1/tasks, as received (strings). Unknown values are a 400. */
export const listTasksQuerySchema = z
  .object({
    search: z.string().trim().max(200).refine(...noNul('search')).optional(),
    status: z.enum(TASK_STATUSES).optional(),
    priority: csv(z.enum(PRIORITIES)).optional(),
    tags: csv(tagSchema).optional(),
    due_before: z.string().max(40).optional(),
    due_after: z.string().max(40).optional(),
    overdue: bool.optional(),
    has_due_date: bool.optional(),
    sort: z.enum(SORT_FIELDS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).optional(),
    // A title-sort cursor carries the title (up to 200 characters, some of them multi-byte or escaped in JSON).
    cursor: z.string().max(CURSOR_LENGTH_MAX).optional(),
  })
  .strict();
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;

/** The resolved list specification the repository executes. */
export interface TaskQuery {
  search: string | null;
  status: 'all' | 'pending' | 'completed';
  priorities: Priority[];
  tags: string[];
  dueBefore: Date | null;
  dueAfter: Date | null;
  overdue: boolean;
  hasDueDate: boolean | null;
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  cursor: TaskCursor | null;
  now: Date;
}

/**
 * Keyset position of the last row of a page: the sort key (null-ness first, since tasks without a
 * due date sort last in both orders), then the id as tie-break. Timestamps are ISO 8601 with
 * microseconds. Relevance pages by offset instead, because rank is not a stored column; its cursor
 * names its order so it cannot be replayed with the other one.
 */
export type TaskCursor =
  | { kind: 'key'; sort: SortField; order: 'asc' | 'desc'; isNull: boolean; value: string | number | null; id: string }
  | { kind: 'offset'; offset: number; sort?: 'relevance'; order?: 'asc' | 'desc' };

export function encodeCursor(c: TaskCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

const BIGINT_MAX = 9223372036854775807n;

const cursorSchema = z.union([
  z.object({
    kind: z.literal('key'),
    sort: z.enum(SORT_FIELDS),
    order: z.enum(['asc', 'desc']),
    isNull: z.boolean(),
    value: z.union([z.string().max(300), z.number(), z.null()]),
    // An id beyond bigint would fail in SQL. (zod runs the refinement even when the regex fails.)
    id: z.string().regex(/^\d{1,19}$/).refine((id) => /^\d{1,19}$/.test(id) && BigInt(id) <= BIGINT_MAX),
  }),
  z.object({
    kind: z.literal('offset'),
    offset: z.number().int().min(0).max(1_000_000),
    sort: z.literal('relevance').optional(),
    order: z.enum(['asc', 'desc']).optional(),
  }),
]);

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

/** A timestamp the database will accept as is (the cursor value is cast in SQL, so a bad one would fail there). */
function isTimestamp(v: unknown): boolean {
  const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const d = new Date(Date.UTC(2000, month - 1, day));
  d.setUTCFullYear(year);
  return year >= 1 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/** Whether a key cursor's value fits its sort column. */
function valueFits(c: Extract<TaskCursor, { kind: 'key' }>): boolean {
  if (c.isNull) return c.value === null;
  switch (c.sort) {
    case 'due_date':
    case 'created_at':
    case 'completed_at':
      return isTimestamp(c.value);
    case 'priority':
      return c.value === 1 || c.value === 2 || c.value === 3 || c.value === '1' || c.value === '2' || c.value === '3';
    case 'title':
      return typeof c.value === 'string';
    default:
      return false;
  }
}

export function decodeCursor(raw: string, sort: SortField, order: 'asc' | 'desc'): TaskCursor {
  const invalid = () => validationError('INVALID_CURSOR', 'cursor is not valid; start from the first page');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw invalid();
  const c = result.data;
  const otherSort =
    c.kind === 'key'
      ? c.sort !== sort || c.order !== order
      : sort !== 'relevance' || (c.order !== undefined && c.order !== order);
  if (otherSort) {
    throw validationError('INVALID_CURSOR', 'cursor belongs to another sort order; start from the first page');
  }
  if (c.kind === 'key' && !valueFits(c)) throw invalid();
  return c;
}
