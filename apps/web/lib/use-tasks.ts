'use client';
// The task list as the user sees it: first page for the current filters, more on demand, optimistic
// edits that roll back on failure, live changes from other tabs and devices merged in by id.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLive, useMe } from '../components/app-context';
import { useToast } from '../components/toast';
import { api, ApiError } from './api';
import { compareTasks, matchesFilters, PAGE_SIZE, toApiQuery, type TaskFilters } from './filters';
import { formatDue } from './format';
import type { CreateTaskInput, PatchTaskInput, Task } from './types';

export type ListPhase = 'loading' | 'ready' | 'error';

interface ListState {
  tasks: Task[];
  phase: ListPhase;
  error: string | null;
  total: number;
  nextCursor: string | null;
  /** A new first page is on its way while the old rows stay visible. */
  refreshing: boolean;
  loadingMore: boolean;
}

export type SaveResult = { ok: true; task: Task } | { ok: false; conflict: boolean; message: string; latest?: Task };

const INITIAL: ListState = { tasks: [], phase: 'loading', error: null, total: 0, nextCursor: null, refreshing: false, loadingMore: false };

/** Temporary ids of optimistic rows are negative, so they never collide with the server's. */
let tempIds = 0;
const nextTempId = (): number => --tempIds;

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError || err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/**
 * Puts `task` where it belongs under `filters`: replaces an older version of the same id (a stale
 * version never wins), drops it when it no longer matches, and leaves out a new row that would sort
 * after the loaded rows while more pages exist (it arrives with its page).
 */
export function mergeTask(state: ListState, task: Task, filters: TaskFilters, timeZone: string, now: Date = new Date()): ListState {
  const index = state.tasks.findIndex((t) => t.id === task.id);
  const existing = index >= 0 ? state.tasks[index] : undefined;
  if (existing && existing.version > task.version) return state;
  const rest = index >= 0 ? state.tasks.filter((t) => t.id !== task.id) : state.tasks;
  if (!matchesFilters(task, filters, timeZone, now)) {
    return existing ? { ...state, tasks: rest, total: Math.max(0, state.total - 1) } : state;
  }
  // Rows being created (negative ids) stay on top until the server answers.
  let at = rest.findIndex((t) => t.id > 0 && compareTasks(task, t, filters) < 0);
  if (at < 0) {
    if (state.nextCursor && !existing) return state;
    at = rest.length;
  }
  const tasks = [...rest.slice(0, at), task, ...rest.slice(at)];
  return { ...state, tasks, total: existing ? state.total : state.total + 1 };
}

function removeTask(state: ListState, id: number): ListState {
  if (!state.tasks.some((t) => t.id === id)) return state;
  return { ...state, tasks: state.tasks.filter((t) => t.id !== id), total: Math.max(0, state.total - 1) };
}

function replaceInPlace(state: ListState, id: number, task: Task): ListState {
  return { ...state, tasks: state.tasks.map((t) => (t.id === id ? task : t)) };
}

/** The row shown while a create is on its way. */
function draftTask(id: number, input: CreateTaskInput): Task {
  const now = new Date().toISOString();
  return {
    id,
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
    created_at: now,
    updated_at: now,
  };
}

