'use client';
// The planner: navigation (views with counts, saved filters), the current view (heading, quick add,
// the All view's search and filters, the list in its groups), keyboard shortcuts, and the task
// panel. The view, the All view's filters and the open task live in the page URL.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { clearFilters, DEFAULT_FILTERS, hasActiveFilters, type TaskFilters } from '../../lib/filters';
import { groupByCompletion, groupByDay, groupToday, type TaskGroup } from '../../lib/groups';
import { useShortcuts } from '../../lib/shortcuts';
import type { CreateTaskInput, Task } from '../../lib/types';
import { dateKey, localToday, type PageState, pageSearch, parsePage, sameFilters, takeSignedInFlag, UPCOMING_SPANS, VIEW_TITLE, type ViewName, viewFilters } from '../../lib/views';
import { useApp, useLive } from '../app-context';
import { useToast } from '../toast';
import { FiltersBar } from './filters-bar';
import { Nav } from './nav';
import styles from './planner.module.css';
import { QuickAdd } from './quick-add';
import { TaskDetail, type TaskPanelHandle } from './task-detail';
import { SkeletonRows } from './task-list-skeleton';
import { GripIcon } from './icons';
import { TaskRow } from './task-row';
import { useTaskList } from './use-task-list';
import { SavedFilterBar } from './saved-filter-bar';
import { useSavedFilters } from './use-saved-filters';
import { useViewCounts } from './use-view-counts';

let tasksReadyMarked = false;

/** The groups a view shows its rows in. */
function groupsOf(view: ViewName, tasks: readonly Task[], timeZone: string, today: ReturnType<typeof localToday>, span: number): TaskGroup[] {
  switch (view) {
    case 'today':
      return groupToday(tasks, timeZone, today);
    case 'upcoming':
      return groupByDay(tasks, timeZone, today, span);
    case 'completed':
      return groupByCompletion(tasks, timeZone, today);
    case 'all':
      return [{ key: 'all', label: VIEW_TITLE.all, date: null, tasks: [...tasks] }];
  }
}

