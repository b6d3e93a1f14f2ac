'use client';
// The user's saved filters (names for a search, filters and sort of All tasks), kept on the server
// so every device has them; loaded again when the page comes back into view.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../../lib/api';
import { parseFilters } from '../../lib/filters';
import { filterQuery } from '../../lib/views';
import type { TaskFilters } from '../../lib/filters';
import { useLive } from '../app-context';
import { useToast } from '../toast';
import type { SavedFilterLink } from './nav';

export function useSavedFilters() {
  const toast = useToast();
  const [filters, setFilters] = useState<{ id: number; name: string; query: string }[]>([]);

  const load = useCallback(() => {
    api.savedFilters().then(
      (r) => setFilters(r.filters),
      () => undefined, // the navigation simply shows none until the next try
    );
  }, []);
  useEffect(() => {
    load();
    const onVisible = () => document.visibilityState === 'visible' && load();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [load]);
  useLive((event) => event.type === 'resync' && load());

  const links: SavedFilterLink[] = useMemo(() => filters.map((f) => ({ id: String(f.id), name: f.name, filters: parseFilters(new URLSearchParams(f.query)) })), [filters]);

  const save = useCallback(
    async (name: string, list: TaskFilters): Promise<SavedFilterLink | null> => {
      try {
        const made = await api.createFilter(name, filterQuery(list));
        setFilters((all) => [...all, made]);
        toast.show(`Saved the filter “${made.name}”`, { tone: 'success' });
        return { id: String(made.id), name: made.name, filters: parseFilters(new URLSearchParams(made.query)) };
      } catch (err) {
        toast.show(`Could not save the filter: ${errorMessage(err)}`, { tone: 'error' });
        return null;
      }
    },
    [toast],
  );
  const rename = useCallback(
    async (id: string, name: string): Promise<boolean> => {
      try {
        const updated = await api.updateFilter(Number(id), { name });
        setFilters((all) => all.map((f) => (f.id === updated.id ? updated : f)));
        return true;
      } catch (err) {
        toast.show(`Could not rename the filter: ${errorMessage(err)}`, { tone: 'error' });
        return false;
      }
    },
    [toast],
  );
  const remove = useCallback(
    async (id: string): Promise<void> => {
      try {
        await api.deleteFilter(Number(id));
        setFilters((all) => all.filter((f) => String(f.id) !== id));
        toast.show('Filter deleted');
      } catch (err) {
        toast.show(`Could not delete the filter: ${errorMessage(err)}`, { tone: 'error' });
      }
    },
    [toast],
  );
  return { links, save, rename, remove };
}
