import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type CloudEvent, Topics } from '@dueflow/core';
import { eventsRepo, openDatabase } from '@dueflow/db';
import { API_ROLES, Client, eventually, type TaskJson } from './harness.ts';

const root = new URL('../../../', import.meta.url).pathname;
const main = join(root, 'apps/cli/src/main.ts');

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function dueflow(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', SERVICES: API_ROLES, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function waitForExit(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null) return p.exitCode;
  return new Promise((r) => p.once('exit', (code) => r(code)));
}

describe('the dueflow command (embedded, data on disk)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dueflow-cli-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('start serves, shuts down gracefully on SIGTERM, and keeps data, secrets and sessions across restarts', async () => {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port) };
    const first = dueflow(['start'], env);
    let logs = '';
    first.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    first.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) || undefined, 30_000, 100);

    const signup = await new Client(base).post<{ token: string; user: { id: string } }>('/api/auth/sign-up/email', {
      name: 'Cli',
      email: 'cli@example.com',
      password: 'correct horse battery',
    });
    assert.equal(signup.status, 200);
    const client = new Client(base, signup.body.token, signup.body.user.id);
    const created = await client.post<TaskJson>('/api/v1/tasks', { title: 'Survives restarts', tags: ['disk'] });
    assert.equal(created.status, 201);

    first.kill('SIGTERM');
    assert.equal(await waitForExit(first), 0, logs);
    assert.match(logs, /"msg":"dueflow stopped"/);
    // Every log line is structured JSON.
    for (const line of logs.split('\n').filter((l) => l.startsWith('{'))) JSON.parse(line);

    const secrets = join(dataDir, 'secrets.json');
    assert.ok(existsSync(secrets));
    assert.equal(statSync(secrets).mode & 0o777, 0o600);
    const secretsBefore = readFileSync(secrets, 'utf8');

    const second = dueflow(['start'], env);
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) || undefined, 30_000, 100);
      const again = await client.get<TaskJson>(`/api/v1/tasks/${created.body.id}`);
      assert.equal(again.status, 200, 'the old session token still works');
      assert.equal(again.body.title, 'Survives restarts');
      const activity = await client.get<{ items: { event_type: string }[] }>('/api/v1/activity');
      assert.deepEqual(activity.body.items.map((i) => i.event_type), ['task.created']);
      assert.equal(readFileSync(secrets, 'utf8'), secretsBefore);
    } finally {
      second.kill('SIGTERM');
      assert.equal(await waitForExit(second), 0);
    }
  });

  test('migrate applies migrations and exits; bad commands and config fail clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dueflow-migrate-'));
    try {
      const ok = spawnSync(process.execPath, ['--import', 'tsx', main, 'migrate'], { cwd: root, env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /migrations applied/);
      const unknown = spawnSync(process.execPath, ['--import', 'tsx', main, 'fly'], { cwd: root, encoding: 'utf8' });
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /unknown command "fly"/);
      const badRole = spawnSync(process.execPath, ['--import', 'tsx', main, 'serve', '--role', 'mailer'], { cwd: root, env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
      assert.equal(badRole.status, 2);
      assert.match(badRole.stderr, /unknown role "mailer"/);
      // Some event roles alone with the in-process bus would lose the others' events: refused at start.
      const partial = spawnSync(process.execPath, ['--import', 'tsx', main, 'serve', '--role', 'api,audit'], { cwd: root, env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
      assert.equal(partial.status, 2);
      assert.match(partial.stderr, /embedded mode runs every event role.*lacks recurring, notification, realtime/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('dead-letters: list, replay (a letter that cannot be replayed is held, the rest go), discard; never a new empty database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dueflow-dlq-'));
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, 'dead-letters', ...args], { cwd: root, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' }, encoding: 'utf8' });
    try {
      const nowhere = run();
      assert.equal(nowhere.status, 2, nowhere.stderr);
      assert.match(nowhere.stderr, /no Dueflow database here: set DATABASE_URL/);
      assert.equal(existsSync(join(dir, 'db')) || existsSync(join(dir, 'postgres')), false, 'nothing created');

      const migrated = spawnSync(process.execPath, ['--import', 'tsx', main, 'migrate'], { cwd: root, env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
      assert.equal(migrated.status, 0, migrated.stderr);
      // What a consumer gave up on: here a task event too malformed to handle.
      const id = randomUUID();
      const event: CloudEvent = { specversion: '1.0', id, source: 'test', type: 'task.created', time: new Date().toISOString(), subject: 'task/1', datacontenttype: 'application/json', data: { event_id: id, user_id: 'u1', task_id: 1 } };
      const foreign = { specversion: '1.0', id: 'poison-1', source: 'elsewhere', type: 'task.completed', data: { nonsense: true } };
      const db = await openDatabase({ kind: 'embedded', dataDir: dir });
      const policy = { firstDelayMs: 3_600_000, maxReplays: 3 };
      await eventsRepo.recordDeadLetter(db.db, { consumer: 'dead-letters', topic: Topics.taskEvents, eventId: foreign.id, event: foreign, error: 'dropped', attempts: 0 }, new Date(), policy);
      await eventsRepo.recordDeadLetter(db.db, { consumer: 'recurring', topic: Topics.taskEvents, eventId: event.id, event, error: 'boom', attempts: 4 }, new Date(), policy);
      await db.close();

      const list = run('list');
      assert.equal(list.status, 0, list.stderr);
      assert.match(list.stdout, /^1\ttask-events\tdead-letters\tpoison-1\treplays=0\tnext=.*\tdropped$/m);
      assert.match(list.stdout, new RegExp(`^2\ttask-events\trecurring\t${event.id}\treplays=0\tnext=.*\tboom$`, 'm'));
      for (const bad of [run('replay', 'abc'), run('replay'), run('discard', '1', '--all'), run('forget', '1')]) {
        assert.equal(bad.status, 2, bad.stderr);
        assert.match(bad.stderr, /ids|--all|unknown dead-letters action/);
      }

      const replay = run('replay', '--all');
      assert.equal(replay.status, 1, 'one letter could not be replayed');
      assert.match(replay.stdout, /^2\tqueued for publishing$/m);
      assert.match(replay.stdout, /^1\theld: not replayable: event id "poison-1" is not a UUID$/m);

      const after = await openDatabase({ kind: 'embedded', dataDir: dir });
      try {
        const queued = await after.query<{ event_id: string; published_at: Date | null; partition_key: string }>('SELECT event_id, published_at, partition_key FROM outbox');
        assert.deepEqual(queued.map((q) => [q.event_id, q.published_at, q.partition_key]), [[event.id, null, 'u1']]);
        const letters = await eventsRepo.listDeadLetters(after.db);
        assert.deepEqual(letters.map((l) => [l.id, l.replays, l.replayAt]), [[1n, 1, null], [2n, 1, null]]);
      } finally {
        await after.close();
      }

      const discard = run('discard', '1', '7');
      assert.equal(discard.status, 1, 'id 7 does not exist');
      assert.match(discard.stdout, /^1\tdiscarded$/m);
      assert.match(discard.stderr, /dead letter 7: not found/);
      const rest = run('list');
      assert.deepEqual(rest.stdout.trim().split('\n').map((l) => l.split('\t')[0]), ['2']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
