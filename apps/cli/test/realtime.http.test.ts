import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { type Client, eventually, LiveSocket, signUp, startSystem, type TaskJson } from './harness.ts';

describe('realtime websocket', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let bob: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
    bob = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('a change on one connection reaches every open connection of the user, and only theirs', async () => {
    const tab1 = await LiveSocket.open(ann);
    const tab2 = await LiveSocket.open(ann);
    const other = await LiveSocket.open(bob);
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Sync me' });
    for (const tab of [tab1, tab2]) {
      const msg = await eventually(async () => tab.of('task.changed').find((m) => m['task_id'] === created.body.id));
      assert.equal(msg['change'], 'created');
      assert.equal((msg['task'] as TaskJson).title, 'Sync me');
    }
    await ann.patch(`/api/v1/tasks/${created.body.id}/priority`, { priority: 'high' });
    await ann.patch(`/api/v1/tasks/${created.body.id}/complete`);
    await ann.delete(`/api/v1/tasks/${created.body.id}`);
    const changes = await eventually(async () => {
      const c = tab2.of('task.changed').filter((m) => m['task_id'] === created.body.id);
      return c.length === 4 ? c : undefined;
    });
    assert.deepEqual(
      changes.map((m) => m['change']),
      ['created', 'updated', 'completed', 'deleted'],
      'in order',
    );
    assert.equal(new Set(changes.map((m) => m['id'])).size, 4, 'no duplicates');
    assert.equal(other.of('task.changed').length, 0);
    for (const s of [tab1, tab2, other]) s.close();
  });

  test('the websocket needs a valid token (header or ?token=)', async () => {
    const url = `${ts.url.replace(/^http/, 'ws')}/api/v1/ws`;
    for (const attempt of [new WebSocket(url), new WebSocket(`${url}?token=nope`)]) {
      const status = await new Promise<number>((resolve) => {
        attempt.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        attempt.once('open', () => resolve(101));
        attempt.once('error', () => resolve(-1));
      });
      assert.equal(status, 401);
    }
    const viaQuery = new WebSocket(`${url}?token=${encodeURIComponent(ann.token ?? '')}`);
    const hello = await new Promise<string>((resolve, reject) => {
      viaQuery.once('message', (m) => resolve(m.toString()));
      viaQuery.once('error', reject);
    });
    assert.equal(JSON.parse(hello).type, 'hello');
    viaQuery.close();
  });
});
