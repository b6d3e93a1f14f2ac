// The task list's filter, sort and search state: parsed from and written to the page URL (so a view
// can be bookmarked), turned into the GET /api/v1/tasks query, and applied locally to live changes.
import { DEFAULT_ORDER, LIST_LIMIT_DEFAULT, PRIORITIES, PriorityRank, SORT_FIELDS, type SortField, type SortOrder, TAG_LENGTH_MAX, TAGS_MAX, TASK_STATUSES, type TaskStatus } from '@dueflow/core/browser';
import { instantFromWall } from './format';
import type { Priority, Task } from './types';

export { DEFAULT_ORDER, SORT_FIELDS, type SortField, type SortOrder };
export type StatusFilter = TaskStatus;

export interface TaskFilters {
  /** Search text as typed (trimmed when sent). */
  q: string;
  status: StatusFilter;
  /** Empty: every priority. Kept in high, medium, low order. */
  priorities: Priority[];
  /** Tasks must carry all of these. */
  tags: string[];
  /** Local dates "YYYY-MM-DD" or '' (no bound). */
  dueAfter: string;
  dueBefore: string;
  overdue: boolean;
  sort: SortField;
  order: SortOrder;
}

export const PRIORITY_ORDER: readonly Priority[] = PRIORITIES;
const STATUSES: readonly StatusFilter[] = TASK_STATUSES;
export const PAGE_SIZE = LIST_LIMIT_DEFAULT;

/** Newest first, or best match first while searching. */
export function defaultSort(q: string): SortField {
  return q.trim() ? 'relevance' : 'created_at';
}

/** Open tasks, newest first: completed ones have their own view. */
export const DEFAULT_FILTERS: TaskFilters = {
  q: '',
  status: 'pending',
  priorities: [],
  tags: [],
  dueAfter: '',
  dueBefore: '',
  overdue: false,
  sort: 'created_at',
  order: 'desc',
};

const TAG = new RegExp(`^[^\\s,]{1,${TAG_LENGTH_MAX}}$`);

function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

function csv(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** Keeps relevance only while searching; any other sort is valid on its own. */
function normaliseSort(filters: TaskFilters): TaskFilters {
  if (filters.sort === 'relevance' && !filters.q.trim()) {
    return { ...filters, sort: 'created_at', order: DEFAULT_ORDER.created_at };
  }
  return filters;
}

/** Reads the page query; anything unknown or malformed falls back to its default. */
export function parseFilters(params: URLSearchParams): TaskFilters {
  const q = (params.get('q') ?? '').slice(0, 200);
  const status = params.get('status');
  const priorities = new Set(csv(params.get('priority')));
  const tags = [...new Set(csv(params.get('tags')).map((t) => t.toLowerCase()))].filter((t) => TAG.test(t)).slice(0, TAGS_MAX);
  const dueAfter = params.get('due_after') ?? '';
  const dueBefore = params.get('due_before') ?? '';
  const sortParam = params.get('sort');
  const sort = SORT_FIELDS.includes(sortParam as SortField) && !(sortParam === 'relevance' && !q.trim()) ? (sortParam as SortField) : defaultSort(q);
  const orderParam = params.get('order');
  const order: SortOrder = orderParam === 'asc' || orderParam === 'desc' ? orderParam : DEFAULT_ORDER[sort];
  return {
    q,
    status: STATUSES.includes(status as StatusFilter) ? (status as StatusFilter) : DEFAULT_FILTERS.status,
    priorities: PRIORITY_ORDER.filter((p) => priorities.has(p)),
    tags,
    dueAfter: isRealDate(dueAfter) ? dueAfter : '',
    dueBefore: isRealDate(dueBefore) ? dueBefore : '',
    overdue: params.get('overdue') === 'true',
    sort,
    order,
  };
}

/** The filters the page URL and the API query name alike (same keys, same values); the URL leaves out the default status. */
function setFilterParams(params: URLSearchParams, filters: TaskFilters, target: 'url' | 'api'): void {
  if (target === 'api' || filters.status !== DEFAULT_FILTERS.status) params.set('status', filters.status);
  if (filters.priorities.length > 0) params.set('priority', PRIORITY_ORDER.filter((p) => filters.priorities.includes(p)).join(','));
  if (filters.tags.length > 0) params.set('tags', filters.tags.join(','));
  if (filters.dueAfter) params.set('due_after', filters.dueAfter);
  if (filters.dueBefore) params.set('due_before', filters.dueBefore);
  if (filters.overdue) params.set('overdue', 'true');
}

/** The page query for `filters`, defaults left out (an unfiltered view has an empty query). */
export function serializeFilters(input: TaskFilters): URLSearchParams {
  const filters = normaliseSort(input);
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  setFilterParams(params, filters, 'url');
  if (filters.sort !== defaultSort(filters.q)) params.set('sort', filters.sort);
  if (filters.order !== DEFAULT_ORDER[filters.sort]) params.set('order', filters.order);
  return params;
}

/**
 * Query of GET /api/v1/tasks. Dates go as local dates: the API reads them in the user's zone, due_after
 * as the start and due_before as the end of that day. Sort and order are always explicit.
 */
export function toApiQuery(input: TaskFilters, options: { limit?: number; cursor?: string | null } = {}): URLSearchParams {
  const filters = normaliseSort(input);
  const params = new URLSearchParams();
  const search = filters.q.trim();
  if (search) params.set('search', search);
  setFilterParams(params, filters, 'api');
  params.set('sort', filters.sort);
  params.set('order', filters.order);
  params.set('limit', String(options.limit ?? PAGE_SIZE));
  if (options.cursor) params.set('cursor', options.cursor);
  return params;
}

/** True when anything narrows the list (search or a filter; sorting does not count). */
export function hasActiveFilters(f: TaskFilters): boolean {
  return (
    f.q.trim() !== '' ||
    f.status !== DEFAULT_FILTERS.status ||
    f.priorities.length > 0 ||
    f.tags.length > 0 ||
    f.dueAfter !== '' ||
    f.dueBefore !== '' ||
    f.overdue
  );
}

/** Filters cleared, the chosen sort kept. */
export function clearFilters(f: TaskFilters): TaskFilters {
  const sort = f.sort === 'relevance' ? 'created_at' : f.sort;
  return { ...DEFAULT_FILTERS, sort, order: f.sort === 'relevance' ? DEFAULT_ORDER.created_at : f.order };
}

function dayBound(date: string, timeZone: string, end: boolean): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const t = end ? { hour: 23, minute: 59, second: 59 } : { hour: 0, minute: 0, second: 0 };
  return instantFromWall({ year, month, day, ...t }, timeZone).getTime();
}

