import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { type EmbeddedServer, EmbeddedServerUnavailableError, type EmbeddedServerOptions, startEmbeddedServer } from './embedded-server.ts';
import { schema, type Schema } from './schema.ts';

/** A database handle or a transaction: repositories take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script (migrations). */
  execScript(sqlText: string): Promise<void>;
  /** Runs one statement and returns its rows (for the few queries the builder cannot express). */
  query<T>(sqlText: string, params?: unknown[]): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Connection pool use (PostgreSQL); null for the embedded single-connection database. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } | null;
}

export type DatabaseOptions =
  | { kind: 'pglite'; dataDir: string | null /* null: in memory */ }
  | { kind: 'postgres'; url: string; maxConnections?: number; statementTimeoutMs?: number }
  | EmbeddedDatabaseOptions;

/**
 * The embedded database in DATA_DIR: a PostgreSQL server that Dueflow starts and stops (DATA_DIR/postgres),
 * or PGlite (DATA_DIR/db) where no server binaries exist for the platform, when asked for, or when
 * DATA_DIR already holds a PGlite database and no server cluster (its data stays where it is).
 */
export interface EmbeddedDatabaseOptions {
  kind: 'embedded';
  dataDir: string;
  engine?: 'auto' | 'postgres' | 'pglite';
  maxConnections?: number;
  statementTimeoutMs?: number;
  onLog?: EmbeddedServerOptions['onLog'];
}

/** A statement running longer than this is cancelled (a runaway query must not hold a connection). */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.kind === 'embedded') return openEmbedded(opts);
  if (opts.kind === 'pglite') {
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
    const client = await PGlite.create({
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      extensions: { pg_trgm },
    });
    const db: Db = drizzlePglite(client, { schema });
    return {
      kind: 'pglite',
      db,
      transaction: (fn) => db.transaction(fn),
      async execScript(text) {
        try {
          await client.exec(text);
        } catch (err) {
          // A failed script may leave its transaction open on the single connection.
          await client.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      },
      async query<T>(text: string, params?: unknown[]) {
        const r = await client.query<T>(text, params);
        return r.rows;
      },
      async ping() {
        await client.query('select 1');
      },
      async close() {
        await client.close();
      },
      poolStats: () => null,
    };
  }
  return openPool({ connectionString: opts.url }, opts);
}

async function openEmbedded(opts: EmbeddedDatabaseOptions): Promise<Database> {
  const serverDir = join(opts.dataDir, 'postgres');
  const pgliteDir = join(opts.dataDir, 'db');
  const engine = opts.engine ?? 'auto';
  const keepPglite = engine === 'auto' && existsSync(join(pgliteDir, 'PG_VERSION')) && !existsSync(join(serverDir, 'PG_VERSION'));
  if (engine === 'pglite' || keepPglite) return openDatabase({ kind: 'pglite', dataDir: pgliteDir });
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedServer({ dataDir: serverDir, ...(opts.onLog ? { onLog: opts.onLog } : {}) });
  } catch (err) {
    if (err instanceof EmbeddedServerUnavailableError && engine === 'auto') {
      opts.onLog?.('warn', `embedded PostgreSQL unavailable (${err.message}); using PGlite in ${pgliteDir}`);
      return openDatabase({ kind: 'pglite', dataDir: pgliteDir });
    }
    throw err;
  }
  try {
    const database = await openPool(server.connection, opts);
    return {
      ...database,
      async close() {
        await database.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

async function openPool(config: pg.PoolConfig, opts: { maxConnections?: number; statementTimeoutMs?: number }): Promise<Database> {
  const max = opts.maxConnections ?? 10;
  const pool = new pg.Pool({ ...config, max, statement_timeout: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS });
  // An idle client's error (e.g. the server restarting) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db: Db = drizzleNodePg(pool, { schema });
  return {
    kind: 'postgres',
    db,
    transaction: (fn) => db.transaction(fn),
    async execScript(text) {
      const conn = await pool.connect();
      try {
        await conn.query(text);
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        conn.release();
      }
    },
    async query<T>(text: string, params?: unknown[]) {
      const r = await pool.query(text, params as unknown[] | undefined);
      return r.rows as T[];
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
  };
}
