import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import { signUp, startSystem, type TaskJson } from './harness.ts';

/** One request through a keep-alive agent (as browsers and proxies send them): status, Connection header, body. */
function get(agent: Agent, url: string, headers: Record<string, string> = {}): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('on shutdown a replica drains: it keeps serving, answers "not ready", and closes each keep-alive connection after its response', async () => {
  const ts = await startSystem({ SHUTDOWN_DRAIN_SECONDS: '2' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let stopping: Promise<void> | null = null;
  try {
    const ann = await signUp(ts.url);
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'still here' });
    const auth = { authorization: `Bearer ${ann.token}` };
    const before = await get(agent, `${ts.url}/api/v1/tasks/${t.body.id}`, auth);
    assert.equal(before.status, 200);
    assert.equal(before.connection, 'keep-alive');

    stopping = ts.stop();
    await new Promise((r) => setTimeout(r, 300));
    // The same kept-alive connection: served, then closed by the server.
    const during = await get(agent, `${ts.url}/api/v1/tasks/${t.body.id}`, auth);
    assert.equal(during.status, 200, 'requests are still served while draining');
    assert.equal(during.connection, 'close');
    assert.equal((JSON.parse(during.body) as TaskJson).title, 'still here');
    const ready = await get(agent, `${ts.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal((JSON.parse(ready.body) as { checks: Record<string, boolean> }).checks['accepting'], false);
    await stopping;
    await assert.rejects(get(agent, `${ts.url}/healthz`), 'closed after the drain');
  } finally {
    agent.destroy();
    await (stopping ?? ts.stop());
  }
});
