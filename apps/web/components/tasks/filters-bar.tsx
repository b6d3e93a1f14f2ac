'use client';
// Search (debounced as you type), then filters and sort behind a "Filters" button that says how many
// are on.
import { forwardRef, useEffect, useId, useRef, useState } from 'react';
import { DEFAULT_FILTERS, DEFAULT_ORDER, defaultSort, type SortField, type StatusFilter, type TaskFilters } from '../../lib/filters';
import type { Priority } from '../../lib/types';
import { PRIORITY_LABEL } from './task-row';
import { DateTextInput } from './date-text-input';
import styles from './tasks.module.css';

const SEARCH_DEBOUNCE_MS = 250;
const SORT_LABEL: Readonly<Record<SortField, string>> = { relevance: 'Best match', due_date: 'Due date', priority: 'Priority', title: 'Title', created_at: 'Created', completed_at: 'Completed' };
const SORTS: readonly SortField[] = ['due_date', 'priority', 'title', 'created_at'];

/** `filters` with a new search text; a sort left at its default follows the search (best match while searching). */
export function withSearch(filters: TaskFilters, q: string): TaskFilters {
  const sortWasDefault = filters.sort === defaultSort(filters.q) && filters.order === DEFAULT_ORDER[filters.sort];
  if (sortWasDefault || (filters.sort === 'relevance' && !q.trim())) {
    const sort = defaultSort(q);
    return { ...filters, q, sort, order: DEFAULT_ORDER[sort] };
  }
  return { ...filters, q };
}

interface FiltersBarProps {
  filters: TaskFilters;
  timeZone: string;
  tags: string[];
  onChange(next: TaskFilters, options?: { replace?: boolean }): void;
  onClear(): void;
}

/** How many filters narrow the list (search aside: it is always in view). */
export function countActive(f: TaskFilters): number {
  return [f.status !== DEFAULT_FILTERS.status, f.priorities.length > 0, f.tags.length > 0, f.dueAfter !== '' || f.dueBefore !== '', f.overdue].filter(Boolean).length;
}

export const FiltersBar = forwardRef<HTMLInputElement, FiltersBarProps>(function FiltersBar({ filters, timeZone, tags, onChange, onClear }, searchRef) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const [search, setSearch] = useState(filters.q);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const typed = useRef(false);

  // The URL changed under us (back button, Clear filters): show its search text.
  useEffect(() => {
    if (!typed.current) setSearch(filters.q);
  }, [filters.q]);

  useEffect(() => {
    if (!typed.current) return;
    const timer = setTimeout(() => {
      typed.current = false;
      if (search !== filtersRef.current.q) onChange(withSearch(filtersRef.current, search), { replace: true });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, onChange]);

  const set = (patch: Partial<TaskFilters>) => onChange({ ...filters, ...patch });
  const togglePriority = (p: Priority, on: boolean) => {
    const next = on ? [...filters.priorities, p] : filters.priorities.filter((x) => x !== p);
    set({ priorities: (['high', 'medium', 'low'] as const).filter((x) => next.includes(x)) });
  };
  const activeCount = countActive(filters);
  const tagOptions = [...new Set([...tags, ...filters.tags])].sort();
  const tagValue = filters.tags.join(',');

  return (
    <div className={styles.toolbar}>
      <div className={styles.searchRow} role="search">
        <input
          ref={searchRef}
          id={`${id}-search`}
          className="input"
          type="search"
          aria-label="Search tasks"
          placeholder="Search tasks  ( / )"
          maxLength={200}
          value={search}
          onChange={(e) => {
            typed.current = true;
            setSearch(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && search) {
              e.preventDefault();
              typed.current = true;
              setSearch('');
            }
          }}
        />
        <button
          type="button"
          className={`button ${styles.filtersToggle}`}
          aria-expanded={expanded}
          aria-controls={`${id}-filters`}
          onClick={() => setExpanded((v) => !v)}
        >
          Filters{activeCount > 0 ? ` (${activeCount})` : ''}
        </button>
      </div>
      <div id={`${id}-filters`} className={`${styles.filters} ${expanded ? '' : styles.filtersCollapsed}`}>
        <div className={styles.filterField}>
          <label htmlFor={`${id}-status`}>Status</label>
          <select id={`${id}-status`} className="select" value={filters.status} onChange={(e) => set({ status: e.currentTarget.value as StatusFilter })}>
            <option value="pending">Open</option>
            <option value="all">All</option>
            <option value="completed">Completed</option>
          </select>
        </div>
        <div role="group" aria-labelledby={`${id}-prio`} className={styles.filterField}>
          <span id={`${id}-prio`} className={styles.groupLabel}>
            Priority
          </span>
          <div className={styles.checkGroup}>
            {(['high', 'medium', 'low'] as const).map((p) => (
              <label key={p} className={styles.checkOption}>
                <input type="checkbox" checked={filters.priorities.includes(p)} onChange={(e) => togglePriority(p, e.currentTarget.checked)} />
                {PRIORITY_LABEL[p]}
              </label>
            ))}
          </div>
        </div>
        <div className={styles.filterField}>
          <label htmlFor={`${id}-tag`}>Tag</label>
          <select id={`${id}-tag`} className="select" value={tagValue} onChange={(e) => set({ tags: e.currentTarget.value ? e.currentTarget.value.split(',') : [] })}>
            <option value="">All tags</option>
            {filters.tags.length > 1 ? <option value={tagValue}>{filters.tags.map((t) => `#${t}`).join(' + ')}</option> : null}
            {tagOptions.map((t) => (
              <option key={t} value={t}>
                #{t}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.filterField}>
          <label htmlFor={`${id}-after`}>Due after</label>
          <DateTextInput id={`${id}-after`} value={filters.dueAfter} timeZone={timeZone} onChange={(dueAfter) => set({ dueAfter })} />
        </div>
        <div className={styles.filterField}>
          <label htmlFor={`${id}-before`}>Due before</label>
          <DateTextInput id={`${id}-before`} value={filters.dueBefore} timeZone={timeZone} onChange={(dueBefore) => set({ dueBefore })} />
        </div>
        <label className={styles.checkOption}>
          <input type="checkbox" checked={filters.overdue} onChange={(e) => set({ overdue: e.currentTarget.checked })} />
          Overdue only
        </label>
        <div className={styles.filterField}>
          <label htmlFor={`${id}-sort`}>Sort by</label>
          <select
            id={`${id}-sort`}
            className="select"
            value={filters.sort}
            onChange={(e) => {
              const sort = e.currentTarget.value as SortField;
              set({ sort, order: DEFAULT_ORDER[sort] });
            }}
          >
            {(filters.q.trim() ? (['relevance', ...SORTS] as const) : SORTS).map((s) => (
              <option key={s} value={s}>
                {SORT_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.filterField}>
          <label htmlFor={`${id}-order`}>Order</label>
          <select id={`${id}-order`} className="select" value={filters.order} onChange={(e) => set({ order: e.currentTarget.value === 'asc' ? 'asc' : 'desc' })}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => {
            typed.current = false;
            setSearch('');
            onClear();
          }}
        >
          Clear filters
        </button>
      </div>
    </div>
  );
});
