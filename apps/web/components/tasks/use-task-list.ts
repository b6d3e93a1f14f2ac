'use client';
// The task list as the user sees it: the transitions of lib/task-list.ts driven by the API, the live
// connection and the user's actions (optimistic, rolled back on failure).
import type { LocalDate } from '@dueflow/core/browser';
import { useCallback, useEffect, useMemo, useReducer } from 'react';
import { api, ApiError, errorMessage } from '../../lib/api';
import { PAGE_SIZE, toApiQuery, type TaskFilters } from '../../lib/filters';
import { formatDayHeading, formatDue } from '../../lib/format';
import { saveFields, type SaveOutcome } from '../../lib/save-task';
import { dueIso, formFromTask, type FormValues } from '../../lib/task-form';
import { draftTask, initialTaskList, nextClientId, nextRequest, taskListReducer, withPatch } from '../../lib/task-list';
import type { CreateTaskInput, Task } from '../../lib/types';
import { dateKey, localToday } from '../../lib/views';
import { useLive, useMe } from '../app-context';
import { useToast } from '../toast';

export type { SaveOutcome };

/** Pages after the first, when a view loads everything (its groups must be complete). */
const REST_PAGE_SIZE = 200;

/** `loadAll`: fetch every page (Today, Upcoming, Completed group by day); else more on scroll. */
export function useTaskList(filters: TaskFilters, options: { loadAll?: boolean } = {}) {
  const loadAll = options.loadAll ?? false;
  const me = useMe();
  const toast = useToast();
  const timeZone = me.timezone;
  const [state, dispatch] = useReducer(taskListReducer, undefined, () => initialTaskList(filters, timeZone));
  const { tasks } = state;
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

  /** The panel's changes, field by field (see lib/save-task.ts); the row shows them at once. */
  const save = useCallback(
    async (base: Task, baseValues: FormValues, values: FormValues): Promise<SaveOutcome> => {
      const shown = tasks.find((t) => t.id === base.id) ?? base;
      dispatch({ type: 'optimistic', task: withPatch(shown, { title: values.title.trim(), description: values.description, priority: values.priority, tags: values.tags }) });
      const outcome = await saveFields(api, base, baseValues, values, timeZone);
      if (outcome.ok) serverTask(outcome.task);
      else {
        dispatch({ type: 'rolled-back', task: shown });
        if (outcome.kind === 'conflict') serverTask(outcome.latest);
      }
      return outcome;
    },
    [serverTask, tasks, timeZone],
  );

  /** Moves a task to another day, keeping its time of day (drag and drop, or the keyboard). */
  const reschedule = useCallback(
    async (task: Task, day: LocalDate): Promise<boolean> => {
      const baseValues = formFromTask(task, timeZone);
      const values: FormValues = { ...baseValues, due: { ...baseValues.due, date: dateKey(day) } };
      const due = dueIso(values.due, timeZone);
      dispatch({ type: 'optimistic', task: { ...task, due_date: due } });
      const outcome = await saveFields(api, task, baseValues, values, timeZone);
      if (outcome.ok) {
        serverTask(outcome.task);
        toast.show(`Moved "${task.title}" to ${formatDayHeading(day, localToday(new Date(), timeZone))}`, {
          tone: 'success',
          action: { label: 'Undo', onClick: () => void saveFields(api, outcome.task, formFromTask(outcome.task, timeZone), baseValues, timeZone).then((o) => o.ok && serverTask(o.task)) },
        });
        return true;
      }
      dispatch({ type: 'rolled-back', task });
      if (outcome.kind === 'conflict') serverTask(outcome.latest);
      toast.show(outcome.kind === 'conflict' ? `"${task.title}" was rescheduled elsewhere meanwhile` : `Could not move "${task.title}": ${outcome.message}`, { tone: 'error' });
      return false;
    },
    [serverTask, toast, timeZone],
  );

  /** Skips this occurrence of a recurring task (it moves to the series' next date). */
  const skip = useCallback(
    async (task: Task): Promise<Task | null> => {
      try {
        const moved = await api.skipOccurrence(task.id);
        serverTask(moved);
        toast.show(moved.due_date ? `Skipped. Next: ${formatDue(moved.due_date, timeZone)}` : 'Skipped', { tone: 'success' });
        return moved;
      } catch (err) {
        toast.show(`Could not skip: ${errorMessage(err)}`, { tone: 'error' });
        return null;
      }
    },
    [serverTask, toast, timeZone],
  );

  /** Ends the series: the task stays, without a repeat. */
  const stopRepeating = useCallback(
    async (task: Task): Promise<Task | null> => {
      try {
        const saved = await api.patchTask(task.id, { recurrence: null });
        serverTask(saved);
        toast.show(`"${saved.title}" no longer repeats`, { tone: 'success' });
        return saved;
      } catch (err) {
        toast.show(`Could not stop the repeat: ${errorMessage(err)}`, { tone: 'error' });
        return null;
      }
    },
    [serverTask, toast],
  );

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

  return { ...state, timeZone, reload, loadMore, create, quickAdd, setCompleted, save, reschedule, skip, stopRepeating, remove, upsert: serverTask };
}
