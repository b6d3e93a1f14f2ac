'use client';
// The task list as the user sees it: the transitions of lib/task-list.ts driven by the API, the live
// connection and the user's actions (optimistic, rolled back on failure).
import { useCallback, useEffect, useMemo, useReducer } from 'react';
import { api, ApiError, errorMessage } from '../../lib/api';
import { PAGE_SIZE, toApiQuery, type TaskFilters } from '../../lib/filters';
import { formatDue } from '../../lib/format';
import { draftTask, initialTaskList, nextClientId, nextRequest, taskListReducer, withPatch } from '../../lib/task-list';
import type { CreateTaskInput, PatchTaskInput, Task } from '../../lib/types';
import { useLive, useMe } from '../app-context';
import { useToast } from '../toast';

export type SaveResult = { ok: true; task: Task } | { ok: false; conflict: boolean; message: string; latest?: Task };

/** Pages after the first, when a view loads everything (its groups must be complete). */
const REST_PAGE_SIZE = 200;

/** `loadAll`: fetch every page (Today, Upcoming, Completed group by day); else more on scroll. */
export function useTaskList(filters: TaskFilters, options: { loadAll?: boolean } = {}) {
  const loadAll = options.loadAll ?? false;
  const me = useMe();
  const toast = useToast();
  const timeZone = me.timezone;
  const [state, dispatch] = useReducer(taskListReducer, undefined, () => initialTaskList(filters, timeZone));
  const apiQuery = useMemo(() => toApiQuery(filters).toString(), [filters]);

  const fetchFirstPage = useCallback(
    (request: number) => {
      api.listTasks(new URLSearchParams(apiQuery)).then(
        (page) => dispatch({ type: 'page-loaded', request, tasks: page.tasks, total: page.total, nextCursor: page.next_cursor, now: new Date() }),
        (err: unknown) => dispatch({ type: 'load-failed', request, message: errorMessage(err) }),
      );
    },
    [apiQuery],
  );

  // New filters (or zone): a new list, its first page.
  useEffect(() => {
    const request = nextRequest();
    dispatch({ type: 'filters-changed', filters, timeZone, request });
    fetchFirstPage(request);
  }, [fetchFirstPage, timeZone]); // `filters` changes exactly when apiQuery does

  const reload = useCallback(() => {
    const request = nextRequest();
    dispatch({ type: 'reload', request });
    fetchFirstPage(request);
  }, [fetchFirstPage]);

  const { nextCursor, loadingMore, request } = state;
  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) return;
    dispatch({ type: 'more-started' });
    api.listTasks(toApiQuery(filters, { limit: loadAll ? REST_PAGE_SIZE : PAGE_SIZE, cursor: nextCursor })).then(
      (page) => dispatch({ type: 'more-loaded', request, tasks: page.tasks, total: page.total, nextCursor: page.next_cursor }),
      (err: unknown) => {
        dispatch({ type: 'more-failed', request });
        toast.show(`Could not load more tasks: ${errorMessage(err)}`, { tone: 'error' });
      },
    );
  }, [filters, nextCursor, loadingMore, request, toast, loadAll]);

  // A view that groups by day loads the rest right after the first page is on screen.
  const { phase, moreFailed } = state;
  useEffect(() => {
    if (loadAll && phase === 'ready' && nextCursor && !loadingMore && !moreFailed) loadMore();
  }, [loadAll, phase, nextCursor, loadingMore, moreFailed, loadMore]);

  // A refresh that fails while rows are shown keeps them and says so.
  const { refreshError } = state;
  useEffect(() => {
    if (refreshError) toast.show(`Could not refresh the list: ${refreshError.message}`, { tone: 'error' });
  }, [refreshError, toast]);

  const serverTask = useCallback((task: Task) => dispatch({ type: 'server-task', task, now: new Date() }), []);

  useLive((event) => {
    if (event.type === 'resync') return reload();
    if (event.type !== 'task.changed') return;
    if (event.change === 'deleted' || !event.task) dispatch({ type: 'removed', id: event.task_id });
    else dispatch({ type: 'server-task', task: event.task, live: true, now: new Date() });
  });

  // A next occurrence of a task completed here arrived: say when it is due.
  const { nextArrived } = state;
  useEffect(() => {
    if (!nextArrived) return;
    toast.show(nextArrived.due_date ? `Next: ${formatDue(nextArrived.due_date, timeZone)}` : `Next occurrence of "${nextArrived.title}" added`, { tone: 'success' });
  }, [nextArrived, timeZone, toast]);

  /** Shows `input` as a draft row at once, then the task the server made of it. */
  const createWith = useCallback(
    async (input: CreateTaskInput, send: () => Promise<Task>): Promise<Task | null> => {
      const clientId = nextClientId();
      dispatch({ type: 'draft-added', draft: draftTask(clientId, input, new Date()) });
      try {
        const created = await send();
        dispatch({ type: 'draft-created', clientId, task: created, now: new Date() });
        return created;
      } catch (err) {
        dispatch({ type: 'draft-failed', clientId, now: new Date() });
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
      // Flip in place at once; where the row belongs is settled by the server's answer.
      dispatch({ type: 'optimistic', task: { ...task, completed, completed_at: completed ? new Date().toISOString() : null } });
      if (completed && task.recurrence) dispatch({ type: 'awaiting-next', id: task.id });
      try {
        const saved = await api.setCompleted(task.id, completed);
        serverTask(saved);
        if (completed) {
          toast.show(`Completed "${saved.title}"`, {
            tone: 'success',
            action: { label: 'Undo', onClick: () => void setCompleted(saved, false) },
          });
        }
      } catch (err) {
        dispatch({ type: 'not-awaiting-next', id: task.id });
        dispatch({ type: 'rolled-back', task });
        toast.show(`Could not update "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
      }
    },
    [toast, serverTask],
  );

  const save = useCallback(
    async (task: Task, patch: PatchTaskInput): Promise<SaveResult> => {
      dispatch({ type: 'optimistic', task: withPatch(task, patch) });
      try {
        const saved = await api.patchTask(task.id, { ...patch, version: task.version });
        serverTask(saved);
        return { ok: true, task: saved };
      } catch (err) {
        dispatch({ type: 'rolled-back', task });
        if (err instanceof ApiError && err.status === 409) {
          try {
            const latest = await api.getTask(task.id);
            serverTask(latest);
            return { ok: false, conflict: true, message: 'This task was changed elsewhere. The latest version is shown; make your changes again and save.', latest };
          } catch (reloadErr) {
            return { ok: false, conflict: true, message: `This task was changed elsewhere and could not be reloaded: ${errorMessage(reloadErr)}` };
          }
        }
        return { ok: false, conflict: false, message: errorMessage(err) };
      }
    },
    [serverTask],
  );

  const { tasks } = state;
  const restore = useCallback(
    async (task: Task) => {
      try {
        serverTask(await api.restoreTask(task.id));
      } catch (err) {
        toast.show(`Could not restore "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
      }
    },
    [serverTask, toast],
  );
  const remove = useCallback(
    async (task: Task): Promise<boolean> => {
      const index = tasks.findIndex((t) => t.id === task.id);
      dispatch({ type: 'removed', id: task.id });
      try {
        await api.deleteTask(task.id);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) {
          dispatch({ type: 'reinserted', task, index });
          toast.show(`Could not delete "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
          return false;
        }
      }
      toast.show('Task deleted', { action: { label: 'Undo', onClick: () => void restore(task) } });
      return true;
    },
    [tasks, toast, restore],
  );

  return { ...state, timeZone, reload, loadMore, create, quickAdd, setCompleted, save, remove, upsert: serverTask };
}
