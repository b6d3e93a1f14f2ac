// The PostgreSQL that infra/dist/up.sh runs is durable unless a test asks for the fast mode: an
// acknowledged commit survives kill -9 of the database. A throwaway server of its own (another data
// directory, a port in the runner's block), so the shared test server is never touched.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import pg from 'pg';

const root = new URL('../../../../', import.meta.url).pathname;
const DIR = '/tmp/dueflow-pg-durability';
const PORT = '21077';

function startPg(env: Record<string, string> = {}): string {
  return execFileSync('bash', [`${root}infra/postgres/start.sh`], {
    env: { ...process.env, DUEFLOW_PG_DIR: DIR, DUEFLOW_PG_PORT: PORT, DUEFLOW_PG_FAST: '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}
const stopPg = (...args: string[]) =>
  execFileSync('bash', [`${root}infra/postgres/stop.sh`, ...args], { env: { ...process.env, DUEFLOW_PG_DIR: DIR, DUEFLOW_PG_PORT: PORT }, stdio: 'ignore' });

/** kill -9 of the postmaster and every backend: a crash, no shutdown checkpoint. */
function crash(): void {
  const postmaster = Number(readFileSync(`${DIR}/data/postmaster.pid`, 'utf8').split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
  for (const pid of [postmaster, ...children]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(postmaster, 0);
      execFileSync('sleep', ['0.1']);
    } catch {
      return;
    }
  }
}

async function settings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')");
    return Object.fromEntries(r.rows.map((x) => [x.name, x.setting]));
  } finally {
    await client.end();
  }
}

describe('the runner\'s PostgreSQL (infra/postgres/start.sh)', { timeout: 10 * 60_000 }, () => {
  after(() => {
    try {
      stopPg('--purge');
    } catch {
      rmSync(DIR, { recursive: true, force: true });
    }
  });

  test('durable by default: fsync, synchronous_commit and full_page_writes on; acknowledged commits survive kill -9', async () => {
    stopPg('--purge');
    const url = startPg();
    assert.deepEqual(await settings(url), { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE acknowledged (n int)');
    for (let n = 1; n <= 20; n++) await client.query('INSERT INTO acknowledged VALUES ($1)', [n]);
    crash();
    await client.end().catch(() => undefined);
    const again = new pg.Client({ connectionString: startPg() });
    await again.connect();
    try {
      const r = await again.query<{ n: number }>('SELECT count(*)::int AS n FROM acknowledged');
      assert.equal(r.rows[0]?.n, 20, 'every acknowledged insert is still there');
    } finally {
      await again.end();
    }
  });

  test('tests opt into the fast mode (DUEFLOW_PG_FAST=1) at start; a running server is made durable when asked, never the reverse', async () => {
    stopPg('--purge');
    const fast = startPg({ DUEFLOW_PG_FAST: '1' });
    assert.deepEqual(await settings(fast), { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' });
    // The runner starts it without the flag: durable from then on, without a restart.
    const url = startPg();
    assert.deepEqual(await settings(url), { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
    startPg({ DUEFLOW_PG_FAST: '1' });
    assert.deepEqual(await settings(url), { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' }, 'not weakened while running');
  });
});
