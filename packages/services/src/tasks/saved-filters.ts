import { conflict, notFound, SAVED_FILTERS_MAX, unprocessable } from '@dueflow/core';
import { type Database, type SavedFilter, savedFiltersRepo } from '@dueflow/db';

export interface SavedFilterDeps {
  database: Database;
  now: () => Date;
}

const filterNotFound = (id: string) => notFound('FILTER_NOT_FOUND', `saved filter ${id} not found`);
const nameTaken = (name: string) => conflict('FILTER_NAME_TAKEN', `a saved filter is already called “${name}”`);

/** A user's saved filters: names for combinations of search, filters and sort of the task list. */
export class SavedFilterService {
  constructor(private readonly deps: SavedFilterDeps) {}

  list(userId: string): Promise<SavedFilter[]> {
    return savedFiltersRepo.listFilters(this.deps.database.db, userId);
  }

  async create(userId: string, name: string, query: string): Promise<SavedFilter> {
    return this.deps.database.transaction(async (tx) => {
      if ((await savedFiltersRepo.countFilters(tx, userId)) >= SAVED_FILTERS_MAX) {
        throw unprocessable('TOO_MANY_FILTERS', `at most ${SAVED_FILTERS_MAX} saved filters; delete one first`);
      }
      const made = await savedFiltersRepo.insertFilter(tx, userId, name, query, this.deps.now());
      if (!made) throw nameTaken(name);
      return made;
    });
  }

  async update(userId: string, id: string, changes: { name?: string; query?: string }): Promise<SavedFilter> {
    const db = this.deps.database.db;
    if (changes.name !== undefined && (await savedFiltersRepo.nameTaken(db, userId, changes.name, id))) throw nameTaken(changes.name);
    const updated = await savedFiltersRepo.updateFilter(db, userId, id, changes, this.deps.now());
    if (!updated) throw filterNotFound(id);
    return updated;
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await savedFiltersRepo.deleteFilter(this.deps.database.db, userId, id))) throw filterNotFound(id);
  }
}
