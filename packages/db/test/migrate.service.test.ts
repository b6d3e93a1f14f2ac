import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadMigrations, migrate, openDatabase } from '../src/index.ts';
import { createTestDatabase, testsOnPostgres } from '../src/test-database.ts';

const onPostgres = testsOnPostgres();

test('migrations apply once, in order, and a second run changes nothing', async () => {
  const { options, drop } = await createTestDatabase();
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
  const { options, drop } = await createTestDatabase();
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
  const { options, drop } = await createTestDatabase();
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
