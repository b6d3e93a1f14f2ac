import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './connection.ts';

const MIGRATIONS_DIR = new URL('../migrations/', import.meta.url).pathname;

export interface Migration {
  version: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that replicas
 * starting together apply each exactly once. Returns the versions applied now.
 */
export async function migrate(database: Database, migrations = loadMigrations()): Promise<string[]> {
  // One migrator at a time per handle: PGlite's single connection would interleave the transactions.
  const previous = running.get(database) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => migrateNow(database, migrations));
  running.set(database, run);
  return run;
}

const running = new WeakMap<Database, Promise<string[]>>();

async function migrateNow(database: Database, migrations: Migration[]): Promise<string[]> {
  // Under the lock too: concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalogue.
  await database.execScript(`BEGIN;
SELECT pg_advisory_xact_lock(727274);
CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
COMMIT;`);
  const applied: string[] = [];
  for (const m of migrations) {
    const escaped = m.version.replace(/'/g, "''");
    // The lock and the check run inside the migration's transaction, so a concurrent migrator waits, then skips.
    const script = `BEGIN;
SELECT pg_advisory_xact_lock(727274);
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM schema_migrations WHERE version = '${escaped}') THEN
    RAISE EXCEPTION 'dueflow:already-applied';
  END IF;
END $$;
${m.sql}
;INSERT INTO schema_migrations (version) VALUES ('${escaped}');
COMMIT;`;
    const done = await database.query<{ version: string }>('SELECT version FROM schema_migrations WHERE version = $1', [
      m.version,
    ]);
    if (done.length > 0) continue;
    try {
      await database.execScript(script);
      applied.push(m.version);
    } catch (err) {
      if (err instanceof Error && err.message.includes('dueflow:already-applied')) continue;
      throw err;
    }
  }
  return applied;
}
