// The embedded database is a PostgreSQL server that Dueflow starts and stops: queries run in its own
// processes, so a long query does not stop the HTTP server, and statements have a time limit.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '@dueflow/db';
import { sql } from 'drizzle-orm';
import { signUp, startSystem } from './harness.ts';

describe('embedded PostgreSQL server', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'dueflow-embedded-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('while a query waits', () => {
    let ts: Awaited<ReturnType<typeof startSystem>>;
    before(async () => {
      const dir = dataDir();
      ts = await startSystem({}, { db: { options: { kind: 'embedded', dataDir: dir }, drop: async () => {} } });
    });
    after(async () => ts.stop());

    test('health checks and other users are answered before it finishes', async () => {
      assert.equal(ts.system.database.kind, 'postgres');
      const bob = await signUp(ts.url);
      assert.equal((await bob.post('/api/v1/tasks', { title: 'still here' })).status, 201);
      // One transaction holds a lock; a query that needs it waits until the transaction ends. Neither
      // holds the event loop.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const holding = new Promise<void>((r) => (locked = r));
      const holder = ts.system.database.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(4242)`);
        locked();
        await gate;
      });
      await holding;
      const order: string[] = [];
      const waiting = ts.system.database.query('SELECT pg_advisory_xact_lock(4242)').then(() => order.push('long query'));

      const health = await fetch(`${ts.url}/healthz`);
      order.push(`healthz ${health.status}`);
      const list = await bob.get<{ total: number }>('/api/v1/tasks?limit=5');
      order.push(`list ${list.status} ${list.body.total}`);
      const ready = await fetch(`${ts.url}/readyz`);
      order.push(`readyz ${ready.status}`);

      release();
      await holder;
      await waiting;
      assert.deepEqual(order, ['healthz 200', 'list 200 1', 'readyz 200', 'long query']);
    });
  });

  test('a statement past the statement timeout is cancelled, and the connection is usable again', async () => {
    const database = await openDatabase({ kind: 'embedded', dataDir: dataDir(), statementTimeoutMs: 200, maxConnections: 1 });
    try {
      await assert.rejects(database.query('SELECT pg_sleep(60)'), (err: { code?: string }) => err.code === '57014');
      assert.deepEqual(await database.query<{ one: number }>('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await database.close();
    }
  });

  test('data survives a restart; closing stops the server; a server left running by a killed process is replaced', async () => {
    const dir = dataDir();
    const first = await openDatabase({ kind: 'embedded', dataDir: dir });
    await first.execScript('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$hello$$);');
    await first.close();
    assert.equal(existsSync(join(dir, 'postgres', 'postmaster.pid')), false, 'the server stopped');

    // A process killed without closing leaves its server running: the next start stops it first.
    const orphaned = await openDatabase({ kind: 'embedded', dataDir: dir });
    const [{ pid: orphanPid } = { pid: 0 }] = await orphaned.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const second = await openDatabase({ kind: 'embedded', dataDir: dir });
    try {
      assert.deepEqual(await second.query<{ v: string }>('SELECT v FROM kept'), [{ v: 'hello' }]);
      assert.deepEqual(await second.query<{ similar: boolean }>(`SELECT 'dentist' % 'dentst' AS similar`), [{ similar: true }]);
      assert.throws(() => process.kill(orphanPid, 0), 'the first server and its sessions are gone');
    } finally {
      await orphaned.close().catch(() => {});
      await second.close();
    }
  });
});
