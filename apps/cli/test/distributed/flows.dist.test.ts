// The distributed system on real processes: each role with its own daprd, Kafka, PostgreSQL and the
// Dapr scheduler. Needs DUEFLOW_DAPR_DIR (infra/dapr/install.sh), KAFKA_BROKERS (infra/kafka/start.sh)
// and TEST_DATABASE_URL (infra/postgres/start.sh); .ci/run provides all three.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@dueflow/db/testing';
import { DaprStateStore, Sidecar } from '@dueflow/runtime';
import pg from 'pg';
import { Cluster } from '../../../../infra/dist/cluster.ts';
import { Client, eventually, inMs, LiveSocket, signUp, type TaskJson, type TaskListJson } from '../harness.ts';

const root = new URL('../../../../', import.meta.url).pathname;
const need = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required for the distributed suite (see .ci/run)`);
  return v;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('distributed Dueflow on Dapr + Kafka + PostgreSQL', { timeout: 20 * 60_000 }, () => {
  let cluster: Cluster;
  let db: TestDatabase;
  let sql: pg.Pool;
  let ann: Client;

  const children = async (client: Client, parentId: number) =>
    (await client.get<TaskListJson>('/api/v1/tasks?limit=200')).body.tasks.filter((t) => t.recurring_parent_id === parentId);
  const socketOn = async (client: Client, replica: string) => LiveSocket.open(new Client(`http://127.0.0.1:${cluster.get(replica).appPort}`, client.token, client.userId));

  before(async () => {
    db = await createTestDatabase();
    if (db.options.kind !== 'postgres') throw new Error('the distributed suite runs on PostgreSQL (DUEFLOW_TEST_DB=postgres)');
    sql = new pg.Pool({ connectionString: db.options.url, max: 2 });
    cluster = new Cluster({
      daprDir: need('DUEFLOW_DAPR_DIR'),
      kafkaBrokers: need('KAFKA_BROKERS'),
      databaseUrl: db.options.url,
      runDir: mkdtempSync(join(tmpdir(), 'dueflow-dist-')),
      logLevel: 'info',
      // Dead letters come back within seconds here (a minute by default).
      appEnv: { DEAD_LETTER_REPLAY_SECONDS: '3' },
    });
    await cluster.start();
    ann = await signUp(cluster.apiUrl, { timezone: 'Europe/Berlin' });
    // Realtime replicas read task-updates from the newest offset (a new replica does not replay
    // history), so a message sent before a replica's consumer has its partitions is not for it.
    // Healthy sidecars do not mean assigned partitions: wait until both replicas deliver.
    const warmUp = await signUp(cluster.apiUrl);
    const tabs = [await socketOn(warmUp, 'realtime-0'), await socketOn(warmUp, 'realtime-1')];
    const warmStart = Date.now();
    let probes = 0;
    await eventually(
      async () => {
        probes++;
        const probe = (await warmUp.post<TaskJson>('/api/v1/tasks', { title: 'warm-up' })).body;
        await sleep(500);
        return tabs.every((tab) => tab.of('task.changed').some((m) => m['task_id'] === probe.id)) ? true : undefined;
      },
      90_000,
      0,
    );
    for (const tab of tabs) tab.close();
    process.stderr.write(`realtime replicas delivering after ${probes} probe(s), ${Date.now() - warmStart} ms\n`);
  });
  after(async () => {
    await cluster?.stop();
    await sql?.end();
    await db?.drop();
  });

  test('every sidecar loaded its components and subscriptions', async () => {
    const expect: Record<string, string[]> = {
      api: ['pubsub', 'statestore', 'localsecrets'],
      recurring: ['pubsub', 'localsecrets'],
      notification: ['pubsub', 'localsecrets', 'reminder-sweep'],
      audit: ['pubsub', 'localsecrets'],
      'realtime-0': ['pubsub-broadcast', 'localsecrets'],
      'realtime-1': ['pubsub-broadcast', 'localsecrets'],
      web: ['localsecrets'],
    };
    for (const [name, components] of Object.entries(expect)) {
      const res = await fetch(`http://127.0.0.1:${cluster.get(name).daprHttpPort}/v1.0/metadata`, { headers: { 'dapr-api-token': cluster.daprApiToken } });
      const meta = (await res.json()) as { components: { name: string }[]; subscriptions?: { topic: string }[] };
      const loaded = meta.components.map((c) => c.name);
      for (const c of components) assert.ok(loaded.includes(c), `${name} loaded ${c} (has ${loaded.join(', ')})`);
      if (name === 'audit') assert.ok(meta.subscriptions?.some((s) => s.topic === 'task-events'));
      if (name.startsWith('realtime')) assert.ok(meta.subscriptions?.some((s) => s.topic === 'task-updates'));
    }
  });

  test('the web role serves the pages, and its /api reaches the API through service invocation (cookie session, live)', async () => {
    const web = cluster.webUrl;
    const page = await fetch(`${web}/sign-in`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/);

    const email = `web-${randomBytes(4).toString('hex')}@example.com`;
    const signUpRes = await fetch(`${web}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: web },
      body: JSON.stringify({ name: 'Web', email, password: 'correct horse battery', timezone: 'Europe/Berlin' }),
    });
    assert.equal(signUpRes.status, 200, await signUpRes.clone().text());
    const cookie = signUpRes.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    assert.match(cookie, /session_token=/);
    const headers = { cookie, origin: web, 'content-type': 'application/json' };
    const me = await fetch(`${web}/api/v1/me`, { headers });
    assert.equal(me.status, 200);
    const meBody = (await me.json()) as { email: string; timezone: string };
    assert.equal(meBody.email, email);
    assert.equal(meBody.timezone, 'Europe/Berlin');
    assert.equal((await fetch(`${web}/api/v1/me`)).status, 401, 'no cookie, no profile');

    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${web.replace('http', 'ws')}/api/v1/ws`, { headers: { cookie, origin: web } });
    const seen: Array<{ type: string; task_id?: number }> = [];
    ws.on('message', (raw) => seen.push(JSON.parse(raw.toString()) as { type: string; task_id?: number }));
    await eventually(async () => (seen.some((m) => m.type === 'hello') ? true : undefined), 10_000);
    const created = await fetch(`${web}/api/v1/tasks?x=1`, { method: 'POST', headers, body: JSON.stringify({ title: 'From the web role', tags: ['web'] }) });
    assert.equal(created.status, 201);
    const task = (await created.json()) as TaskJson;
    await eventually(async () => (seen.some((m) => m.type === 'task.changed' && m.task_id === task.id) ? true : undefined), 20_000);
    const list = (await (await fetch(`${web}/api/v1/tasks?tags=web`, { headers })).json()) as TaskListJson;
    assert.deepEqual(list.tasks.map((x) => x.id), [task.id]);
    ws.close();
  });

  test('the StateStore port round-trips through the PostgreSQL state component', async () => {
    const store = new DaprStateStore(new Sidecar({ httpPort: cluster.get('api').daprHttpPort, apiToken: cluster.daprApiToken }), 'statestore');
    const key = `conversation-${Date.now()}`;
    assert.equal(await store.get(key), undefined);
    await store.set(key, { messages: [{ role: 'user', content: 'hello' }] });
    assert.deepEqual(await store.get(key), { messages: [{ role: 'user', content: 'hello' }] });
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dapr_state WHERE key LIKE $1`, [`%${key}`]);
    assert.equal(rows[0]?.n, 1, 'stored in PostgreSQL');
    await store.delete(key);
    assert.equal(await store.get(key), undefined);
  });

  test('the assistant keeps its conversation in the Dapr state store and acts through the task service', async () => {
    type Chat = { conversation_id: string; response: string; tool_calls: { name: string; result: { task?: TaskJson } }[] };
    const first = await ann.post<Chat>('/api/v1/chat', { message: 'add renew the passport #dist-chat' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.tool_calls[0]?.name, 'add_task');
    const id = first.body.conversation_id;
    const { rows } = await sql.query<{ value: { messages: unknown[] } }>(`SELECT value FROM dapr_state WHERE key LIKE $1`, [`%chat:${ann.userId}:${id}`]);
    assert.equal(rows[0]?.value.messages.length, 2, 'conversation stored by state.postgresql');
    const second = await ann.post<Chat>('/api/v1/chat', { conversation_id: id, message: 'show tasks tagged dist-chat' });
    assert.equal(second.body.conversation_id, id);
    assert.match(second.body.response, /renew the passport/);
    assert.equal((await ann.get<{ messages: unknown[] }>(`/api/v1/chat/${id}`)).body.messages.length, 4);
  });

  test('an MCP client given the public URL (the web role) reaches the API\'s tools through service invocation', async () => {
    const { Client: McpClient } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const mcp = new McpClient({ name: 'dist-test', version: '1' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', cluster.webUrl), { requestInit: { headers: { authorization: `Bearer ${ann.token}` } } }));
    try {
      assert.equal((await mcp.listTools()).tools.length, 14);
      const res = (await mcp.callTool({ name: 'add_task', arguments: { title: 'Through MCP and Dapr', tags: ['dist-mcp'] } })) as { isError?: boolean; content: { text: string }[] };
      assert.equal(res.isError, false, res.content[0]?.text);
      const list = await ann.get<TaskListJson>('/api/v1/tasks?tags=dist-mcp');
      assert.deepEqual(list.body.tasks.map((t) => t.title), ['Through MCP and Dapr']);
    } finally {
      await mcp.close();
    }
  });

  test('create → audit entry; a change on one connection reaches the other replica', async () => {
    const tab0 = await socketOn(ann, 'realtime-0');
    const tab1 = await socketOn(ann, 'realtime-1');
    const created = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Through Kafka', tags: ['dist'] });
    assert.equal(created.status, 201);
    for (const tab of [tab0, tab1]) {
      const msg = await eventually(async () => tab.of('task.changed').find((m) => m['task_id'] === created.body.id), 15_000);
      assert.equal(msg['change'], 'created');
    }
    const activity = await eventually(async () => {
      const r = await ann.get<{ items: { event_type: string; task_id: number }[] }>(`/api/v1/activity?task_id=${created.body.id}`);
      return r.body.items.length ? r.body.items : undefined;
    }, 15_000);
    assert.deepEqual(activity.map((i) => i.event_type), ['task.created']);
    tab0.close();
    tab1.close();
  });

  test('completing a recurring task creates exactly one next occurrence (service invocation of the API)', async () => {
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Weekly review', due_date: inMs(86_400_000), recurring: 'weekly' });
    const traceId = randomBytes(16).toString('hex');
    await ann.request('PATCH', `/api/v1/tasks/${t.body.id}/complete`, undefined, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    await eventually(async () => ((await children(ann, t.body.id)).length === 1 ? true : undefined), 20_000);
    // The trace went API → outbox → sidecar → Kafka → recurring → (invocation) → API, and the logs say so.
    const recurringLog = readFileSync(join(cluster.opts.runDir, 'logs', 'recurring.log'), 'utf8');
    assert.ok(recurringLog.split('\n').some((l) => l.includes(`"trace_id":"${traceId}"`) && l.includes('next occurrence')), 'recurring log carries the trace id');
    await ann.patch(`/api/v1/tasks/${t.body.id}/complete`, { completed: false });
    await ann.patch(`/api/v1/tasks/${t.body.id}/complete`, { completed: true });
    await sleep(3000);
    assert.equal((await children(ann, t.body.id)).length, 1);
  });

  test('a reminder a few seconds ahead is delivered on the websocket and in /notifications, once (Jobs API)', async () => {
    const tab = await socketOn(ann, 'realtime-1');
    const remindAt = inMs(4000);
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Dist reminder', reminder_at: remindAt });
    const msg = await eventually(async () => tab.of('notification.created').find((m) => (m['notification'] as { task_id: number }).task_id === t.body.id), 20_000);
    const lateness = Date.now() - Date.parse(remindAt);
    assert.ok(msg);
    assert.ok(lateness >= 0 && lateness < 3000, `on time (${lateness} ms)`);
    await sleep(3000);
    const list = await ann.get<{ notifications: { task_id: number }[] }>('/api/v1/notifications');
    assert.equal(list.body.notifications.filter((n) => n.task_id === t.body.id).length, 1);
    tab.close();
  });

  test('the same event delivered twice changes nothing; a poison message goes to the dead-letter topic', async () => {
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Twice', due_date: inMs(86_400_000), recurring: 'daily' });
    await ann.patch(`/api/v1/tasks/${t.body.id}/complete`);
    await eventually(async () => ((await children(ann, t.body.id)).length === 1 ? true : undefined), 20_000);
    const { rows } = await sql.query<{ event: { id: string } }>(
      `SELECT event FROM outbox WHERE event->>'type' = 'task.completed' AND (event->'data'->>'task_id')::bigint = $1`,
      [t.body.id],
    );
    const ev = rows[0]?.event;
    assert.ok(ev);
    const api = cluster.get('api');
    const publish = (body: unknown) =>
      fetch(`http://127.0.0.1:${api.daprHttpPort}/v1.0/publish/pubsub/task-events?metadata.partitionKey=${ann.userId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', 'dapr-api-token': cluster.daprApiToken },
        body: JSON.stringify(body),
      });
    assert.equal((await publish(ev)).status, 204);
    const poison = { specversion: '1.0', id: `poison-${Date.now()}`, source: 'test', type: 'task.completed', datacontenttype: 'application/json', data: { nonsense: true } };
    assert.equal((await publish(poison)).status, 204);
    // The partition keeps flowing: an event after the poison one is handled.
    const after = await ann.post<TaskJson>('/api/v1/tasks', { title: 'After poison' });
    await eventually(async () => {
      const r = await ann.get<{ items: unknown[] }>(`/api/v1/activity?task_id=${after.body.id}`);
      return r.body.items.length ? true : undefined;
    }, 20_000);
    const dead = await eventually(async () => {
      const r = await sql.query<{ event_id: string }>(`SELECT event_id FROM dead_letters WHERE event_id = $1`, [poison.id]);
      return r.rows.length ? r.rows : undefined;
    }, 30_000);
    assert.equal(dead.length, 1);
    await sleep(2000);
    assert.equal((await children(ann, t.body.id)).length, 1, 'still one next occurrence');
    const audits = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM activity_log WHERE event_id = $1`, [ev.id]);
    assert.equal(audits.rows[0]?.n, 1, 'one audit row for the event');
  });

  test('kill -9 of the recurring service (app and sidecar) mid-stream loses nothing and duplicates nothing', async () => {
    const tasks: TaskJson[] = [];
    for (let i = 0; i < 6; i++) tasks.push((await ann.post<TaskJson>('/api/v1/tasks', { title: `Crash ${i}`, due_date: inMs(86_400_000), recurring: 'daily' })).body);
    for (const [i, t] of tasks.entries()) {
      await ann.patch(`/api/v1/tasks/${t.id}/complete`);
      // The whole pod dies: uncommitted offsets are redelivered to the restarted sidecar.
      if (i === 2) await cluster.stopRole('recurring', { signal: 'SIGKILL' });
    }
    await cluster.resumeRole('recurring');
    for (const t of tasks) {
      await eventually(async () => ((await children(ann, t.id)).length === 1 ? true : undefined), 60_000);
    }
    await sleep(2000);
    for (const t of tasks) assert.equal((await children(ann, t.id)).length, 1, `task ${t.id}`);
  });

  test('kill -9 of the recurring app alone (its sidecar stays up): every completion is handled once after it is back', async (t) => {
    const tasks: TaskJson[] = [];
    for (let i = 0; i < 4; i++) tasks.push((await ann.post<TaskJson>('/api/v1/tasks', { title: `App crash ${i}`, due_date: inMs(86_400_000), recurring: 'daily' })).body);
    await cluster.stopRole('recurring', { signal: 'SIGKILL', appOnly: true });
    for (const t of tasks) await ann.patch(`/api/v1/tasks/${t.id}/complete`);
    // The sidecar sees the app gone: deliveries fail, and either wait for the app's health to return
    // or, after the delivery retries, go to the dead-letter topic, from where they are replayed.
    await sleep(8000);
    const r = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dead_letters WHERE event->>'type' = 'task.completed' AND (event->'data'->>'task_id')::bigint = ANY($1::bigint[])`,
      [tasks.map((x) => x.id)],
    );
    t.diagnostic(`${r.rows[0]?.n ?? 0} of ${tasks.length} completions reached the dead-letter topic while the app was down`);
    await cluster.resumeRole('recurring');
    for (const x of tasks) {
      await eventually(async () => ((await children(ann, x.id)).length === 1 ? true : undefined), 60_000, 250);
    }
    await sleep(4000);
    for (const x of tasks) assert.equal((await children(ann, x.id)).length, 1, `task ${x.id}`);
  });

  test("kill -9 of the API's sidecar: writes go on and every event arrives once", async () => {
    await cluster.stopRole('api', { signal: 'SIGKILL', sidecarOnly: true });
    const made: TaskJson[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const t = await ann.post<TaskJson>('/api/v1/tasks', { title: `No sidecar ${i}` });
        assert.equal(t.status, 201, 'the API keeps accepting writes without its sidecar');
        made.push(t.body);
      }
    } finally {
      // The events wait in the outbox for a relay that can reach a sidecar (the notification
      // service's, or the API's once it is back).
      await cluster.resumeRole('api');
    }
    for (const t of made) {
      const items = await eventually(async () => {
        const r = await ann.get<{ items: { event_type: string }[] }>(`/api/v1/activity?task_id=${t.id}`);
        return r.body.items.length ? r.body.items : undefined;
      }, 60_000, 250);
      assert.deepEqual(items.map((i) => i.event_type), ['task.created']);
    }
    await sleep(2000);
    for (const t of made) {
      const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM activity_log WHERE task_id = $1`, [t.id]);
      assert.equal(rows.rows[0]?.n, 1, `task ${t.id} audited once`);
    }
  });

  test('Kafka down for 20 s while tasks are created and completed: everything arrives once afterwards', async () => {
    execFileSync('bash', [join(root, 'infra/kafka/stop.sh')], { stdio: 'ignore' });
    const made: TaskJson[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const t = await ann.post<TaskJson>('/api/v1/tasks', { title: `Outage ${i}`, due_date: inMs(86_400_000), recurring: 'daily' });
        assert.equal(t.status, 201, 'the API keeps accepting writes');
        made.push(t.body);
        await ann.patch(`/api/v1/tasks/${t.body.id}/complete`);
      }
      await sleep(20_000 - 5 * 200);
    } finally {
      execFileSync('bash', [join(root, 'infra/kafka/start.sh')], { stdio: 'ignore' });
    }
    for (const t of made) {
      await eventually(async () => ((await children(ann, t.id)).length === 1 ? true : undefined), 120_000, 500);
      await eventually(async () => {
        const r = await ann.get<{ items: { event_type: string }[] }>(`/api/v1/activity?task_id=${t.id}`);
        return r.body.items.length >= 2 ? r.body.items : undefined;
      }, 60_000, 500);
    }
    // The next occurrences just written are events too; the outbox empties once they are out.
    await eventually(async () => {
      const pending = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
      return pending.rows[0]?.n === 0 ? true : undefined;
    }, 30_000, 250);
    for (const t of made) {
      const rows = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM activity_log WHERE task_id = $1`, [t.id]);
      assert.equal(rows.rows[0]?.n, 2, `task ${t.id}: created + completed, once each`);
    }
  });

  test('restarting the notification service while reminders are pending still delivers them once', async () => {
    const remindAt = inMs(6000);
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Pending across restart', reminder_at: remindAt });
    await sleep(1500);
    await cluster.stopRole('notification');
    await cluster.resumeRole('notification');
    const list = await eventually(async () => {
      const r = await ann.get<{ notifications: { task_id: number }[] }>('/api/v1/notifications');
      const mine = r.body.notifications.filter((n) => n.task_id === t.body.id);
      return mine.length ? mine : undefined;
    }, 40_000, 250);
    await sleep(3000);
    const again = await ann.get<{ notifications: { task_id: number }[] }>('/api/v1/notifications');
    assert.equal(again.body.notifications.filter((n) => n.task_id === t.body.id).length, 1);
    assert.equal(list.length, 1);
  });
});
