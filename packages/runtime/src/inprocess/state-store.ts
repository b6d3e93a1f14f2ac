import { type Database, stateRepo } from '@dueflow/db';
import type { StateStore } from '../ports/misc.ts';

/** StateStore in the application's own database (embedded mode): a JSON document per key. */
export class DatabaseStateStore implements StateStore {
  constructor(
    private readonly database: Database,
    private readonly now: () => Date,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    return (await stateRepo.getState(this.database.db, key)) as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    // JSON semantics, like Dapr's state API: undefined fields vanish, dates become strings.
    await stateRepo.setState(this.database.db, key, JSON.parse(JSON.stringify(value ?? null)) as unknown, this.now());
  }

  async delete(key: string): Promise<void> {
    await stateRepo.deleteState(this.database.db, key);
  }
}
