// Security headers on every kind of response: API JSON (errors and 404s too), the OpenAPI docs, MCP,
// the auth routes, health and metrics; HSTS when the public URL is https; page CSPs with script hashes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inlineScriptHashes, withPageCsp } from '@dueflow/api';
import { createStaticSite } from '@dueflow/web';
import { Client, signUp, startSystem } from './harness.ts';

const directives = (csp: string | null) => new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k = '', ...v]) => [k, v]));

function assertCommon(headers: Headers, what: string) {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(headers.get('x-frame-options'), 'DENY', what);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(headers.get('cross-origin-opener-policy'), 'same-origin', what);
  const csp = directives(headers.get('content-security-policy'));
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors`);
  assert.ok(csp.get('default-src'), `${what}: default-src`);
}

describe('security headers', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('every API response type carries them, with a CSP that allows no active content', async () => {
    const big = 'x'.repeat(70_000);
    const responses: Array<[string, Promise<Response>]> = [
      ['list', fetch(`${ts.url}/api/v1/tasks`, { headers: { authorization: `Bearer ${ann.token ?? ''}` } })],
      ['401', fetch(`${ts.url}/api/v1/tasks`)],
      ['400', fetch(`${ts.url}/api/v1/tasks?sort=nope`, { headers: { authorization: `Bearer ${ann.token ?? ''}` } })],
      ['413', fetch(`${ts.url}/api/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${ann.token ?? ''}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: big }) })],
      ['404 route', fetch(`${ts.url}/api/v1/nothing-here`)],
      ['openapi', fetch(`${ts.url}/openapi.json`)],
      ['healthz', fetch(`${ts.url}/healthz`)],
      ['metrics', fetch(`${ts.url}/metrics`)],
      ['auth', fetch(`${ts.url}/api/auth/get-session`)],
      ['auth error', fetch(`${ts.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'no@example.com', password: 'wrong password' }) })],
      ['mcp 401', fetch(`${ts.url}/mcp`, { method: 'POST' })],
      ['mcp', fetch(`${ts.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${ann.token ?? ''}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) })],
    ];
    for (const [what, p] of responses) {
      const res = await p;
      await res.arrayBuffer();
      assertCommon(res.headers, what);
      assert.deepEqual(directives(res.headers.get('content-security-policy')).get('default-src'), ["'none'"], what);
      assert.equal(res.headers.get('strict-transport-security'), null, `${what}: no HSTS over http`);
    }
  });

  test('the API docs page gets a policy that runs its own scripts only', async () => {
    const res = await fetch(`${ts.url}/docs/`);
    assert.equal(res.status, 200);
    await res.text();
    assertCommon(res.headers, 'docs');
    const csp = directives(res.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
  });

  test('HSTS when PUBLIC_URL is https', async () => {
    const secure = await startSystem({ PUBLIC_URL: 'https://tasks.example.org' });
    try {
      for (const path of ['/healthz', '/api/v1/tasks', '/nope']) {
        const res = await fetch(`${secure.url}${path}`);
        assert.match(res.headers.get('strict-transport-security') ?? '', /^max-age=31536000; includeSubDomains$/, path);
      }
    } finally {
      await secure.stop();
    }
  });

  test('a page is sent with the hashes of its inline scripts, and only those', async () => {
    const boot = 'document.documentElement.dataset.theme="dark"';
    const payload = 'self.__next_f.push([1,"x"])';
    const html = `<!doctype html><html><head><script>${boot}</script><script src="/_next/static/app.js"></script>`
      + `<script type="application/json" id="data">{"a":1}</script></head><body><script>${payload}</script></body></html>`;
    const server = createServer((req, res) => {
      withPageCsp(req, res);
      // Like the page handler: headers first, the body in pieces.
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.writeHead(200, { 'content-length': '1' });
      const half = Math.floor(html.length / 2);
      res.write(html.slice(0, half));
      res.end(html.slice(half));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(await res.text(), html, 'the page is unchanged and its length right');
      const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
      const scripts = directives(res.headers.get('content-security-policy')).get('script-src') ?? [];
      assert.deepEqual(new Set(scripts), new Set(["'self'", sha(boot), sha(payload)]));
      assert.equal(scripts.includes("'unsafe-inline'"), false);
      assert.deepEqual(inlineScriptHashes('<script>alert(1)</script>'), [sha('alert(1)').slice(1, -1)], 'an injected script has its own hash');
    } finally {
      server.close();
    }
  });

  test('a page asked for again with its ETag is sent in full with its hashes, never as a bodiless 304 with none', async () => {
    // A 304 has no body to hash: its policy would allow none of the cached page's inline scripts, and the
    // browser (or the service worker's fetch) pairs the two.
    const dir = mkdtempSync(join(tmpdir(), 'dueflow-pages-'));
    const boot = 'document.documentElement.dataset.theme="dark"';
    writeFileSync(join(dir, 'index.html'), `<!doctype html><html><head><script>${boot}</script></head><body></body></html>`);
    const site = createStaticSite(dir);
    const server = createServer((req, res) => {
      withPageCsp(req, res);
      void site.handle(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const first = await fetch(url);
      const etag = first.headers.get('etag');
      assert.ok(etag, 'pages carry an ETag');
      await first.text();
      const again = await fetch(url, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 200);
      assert.match(await again.text(), /<script>/);
      const hash = `'sha256-${createHash('sha256').update(boot).digest('base64')}'`;
      assert.ok(directives(again.headers.get('content-security-policy')).get('script-src')?.includes(hash), 'the inline script is allowed by its hash');
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