export function Planner() {
  const toast = useToast();
  const { me, clock } = useApp();
  const timeZone = me.timezone;
  const [page, setPage] = useState<PageState>(() => parsePage(location.search));
  const [now, setNow] = useState(() => new Date());
  const today = localToday(now, timeZone);
  const todayKey = dateKey(today);
  // Stable per day: a new day (or zone) is a new query.
  const filters = useMemo(() => viewFilters(page, today), [page.view, page.filters, page.span, todayKey]); // todayKey stands for today
  const list = useTaskList(filters, { loadAll: page.view !== 'all' });
  const saved = useSavedFilters();
  const counts = useViewCounts(today, saved.links);
  const [tagSuggestions, setTagSuggestions] = useState<string[]>([]);
  const [openTask, setOpenTask] = useState<Task | null>(null);
  const [openMissing, setOpenMissing] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const panelRef = useRef<TaskPanelHandle>(null);
  const quickAddRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  /** Shows `next` and puts it in the address bar (a new history entry unless `replace`). */
  const go = useCallback((next: PageState, options: { replace?: boolean } = {}) => {
    setPage(next);
    const url = `${location.pathname}${pageSearch(next)}${location.hash}`;
    if (options.replace) history.replaceState(history.state, '', url);
    else history.pushState(history.state, '', url);
  }, []);

  // Back and forward: the page the URL names, after the panel's unsaved changes are settled.
  useEffect(() => {
    const onPop = () => {
      const next = parsePage(location.search);
      const panel = panelRef.current;
      if (!panel?.dirty()) {
        setPage(next);
        return;
      }
      // Stay on this page until the user decides; go there if they save or discard.
      const here = `${location.pathname}${pageSearch(pageRef.current)}`;
      history.pushState(history.state, '', here);
      panel.leave(() => go(next));
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [go]);

  // Relative labels ("Today", "Overdue") and the views' day move with the clock.
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const loadTags = useCallback(() => {
    api.tags().then(
      (tags) => setTagSuggestions(tags.map((t) => t.tag)),
      () => undefined, // suggestions are a convenience; the filter still works without them
    );
  }, []);
  useEffect(loadTags, [loadTags]);

  // The first page is on screen: mark it for the bench. Just after signing in, focus goes to the
  // view's heading (it would otherwise sit on the page body); a plain visit leaves it at the top,
  // where the skip link is the first stop.
  useEffect(() => {
    if (list.phase === 'loading' || tasksReadyMarked) return;
    tasksReadyMarked = true;
    performance.mark('dueflow:tasks-ready');
    if (takeSignedInFlag() && document.activeElement === document.body) headingRef.current?.focus();
  }, [list.phase]);

  // The task named in the URL is open in the panel: from the list when it is there, else fetched.
  const { tasks } = list;
  useEffect(() => {
    const id = page.taskId;
    if (id === null) {
      setOpenTask(null);
      return;
    }
    if (openTask?.id === id) return;
    const shown = tasks.find((t) => t.id === id);
    if (shown) {
      setOpenMissing(false);
      setOpenTask(shown);
      return;
    }
    let cancelled = false;
    api.getTask(id).then(
      (task) => {
        if (cancelled) return;
        setOpenMissing(false);
        setOpenTask(task);
      },
      (err: unknown) => {
        if (cancelled) return;
        toast.show(`Could not open the task: ${errorMessage(err)}`, { tone: 'error' });
        go({ ...page, taskId: null }, { replace: true });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [page, tasks, openTask?.id, toast, go]);

  // Keep the open panel on the newest version of its task; notice when it is deleted elsewhere.
  const openTaskRef = useRef(openTask);
  openTaskRef.current = openTask;
  useLive((event) => {
    const open = openTaskRef.current;
    if (event.type !== 'task.changed' || !open || open.id !== event.task_id) return;
    if (event.change === 'deleted' || !event.task) setOpenMissing(true);
    else if (event.task.version > open.version) setOpenTask(event.task);
  });

  // Load the next page when the end of the list scrolls into view (the All view).
  const { nextCursor, loadMore } = list;
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !nextCursor || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), { rootMargin: '400px' });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [nextCursor, loadMore]);

  const { create, setCompleted, save, remove, skip, stopRepeating, reschedule } = list;
  const onAdd = useCallback(
    (input: CreateTaskInput) =>
      create(input).then((task) => {
        if (task && task.tags.length > 0) loadTags();
        return task !== null;
      }),
    [create, loadTags],
  );
  const onToggle = useCallback((task: Task, completed: boolean) => void setCompleted(task, completed), [setCompleted]);
  const pageRef = useRef(page);
  pageRef.current = page;
  /** Runs `action` once the open panel (if any) has no unsaved changes left. */
  const afterPanel = useCallback((action: () => void) => {
    const panel = panelRef.current;
    if (panel) panel.leave(action);
    else action();
  }, []);
  const onOpen = useCallback(
    (task: Task) => {
      if (openTaskRef.current?.id === task.id) return;
      afterPanel(() => {
        setOpenMissing(false);
        setOpenTask(task);
        go({ ...pageRef.current, taskId: task.id });
      });
    },
    [go, afterPanel],
  );
  const closePanel = useCallback(() => {
    const closing = openTaskRef.current;
    go({ ...pageRef.current, taskId: null });
    setOpenTask(null);
    // Focus goes back to the task's row, or to the view's heading when the row is gone.
    requestAnimationFrame(() => {
      const row = closing ? listRef.current?.querySelector<HTMLButtonElement>(`li[data-task-id="${closing.id}"] button[data-role="title"]`) : null;
      (row ?? headingRef.current)?.focus();
    });
  }, [go]);

  const switchView = useCallback(
    (view: ViewName, filters?: TaskFilters) => {
      afterPanel(() => {
        go({ ...pageRef.current, view, filters: filters ?? pageRef.current.filters, taskId: null });
        requestAnimationFrame(() => headingRef.current?.focus());
      });
    },
    [go, afterPanel],
  );

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
      if (!quickAddRef.current) return;
      e.preventDefault();
      quickAddRef.current.focus();
    },
    '/': (e) => {
      e.preventDefault();
      if (pageRef.current.view !== 'all') switchView('all');
      requestAnimationFrame(() => {
        searchRef.current?.focus();
        searchRef.current?.select();
      });
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

  const view = page.view;
  const filtered = view === 'all' && hasActiveFilters(page.filters);
  const changeFilters = useCallback((next: TaskFilters, options: { replace?: boolean } = {}) => go({ ...pageRef.current, filters: next }, options), [go]);
  const onClear = useCallback(() => changeFilters(clearFilters(pageRef.current.filters)), [changeFilters]);
  const groups = useMemo(() => groupsOf(view, list.tasks, timeZone, today, page.span), [view, list.tasks, timeZone, todayKey, page.span]); // todayKey stands for today
  const drafts = list.tasks.filter((t) => t.id < 0);
  const activeSaved = view === 'all' ? (saved.links.find((f) => sameFilters(f.filters, page.filters)) ?? null) : null;
  const title = activeSaved?.name ?? VIEW_TITLE[view];
  const canSave = view === 'all' && !sameFilters(page.filters, DEFAULT_FILTERS);
  const countText = list.phase === 'ready' ? (list.total === 1 ? '1 task' : `${list.total} tasks`) : '';
  const showGroupHeadings = view !== 'all';
  const empty = list.phase === 'ready' && list.tasks.length === 0;

  // ---- Upcoming: drag a task to another day, or move it with the keyboard ----
  const dayGroups = view === 'upcoming' ? groups.filter((g) => g.date !== null) : [];
  const [dragging, setDragging] = useState<number | null>(null);
  const [dropKey, setDropKey] = useState<string | null>(null);
  /** A task picked up with the keyboard, and the day it would go to. */
  const [moving, setMoving] = useState<{ task: Task; index: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const dayName = (g: TaskGroup) => `${g.label}, ${g.tasks.length === 1 ? '1 task' : `${g.tasks.length} tasks`}`;
  const moveTo = (task: Task, group: TaskGroup) => {
    if (!group.date || group.tasks.some((t) => t.id === task.id)) return;
    void reschedule(task, group.date);
  };
  const moveKeys = (task: Task, e: React.KeyboardEvent<HTMLButtonElement>) => {
    const start = Math.max(0, dayGroups.findIndex((g) => g.tasks.some((t) => t.id === task.id)));
    if (!moving || moving.task.id !== task.id) {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      setMoving({ task, index: start });
      const here = dayGroups[start];
      setAnnouncement(`Picked up “${task.title}”. Up and down arrows choose a day, Enter moves it there, Escape cancels. ${here ? here.label : ''}`);
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const index = Math.min(dayGroups.length - 1, Math.max(0, moving.index + (e.key === 'ArrowDown' ? 1 : -1)));
      setMoving({ task, index });
      const target = dayGroups[index];
      if (target) setAnnouncement(dayName(target));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const target = dayGroups[moving.index];
      setMoving(null);
      if (target && moving.index !== start) {
        setAnnouncement(`Moved “${task.title}” to ${target.label}.`);
        moveTo(task, target);
        // Focus follows the task to its new day.
        requestAnimationFrame(() => requestAnimationFrame(() => listRef.current?.querySelector<HTMLButtonElement>(`li[data-task-id="${task.id}"] button[data-role="move"]`)?.focus()));
      } else setAnnouncement('Not moved.');
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      setMoving(null);
      setAnnouncement('Not moved.');
    }
  };
  const movingTarget = moving ? dayGroups[moving.index]?.key : null;

  const renderRow = (task: Task, group?: TaskGroup) => (
    <TaskRow
      key={task.id}
      task={task}
      timeZone={timeZone}
      now={now}
      selected={openTask?.id === task.id}
      showCompletion={view === 'completed'}
      dayShown={group?.date != null && view !== 'completed'}
      clock={clock}
      onToggle={onToggle}
      onOpen={onOpen}
      draggable={view === 'upcoming' && task.id > 0}
      onDragStart={(t, e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', String(t.id));
        setDragging(t.id);
      }}
      onDragEnd={() => {
        setDragging(null);
        setDropKey(null);
      }}
      end={
        view === 'upcoming' && task.id > 0 ? (
          <button
            type="button"
            data-role="move"
            className={`button icon ${styles.moveHandle}`}
            aria-label={`Move “${task.title}” to another day`}
            aria-pressed={moving?.task.id === task.id}
            aria-describedby="move-help"
            onKeyDown={(e) => moveKeys(task, e)}
            onBlur={() => moving?.task.id === task.id && setMoving(null)}
          >
            <GripIcon />
          </button>
        ) : undefined
      }
    />
  );

  return (
    <div className={styles.planner} data-planner="">
    <div className={styles.grid} data-panel={openTask ? 'open' : undefined}>
      <Nav active={activeSaved ? { saved: activeSaved.id } : view} counts={counts} saved={saved.links} onView={(v) => switchView(v)} onSaved={(f) => switchView('all', f.filters)} />
      <div className={styles.content}>
        <div className={styles.heading}>
          <h1 ref={headingRef} tabIndex={-1}>
            {title}
          </h1>
          <span className={styles.count} aria-live="polite">
            {countText}
          </span>
          {view === 'upcoming' ? (
            <div className={styles.segmented} role="group" aria-label="Days shown">
              {UPCOMING_SPANS.map((span) => (
                <button key={span} type="button" className={styles.segment} aria-pressed={page.span === span} onClick={() => go({ ...page, span }, { replace: true })}>
                  {span} days
                </button>
              ))}
            </div>
          ) : null}
        </div>
        {list.offline || list.pending > 0 ? (
          <p className={styles.offline} role="status">
            {list.offline ? 'Offline: showing what was last loaded. ' : 'Sending changes made offline… '}
            {list.pending > 0 ? `${list.pending === 1 ? '1 change is' : `${list.pending} changes are`} saved on this device and will be sent when Dueflow can be reached.` : 'Changes you make are kept on this device until then.'}
          </p>
        ) : null}
        {view === 'all' ? (
          <SavedFilterBar
            active={activeSaved}
            canSave={canSave}
            onSave={(name) => saved.save(name, page.filters).then((f) => f !== null)}
            onRename={(name) => (activeSaved ? saved.rename(activeSaved.id, name) : Promise.resolve(false))}
            onDelete={() => activeSaved && void saved.remove(activeSaved.id)}
          />
        ) : null}
        {view !== 'completed' ? <QuickAdd ref={quickAddRef} timeZone={timeZone} defaultDate={view === 'today' ? today : null} onAdd={onAdd} /> : null}
        {view === 'all' ? <FiltersBar ref={searchRef} filters={page.filters} timeZone={timeZone} tags={tagSuggestions} onChange={changeFilters} onClear={onClear} /> : null}

        {view === 'upcoming' ? (
          <>
            <p id="move-help" className="visually-hidden">
              Drag a task to another day, or press Enter on its move button, then the arrow keys and Enter.
            </p>
            <p id="move-status" className="visually-hidden" aria-live="assertive">
              {announcement}
            </p>
          </>
        ) : null}
        <div id="task-list" ref={listRef} className={styles.lists} role="region" aria-label="Tasks" tabIndex={-1} aria-busy={list.refreshing || list.phase === 'loading' || undefined}>
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
          {empty && view !== 'upcoming' ? <EmptyState view={view} filtered={filtered} onClear={onClear} onUpcoming={() => switchView('upcoming')} /> : null}
          {list.phase === 'ready' && (!empty || view === 'upcoming') ? (
            <>
              {showGroupHeadings && drafts.length > 0 ? (
                <ul className={styles.list} aria-label="Adding">
                  {drafts.map((task) => renderRow(task))}
                </ul>
              ) : null}
              {groups.map((group) => {
                const rows = showGroupHeadings ? group.tasks.filter((t) => t.id > 0) : group.tasks;
                const headingId = `group-${group.key}`;
                const droppable = view === 'upcoming' && group.date !== null;
                const target = droppable && (dropKey === group.key || movingTarget === group.key);
                return (
                  <section
                    key={group.key}
                    className={`${styles.group} ${target ? styles.dropTarget : ''}`}
                    aria-labelledby={showGroupHeadings ? headingId : undefined}
                    data-day={droppable ? group.key : undefined}
                    onDragOver={
                      droppable && dragging !== null
                        ? (e) => {
                            e.preventDefault();
                            e.dataTransfer.dropEffect = 'move';
                            if (dropKey !== group.key) setDropKey(group.key);
                          }
                        : undefined
                    }
                    onDragLeave={droppable ? (e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setDropKey((k) => (k === group.key ? null : k)) : undefined}
                    onDrop={
                      droppable
                        ? (e) => {
                            e.preventDefault();
                            const id = Number(e.dataTransfer.getData('text/plain')) || dragging;
                            const task = list.tasks.find((t) => t.id === id);
                            setDragging(null);
                            setDropKey(null);
                            if (task) moveTo(task, group);
                          }
                        : undefined
                    }
                  >
                    {showGroupHeadings ? (
                      <h2 id={headingId} className={`${styles.groupHeading} ${group.tone === 'overdue' ? styles.groupOverdue : ''}`}>
                        {group.label}
                        <span className={styles.groupCount}>{rows.length}</span>
                      </h2>
                    ) : null}
                    {rows.length > 0 ? (
                      <ul className={styles.list} aria-label={showGroupHeadings ? group.label : 'Tasks'}>
                        {rows.map((task) => renderRow(task, group))}
                      </ul>
                    ) : (
                      <p className={styles.groupEmpty}>No tasks</p>
                    )}
                  </section>
                );
              })}
              {list.nextCursor && view === 'all' ? (
                <div ref={sentinelRef} className={styles.more}>
                  <button type="button" className="button" onClick={loadMore} disabled={list.loadingMore}>
                    {list.loadingMore ? 'Loading…' : 'Load more tasks'}
                  </button>
                </div>
              ) : null}
            </>
          ) : null}
        </div>
      </div>

      {openTask ? (
        <TaskDetail
          ref={panelRef}
          key={openTask.id}
          task={openTask}
          missing={openMissing}
          timeZone={timeZone}
          tagSuggestions={tagSuggestions}
          onSave={save}
          onSaved={(task) => {
            setOpenTask(task);
            toast.show('Saved', { tone: 'success' });
            loadTags();
          }}
          onDelete={(task) => {
            closePanel();
            void remove(task).then((ok) => ok && loadTags());
          }}
          onClose={closePanel}
          onSkip={skip}
          onStopRepeating={stopRepeating}
        />
      ) : null}
    </div>
    </div>
  );
}

function EmptyState({ view, filtered, onClear, onUpcoming }: { view: ViewName; filtered: boolean; onClear(): void; onUpcoming(): void }) {
  if (view === 'all' && filtered) {
    return (
      <div className={styles.message}>
        <h2>No tasks match these filters</h2>
        <p>Try a different search, or clear the filters to see everything.</p>
        <button type="button" className="button" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  if (view === 'today') {
    return (
      <div className={styles.message}>
        <h2>Nothing due today</h2>
        <p>Add a task above (press n), or plan ahead in Upcoming.</p>
        <button type="button" className="button" onClick={onUpcoming}>
          See what is coming
        </button>
      </div>
    );
  }
  if (view === 'completed') {
    return (
      <div className={styles.message}>
        <h2>Nothing completed yet</h2>
        <p>Tasks you complete show here, by the day you did them.</p>
      </div>
    );
  }
  return (
    <div className={styles.message}>
      <h2>No tasks yet</h2>
      <p>Add your first task in the box above (press n to jump there).</p>
    </div>
  );
}
