// A live connection lasts only as long as the sign-in it was opened with: sign-out, a session revoked
// from elsewhere and a revoked access token close it before the next change could reach it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { Client, type ErrorJson, eventually, LiveSocket, signUp, startSystem, type TaskJson } from './harness.ts';

/** The close code the server sends, once it arrives. */
const closed = (live: LiveSocket) =>
  new Promise<number>((resolve) => {
    if (live.ws.readyState === WebSocket.CLOSED) resolve(-1);
    live.ws.once('close', (code) => resolve(code));
  });

async function signIn(url: string, email: string): Promise<Client & { sessionToken: string }> {
  const res = await new Client(url).post<{ token: string; user: { id: string } }>('/api/auth/sign-in/email', { email, password: 'correct horse battery' });
  assert.equal(res.status, 200);
  return Object.assign(new Client(url, res.body.token, res.body.user.id), { sessionToken: res.body.token });
}

/** Asserts `gone` never sees the task whose change `witness` saw: it was closed before that change went out. */
async function changeNeverReaches(owner: Client, witness: LiveSocket, gone: LiveSocket, title: string) {
  const task = await owner.post<TaskJson>('/api/v1/tasks', { title });
  assert.equal(task.status, 201);
  await eventually(async () => witness.of('task.changed').find((m) => m['task_id'] === task.body.id));
  assert.equal(gone.of('task.changed').some((m) => m['task_id'] === task.body.id), false, 'the closed connection got nothing after the sign-in ended');
}

describe('sessions and live connections', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  before(async () => {
    ts = await startSystem({ LIVE_CONNECTIONS_PER_USER: '3' });
  });
  after(async () => ts.stop());

  async function userWithTwoSessions() {
    const first = await signUp(ts.url);
    const me = await first.get<{ email: string }>('/api/v1/me');
    const second = await signIn(ts.url, me.body.email);
    return { first, second, email: me.body.email };
  }

  test('sign-out closes the sockets of that session (4401), not those of the user\'s other sessions', async () => {
    const { first, second } = await userWithTwoSessions();
    const a = await LiveSocket.open(first);
    const b = await LiveSocket.open(second);
    const aClosed = closed(a);
    const out = await first.post('/api/auth/sign-out', {});
    assert.equal(out.status, 200);
    await changeNeverReaches(second, b, a, 'after sign-out');
    assert.equal(await aClosed, 4401);
    assert.equal(b.ws.readyState, WebSocket.OPEN, 'the other session stays connected');
    // The ended session no longer opens one.
    await assert.rejects(LiveSocket.open(first), /401/);
    b.close();
  });

  test('a session revoked from another device closes its sockets', async () => {
    const { first, second } = await userWithTwoSessions();
    const a = await LiveSocket.open(first);
    const b = await LiveSocket.open(second);
    const aClosed = closed(a);
    const revoke = await second.post('/api/auth/revoke-session', { token: first.token });
    assert.equal(revoke.status, 200, JSON.stringify(revoke.body));
    await changeNeverReaches(second, b, a, 'after revocation');
    assert.equal(await aClosed, 4401);
    b.close();
  });

  test('revoking an access token closes the sockets opened with it', async () => {
    const owner = await signUp(ts.url);
    const created = await owner.post<{ id: string; token: string }>('/api/v1/tokens', { name: 'live script', scope: 'read' });
    assert.equal(created.status, 201);
    const script = new Client(ts.url, created.body.token, owner.userId);
    const viaToken = await LiveSocket.open(script);
    const viaSession = await LiveSocket.open(owner);
    const tokenClosed = closed(viaToken);
    assert.equal((await owner.delete(`/api/v1/tokens/${created.body.id}`)).status, 204);
    await changeNeverReaches(owner, viaSession, viaToken, 'after token revocation');
    assert.equal(await tokenClosed, 4401);
    viaSession.close();
  });

  test('one user may hold a limited number of live connections; others are unaffected', async () => {
    const ann = await signUp(ts.url);
    const bob = await signUp(ts.url);
    const open = [await LiveSocket.open(ann), await LiveSocket.open(ann), await LiveSocket.open(ann)];
    await assert.rejects(LiveSocket.open(ann), /429/);
    const bobs = await LiveSocket.open(bob);
    // Once one closes (server side too), a new one is accepted.
    const first = open.shift() as LiveSocket;
    first.close();
    await eventually(async () => (ts.system.hub?.connectionCount(ann.userId) === 2 ? true : undefined));
    open.push(await LiveSocket.open(ann));
    for (const s of [...open, bobs]) s.close();
  });

  test('?token= is accepted on the websocket only, never on REST routes', async () => {
    const ann = await signUp(ts.url);
    const anon = new Client(ts.url);
    for (const path of ['/api/v1/me', '/api/v1/tasks', '/api/v1/tags', `/api/${ann.userId}/tasks`]) {
      const res = await anon.get<ErrorJson>(`${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(ann.token ?? '')}`);
      assert.ok(res.status === 401 || res.status === 400, `${path}: ${res.status}`);
      assert.notEqual(res.status, 200);
    }
    const me = await anon.get<ErrorJson>(`/api/v1/me?token=${encodeURIComponent(ann.token ?? '')}`);
    assert.equal(me.status, 401);
    const ws = new WebSocket(`${ts.url.replace(/^http/, 'ws')}/api/v1/ws?token=${encodeURIComponent(ann.token ?? '')}`);
    const hello = await new Promise<string>((resolve, reject) => {
      ws.once('message', (m) => resolve(m.toString()));
      ws.once('error', reject);
    });
    assert.equal(JSON.parse(hello).type, 'hello');
    ws.close();
  });
});