/**
 * Whether `task` belongs in the list for `filters`, as the API would decide (for live changes).
 * Search mirrors the API's rule: every word appears in the title or description, ignoring case.
 */
export function matchesFilters(task: Task, filters: TaskFilters, timeZone: string, now: Date = new Date()): boolean {
  if (filters.status === 'pending' && task.completed) return false;
  if (filters.status === 'completed' && !task.completed) return false;
  if (filters.priorities.length > 0 && !filters.priorities.includes(task.priority)) return false;
  if (filters.tags.some((t) => !task.tags.includes(t))) return false;
  const due = task.due_date ? Date.parse(task.due_date) : null;
  if (filters.dueAfter && (due === null || due < dayBound(filters.dueAfter, timeZone, false))) return false;
  if (filters.dueBefore && (due === null || due > dayBound(filters.dueBefore, timeZone, true))) return false;
  if (filters.overdue && (task.completed || due === null || due >= now.getTime())) return false;
  const terms = filters.q.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length > 0) {
    const text = `${task.title} ${task.description}`.toLowerCase();
    if (!terms.every((t) => text.includes(t))) return false;
  }
  return true;
}

/**
 * Order of two tasks under `filters`' sort, as the API pages them: tasks without a due date last in
 * both orders, ties broken by id. Relevance cannot be computed here: newest first stands in for it.
 */
export function compareTasks(a: Task, b: Task, filters: Pick<TaskFilters, 'sort' | 'order'>): number {
  const dir = filters.order === 'asc' ? 1 : -1;
  const byId = (a.id - b.id) * dir;
  switch (filters.sort) {
    case 'due_date':
    case 'completed_at': {
      const [x, y] = filters.sort === 'due_date' ? [a.due_date, b.due_date] : [a.completed_at, b.completed_at];
      if (!x || !y) {
        if (x) return -1;
        if (y) return 1;
        return byId;
      }
      return (Date.parse(x) - Date.parse(y)) * dir || byId;
    }
    case 'priority':
      return (PriorityRank[a.priority] - PriorityRank[b.priority]) * dir || byId;
    case 'title': {
      const ta = a.title.toLowerCase();
      const tb = b.title.toLowerCase();
      return (ta < tb ? -1 : ta > tb ? 1 : 0) * dir || byId;
    }
    case 'relevance':
      return b.id - a.id;
    default:
      return (Date.parse(a.created_at) - Date.parse(b.created_at)) * dir || byId;
  }
}
