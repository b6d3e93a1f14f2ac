'use client';
// How many tasks each view holds (the navigation shows them): the total of a one-row list request
// per view, asked again shortly after any change arrives live.
import type { LocalDate } from '@dueflow/core/browser';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { DEFAULT_FILTERS, toApiQuery, type TaskFilters } from '../../lib/filters';
import { VIEWS, type ViewName, viewFilters } from '../../lib/views';
import { useLive } from '../app-context';

const REFRESH_DELAY_MS = 400;

export type ViewCounts = Partial<Record<ViewName, number>> & { saved?: Record<string, number> };

/** Counts of the four views (Upcoming over its default week) and of each saved filter by id. */
export function useViewCounts(today: LocalDate, saved: readonly { id: string; filters: TaskFilters }[]): ViewCounts {
  const [counts, setCounts] = useState<ViewCounts>({});
  const generation = useRef(0);
  const savedKey = JSON.stringify(saved.map((s) => [s.id, s.filters]));

  const load = useCallback(() => {
    const mine = ++generation.current;
    const count = (filters: TaskFilters) =>
      api.listTasks(toApiQuery(filters, { limit: 1 })).then(
        (page) => page.total,
        () => undefined,
      );
    const views = VIEWS.map((view) => count(viewFilters({ view, filters: DEFAULT_FILTERS, span: 7, taskId: null }, today)));
    const filters = saved.map((s) => count(s.filters));
    void Promise.all([Promise.all(views), Promise.all(filters)]).then(([v, f]) => {
      if (mine !== generation.current) return;
      const next: ViewCounts = { saved: {} };
      VIEWS.forEach((view, i) => {
        const n = v[i];
        if (n !== undefined) next[view] = n;
      });
      saved.forEach((s, i) => {
        const n = f[i];
        if (n !== undefined && next.saved) next.saved[s.id] = n;
      });
      setCounts(next);
    });
  }, [today.year, today.month, today.day, savedKey]); // savedKey stands for `saved`, today's fields for `today`

  useEffect(load, [load]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  useLive((event) => {
    if (event.type !== 'task.changed' && event.type !== 'resync') return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(load, REFRESH_DELAY_MS);
  });
  return counts;
}