export function useTasks(filters: TaskFilters) {
  const me = useMe();
  const toast = useToast();
  const timeZone = me.timezone;
  const [state, setState] = useState<ListState>(INITIAL);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const stateRef = useRef(state);
  stateRef.current = state;
  // Each first-page request gets a number; answers to older ones are dropped.
  const requestSeq = useRef(0);
  // Recurring tasks completed here whose next occurrence we announce when it arrives.
  const awaitingNext = useRef(new Set<number>());
  const apiQuery = useMemo(() => toApiQuery(filters).toString(), [filters]);

  const loadFirstPage = useCallback(() => {
    const seq = ++requestSeq.current;
    setState((s) => (s.phase === 'ready' ? { ...s, refreshing: true, error: null } : { ...INITIAL }));
    api.listTasks(new URLSearchParams(apiQuery)).then(
      (page) => {
        if (seq !== requestSeq.current) return;
        setState((s) => ({
          // Rows still being created stay on top of the fresh page.
          tasks: [...s.tasks.filter((t) => t.id < 0), ...page.tasks],
          phase: 'ready',
          error: null,
          total: page.total,
          nextCursor: page.next_cursor,
          refreshing: false,
          loadingMore: false,
        }));
      },
      (err: unknown) => {
        if (seq !== requestSeq.current) return;
        setState((s) => (s.phase === 'ready' ? { ...s, refreshing: false } : { ...INITIAL, phase: 'error', error: errorMessage(err) }));
        if (stateRef.current.phase === 'ready') toast.show(`Could not refresh the list: ${errorMessage(err)}`, { tone: 'error' });
      },
    );
  }, [apiQuery, toast]);

  useEffect(loadFirstPage, [loadFirstPage]);

  const loadMore = useCallback(() => {
    const { nextCursor, loadingMore } = stateRef.current;
    if (!nextCursor || loadingMore) return;
    const seq = requestSeq.current;
    setState((s) => ({ ...s, loadingMore: true }));
    api.listTasks(toApiQuery(filtersRef.current, { limit: PAGE_SIZE, cursor: nextCursor })).then(
      (page) => {
        if (seq !== requestSeq.current) return;
        setState((s) => {
          const have = new Set(s.tasks.map((t) => t.id));
          return { ...s, tasks: [...s.tasks, ...page.tasks.filter((t) => !have.has(t.id))], nextCursor: page.next_cursor, total: page.total, loadingMore: false };
        });
      },
      (err: unknown) => {
        if (seq !== requestSeq.current) return;
        setState((s) => ({ ...s, loadingMore: false }));
        toast.show(`Could not load more tasks: ${errorMessage(err)}`, { tone: 'error' });
      },
    );
  }, [toast]);

  const upsert = useCallback(
    (task: Task) => setState((s) => mergeTask(s, task, filtersRef.current, timeZone)),
    [timeZone],
  );

  useLive((event) => {
    if (event.type === 'resync') {
      loadFirstPage();
      return;
    }
    if (event.type !== 'task.changed') return;
    if (event.change === 'deleted' || !event.task) {
      setState((s) => removeTask(s, event.task_id));
      return;
    }
    const task = event.task;
    if (event.change === 'created') {
      // Our own create can be announced before its POST answers: take over the draft row.
      const draft = stateRef.current.tasks.find((t) => t.id < 0 && t.title === task.title);
      if (draft && !stateRef.current.tasks.some((t) => t.id === task.id)) {
        setState((s) => replaceInPlace(s, draft.id, task));
        return;
      }
    }
    upsert(task);
    if (event.change === 'created' && task.recurring_parent_id !== null && awaitingNext.current.delete(task.recurring_parent_id)) {
      toast.show(task.due_date ? `Next: ${formatDue(task.due_date, timeZone)}` : `Next occurrence of "${task.title}" added`, { tone: 'success' });
    }
  });

  /** Shows `input` as a draft row at once, then the task the server made of it. */
  const createWith = useCallback(
    async (input: CreateTaskInput, send: () => Promise<Task>): Promise<Task | null> => {
      const tempId = nextTempId();
      setState((s) => ({ ...s, tasks: [draftTask(tempId, input), ...s.tasks], total: s.total + 1 }));
      try {
        const created = await send();
        setState((s) => {
          // The live message may have brought the row already: keep one, the newer.
          if (!s.tasks.some((t) => t.id === created.id)) return replaceInPlace(s, tempId, created);
          const tasks = s.tasks.filter((t) => t.id !== tempId).map((t) => (t.id === created.id && t.version < created.version ? created : t));
          return { ...s, tasks, total: s.tasks.length === tasks.length ? s.total : s.total - 1 };
        });
        return created;
      } catch (err) {
        setState((s) => removeTask(s, tempId));
        toast.show(`Could not add "${input.title}": ${errorMessage(err)}`, { tone: 'error' });
        return null;
      }
    },
    [toast],
  );
  const create = useCallback((input: CreateTaskInput) => createWith(input, () => api.createTask(input)), [createWith]);
  const quickAdd = useCallback((text: string) => createWith({ title: text }, () => api.quickAddTask(text)), [createWith]);

  const setCompleted = useCallback(
    async (task: Task, completed: boolean): Promise<void> => {
      if (task.id < 0) return;
      const before = stateRef.current.tasks.find((t) => t.id === task.id) ?? task;
      // Flip in place at once; where the row belongs is settled by the server's answer.
      setState((s) => replaceInPlace(s, task.id, { ...before, completed, completed_at: completed ? new Date().toISOString() : null }));
      if (completed && task.recurrence) awaitingNext.current.add(task.id);
      try {
        const saved = await api.setCompleted(task.id, completed);
        upsert(saved);
        if (completed) {
          toast.show(`Completed "${saved.title}"`, {
            tone: 'success',
            action: { label: 'Undo', onClick: () => void setCompletedRef.current(saved, false) },
          });
        }
      } catch (err) {
        awaitingNext.current.delete(task.id);
        setState((s) => replaceInPlace(s, task.id, before));
        toast.show(`Could not update "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
      }
    },
    [toast, upsert],
  );
  const setCompletedRef = useRef(setCompleted);
  setCompletedRef.current = setCompleted;

  const save = useCallback(
    async (task: Task, patch: PatchTaskInput): Promise<SaveResult> => {
      const before = stateRef.current.tasks.find((t) => t.id === task.id);
      const optimistic: Task = { ...task };
      if (patch.title !== undefined) optimistic.title = patch.title;
      if (patch.description !== undefined) optimistic.description = patch.description;
      if (patch.priority !== undefined) optimistic.priority = patch.priority;
      if (patch.tags !== undefined) optimistic.tags = patch.tags;
      if (before) setState((s) => replaceInPlace(s, task.id, optimistic));
      try {
        const saved = await api.patchTask(task.id, { ...patch, version: task.version });
        upsert(saved);
        return { ok: true, task: saved };
      } catch (err) {
        if (before) setState((s) => replaceInPlace(s, task.id, before));
        if (err instanceof ApiError && err.status === 409) {
          try {
            const latest = await api.getTask(task.id);
            upsert(latest);
            return { ok: false, conflict: true, message: 'This task was changed elsewhere. The latest version is shown; make your changes again and save.', latest };
          } catch (reloadErr) {
            return { ok: false, conflict: true, message: `This task was changed elsewhere and could not be reloaded: ${errorMessage(reloadErr)}` };
          }
        }
        return { ok: false, conflict: false, message: errorMessage(err) };
      }
    },
    [upsert],
  );

  const remove = useCallback(
    async (task: Task): Promise<boolean> => {
      const index = stateRef.current.tasks.findIndex((t) => t.id === task.id);
      setState((s) => removeTask(s, task.id));
      try {
        await api.deleteTask(task.id);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) {
          setState((s) => {
            if (s.tasks.some((t) => t.id === task.id)) return s;
            const tasks = [...s.tasks];
            tasks.splice(index < 0 ? 0 : Math.min(index, tasks.length), 0, task);
            return { ...s, tasks, total: s.total + 1 };
          });
          toast.show(`Could not delete "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
          return false;
        }
      }
      toast.show('Task deleted', {
        action: {
          label: 'Undo',
          onClick: () => {
            void restoreRef.current(task);
          },
        },
      });
      return true;
    },
    [toast],
  );
  /** Undo of a delete: the same task (id, fields, history) comes back. */
  const restore = useCallback(
    async (task: Task) => {
      try {
        upsert(await api.restoreTask(task.id));
      } catch (err) {
        toast.show(`Could not restore "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
      }
    },
    [upsert, toast],
  );
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  return { ...state, timeZone, reload: loadFirstPage, loadMore, create, quickAdd, setCompleted, save, remove, upsert };
}
