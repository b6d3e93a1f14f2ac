// The planner's views and the page URL: one page, `/`, whose query names the view (Today when none),
// the All view's filters, and the task open in the panel (`?task=<id>`). Pure (tested in
// views.unit.test.ts); the page keeps the URL in sync with history.pushState.
import { addDays, epochDay, fromEpochDay, type LocalDate } from '@dueflow/core/browser';
import { DEFAULT_FILTERS, parseFilters, serializeFilters, type TaskFilters } from './filters';
import { wallTime } from './format';

export type ViewName = 'today' | 'upcoming' | 'all' | 'completed';
export const VIEWS: readonly ViewName[] = ['today', 'upcoming', 'all', 'completed'];
export const VIEW_TITLE: Readonly<Record<ViewName, string>> = { today: 'Today', upcoming: 'Upcoming', all: 'All tasks', completed: 'Completed' };
export const UPCOMING_SPANS = [7, 14] as const;
export type UpcomingSpan = (typeof UPCOMING_SPANS)[number];

export interface PageState {
  view: ViewName;
  /** The All view's filters (search, status, priorities, tags, dates, sort). */
  filters: TaskFilters;
  /** Days the Upcoming view covers, today included. */
  span: UpcomingSpan;
  /** The task open in the panel. */
  taskId: number | null;
}

const FILTER_KEYS = ['q', 'status', 'priority', 'tags', 'due_after', 'due_before', 'overdue', 'sort', 'order'];

/** Reads the page query; anything unknown falls back to the Today view. */
export function parsePage(search: string): PageState {
  const params = new URLSearchParams(search);
  const viewParam = params.get('view');
  const view = VIEWS.includes(viewParam as ViewName) ? (viewParam as ViewName) : 'today';
  const span = params.get('days') === '14' ? 14 : 7;
  const id = Number(params.get('task'));
  return {
    view,
    filters: view === 'all' ? parseFilters(params) : DEFAULT_FILTERS,
    span,
    taskId: Number.isInteger(id) && id > 0 ? id : null,
  };
}

/** The page query for `state` (defaults left out: Today with nothing open is plain `/`). */
export function pageSearch(state: PageState): string {
  const params = new URLSearchParams();
  if (state.view !== 'today') params.set('view', state.view);
  if (state.view === 'all') for (const [k, v] of serializeFilters(state.filters)) params.set(k, v);
  if (state.view === 'upcoming' && state.span !== 7) params.set('days', String(state.span));
  if (state.taskId !== null) params.set('task', String(state.taskId));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The link of a view (`filters` for All, e.g. a saved filter). */
export function viewHref(view: ViewName, filters: TaskFilters = DEFAULT_FILTERS): string {
  return `/${pageSearch({ view, filters, span: 7, taskId: null })}`;
}

/** Whether two All-view filter sets name the same list (a saved filter is active). */
export function sameFilters(a: TaskFilters, b: TaskFilters): boolean {
  return serializeFilters(a).toString() === serializeFilters(b).toString();
}

/** The filter keys of a query string, for saving a filter ("status=all&tags=home"). */
export function filterQuery(filters: TaskFilters): string {
  const params = serializeFilters(filters);
  for (const key of [...params.keys()]) if (!FILTER_KEYS.includes(key)) params.delete(key);
  return params.toString();
}

/** Today's local date in `timeZone`. */
export function localToday(now: Date, timeZone: string): LocalDate {
  const w = wallTime(now, timeZone);
  return { year: w.year, month: w.month, day: w.day };
}

export const dateKey = (d: LocalDate): string => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export function parseDateKey(key: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

export const plusDays = (d: LocalDate, n: number): LocalDate => addDays(d, n);
export const daysBetween = (a: LocalDate, b: LocalDate): number => epochDay(b) - epochDay(a);
export const fromDayNumber = fromEpochDay;

/**
 * The list query of a view: Today is open tasks due by the end of today (overdue included, oldest
 * first); Upcoming is open tasks due from today through the span; All is the user's filters;
 * Completed is completed tasks, most recently completed first.
 */
export function viewFilters(state: PageState, today: LocalDate): TaskFilters {
  switch (state.view) {
    case 'today':
      return { ...DEFAULT_FILTERS, status: 'pending', dueBefore: dateKey(today), sort: 'due_date', order: 'asc' };
    case 'upcoming':
      return { ...DEFAULT_FILTERS, status: 'pending', dueAfter: dateKey(today), dueBefore: dateKey(plusDays(today, state.span - 1)), sort: 'due_date', order: 'asc' };
    case 'completed':
      return { ...DEFAULT_FILTERS, status: 'completed', sort: 'completed_at', order: 'desc' };
    case 'all':
      return state.filters;
  }
}

const SIGNED_IN_KEY = 'dueflow:signed-in';

/** Set by the sign-in page: the next planner to load puts focus on its heading. */
export function markSignedIn(): void {
  try {
    sessionStorage.setItem(SIGNED_IN_KEY, '1');
  } catch {
    /* focus simply stays where the browser puts it */
  }
}

/** Whether the user just signed in (read once). */
export function takeSignedInFlag(): boolean {
  try {
    const set = sessionStorage.getItem(SIGNED_IN_KEY) === '1';
    sessionStorage.removeItem(SIGNED_IN_KEY);
    return set;
  } catch {
    return false;
  }
}
