// The task list's state as pure transitions (tested without a browser in task-list.unit.test.ts):
// pages for the current filters, rows being created, optimistic edits and their rollback, live
// changes from other tabs and devices merged by id and version.
//
// Rows being created carry a client id (a negative number, never a server id) until the server
// answers with the task it made. A live "created" message for a task this list does not know yet
// waits while any create is pending: it may be the answer to one of them (the socket can be faster
// than the POST), and it is matched by the id the POST returns, never by its title.
import { compareTasks, matchesFilters, type TaskFilters } from './filters';
import type { CreateTaskInput, PatchTaskInput, Task } from './types';

export type ListPhase = 'loading' | 'ready' | 'error';

export interface TaskListState {
  /** The filters the rows belong to. */
  filters: TaskFilters;
  timeZone: string;
  /** Rows in display order; rows being created (negative client ids) first. */
  tasks: Task[];
  phase: ListPhase;
  error: string | null;
  total: number;
  nextCursor: string | null;
  /** The first-page request whose answer counts (older answers are dropped). */
  request: number;
  /** A new first page is on its way while the old rows stay visible. */
  refreshing: boolean;
  /** The last refresh of shown rows failed (a new object each time, so each failure is told). */
  refreshError: { message: string } | null;
  loadingMore: boolean;
  /** The last "more" request failed (a view that loads everything stops trying until a reload). */
  moreFailed: boolean;
  /** Live arrivals of unknown tasks held while creates are pending (by task id). */
  held: Task[];
  /** Tasks created here: they stay in view until the list is loaded again, even outside its filters. */
  pinned: number[];
  /** Recurring tasks completed here whose next occurrence is announced when it arrives. */
  awaitingNext: number[];
  /** The last next occurrence that arrived for one of them (the view announces it). */
  nextArrived: Task | null;
}

/** `now`: relative filters (overdue) are judged at this instant. */
interface Clocked {
  now: Date;
}

export type TaskListAction =
  | { type: 'filters-changed'; filters: TaskFilters; timeZone: string; request: number }
  | { type: 'reload'; request: number }
  | ({ type: 'page-loaded'; request: number; tasks: Task[]; total: number; nextCursor: string | null } & Clocked)
  | { type: 'load-failed'; request: number; message: string }
  | { type: 'more-started' }
  | { type: 'more-loaded'; request: number; tasks: Task[]; total: number; nextCursor: string | null }
  | { type: 'more-failed'; request: number }
  | { type: 'draft-added'; draft: Task }
  | ({ type: 'draft-created'; clientId: number; task: Task } & Clocked)
  | ({ type: 'draft-failed'; clientId: number } & Clocked)
  /** A change the user made here, shown before the server confirms it; stays in place (no re-sort). */
  | { type: 'optimistic'; task: Task }
  /** Puts back what an optimistic change replaced (the server refused it). */
  | { type: 'rolled-back'; task: Task }
  /** The server's version of a task (an answer to this page, or a live message). */
  | ({ type: 'server-task'; task: Task; live?: boolean } & Clocked)
  | { type: 'removed'; id: number }
  /** A row whose delete failed returns where it was. */
  | { type: 'reinserted'; task: Task; index: number }
  | { type: 'awaiting-next'; id: number }
  | { type: 'not-awaiting-next'; id: number };

export function initialTaskList(filters: TaskFilters, timeZone: string, request = 0): TaskListState {
  return {
    filters,
    timeZone,
    tasks: [],
    phase: 'loading',
    error: null,
    total: 0,
    nextCursor: null,
    request,
    refreshing: false,
    refreshError: null,
    loadingMore: false,
    moreFailed: false,
    held: [],
    pinned: [],
    awaitingNext: [],
    nextArrived: null,
  };
}

const isDraft = (t: Task): boolean => t.id < 0;
const hasDrafts = (s: TaskListState): boolean => s.tasks.some(isDraft);

/**
 * Puts `task` where it belongs under the state's filters: replaces an older version of the same id
 * (a stale version never wins), drops it when it no longer matches, and leaves out a new row that
 * would sort after the loaded rows while more pages exist (it arrives with its page).
 */
