'use client';
// The task view: quick add, search, filters and sort (kept in the URL), the list with load-more,
// keyboard shortcuts, and the detail panel.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clearFilters, hasActiveFilters, parseFilters, serializeFilters, type TaskFilters } from '../../lib/filters';
import { useShortcuts } from '../../lib/shortcuts';
import type { Task } from '../../lib/types';
import { api, errorMessage } from '../../lib/api';
import { useLive } from '../app-context';
import { useToast } from '../toast';
import { FiltersBar } from './filters-bar';
import { QuickAdd } from './quick-add';
import { TaskDetail } from './task-detail';
import { SkeletonRows } from './task-list-skeleton';
import { TaskRow } from './task-row';
import { useTaskList } from './use-task-list';
import styles from './tasks.module.css';

const FILTER_KEYS = ['q', 'status', 'priority', 'tags', 'due_after', 'due_before', 'overdue', 'sort', 'order'];

/** The page URL with `filters` in place of the old filter parameters (others, if any, kept). */
function urlWithFilters(filters: TaskFilters): string {
  const params = new URLSearchParams(location.search);
  for (const key of FILTER_KEYS) params.delete(key);
  for (const [key, value] of serializeFilters(filters)) params.set(key, value);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
}

let tasksReadyMarked = false;

export function TaskView() {
  const toast = useToast();
  const [filters, setFilters] = useState<TaskFilters>(() => parseFilters(new URLSearchParams(location.search)));
  const list = useTaskList(filters);
  const { timeZone } = list;
  const [tagSuggestions, setTagSuggestions] = useState<string[]>([]);
  const [openTask, setOpenTask] = useState<Task | null>(null);
  const [openMissing, setOpenMissing] = useState(false);
  const [now, setNow] = useState(() => new Date());
  const quickAddRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  const changeFilters = useCallback((next: TaskFilters, options: { replace?: boolean } = {}) => {
    setFilters(next);
    const url = urlWithFilters(next);
    if (options.replace) history.replaceState(history.state, '', url);
    else history.pushState(history.state, '', url);
  }, []);

  useEffect(() => {
    const onPop = () => setFilters(parseFilters(new URLSearchParams(location.search)));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const loadTags = useCallback(() => {
    api.tags().then(
      (tags) => setTagSuggestions(tags.map((t) => t.tag)),
      () => undefined, // suggestions are a convenience; the filter still works without them
    );
  }, []);
  useEffect(loadTags, [loadTags]);

  // Relative labels ("Today", "Overdue") move with the clock.
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  // A reminder notification links to /?task=<id>: open that task.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const taskId = Number(params.get('task'));
    if (!Number.isInteger(taskId) || taskId <= 0) return;
    params.delete('task');
    const query = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}`);
    api.getTask(taskId).then(
      (task) => {
        setOpenMissing(false);
        setOpenTask(task);
      },
      (err: unknown) => toast.show(`Could not open the task: ${errorMessage(err)}`, { tone: 'error' }),
    );
  }, [toast]);

  // The C bench's time-to-interactive: the first page (or empty state) is on screen.
  useEffect(() => {
    if (list.phase === 'loading' || tasksReadyMarked) return;
    tasksReadyMarked = true;
    performance.mark('dueflow:tasks-ready');
  }, [list.phase]);

  // Keep the open panel on the newest version of its task; notice when it is deleted elsewhere.
  const openTaskRef = useRef(openTask);
  openTaskRef.current = openTask;
  useLive((event) => {
    const open = openTaskRef.current;
    if (event.type !== 'task.changed' || !open || open.id !== event.task_id) return;
    if (event.change === 'deleted' || !event.task) setOpenMissing(true);
    else if (event.task.version > open.version) setOpenTask(event.task);
  });

  // Load the next page when the end of the list scrolls into view.
  const { nextCursor, loadMore } = list;
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !nextCursor || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), { rootMargin: '400px' });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [nextCursor, loadMore]);

  const { quickAdd, setCompleted, save, remove } = list;
  const onAdd = useCallback(
    (text: string) => {
      void quickAdd(text).then((task) => task && task.tags.length > 0 && loadTags());
    },
    [quickAdd, loadTags],
  );
  const onToggle = useCallback((task: Task, completed: boolean) => void setCompleted(task, completed), [setCompleted]);
  const onOpen = useCallback((task: Task) => {
    setOpenMissing(false);
    setOpenTask(task);
  }, []);
  const closePanel = useCallback(() => setOpenTask(null), []);

  // Focus movement for j / k: the title buttons of the rows, in order.
  const rowButtons = () => Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('li[data-task-id] button[data-role="title"]') ?? []);
  const focusedRowIndex = (buttons: HTMLButtonElement[]) => buttons.findIndex((b) => b.closest('li')?.contains(document.activeElement));
  const focusedTask = (): Task | undefined => {
    const li = document.activeElement instanceof HTMLElement ? document.activeElement.closest('li[data-task-id]') : null;
    const id = li ? Number(li.getAttribute('data-task-id')) : NaN;
    return list.tasks.find((t) => t.id === id);
  };
  const moveFocus = (delta: number) => {
    const buttons = rowButtons();
    if (buttons.length === 0) return;
    const index = focusedRowIndex(buttons);
    const next = index < 0 ? (delta > 0 ? 0 : buttons.length - 1) : Math.min(buttons.length - 1, Math.max(0, index + delta));
    buttons[next]?.focus();
    if (next === buttons.length - 1 && delta > 0) loadMore();
  };

  useShortcuts({
    n: (e) => {
      e.preventDefault();
      quickAddRef.current?.focus();
    },
    '/': (e) => {
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    j: (e) => {
      e.preventDefault();
      moveFocus(1);
    },
    k: (e) => {
      e.preventDefault();
      moveFocus(-1);
    },
    x: (e) => {
      const task = focusedTask();
      if (!task || task.id < 0) return;
      e.preventDefault();
      void setCompleted(task, !task.completed);
    },
    e: (e) => {
      const task = focusedTask();
      if (!task || task.id < 0) return;
      e.preventDefault();
      onOpen(task);
    },
    Enter: (e) => {
      const task = focusedTask();
      if (!task || task.id < 0) return;
      e.preventDefault();
      onOpen(task);
    },
  });

  const filtered = hasActiveFilters(filters);
  const onClear = useCallback(() => changeFilters(clearFilters(filters)), [changeFilters, filters]);
  const countText = useMemo(() => {
    if (list.phase !== 'ready') return '';
    return list.total === 1 ? '1 task' : `${list.total} tasks`;
  }, [list.phase, list.total]);

  return (
    <div className={styles.view}>
      <div className={styles.heading}>
        <h1>Tasks</h1>
        <span className={styles.count} aria-live="polite">
          {countText}
        </span>
      </div>
      <QuickAdd ref={quickAddRef} onAdd={onAdd} />
      <FiltersBar ref={searchRef} filters={filters} tags={tagSuggestions} onChange={changeFilters} onClear={onClear} />

      {list.phase === 'loading' ? <SkeletonRows /> : null}
      {list.phase === 'error' ? (
        <div className={styles.message} role="alert">
          <h2>Could not load your tasks</h2>
          <p>{list.error}</p>
          <button type="button" className="button primary" onClick={list.reload}>
            Try again
          </button>
        </div>
      ) : null}
      {list.phase === 'ready' && list.tasks.length === 0 ? (
        filtered ? (
          <div className={styles.message}>
            <h2>No tasks match these filters</h2>
            <p>Try a different search, or clear the filters to see everything.</p>
            <button type="button" className="button" onClick={onClear}>
              Clear filters
            </button>
          </div>
        ) : (
          <div className={styles.message}>
            <h2>No tasks yet</h2>
            <p>Add your first task in the box above (press n to jump there).</p>
          </div>
        )
      ) : null}
      {list.phase === 'ready' && list.tasks.length > 0 ? (
        <>
          <ul ref={listRef} className={styles.list} aria-label="Tasks" aria-busy={list.refreshing || undefined}>
            {list.tasks.map((task) => (
              <TaskRow key={task.id} task={task} timeZone={timeZone} now={now} onToggle={onToggle} onOpen={onOpen} />
            ))}
          </ul>
          {list.nextCursor ? (
            <div ref={sentinelRef} className={styles.more}>
              <button type="button" className="button" onClick={loadMore} disabled={list.loadingMore}>
                {list.loadingMore ? 'Loading…' : 'Load more tasks'}
              </button>
            </div>
          ) : null}
        </>
      ) : null}

      {openTask ? (
        <TaskDetail
          key={openTask.id}
          task={openTask}
          missing={openMissing}
          timeZone={timeZone}
          tagSuggestions={tagSuggestions}
          onSave={save}
          onSaved={() => {
            toast.show('Saved', { tone: 'success' });
            loadTags();
            closePanel();
          }}
          onDelete={(task) => {
            closePanel();
            void remove(task).then((ok) => ok && loadTags());
          }}
          onClose={closePanel}
        />
      ) : null}
    </div>
  );
}
