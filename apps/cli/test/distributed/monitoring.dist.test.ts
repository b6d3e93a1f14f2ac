// Monitoring proven on the real distributed system: a real Prometheus scrapes every role and every daprd,
// loads the shipped rules, answers every PromQL expression of the shipped dashboards, and fires (then
// resolves) the outbox-lag alert while Kafka is down; a real Jaeger receives, over OTLP, the one trace of
// a recurring-task completion across the api, its outbox, the sidecars, Kafka, the recurring service and
// back to the api. The smoke flows of the deploy pipeline run against the web role.
// Needs what flows.dist.test.ts needs, plus PROMETHEUS_DIR (prometheus, promtool) and JAEGER_DIR (jaeger),
// both from infra/gotool/install.sh (.ci/run provides them). Ports 21081–21085 (base + 81…85) are this file's; DUEFLOW_DIST_BASE_PORT moves the whole block.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@dueflow/db/testing';
import { parse, stringify } from 'yaml';
import { Cluster, waitFor } from '../../../../infra/dist/cluster.ts';
import { type Client, eventually, inMs, signUp, type TaskJson, type TaskListJson } from '../harness.ts';

const root = new URL('../../../../', import.meta.url).pathname;
const need = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required for the distributed monitoring suite (see .ci/run)`);
  return v;
};

// The cluster's port block (infra/dist/cluster.ts): 21000 like the other dist files, or another one for a run
// beside them (with its own Kafka: DUEFLOW_KAFKA_PORT etc., which infra/kafka/start.sh and stop.sh read too).
const BASE = Number(process.env['DUEFLOW_DIST_BASE_PORT'] ?? 21000);
const at = (offset: number) => `127.0.0.1:${BASE + offset}`;
const PROMETHEUS = at(81);
const OTLP_HTTP = at(82);
const OTLP_GRPC = at(83);
const JAEGER_QUERY = at(84);
const JAEGER_QUERY_GRPC = at(85);
const RULES = join(root, 'deploy/helm/dueflow/monitoring/rules/dueflow.rules.yaml');
const DASHBOARDS = join(root, 'deploy/helm/dueflow/monitoring/dashboards');

interface RuleGroup {
  name: string;
  rules: Array<{ alert?: string; record?: string; expr: string; for?: string }>;
}

/**
 * The shipped rules, with the outbox-lag alert's threshold and hold time scaled down so a Kafka outage of
 * seconds shows it (its expression is unchanged; promtool tests the shipped numbers).
 */
function rulesForTest(): string {
  const doc = parse(readFileSync(RULES, 'utf8')) as { groups: RuleGroup[] };
  const lag = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === 'DueflowOutboxLagging');
  assert.ok(lag, 'the rules have DueflowOutboxLagging');
  assert.equal(lag.expr, 'max(dueflow_outbox_lag_seconds) > 60');
  lag.expr = 'max(dueflow_outbox_lag_seconds) > 8';
  lag.for = '3s';
  return stringify(doc);
}

function jaegerConfig(): string {
  return stringify({
    service: {
      extensions: ['jaeger_storage', 'jaeger_query'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
    },
    extensions: {
      jaeger_query: { storage: { traces: 'mem' }, http: { endpoint: JAEGER_QUERY }, grpc: { endpoint: JAEGER_QUERY_GRPC } },
      jaeger_storage: { backends: { mem: { memory: { max_traces: 20_000 } } } },
    },
    receivers: { otlp: { protocols: { grpc: { endpoint: OTLP_GRPC }, http: { endpoint: OTLP_HTTP } } } },
    processors: { batch: { timeout: '200ms' } },
    exporters: { jaeger_storage_exporter: { trace_storage: 'mem' } },
  });
}

interface PromResult<T> {
  status: string;
  data: T;
  error?: string;
}
type Vector = { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };

async function promQuery(expr: string): Promise<Vector['result']> {
  const res = await fetch(`http://${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as PromResult<Vector>;
  assert.equal(body.status, 'success', `${expr}: ${body.error ?? res.status}`);
  return body.data.result;
}

async function firingAlerts(): Promise<Array<{ labels: { alertname: string }; state: string }>> {
  const body = (await (await fetch(`http://${PROMETHEUS}/api/v1/alerts`)).json()) as PromResult<{ alerts: Array<{ labels: { alertname: string }; state: string }> }>;
  return body.data.alerts;
}

interface JaegerTrace {
  spans: Array<{ spanID: string; operationName: string; processID: string; references: Array<{ refType: string; spanID: string }> }>;
  processes: Record<string, { serviceName: string }>;
}