export function mergeTask(state: TaskListState, task: Task, now: Date): TaskListState {
  const index = state.tasks.findIndex((t) => t.id === task.id);
  const existing = index >= 0 ? state.tasks[index] : undefined;
  if (existing && existing.version > task.version) return state;
  const rest = index >= 0 ? state.tasks.filter((t) => t.id !== task.id) : state.tasks;
  if (!matchesFilters(task, state.filters, state.timeZone, now)) {
    // One just created here stays where it is (the user is looking at it), with its new fields.
    if (existing && state.pinned.includes(task.id) && !task.completed) return { ...state, tasks: state.tasks.map((t) => (t.id === task.id ? task : t)) };
    return existing ? { ...state, tasks: rest, total: Math.max(0, state.total - 1) } : state;
  }
  // Rows being created stay on top until the server answers.
  let at = rest.findIndex((t) => !isDraft(t) && compareTasks(task, t, state.filters) < 0);
  if (at < 0) {
    if (state.nextCursor && !existing) return state;
    at = rest.length;
  }
  const tasks = [...rest.slice(0, at), task, ...rest.slice(at)];
  return { ...state, tasks, total: existing ? state.total : state.total + 1 };
}

function removeRow(state: TaskListState, id: number): TaskListState {
  if (!state.tasks.some((t) => t.id === id)) return state;
  return { ...state, tasks: state.tasks.filter((t) => t.id !== id), total: Math.max(0, state.total - 1) };
}

/** Once no create is pending, held arrivals are nobody's answer: merge them. */
function releaseHeld(state: TaskListState, now: Date): TaskListState {
  if (hasDrafts(state) || state.held.length === 0) return state;
  let next: TaskListState = { ...state, held: [] };
  for (const task of state.held) next = mergeTask(next, task, now);
  return next;
}

/** Notes a next occurrence of a task completed here (the view announces it). */
function noticeNext(state: TaskListState, task: Task): TaskListState {
  const parent = task.recurring_parent_id;
  if (parent === null || !state.awaitingNext.includes(parent)) return state;
  return { ...state, awaitingNext: state.awaitingNext.filter((id) => id !== parent), nextArrived: task };
}

