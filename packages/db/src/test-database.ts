// A database of its own for one test: in-memory (or on-disk) PGlite by default, or a fresh database on
// the PostgreSQL server in TEST_DATABASE_URL when DUEFLOW_TEST_DB=postgres. Used by the test suites only.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseOptions } from './connection.ts';

export const testsOnPostgres = () => process.env.DUEFLOW_TEST_DB === 'postgres';

export interface TestDatabase {
  options: DatabaseOptions;
  /** Drops the PostgreSQL database (PGlite needs nothing). */
  drop(): Promise<void>;
}

export async function createTestDatabase(opts: { pgliteDir?: string } = {}): Promise<TestDatabase> {
  if (!testsOnPostgres()) {
    return { options: { kind: 'pglite', dataDir: opts.pgliteDir ?? null }, drop: async () => {} };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('DUEFLOW_TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `dueflow_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { kind: 'postgres', url: url.toString(), maxConnections: 5 },
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