describe('monitoring of distributed Dueflow: Prometheus, rules, dashboards, alerts, traces in Jaeger', { timeout: 20 * 60_000 }, () => {
  let cluster: Cluster;
  let db: TestDatabase;
  let ann: Client;
  let runDir: string;
  const children: ChildProcess[] = [];

  const start = (name: string, bin: string, args: string[]) => {
    mkdirSync(join(runDir, 'logs'), { recursive: true });
    const log = openSync(join(runDir, 'logs', `${name}.log`), 'a');
    const child = spawn(bin, args, { stdio: ['ignore', log, log] });
    children.push(child);
    return child;
  };

  before(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'dueflow-dist-monitoring-'));
    const promDir = need('PROMETHEUS_DIR');
    const jaegerDir = need('JAEGER_DIR');

    writeFileSync(join(runDir, 'jaeger.yaml'), jaegerConfig());
    start('jaeger', join(jaegerDir, 'jaeger'), ['--config', join(runDir, 'jaeger.yaml')]);
    await waitFor('jaeger query API', async () => (await fetch(`http://${JAEGER_QUERY}/api/services`)).ok, 60_000);

    db = await createTestDatabase();
    if (db.options.kind !== 'postgres') throw new Error('the distributed suite runs on PostgreSQL (DUEFLOW_TEST_DB=postgres)');
    cluster = new Cluster({
      daprDir: need('DUEFLOW_DAPR_DIR'),
      kafkaBrokers: need('KAFKA_BROKERS'),
      databaseUrl: db.options.url,
      runDir,
      basePort: BASE,
      logLevel: 'info',
      appEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://${OTLP_HTTP}` },
      observability: { sidecarMetrics: true, otlpHttpEndpoint: OTLP_HTTP },
    });

    // Every app and every sidecar, labelled by role like the chart's ServiceMonitor/PodMonitor do.
    const procs = [...cluster.procs.values()];
    const targets = (port: (p: (typeof procs)[number]) => number) =>
      procs.map((p) => ({ targets: [`127.0.0.1:${port(p)}`], labels: { role: p.role, process: p.name } }));
    writeFileSync(join(runDir, 'dueflow.rules.yaml'), rulesForTest());
    writeFileSync(
      join(runDir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
        rule_files: [join(runDir, 'dueflow.rules.yaml')],
        scrape_configs: [
          { job_name: 'dueflow', metrics_path: '/metrics', static_configs: targets((p) => p.appPort) },
          { job_name: 'dapr', metrics_path: '/', static_configs: targets((p) => p.daprMetricsPort) },
        ],
      }),
    );
    const check = spawnSync(join(promDir, 'promtool'), ['check', 'config', join(runDir, 'prometheus.yml')], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    start('prometheus', join(promDir, 'prometheus'), [
      `--config.file=${join(runDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(runDir, 'prometheus-data')}`,
      `--web.listen-address=${PROMETHEUS}`,
      '--log.level=warn',
    ]);
    await waitFor('prometheus ready', async () => (await fetch(`http://${PROMETHEUS}/-/ready`)).ok, 60_000);

    await cluster.start();
    ann = await signUp(cluster.apiUrl, { timezone: 'Europe/Berlin' });
  });

  after(async () => {
    await cluster?.stop();
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await db?.drop();
  });

  test('Prometheus scrapes every role and every sidecar', async () => {
    const expected = [...cluster.procs.keys()].sort();
    for (const job of ['dueflow', 'dapr']) {
      const up = await eventually(async () => {
        const r = await promQuery(`up{job="${job}"} == 1`);
        return r.length === expected.length ? r : undefined;
      }, 60_000, 500).catch(async () => promQuery(`up{job="${job}"}`));
      assert.deepEqual(up.map((s) => s.metric['process']).sort(), expected, `${job} targets up`);
    }
    // The sidecars report under their app id.
    const appIds = await promQuery('count by (app_id) (dapr_http_server_request_count)');
    assert.ok(appIds.some((s) => s.metric['app_id'] === 'api'), JSON.stringify(appIds));
  });

  test('a recurring-task completion is one trace: api → outbox → sidecar → Kafka → recurring → api (Jaeger)', async () => {
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Traced review', due_date: inMs(86_400_000), recurring: 'weekly' });
    const traceId = randomBytes(16).toString('hex');
    const clientSpan = randomBytes(8).toString('hex');
    const done = await ann.request('PATCH', `/api/v1/tasks/${t.body.id}/complete`, undefined, { traceparent: `00-${traceId}-${clientSpan}-01` });
    assert.equal(done.status, 200);
    await eventually(async () => {
      const list = await ann.get<TaskListJson>('/api/v1/tasks?limit=200');
      return list.body.tasks.some((x) => x.recurring_parent_id === t.body.id) ? true : undefined;
    }, 30_000, 250);

    type Span = JaegerTrace['spans'][number] & { service: string };
    const spansOf = (tr: JaegerTrace): Span[] => tr.spans.map((s) => ({ ...s, service: tr.processes[s.processID]?.serviceName ?? '?' }));
    const parentOf = (s: Span) => s.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    const name = (s: Span) => `${s.service}: ${s.operationName}`;
    /** The spans from `s` up to the root, as far as they have arrived. */
    const lineage = (spans: Span[], s: Span) => {
      const byId = new Map(spans.map((x) => [x.spanID, x]));
      const out: Span[] = [];
      for (let p = parentOf(s); p && byId.has(p); p = parentOf(byId.get(p) as Span)) out.push(byId.get(p) as Span);
      return out;
    };
    // Spans reach Jaeger in batches from every process (the sidecars' too): wait for the whole path.
    let spans: Span[] = [];
    const path = ['dueflow-recurring: invoke api', 'dueflow-recurring: task-events process', 'dueflow-api: publish task-events', 'dueflow-api: task-events publish', 'dueflow-api: PATCH /api/v1/tasks/:id/complete'];
    await eventually(
      async () => {
        const res = await fetch(`http://${JAEGER_QUERY}/api/traces/${traceId}`);
        if (!res.ok) return undefined;
        const trace = ((await res.json()) as { data: JaegerTrace[] }).data[0];
        if (!trace) return undefined;
        spans = spansOf(trace);
        const last = spans.find((x) => name(x) === 'dueflow-api: POST /internal/v1/occurrences');
        if (!last) return undefined;
        const up = lineage(spans, last);
        const root = up.at(-1);
        // Connected from the last request back to the first, which continues the caller's span; the
        // sidecars' own spans (api's publish, recurring's delivery and invocation) sit on that path.
        const connected = path.every((p) => up.some((x) => name(x) === p)) && root !== undefined && parentOf(root) === clientSpan;
        const sidecars = new Set(up.filter((x) => !x.service.startsWith('dueflow-')).map((x) => x.service));
        return connected && sidecars.has('api') && sidecars.has('recurring') ? true : undefined;
      },
      60_000,
      500,
    ).catch(() => {
      throw new Error(`incomplete trace ${traceId}: ${JSON.stringify(spans.map((x) => `${name(x)} ${x.spanID} <- ${parentOf(x) ?? '-'}`))}`);
    });
    // And the consumer's log lines carry the same trace id (the api logs nothing at info for a good request).
    const log = readFileSync(join(runDir, 'logs', 'recurring.log'), 'utf8');
    assert.ok(log.split('\n').some((l) => l.includes(`"trace_id":"${traceId}"`)), 'recurring log has the trace id');
  });

  test('the deploy pipeline\'s smoke flows pass against the public URL (the web role)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/smoke.ts'), '--url', cluster.webUrl, '--timeout-seconds', '60'], { cwd: root, encoding: 'utf8', timeout: 5 * 60_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^8 passed, 0 failed$/m);
  });

  test('every rule evaluates and every PromQL expression of the dashboards returns data', async () => {
    const groups = await eventually(async () => {
      const body = (await (await fetch(`http://${PROMETHEUS}/api/v1/rules`)).json()) as PromResult<{ groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }> }>;
      const all = body.data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((r) => r.health === 'ok') ? body.data.groups : undefined;
    }, 30_000, 500);
    assert.deepEqual(groups.map((g) => g.name).sort(), ['dueflow.alerts', 'dueflow.recording']);

    const exprs: Array<{ where: string; expr: string }> = [];
    for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
      const dash = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
      for (const p of dash.panels) for (const t of p.targets) exprs.push({ where: `${file}: ${p.title}`, expr: t.expr.replaceAll('$__rate_interval', '1m') });
    }
    assert.ok(exprs.length >= 30, `${exprs.length} expressions`);
    let empty: string[] = [];
    await eventually(
      async () => {
        empty = [];
        for (const e of exprs) if ((await promQuery(e.expr)).length === 0) empty.push(`${e.where}: ${e.expr}`);
        return empty.length === 0 ? true : undefined;
      },
      90_000,
      2000,
    ).catch(() => assert.fail(`no data for:\n${empty.join('\n')}`));
  });

  test('the outbox-lag alert fires while Kafka is down and resolves once it is back', async () => {
    const lagging = async () => (await firingAlerts()).filter((a) => a.labels.alertname === 'DueflowOutboxLagging');
    assert.deepEqual(await lagging(), [], 'quiet before the outage');
    execFileSync('bash', [join(root, 'infra/kafka/stop.sh')], { stdio: 'ignore' });
    try {
      const made = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Written while Kafka is down' });
      assert.equal(made.status, 201);
      const fired = await eventually(async () => {
        const a = await lagging();
        return a.some((x) => x.state === 'firing') ? a : undefined;
      }, 90_000, 500);
      assert.equal(fired[0]?.state, 'firing');
      const lag = await promQuery('dueflow:outbox_lag_seconds:max');
      assert.ok(Number(lag[0]?.value[1]) > 8, `lag ${JSON.stringify(lag)}`);
    } finally {
      execFileSync('bash', [join(root, 'infra/kafka/start.sh')], { stdio: 'ignore' });
    }
    await eventually(async () => ((await lagging()).length === 0 ? true : undefined), 180_000, 1000);
    // Resolved because the relay caught up: the outbox is empty again.
    await eventually(async () => (Number((await promQuery('dueflow:outbox_lag_seconds:max'))[0]?.value[1]) === 0 ? true : undefined), 30_000, 500);
  });
});
