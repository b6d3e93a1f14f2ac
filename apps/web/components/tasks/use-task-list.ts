'use client';
// The task list as the user sees it: the transitions of lib/task-list.ts driven by the API, the live
// connection and the user's actions (optimistic, rolled back on failure). While Dueflow cannot be
// reached, changes are kept on this device (lib/offline-queue.ts) and sent when it can again.
import type { LocalDate } from '@dueflow/core/browser';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { api, ApiError, errorMessage } from '../../lib/api';
import { PAGE_SIZE, toApiQuery, type TaskFilters } from '../../lib/filters';
import { formatDayHeading, formatDue } from '../../lib/format';
import { saveFields, type SaveOutcome } from '../../lib/save-task';
import { isOffline, loadQueue, type QueuedChange, queueEntry, replayQueue, storeQueue } from '../../lib/offline-queue';
import { dueIso, formFromTask, type FormValues, taskWithValues } from '../../lib/task-form';
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

  // ---- offline: changes kept on this device, sent when Dueflow can be reached again ----
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  const [pending, setPending] = useState(() => loadQueue(storage, me.id).length);
  const [offline, setOffline] = useState(() => typeof navigator !== 'undefined' && !navigator.onLine);
  const syncing = useRef(false);
  const keep = useCallback(
    (change: QueuedChange) => {
      const entries = [...loadQueue(storage, me.id), queueEntry(change)];
      storeQueue(storage, me.id, entries);
      setPending(entries.length);
      setOffline(true);
      toast.show('You are offline: the change is saved on this device and will be sent when Dueflow can be reached.', { tone: 'info' });
    },
    [storage, me.id, toast],
  );

  /** Sends what was kept offline, in order, with the same rules as online edits. */
  const sync = useCallback(async () => {
    const entries = loadQueue(storage, me.id);
    if (entries.length === 0 || syncing.current) return;
    syncing.current = true;
    try {
      const sent = new Set(entries.map((e) => e.id));
      const result = await replayQueue(entries, api, timeZone);
      // Keep what was not sent, and anything kept while this ran.
      storeQueue(storage, me.id, [...result.remaining, ...loadQueue(storage, me.id).filter((e) => !sent.has(e.id))]);
      setPending(loadQueue(storage, me.id).length);
      setOffline(result.remaining.length > 0);
      for (const [clientId, task] of result.created) dispatch({ type: 'draft-created', clientId, task, now: new Date() });
      for (const task of result.tasks) serverTask(task);
      if (result.applied > 0 || result.notes.length > 0) {
        const done = result.applied === 1 ? '1 change made offline was sent' : `${result.applied} changes made offline were sent`;
        toast.show([done, ...result.notes].join('. '), { tone: result.notes.length > 0 ? 'info' : 'success', duration: 8000 });
      }
      if (result.remaining.length === 0) reload();
    } finally {
      syncing.current = false;
    }
  }, [storage, me.id, timeZone, toast, serverTask, reload]);

  useEffect(() => {
    const online = () => {
      setOffline(false);
      void sync();
    };
    const gone = () => setOffline(true);
    window.addEventListener('online', online);
    window.addEventListener('offline', gone);
    if (navigator.onLine) void sync();
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', gone);
    };
  }, [sync]);

  // A list read from the device's copy (offline) shows the changes still waiting to be sent.
  const overlaid = useRef(0);
  useEffect(() => {
    if (phase !== 'ready' || overlaid.current === request) return;
    overlaid.current = request;
    for (const { change: c } of loadQueue(storage, me.id)) {
      if (c.kind === 'create') {
        if (!tasks.some((t) => t.id === c.clientId)) dispatch({ type: 'draft-added', draft: draftTask(c.clientId, c.input, new Date()) });
        continue;
      }
      const shown = tasks.find((t) => t.id === c.taskId);
      if (!shown) continue;
      if (c.kind === 'delete') dispatch({ type: 'removed', id: c.taskId });
      else if (c.kind === 'complete') dispatch({ type: 'optimistic', task: { ...shown, completed: c.completed } });
      else dispatch({ type: 'optimistic', task: taskWithValues(shown, c.values, timeZone) });
    }
  }, [phase, request]); // tasks, storage: read when a new list is ready

  useLive((event) => {
    if (event.type === 'resync') {
      void sync();
      return reload();
    }
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
        if (isOffline(err)) {
          keep({ kind: 'create', clientId, input });
          return draftTask(clientId, input, new Date());
        }
        dispatch({ type: 'draft-failed', clientId, now: new Date() });
        toast.show(`Could not add "${input.title}": ${errorMessage(err)}`, { tone: 'error' });
        return null;
      }
    },
    [toast, keep],
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
        if (isOffline(err)) return keep({ kind: 'complete', taskId: task.id, title: task.title, completed });
        dispatch({ type: 'rolled-back', task });
        toast.show(`Could not update "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
      }
    },
    [toast, serverTask, keep],
  );

  /** The panel's changes, field by field (see lib/save-task.ts); the row shows them at once. */
  const save = useCallback(
    async (base: Task, baseValues: FormValues, values: FormValues): Promise<SaveOutcome> => {
      const shown = tasks.find((t) => t.id === base.id) ?? base;
      dispatch({ type: 'optimistic', task: withPatch(shown, { title: values.title.trim(), description: values.description, priority: values.priority, tags: values.tags }) });
      const outcome = await saveFields(api, base, baseValues, values, timeZone);
      if (outcome.ok) serverTask(outcome.task);
      else if (outcome.kind === 'error' && isOffline(outcome.error)) {
        // Kept for later: the panel and the row show the edit as if saved.
        keep({ kind: 'save', taskId: base.id, base, baseValues, values });
        const edited = taskWithValues(shown, values, timeZone);
        dispatch({ type: 'optimistic', task: edited });
        return { ok: true, task: edited };
      } else {
        dispatch({ type: 'rolled-back', task: shown });
        if (outcome.kind === 'conflict') serverTask(outcome.latest);
      }
      return outcome;
    },
    [serverTask, tasks, timeZone, keep],
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
      if (outcome.kind === 'error' && isOffline(outcome.error)) {
        keep({ kind: 'save', taskId: task.id, base: task, baseValues, values });
        return true;
      }
      dispatch({ type: 'rolled-back', task });
      if (outcome.kind === 'conflict') serverTask(outcome.latest);
      toast.show(outcome.kind === 'conflict' ? `"${task.title}" was rescheduled elsewhere meanwhile` : `Could not move "${task.title}": ${outcome.message}`, { tone: 'error' });
      return false;
    },
    [serverTask, toast, timeZone, keep],
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
        if (isOffline(err)) {
          keep({ kind: 'delete', taskId: task.id, title: task.title });
          return true;
        }
        if (!(err instanceof ApiError && err.status === 404)) {
          dispatch({ type: 'reinserted', task, index });
          toast.show(`Could not delete "${task.title}": ${errorMessage(err)}`, { tone: 'error' });
          return false;
        }
      }
      toast.show('Task deleted', { action: { label: 'Undo', onClick: () => void restore(task) } });
      return true;
    },
    [tasks, toast, restore, keep],
  );

  return { ...state, timeZone, offline, pending, reload, loadMore, create, quickAdd, setCompleted, save, reschedule, skip, stopRepeating, remove, upsert: serverTask };
}
