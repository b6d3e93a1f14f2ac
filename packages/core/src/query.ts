import { z } from 'zod';
import { validationError } from './errors.ts';
import { PRIORITIES, type Priority, tagSchema } from './task.ts';

export const SORT_FIELDS = ['due_date', 'priority', 'title', 'created_at', 'relevance'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const LIST_LIMIT_MAX = 200;
export const LIST_LIMIT_DEFAULT = 50;

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(item).max(20));

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query string of GET /api/v1/tasks, as received (strings). Unknown values are a 400. */
export const listTasksQuerySchema = z
  .object({
    search: z.string().trim().max(200).optional(),
    status: z.enum(['all', 'pending', 'completed']).optional(),
    priority: csv(z.enum(PRIORITIES)).optional(),
    tags: csv(tagSchema).optional(),
    due_before: z.string().max(40).optional(),
    due_after: z.string().max(40).optional(),
    overdue: bool.optional(),
    has_due_date: bool.optional(),
    sort: z.enum(SORT_FIELDS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(LIST_LIMIT_MAX).optional(),
    cursor: z.string().max(500).optional(),
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
 * due date sort last in both orders), then the id as tie-break. Relevance pages by offset instead,
 * because rank is not a stored column.
 */
export type TaskCursor =
  | { kind: 'key'; sort: SortField; order: 'asc' | 'desc'; isNull: boolean; value: string | number | null; id: string }
  | { kind: 'offset'; offset: number };

export function encodeCursor(c: TaskCursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

const cursorSchema = z.union([
  z.object({
    kind: z.literal('key'),
    sort: z.enum(SORT_FIELDS),
    order: z.enum(['asc', 'desc']),
    isNull: z.boolean(),
    value: z.union([z.string().max(300), z.number(), z.null()]),
    id: z.string().regex(/^\d{1,19}$/),
  }),
  z.object({ kind: z.literal('offset'), offset: z.number().int().min(0).max(1_000_000) }),
]);

export function decodeCursor(raw: string, sort: SortField, order: 'asc' | 'desc'): TaskCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw validationError('INVALID_CURSOR', 'cursor is not valid; start from the first page');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw validationError('INVALID_CURSOR', 'cursor is not valid; start from the first page');
  const c = result.data;
  if (c.kind === 'key' && (c.sort !== sort || c.order !== order)) {
    throw validationError('INVALID_CURSOR', 'cursor belongs to another sort order; start from the first page');
  }
  return c;
}
