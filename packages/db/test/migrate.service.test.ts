import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import { loadMigrations, migrate, openDatabase, type DatabaseOptions } from '../src/index.ts';

const onPostgres = process.env.DUEFLOW_TEST_DB === 'postgres';

async function freshOptions(): Promise<{ options: DatabaseOptions; drop: () => Promise<void> }> {
  if (!onPostgres) return { options: { kind: 'pglite', dataDir: null }, drop: async () => {} };
  const admin = process.env.TEST_DATABASE_URL ?? '';
  const name = `dueflow_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    options: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

test('migrations apply once, in order, and a second run changes nothing', async () => {
  const { options, drop } = await freshOptions();
  const db = await openDatabase(options);
  try {
    const versions = loadMigrations().map((m) => m.version);
    assert.ok(versions.length >= 1);
    assert.deepEqual(await migrate(db), versions);
    assert.deepEqual(await migrate(db), []);
    const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows.map((r) => r.version), versions);
    const ext = await db.query<{ extname: string }>("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'");
    assert.equal(ext.length, 1, 'trigram search available');
  } finally {
    await db.close();
    await drop();
  }
});

test('replicas migrating at once apply each migration exactly once', async () => {
  const { options, drop } = await freshOptions();
  // PostgreSQL: three pools, as three replicas would have. PGlite is single-process: three migrators on one instance.
  const first = await openDatabase(options);
  const replicas = onPostgres ? [first, await openDatabase(options), await openDatabase(options)] : [first, first, first];
  try {
    const results = await Promise.all(replicas.map((r) => migrate(r)));
    const applied = results.flat();
    assert.deepEqual(applied.sort(), loadMigrations().map((m) => m.version).sort());
  } finally {
    await Promise.all([...new Set(replicas)].map((r) => r.close()));
    await drop();
  }
});

test('a failing migration rolls back completely and leaves the connection usable', async () => {
  const { options, drop } = await freshOptions();
  const db = await openDatabase(options);
  try {
    await migrate(db);
    await assert.rejects(
      migrate(db, [...loadMigrations(), { version: '9999_broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' }]),
    );
    const tables = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_done'");
    assert.equal(tables[0]?.n, 0);
    const rows = await db.query<{ version: string }>("SELECT version FROM schema_migrations WHERE version = '9999_broken'");
    assert.equal(rows.length, 0);
    assert.equal((await db.query<{ one: number }>('SELECT 1 AS one'))[0]?.one, 1);
  } finally {
    await db.close();
    await drop();
  }
});
