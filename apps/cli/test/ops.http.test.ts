import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { globalAgent, createServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client, eventually, signUp, startSystem, type TaskJson } from './harness.ts';

const PUSH_HOST = 'push.dueflow.test';
const pushTestResolver = async (host: string) => {
  if (host !== PUSH_HOST) throw new Error(`ENOTFOUND ${host}`);
  return [{ address: '127.0.0.1', family: 4 }];
};

describe('operability', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    // The push service of the Web Push test runs on loopback under a made-up name; production refuses
    // loopback (see push-ssrf.security.test.ts), this system allows that one address.
    ts = await startSystem({}, { pushNetwork: { resolve: pushTestResolver, exemptAddresses: ['127.0.0.1'] } });
    ann = await signUp(ts.url);
  });
  after(async () => ts.stop());

  test('health, readiness and metrics', async () => {
    const anon = new Client(ts.url);
    assert.deepEqual((await anon.get('/healthz')).body, { status: 'ok' });
    const ready = await anon.get<{ status: string; checks: Record<string, boolean> }>('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { database: true, event_bus: true, accepting: true });
    await ann.post('/api/v1/tasks', { title: 'measure me' });
    await ts.system.relay.drain();
    const metrics = await anon.get<string>('/metrics');
    assert.equal(metrics.status, 200);
    for (const name of [
      'dueflow_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/tasks",status="201"}',
      'dueflow_outbox_lag_seconds',
      'dueflow_event_handling_seconds_count{consumer="audit",topic="task-events",outcome="ok"}',
      'dueflow_event_latency_seconds_count{topic="task-events"}',
      'dueflow_reminder_lateness_seconds',
    ]) {
      assert.ok(metrics.body.includes(name), `metrics has ${name}`);
    }
  });

  test('W3C trace context: the caller\'s trace reaches the events it causes', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await ann.request<TaskJson>('POST', '/api/v1/tasks', { title: 'traced' }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('traceparent') ?? '', new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const rows = await ts.system.database.query<{ traceparent: string | null }>(
      `SELECT event->>'traceparent' AS traceparent FROM outbox WHERE (event->'data'->>'task_id')::bigint = $1`,
      [res.body.id],
    );
    assert.equal(rows.length, 2);
    for (const r of rows) assert.match(r.traceparent ?? '', new RegExp(`^00-${traceId}-`));
    const fresh = await ann.post<TaskJson>('/api/v1/tasks', { title: 'new trace' });
    assert.match(fresh.headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.doesNotMatch(fresh.headers.get('traceparent') ?? '', new RegExp(traceId));
  });

  test('OpenAPI document lists every route with its schemas, and /docs serves the UI', async () => {
    const doc = await new Client(ts.url).get<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> }>('/openapi.json');
    assert.equal(doc.body.openapi, '3.1.0');
    const paths = doc.body.paths;
    for (const [path, method] of [
      ['/api/v1/tasks', 'get'],
      ['/api/v1/tasks', 'post'],
      ['/api/v1/tasks/{id}', 'put'],
      ['/api/v1/tasks/{id}', 'patch'],
      ['/api/v1/tasks/{id}', 'delete'],
      ['/api/v1/tasks/{id}/complete', 'patch'],
      ['/api/v1/tasks/{id}/priority', 'patch'],
      ['/api/v1/tasks/{id}/tags', 'patch'],
      ['/api/v1/tasks/{id}/due-date', 'patch'],
      ['/api/v1/tasks/recurring', 'post'],
      ['/api/v1/me', 'patch'],
      ['/api/v1/tags', 'get'],
      ['/api/v1/activity', 'get'],
      ['/api/v1/notifications', 'get'],
      ['/api/v1/notifications/{id}', 'patch'],
      ['/api/v1/push-subscriptions', 'post'],
      ['/api/{user_id}/tasks', 'get'],
      ['/api/v1/chat', 'post'],
      ['/api/v1/chat/{conversation_id}', 'get'],
      ['/api/{user_id}/chat', 'post'],
    ] as const) {
      assert.ok(paths[path]?.[method], `${method} ${path}`);
    }
    const create = paths['/api/v1/tasks']?.['post'];
    assert.ok(JSON.stringify(create?.requestBody).includes('"title"'));
    assert.ok(create?.responses['201'] && create.responses['400'] && create.responses['401']);
    const docs = await fetch(`${ts.url}/docs/`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger/i);
  });

  test('Web Push: a due reminder is pushed, VAPID-signed and encrypted, to the subscribed endpoint', async () => {
    // A push service on loopback: HTTPS (Web Push requires it) with a throwaway certificate we trust here.
    const dir = mkdtempSync(join(tmpdir(), 'dueflow-push-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', `/CN=${PUSH_HOST}`, '-addext', `subjectAltName=DNS:${PUSH_HOST}`], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const key = readFileSync(join(dir, 'key.pem'));
    rmSync(dir, { recursive: true, force: true });
    globalAgent.options.ca = [cert];
    const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const pushService = createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((r) => pushService.listen(0, '127.0.0.1', r));
    const port = (pushService.address() as AddressInfo).port;
    try {
      const browserKey = createECDH('prime256v1');
      browserKey.generateKeys();
      const endpoint = `https://${PUSH_HOST}:${port}/push/${randomBytes(8).toString('hex')}`;
      const sub = await ann.post('/api/v1/push-subscriptions', {
        endpoint,
        keys: { p256dh: browserKey.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
      });
      assert.equal(sub.status, 201);
      const vapid = await new Client(ts.url).get<{ public_key: string }>('/api/v1/push-subscriptions/vapid-public-key');
      assert.equal(Buffer.from(vapid.body.public_key, 'base64url').length, 65);
      const plain = await ann.post('/api/v1/push-subscriptions', { endpoint: `http://${PUSH_HOST}:${port}/x`, keys: { p256dh: browserKey.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } });
      assert.equal(plain.status, 400, 'push endpoints are https only');

      const task = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Push me', reminder_at: new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000).toISOString() });
      const push = await eventually(async () => received[0]);
      assert.equal(push.headers['content-encoding'], 'aes128gcm');
      assert.match(String(push.headers['authorization']), /^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
      assert.ok(String(push.headers['authorization']).includes(vapid.body.public_key));
      assert.ok(push.body.length > 50, 'encrypted payload');
      assert.equal(push.body.includes(Buffer.from('Push me')), false, 'payload is not plaintext');
      assert.equal(received.length, 1);
      assert.ok(task.body.id > 0);

      const removed = await ann.request('DELETE', '/api/v1/push-subscriptions', { endpoint });
      assert.equal(removed.status, 204);
    } finally {
      pushService.close();
    }
  });
});