export function taskListReducer(state: TaskListState, action: TaskListAction): TaskListState {
  switch (action.type) {
    case 'filters-changed': {
      // Rows being created survive a change of view; the rest belongs to the old filters.
      const drafts = state.tasks.filter(isDraft);
      return { ...initialTaskList(action.filters, action.timeZone, action.request), tasks: drafts, awaitingNext: state.awaitingNext, held: state.held };
    }
    case 'reload':
      return state.phase === 'ready'
        ? { ...state, request: action.request, refreshing: true, error: null }
        : { ...state, request: action.request, phase: 'loading', error: null };
    case 'page-loaded': {
      if (action.request !== state.request) return state;
      const have = new Set(action.tasks.map((t) => t.id));
      const next: TaskListState = {
        ...state,
        tasks: [...state.tasks.filter(isDraft), ...action.tasks],
        phase: 'ready',
        error: null,
        total: action.total,
        nextCursor: action.nextCursor,
        refreshing: false,
        loadingMore: false,
        moreFailed: false,
        pinned: [],
        // What the page brought is no longer held.
        held: state.held.filter((t) => !have.has(t.id)),
      };
      return releaseHeld(next, action.now);
    }
    case 'load-failed':
      if (action.request !== state.request) return state;
      return state.phase === 'ready' ? { ...state, refreshing: false, refreshError: { message: action.message } } : { ...state, phase: 'error', error: action.message, refreshing: false };
    case 'more-started':
      return state.nextCursor && !state.loadingMore ? { ...state, loadingMore: true } : state;
    case 'more-loaded': {
      if (action.request !== state.request) return state;
      const have = new Set(state.tasks.map((t) => t.id));
      return { ...state, tasks: [...state.tasks, ...action.tasks.filter((t) => !have.has(t.id))], nextCursor: action.nextCursor, total: action.total, loadingMore: false, moreFailed: false };
    }
    case 'more-failed':
      return action.request === state.request ? { ...state, loadingMore: false, moreFailed: true } : state;
    case 'draft-added':
      return { ...state, tasks: [action.draft, ...state.tasks], total: state.total + 1 };
    case 'draft-created': {
      if (!state.tasks.some((t) => t.id === action.clientId)) return state;
      // The created task replaces its draft; a live copy that got here first (held or shown) is
      // the same task, and the newer version of the two wins.
      const held = state.held.find((t) => t.id === action.task.id);
      const shown = state.tasks.find((t) => t.id === action.task.id);
      let task = action.task;
      for (const other of [held, shown]) if (other && other.version > task.version) task = other;
      let next: TaskListState = {
        ...state,
        tasks: state.tasks.filter((t) => t.id !== action.clientId && t.id !== task.id),
        total: Math.max(0, state.total - (shown ? 2 : 1)),
        held: state.held.filter((t) => t.id !== task.id),
        pinned: [...state.pinned, task.id],
      };
      // Right after its creation a task keeps the draft's place at the top, even when the view
      // would sort it elsewhere or leave it out: the user just added it and wants to see it.
      next = { ...next, tasks: [...next.tasks.filter(isDraft), task, ...next.tasks.filter((t) => !isDraft(t))], total: next.total + 1 };
      return releaseHeld(next, action.now);
    }
    case 'draft-failed': {
      const next = removeRow(state, action.clientId);
      return releaseHeld(next, action.now);
    }
    case 'optimistic':
    case 'rolled-back':
      return { ...state, tasks: state.tasks.map((t) => (t.id === action.task.id ? action.task : t)) };
    case 'server-task': {
      const task = action.task;
      const known = state.tasks.some((t) => t.id === task.id);
      if (action.live && !known && hasDrafts(state)) {
        // Maybe the answer to a pending create: wait for the POST to say which id it made.
        const held = [...state.held.filter((t) => t.id !== task.id || t.version > task.version), ...(state.held.some((t) => t.id === task.id && t.version > task.version) ? [] : [task])];
        return noticeNext({ ...state, held }, task);
      }
      return noticeNext(mergeTask(state, task, action.now), task);
    }
    case 'removed':
      return { ...removeRow(state, action.id), held: state.held.filter((t) => t.id !== action.id) };
    case 'reinserted': {
      if (state.tasks.some((t) => t.id === action.task.id)) return state;
      const tasks = [...state.tasks];
      tasks.splice(Math.max(0, Math.min(action.index, tasks.length)), 0, action.task);
      return { ...state, tasks, total: state.total + 1 };
    }
    case 'awaiting-next':
      return state.awaitingNext.includes(action.id) ? state : { ...state, awaitingNext: [...state.awaitingNext, action.id] };
    case 'not-awaiting-next':
      return { ...state, awaitingNext: state.awaitingNext.filter((id) => id !== action.id) };
  }
}

let clientIds = 0;
/**
 * A client id for a row being created: negative, so it never collides with a server id, and unique
 * across page loads (a task added offline keeps its id in the offline queue until it is sent).
 */
export function nextClientId(): number {
  clientIds = (clientIds + 1) % 1000;
  return -(Date.now() * 1000 + clientIds);
}

let requests = 0;
/** A number for a first-page request; the list keeps only the latest one's answer. */
export function nextRequest(): number {
  return ++requests;
}

/** The row shown while a create is on its way. */
export function draftTask(clientId: number, input: CreateTaskInput, now: Date): Task {
  const at = now.toISOString();
  return {
    id: clientId,
    title: input.title,
    description: input.description ?? '',
    completed: false,
    completed_at: null,
    priority: input.priority ?? 'medium',
    tags: input.tags ?? [],
    due_date: input.due_date ?? null,
    reminder_at: null,
    remind_before_minutes: input.remind_before_minutes ?? null,
    recurring: null,
    recurrence: null,
    recurring_parent_id: null,
    version: 0,
    created_at: at,
    updated_at: at,
  };
}

/** Patch fields whose request value is also the task JSON's value, so a row can show them at once. */
const SHOWN_AS_SENT = ['title', 'description', 'priority', 'tags', 'due_date', 'remind_before_minutes'] as const satisfies readonly (keyof PatchTaskInput & keyof Task)[];

/** `task` with what `patch` sets of those fields (for an optimistic row; the server's answer replaces it). */
export function withPatch(task: Task, patch: PatchTaskInput): Task {
  const next: Record<string, unknown> = { ...task };
  for (const key of SHOWN_AS_SENT) if (patch[key] !== undefined) next[key] = patch[key];
  return next as Task;
}
