// Dueflow on a real Kubernetes: the cluster of infra/k8s/up.sh (k3s, containerd, Dapr's own chart, the
// chart of this repository). Every flow goes through the public URL (the web role's Service, relayed
// to 127.0.0.1); kubectl and helm drive the upgrade and the failures. Needs a running cluster: .ci/run
// starts it (bash infra/k8s/up.sh), and this suite fails, never skips, without one.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Client, eventually, inMs, LiveSocket, signUp, type TaskJson, type TaskListJson } from '../../apps/cli/test/harness.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const STATE = process.env.DUEFLOW_K8S_DIR ?? '/var/lib/dueflow-k8s';
const settings = (): Record<string, string> => {
  const file = join(STATE, 'env');
  if (!existsSync(file)) throw new Error(`no cluster: ${file} is missing (start one with bash infra/k8s/up.sh)`);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
};
const cfg = settings();
const URL_ = cfg['DUEFLOW_K8S_URL']!;
const NS = cfg['DUEFLOW_K8S_NAMESPACE']!;
const RELEASE = 'dueflow';
const env = { ...process.env, KUBECONFIG: cfg['KUBECONFIG']!, HELM_CACHE_HOME: join(STATE, 'helm/cache'), HELM_CONFIG_HOME: join(STATE, 'helm/config'), HELM_DATA_HOME: join(STATE, 'helm/data') };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(bin: string, args: string[], timeoutMs = 120_000): string {
  const r = spawnSync(bin, args, { env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${bin.split('/').pop()} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}
const kubectl = (...args: string[]) => run(cfg['KUBECTL_BIN']!, args);
const helm = (args: string[], timeoutMs?: number) => run(cfg['HELM_BIN']!, args, timeoutMs);
const json = <T>(...args: string[]) => JSON.parse(kubectl(...args, '-o', 'json')) as T;

interface Pod {
  metadata: { name: string; labels: Record<string, string>; creationTimestamp: string; deletionTimestamp?: string };
  spec: { containers: { name: string; image: string; env?: { name: string; value?: string }[] }[] };
  status: { phase: string; containerStatuses?: { name: string; ready: boolean; restartCount: number }[] };
}
/** The pods of a role, without those already on their way out. */
const podsOf = (role: string) =>
  json<{ items: Pod[] }>('-n', NS, 'get', 'pods', '-l', `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=${role}`).items.filter((p) => !p.metadata.deletionTimestamp);
const rolledOut = (...workloads: string[]) => {
  for (const w of workloads) kubectl('-n', NS, 'rollout', 'status', w, '--timeout=300s');
};
/** Runs JavaScript in a role's app container (Node is there; the sidecar answers on 127.0.0.1:3500). */
const inApp = (role: string, script: string) => kubectl('-n', NS, 'exec', `deploy/${RELEASE}-${role}`, '-c', 'dueflow', '--', 'node', '-e', script);
const sidecarGet = (role: string, path: string) =>
  JSON.parse(inApp(role, `fetch('http://127.0.0.1:3500${path}',{headers:{'dapr-api-token':process.env.DAPR_API_TOKEN}}).then(async r=>console.log(JSON.stringify({status:r.status,body:await r.text()})))`)) as {
    status: number;
    body: string;
  };

/** The app's release values as up.sh installed them, with another image tag. */
function upgradeArgs(tag: string): string[] {
  return ['upgrade', RELEASE, join(ROOT, 'deploy/helm/dueflow'), '-n', NS, '-f', join(ROOT, 'deploy/helm/values/local.yaml'), '--set', `image.repository=${cfg['DUEFLOW_K8S_APP_IMAGE']!.replace(/:[^:]+$/, '')}`, '--set', `image.tag=${tag}`, '--set', `publicUrl=${URL_}`, '--wait', '--timeout', '10m'];
}

/** A bounded client: `workers` loops that create a task and read it back, until stopped or `maxMs`. */
function loadLoop(client: Client, opts: { workers: number; maxMs: number; tag: string }) {
  const acked: number[] = [];
  const failures: string[] = [];
  let requests = 0;
  let stopped = false;
  const deadline = Date.now() + opts.maxMs;
  const worker = async (w: number) => {
    for (let i = 0; !stopped && Date.now() < deadline; i++) {
      try {
        requests++;
        const res = await client.post<TaskJson>('/api/v1/tasks', { title: `${opts.tag} ${w}-${i}`, tags: [opts.tag] });
        if (res.status !== 201) {
          failures.push(`POST ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          continue;
        }
        acked.push(res.body.id);
        requests++;
        const read = await client.get<TaskJson>(`/api/v1/tasks/${res.body.id}`);
        if (read.status !== 200) failures.push(`GET ${read.status} ${JSON.stringify(read.body).slice(0, 200)}`);
      } catch (err) {
        failures.push(`error ${(err as Error).message}`);
      }
      await sleep(50);
    }
  };
  const done = Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
  return {
    acked,
    failures,
    get requests() {
      return requests;
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

describe('Dueflow on Kubernetes (k3s + Dapr + Kafka + PostgreSQL)', { timeout: 40 * 60_000 }, () => {
  let ann: Client;
  const children = async (client: Client, parentId: number) =>
    (await client.get<TaskListJson>('/api/v1/tasks?limit=200&status=all')).body.tasks.filter((t) => t.recurring_parent_id === parentId);
  const activityOf = async (client: Client, taskId: number) => (await client.get<{ items: { event_type: string }[] }>(`/api/v1/activity?task_id=${taskId}`)).body.items.map((i) => i.event_type);

  before(async () => {
    ann = await signUp(URL_, { timezone: 'Europe/Berlin' });
  });

  test('every role runs with an injected Dapr sidecar; mTLS by sentry is on; the scheduler serves the Jobs API', () => {
    for (const role of ['api', 'web', 'recurring', 'notification', 'audit', 'realtime']) {
      const pods = podsOf(role);
      assert.ok(pods.length >= 1, role);
      for (const p of pods) {
        assert.deepEqual(p.spec.containers.map((c) => c.name).sort(), ['daprd', 'dueflow'], `${p.metadata.name} has the injected sidecar`);
        assert.ok(p.status.containerStatuses?.every((c) => c.ready), `${p.metadata.name} ready`);
      }
    }
    const conf = json<{ spec: { mtls?: { enabled?: boolean } } }>('-n', 'dapr-system', 'get', 'configurations.dapr.io', 'daprsystem');
    assert.equal(conf.spec.mtls?.enabled, true);
    const cp = json<{ items: Pod[] }>('-n', 'dapr-system', 'get', 'pods').items.map((p) => p.metadata.name);
    for (const name of ['dapr-operator', 'dapr-sentry', 'dapr-sidecar-injector', 'dapr-scheduler-server', 'dapr-placement-server']) {
      assert.ok(cp.some((n) => n.startsWith(name)), `${name} runs (${cp.join(', ')})`);
    }
  });

  test('components, configuration, resiliency are Dapr resources, and each sidecar loaded its own', () => {
    const components = json<{ items: { metadata: { name: string } }[] }>('-n', NS, 'get', 'components.dapr.io').items.map((c) => c.metadata.name);
    for (const c of ['pubsub', 'pubsub-broadcast', 'statestore', 'localsecrets', 'reminder-sweep']) assert.ok(components.includes(c), c);
    assert.equal(json<{ items: unknown[] }>('-n', NS, 'get', 'resiliencies.dapr.io').items.length, 1);
    assert.equal(json<{ items: unknown[] }>('-n', NS, 'get', 'configurations.dapr.io').items.length, 1);
    const expect: Record<string, string[]> = { api: ['pubsub', 'statestore'], notification: ['pubsub', 'reminder-sweep'], audit: ['pubsub'], realtime: ['pubsub-broadcast'], recurring: ['pubsub'] };
    for (const [role, want] of Object.entries(expect)) {
      const meta = sidecarGet(role, '/v1.0/metadata');
      assert.equal(meta.status, 200, meta.body);
      const loaded = (JSON.parse(meta.body) as { components: { name: string }[] }).components.map((c) => c.name);
      for (const c of want) assert.ok(loaded.includes(c), `${role} loaded ${c} (has ${loaded.join(', ')})`);
    }
  });

  test("the app's secrets come from one Kubernetes Secret through the Dapr secret store, and nothing else is readable", () => {
    for (const p of podsOf('api')) {
      const app = p.spec.containers.find((c) => c.name === 'dueflow')!;
      const names = (app.env ?? []).map((e) => e.name);
      for (const secret of ['BETTER_AUTH_SECRET', 'VAPID_PRIVATE_KEY', 'DATABASE_URL']) assert.ok(!names.includes(secret), `${secret} is not in the pod's env`);
      assert.equal(app.env?.find((e) => e.name === 'DAPR_SECRET_NAME')?.value, 'dueflow-secrets');
    }
    const own = sidecarGet('api', '/v1.0/secrets/localsecrets/dueflow-secrets');
    assert.equal(own.status, 200);
    assert.ok('BETTER_AUTH_SECRET' in (JSON.parse(own.body) as Record<string, string>));
    const other = sidecarGet('api', '/v1.0/secrets/localsecrets/dueflow-postgres');
    assert.equal(other.status, 403, `another Secret is refused (${other.status} ${other.body.slice(0, 120)})`);
  });

  test('through the public URL: sign up, create, list and filter', async () => {
    const a = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Buy milk', priority: 'high', tags: ['shop'] });
    const b = await ann.post<TaskJson>('/api/v1/tasks', { title: 'File taxes', priority: 'low', tags: ['admin'], due_date: inMs(3 * 86_400_000) });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const high = await ann.get<TaskListJson>('/api/v1/tasks?priority=high');
    assert.deepEqual(high.body.tasks.map((t) => t.id), [a.body.id]);
    const admin = await ann.get<TaskListJson>('/api/v1/tasks?tags=admin&sort=due_date');
    assert.deepEqual(admin.body.tasks.map((t) => t.title), ['File taxes']);
    const search = await ann.get<TaskListJson>('/api/v1/tasks?search=milk');
    assert.deepEqual(search.body.tasks.map((t) => t.id), [a.body.id]);
    assert.equal((await new Client(URL_).get('/api/v1/tasks')).status, 401);
    const bob = await signUp(URL_);
    assert.equal((await bob.get(`/api/v1/tasks/${a.body.id}`)).status, 404, "another user's task");
    const page = await fetch(`${URL_}/sign-in`);
    assert.equal(page.status, 200);
    assert.equal((await fetch(`${URL_}/openapi.json`)).status, 200);
  });

  test('completing a recurring task creates exactly one next occurrence; each event is audited once', async () => {
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Weekly review', due_date: inMs(86_400_000), recurring: 'weekly' });
    assert.equal((await ann.patch(`/api/v1/tasks/${t.body.id}/complete`, { completed: true })).status, 200);
    const next = await eventually(async () => {
      const c = await children(ann, t.body.id);
      return c.length ? c : undefined;
    }, 60_000, 250);
    await sleep(3000);
    assert.equal((await children(ann, t.body.id)).length, 1);
    assert.equal(next[0]?.title, 'Weekly review');
    const activity = await eventually(async () => {
      const a = await activityOf(ann, t.body.id);
      return a.length >= 2 ? a : undefined;
    }, 30_000, 250);
    assert.deepEqual(activity.sort(), ['task.completed', 'task.created']);
  });

  test('a reminder a few seconds ahead arrives on the websocket and in the notifications, once (Dapr Jobs API on the in-cluster scheduler)', async () => {
    const tab = await LiveSocket.open(ann);
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Call the dentist', reminder_at: inMs(5000) });
    assert.equal(t.status, 201);
    const msg = await eventually(async () => tab.of('notification.created').find((m) => (m['notification'] as { task_id: number }).task_id === t.body.id), 40_000, 100);
    assert.ok(msg);
    await sleep(4000);
    assert.equal(tab.of('notification.created').filter((m) => (m['notification'] as { task_id: number }).task_id === t.body.id).length, 1);
    const list = await ann.get<{ notifications: { task_id: number }[] }>('/api/v1/notifications');
    assert.equal(list.body.notifications.filter((n) => n.task_id === t.body.id).length, 1);
    tab.close();
  });

  test('chat (conversation in the Dapr state store) and MCP through the public URL', async () => {
    type Chat = { conversation_id: string; response: string; tool_calls: { name: string }[] };
    const first = await ann.post<Chat>('/api/v1/chat', { message: 'add renew the passport #k8s-chat' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.tool_calls[0]?.name, 'add_task');
    const second = await ann.post<Chat>('/api/v1/chat', { conversation_id: first.body.conversation_id, message: 'show tasks tagged k8s-chat' });
    assert.match(second.body.response, /renew the passport/);

    const { Client: McpClient } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const mcp = new McpClient({ name: 'k8s-test', version: '1' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', URL_), { requestInit: { headers: { authorization: `Bearer ${ann.token}` } } }));
    try {
      assert.ok((await mcp.listTools()).tools.some((t) => t.name === 'add_task'));
      const res = (await mcp.callTool({ name: 'add_task', arguments: { title: 'Through MCP on Kubernetes', tags: ['k8s-mcp'] } })) as { isError?: boolean; content: { text: string }[] };
      assert.equal(res.isError, false, res.content[0]?.text);
    } finally {
      await mcp.close();
    }
    const list = await ann.get<TaskListJson>('/api/v1/tasks?tags=k8s-mcp');
    assert.deepEqual(list.body.tasks.map((t) => t.title), ['Through MCP on Kubernetes']);
  });

  test('helm test: the chart\'s test pod (the app image) passes', () => {
    const out = helm(['test', RELEASE, '-n', NS, '--timeout', '5m'], 6 * 60_000);
    assert.match(out, /Phase:\s+Succeeded/);
  });

  test('zero-downtime helm upgrade to a rebuilt image (new version label) under a client loop: no failed request, no lost write, one migration', async (t) => {
    const before = podsOf('api')[0]!.spec.containers.find((c) => c.name === 'dueflow')!.image;
    const label = `upgrade${randomBytes(3).toString('hex')}`;
    const built = execFileSync('bash', [join(ROOT, 'infra/k8s/build-images.sh'), '--relabel', label], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000 }).trim();
    const [ref, archive] = built.split(' ') as [string, string];
    assert.notEqual(ref, before);
    execFileSync('ctr', ['--address', join(STATE, 'containerd/containerd.sock'), '-n', 'k8s.io', 'images', 'import', archive], { stdio: 'ignore' });
    const migrationsBefore = kubectl('-n', NS, 'get', 'events', '--field-selector', `involvedObject.kind=Job,involvedObject.name=${RELEASE}-migrate,reason=SuccessfulCreate`, '-o', 'name').split('\n').filter(Boolean).length;

    const writer = await signUp(URL_);
    const loop = loadLoop(writer, { workers: 3, maxMs: 12 * 60_000, tag: label });
    const started = Date.now();
    await sleep(3000);
    helm(upgradeArgs(ref.replace(/^.*:/, '')), 11 * 60_000);
    const upgradedAfter = Date.now() - started;
    // The old pods drain and go while the loop goes on.
    await sleep(10_000);
    await loop.stop();

    t.diagnostic(`upgrade took ${upgradedAfter} ms; ${loop.requests} requests, ${loop.acked.length} writes acknowledged, ${loop.failures.length} failed`);
    assert.deepEqual(loop.failures, [], 'no failed request during the rolling upgrade');
    assert.ok(loop.acked.length > 10, 'the loop kept writing');
    for (const role of ['api', 'web', 'recurring', 'notification', 'audit', 'realtime']) {
      for (const p of podsOf(role)) assert.equal(p.spec.containers.find((c) => c.name === 'dueflow')!.image, ref, `${p.metadata.name} runs the new image`);
    }
    const listed = await writer.get<TaskListJson>(`/api/v1/tasks?tags=${label}&limit=200`);
    assert.equal(listed.body.total, loop.acked.length, 'every acknowledged write is there');
    const ids = new Set<number>();
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: TaskListJson = (await writer.get<TaskListJson>(`/api/v1/tasks?tags=${label}&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body;
      for (const x of page.tasks) ids.add(x.id);
      cursor = page.next_cursor;
    }
    assert.deepEqual([...ids].sort((a, b) => a - b), [...loop.acked].sort((a, b) => a - b));
    const migrationsAfter = kubectl('-n', NS, 'get', 'events', '--field-selector', `involvedObject.kind=Job,involvedObject.name=${RELEASE}-migrate,reason=SuccessfulCreate`, '-o', 'name').split('\n').filter(Boolean).length;
    assert.equal(migrationsAfter - migrationsBefore, 1, 'the migration Job ran once');
  });

  test('self-healing: the api and recurring pods deleted and the Kafka pod killed under load; every acknowledged write and its events arrive once', async (t) => {
    const writer = await signUp(URL_);
    const tag = `heal${randomBytes(3).toString('hex')}`;
    const loop = loadLoop(writer, { workers: 2, maxMs: 10 * 60_000, tag });
    // Recurring tasks completed while the pods go: each must get exactly one next occurrence.
    const recurring: TaskJson[] = [];
    const completeOne = async (i: number) => {
      const r = await writer.post<TaskJson>('/api/v1/tasks', { title: `${tag} daily ${i}`, due_date: inMs(86_400_000), recurring: 'daily' });
      if (r.status !== 201) return;
      const done = await writer.patch(`/api/v1/tasks/${r.body.id}/complete`, { completed: true });
      if (done.status === 200) recurring.push(r.body);
    };
    await sleep(2000);
    await completeOne(0);
    kubectl('-n', NS, 'delete', 'pod', '-l', `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=recurring`, '--wait=false');
    await completeOne(1);
    kubectl('-n', NS, 'delete', 'pod', '-l', `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=api`, '--wait=false');
    await sleep(1000);
    await completeOne(2);
    kubectl('-n', NS, 'delete', 'pod', 'kafka-0', '--grace-period=0', '--force');
    for (let i = 3; i < 6; i++) {
      await completeOne(i);
      await sleep(1000);
    }
    rolledOut(`deploy/${RELEASE}-api`, `deploy/${RELEASE}-recurring`, 'statefulset/kafka');
    await sleep(5000);
    await loop.stop();
    for (let i = 6; i < 8; i++) await completeOne(i);
    t.diagnostic(`${loop.requests} requests, ${loop.acked.length} writes acknowledged, ${loop.failures.length} failed while pods were replaced; ${recurring.length} recurring completions acknowledged`);
    assert.ok(loop.acked.length > 5);
    assert.ok(recurring.length >= 4, 'completions were acknowledged');

    // Every acknowledged write is there, and its task.created event reached the audit service once.
    const listed = await writer.get<TaskListJson>(`/api/v1/tasks?tags=${tag}&limit=200&status=all`);
    const have = new Set(listed.body.tasks.map((x) => x.id));
    for (const id of loop.acked) assert.ok(have.has(id), `task ${id} kept`);
    for (const id of loop.acked) {
      const events = await eventually(async () => {
        const a = await activityOf(writer, id);
        return a.length ? a : undefined;
      }, 120_000, 500);
      assert.deepEqual(events, ['task.created'], `task ${id}`);
    }
    for (const r of recurring) {
      await eventually(async () => ((await children(writer, r.id)).length >= 1 ? true : undefined), 120_000, 500);
    }
    await sleep(5000);
    for (const r of recurring) {
      assert.equal((await children(writer, r.id)).length, 1, `task ${r.id}: one next occurrence`);
      assert.deepEqual((await activityOf(writer, r.id)).sort(), ['task.completed', 'task.created'], `task ${r.id}: each event once`);
    }
  });

  test('helm uninstall removes every resource of the release', () => {
    helm(['uninstall', RELEASE, '-n', NS, '--wait', '--timeout', '5m'], 6 * 60_000);
    const kinds = 'deployments,replicasets,pods,services,configmaps,serviceaccounts,roles,rolebindings,jobs,poddisruptionbudgets,components.dapr.io,configurations.dapr.io,resiliencies.dapr.io,subscriptions.dapr.io';
    const left = () => kubectl('-n', NS, 'get', kinds, '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'name').split('\n').filter(Boolean);
    const rest = left();
    assert.deepEqual(rest.filter((r) => !r.startsWith('pod/')), []);
    // Pods end after their grace period.
    if (rest.length) kubectl('-n', NS, 'wait', '--for=delete', 'pod', '-l', `app.kubernetes.io/instance=${RELEASE}`, '--timeout=120s');
    assert.deepEqual(left(), []);
    assert.equal(kubectl('-n', NS, 'get', 'secrets', '-l', `owner=helm,name=${RELEASE}`, '-o', 'name').trim(), '', 'no release record left');
  });
});
