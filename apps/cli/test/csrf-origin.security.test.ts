// Cross-site request forgery, cross-site websocket hijacking and DNS rebinding: a browser's cookie acts
// only for pages of a trusted origin; programs without Origin (curl, Node's fetch) sign in and work.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { Client, type ErrorJson, signUp, startSystem, type TaskJson } from './harness.ts';

const EVIL = 'https://evil.example';

/** A raw request (any Host header, no Fetch Metadata unless given), as a browser or a rebinding page could send. */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs in and returns the session cookie a browser would hold. */
async function cookieOf(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });
  assert.equal(res.status, 200);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

function wsStatus(url: string, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/ws`, { headers });
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', () => resolve(-1));
  });
}

describe('CSRF and Origin checks', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let email: string;
  let cookie: string;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
    email = (await ann.get<{ email: string }>('/api/v1/me')).body.email;
    cookie = await cookieOf(ts.url, email);
  });
  after(async () => ts.stop());

  test("Node's fetch signs up and signs in without an Origin header (programs are not browsers)", async () => {
    const address = `script-${Date.now()}@example.com`;
    const up = await fetch(`${ts.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Script', email: address, password: 'correct horse battery' }),
    });
    assert.equal(up.status, 200, await up.clone().text());
    const inRes = await fetch(`${ts.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: address, password: 'correct horse battery' }),
    });
    assert.equal(inRes.status, 200);
    const { token } = (await inRes.json()) as { token: string };
    const me = await fetch(`${ts.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
  });

  test('sign-in and sign-up from another site are refused', async () => {
    for (const [path, body] of [
      ['/api/auth/sign-in/email', { email, password: 'correct horse battery' }],
      ['/api/auth/sign-up/email', { name: 'Mallory', email: `m-${Date.now()}@example.com`, password: 'correct horse battery' }],
    ] as const) {
      const variants: Record<string, string>[] = [{ origin: EVIL }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }];
      for (const headers of variants) {
        const res = await raw(ts.url, 'POST', path, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
        assert.equal(res.status, 403, `${path} ${JSON.stringify(headers)}`);
        assert.equal((JSON.parse(res.body) as ErrorJson).error.code, 'ORIGIN_NOT_ALLOWED');
      }
    }
  });

  test('the Host header is not an origin: a rebinding page (Host and Origin evil.example) cannot sign in', async () => {
    const port = new URL(ts.url).port;
    const res = await raw(ts.url, 'POST', '/api/auth/sign-in/email', { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, JSON.stringify({ email, password: 'correct horse battery' }));
    assert.equal(res.status, 403);
    assert.equal(res.headers['set-cookie'], undefined, 'no session');
  });

  test('a cookie-authenticated change from another site is refused and changes nothing (body-less and text/plain too)', async () => {
    const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Keep me deleted' });
    assert.equal((await ann.delete(`/api/v1/tasks/${task.body.id}`)).status, 204);
    const variants: Record<string, string>[] = [
      { origin: EVIL, 'content-type': 'text/plain' },
      { origin: EVIL },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of variants) {
      const res = await raw(ts.url, 'POST', `/api/v1/tasks/${task.body.id}/restore`, { cookie, ...headers });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal((JSON.parse(res.body) as ErrorJson).error.code, 'ORIGIN_NOT_ALLOWED');
    }
    const create = await raw(ts.url, 'POST', '/api/v1/tasks', { cookie, origin: EVIL, 'content-type': 'application/json' }, JSON.stringify({ title: 'forged' }));
    assert.equal(create.status, 403);
    const del = await raw(ts.url, 'DELETE', `/api/${ann.userId}/tasks/${task.body.id}`, { cookie, origin: EVIL });
    assert.equal(del.status, 403);
    const tasks = await ann.get<{ tasks: TaskJson[] }>('/api/v1/tasks?status=all');
    assert.equal(tasks.body.tasks.some((t) => t.id === task.body.id || t.title === 'forged'), false, 'still deleted, nothing created');

    // The same requests from the app's own origin, or from a program without Origin, work.
    const mine = await raw(ts.url, 'POST', `/api/v1/tasks/${task.body.id}/restore`, { cookie, origin: ts.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, '{}');
    assert.equal(mine.status, 200, mine.body);
    const program = await raw(ts.url, 'PATCH', `/api/v1/tasks/${task.body.id}/priority`, { cookie, 'content-type': 'application/json' }, JSON.stringify({ priority: 'high' }));
    assert.equal(program.status, 200);
    // Reading with the cookie needs no Origin (a cross-site page cannot read the answer).
    assert.equal((await raw(ts.url, 'GET', '/api/v1/tasks', { cookie, origin: EVIL })).status, 200);
    // A bearer token is not ambient: the Origin does not matter.
    assert.equal((await ann.request('PATCH', `/api/v1/tasks/${task.body.id}/priority`, { priority: 'low' }, { origin: EVIL })).status, 200);
  });

  test('sign-out with the cookie from another site is refused', async () => {
    const res = await raw(ts.url, 'POST', '/api/auth/sign-out', { cookie, origin: EVIL, 'content-type': 'application/json' }, '{}');
    assert.equal(res.status, 403);
    assert.equal((await raw(ts.url, 'GET', '/api/v1/me', { cookie })).status, 200, 'still signed in');
  });

  test('a websocket opened with the cookie must come from a trusted origin (no cross-site hijacking)', async () => {
    assert.equal(await wsStatus(ts.url, { cookie, origin: EVIL }), 403);
    assert.equal(await wsStatus(ts.url, { cookie, origin: 'null' }), 403);
    assert.equal(await wsStatus(ts.url, { cookie, origin: ts.url }), 101);
    assert.equal(await wsStatus(ts.url, { cookie, origin: ts.url.replace('127.0.0.1', 'localhost') }), 101);
    // A program (no Origin) with the cookie, and any origin with a bearer token, are not browsers acting for a user.
    assert.equal(await wsStatus(ts.url, { cookie }), 101);
    assert.equal(await wsStatus(ts.url, { authorization: `Bearer ${ann.token ?? ''}`, origin: EVIL }), 101);
  });

  test('TRUSTED_ORIGINS adds origins whose pages may use the cookie', async () => {
    const other = await startSystem({ TRUSTED_ORIGINS: 'https://tasks.example.org' });
    try {
      const bob = await signUp(other.url);
      const bobCookie = await cookieOf(other.url, (await bob.get<{ email: string }>('/api/v1/me')).body.email);
      const ok = await raw(other.url, 'POST', '/api/v1/tasks', { cookie: bobCookie, origin: 'https://tasks.example.org', 'content-type': 'application/json' }, JSON.stringify({ title: 'from the other front end' }));
      assert.equal(ok.status, 201);
      const no = await raw(other.url, 'POST', '/api/v1/tasks', { cookie: bobCookie, origin: 'https://tasks.example.org.evil.example', 'content-type': 'application/json' }, JSON.stringify({ title: 'x' }));
      assert.equal(no.status, 403);
    } finally {
      await other.stop();
    }
  });
});
