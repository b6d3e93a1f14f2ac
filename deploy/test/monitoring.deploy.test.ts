// The chart's monitoring objects and the environments' values, rendered by a real helm (HELM_BIN from
// infra/helm/install.sh): the PrometheusRule carries the rule file as it is, each dashboard becomes a
// ConfigMap Grafana's sidecar loads, the ServiceMonitor and PodMonitor label series by role, traces are
// configured for apps and sidecars, and the staging/production values lint and keep a PodDisruptionBudget
// for every entry point. The rules themselves are tested by promtool (.ci/run) and, with the dashboards,
// against the real processes in the distributed suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHART = join(ROOT, 'deploy/helm/dueflow');
const RULES = join(CHART, 'monitoring/rules/dueflow.rules.yaml');
const DASHBOARDS = join(CHART, 'monitoring/dashboards');
const home = mkdtempSync(join(tmpdir(), 'dueflow-helm-monitoring-'));
after(() => rmSync(home, { recursive: true, force: true }));

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; namespace?: string };
  spec?: Record<string, unknown> & { template?: { metadata: { annotations?: Record<string, string> }; spec: { containers: Array<{ name: string; env?: Array<{ name: string; value?: string }> }> } } };
  data?: Record<string, string>;
}

function helm(args: string[]) {
  const bin = process.env.HELM_BIN;
  if (!bin) throw new Error('HELM_BIN is not set: HELM_BIN="$(bash infra/helm/install.sh)" npm run test:deploy');
  accessSync(bin, constants.X_OK);
  const r = spawnSync(bin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function render(args: string[]): Doc[] {
  const r = helm(['template', 'tasks', CHART, '--namespace', 'dueflow', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
}

const ALL_ON = [
  '--set', 'monitoring.serviceMonitor.enabled=true',
  '--set', 'monitoring.podMonitor.enabled=true',
  '--set', 'monitoring.prometheusRule.enabled=true',
  '--set', 'monitoring.dashboards.enabled=true',
  '--set', 'monitoring.tracing.otlpHttpEndpoint=http://otel-collector.monitoring:4318',
  '--set', 'dapr.tracing.otlpEndpoint=otel-collector.monitoring:4317',
];

test('off by default: no monitoring objects, no trace export', () => {
  const docs = render([]);
  for (const kind of ['PrometheusRule', 'PodMonitor', 'ServiceMonitor']) assert.ok(!docs.some((d) => d.kind === kind), kind);
  assert.ok(!docs.some((d) => d.kind === 'ConfigMap' && d.metadata.name.includes('dashboard')));
  const env = docs.filter((d) => d.kind === 'Deployment').flatMap((d) => d.spec?.template?.spec.containers[0]?.env ?? []);
  assert.ok(!env.some((e) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT'));
});

test('the PrometheusRule is the rule file, unchanged', () => {
  const rule = render(ALL_ON).find((d) => d.kind === 'PrometheusRule');
  assert.ok(rule);
  assert.equal(rule.apiVersion, 'monitoring.coreos.com/v1');
  assert.deepEqual(rule.spec, parse(readFileSync(RULES, 'utf8')));
  const alerts = (rule.spec as { groups: Array<{ rules: Array<{ alert?: string }> }> }).groups.flatMap((g) => g.rules).map((r) => r.alert).filter(Boolean);
  for (const a of ['DueflowOutboxLagging', 'DueflowDeadLettersWaiting', 'DueflowRemindersLate', 'DueflowReminderStuck', 'DueflowConsumerErrors', 'DueflowHttpErrors', 'DueflowHttpSlow', 'DueflowWebsocketsDropped', 'DueflowDatabasePoolSaturated']) {
    assert.ok(alerts.includes(a), a);
  }
});

test('one ConfigMap per dashboard, labelled for the Grafana sidecar, with the dashboard JSON as it is', () => {
  const docs = render([...ALL_ON, '--set', 'monitoring.dashboards.namespace=monitoring']);
  const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, ['api.json', 'events.json', 'overview.json', 'reminders.json']);
  const maps = docs.filter((d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith('tasks-dueflow-dashboard-'));
  assert.equal(maps.length, files.length);
  const uids = new Set<string>();
  for (const file of files) {
    const cm = maps.find((m) => m.metadata.name === `tasks-dueflow-dashboard-${file.replace('.json', '')}`);
    assert.ok(cm, file);
    assert.equal(cm.metadata.labels?.['grafana_dashboard'], '1');
    assert.equal(cm.metadata.namespace, 'monitoring');
    assert.equal(cm.metadata.annotations?.['grafana_folder'], 'Dueflow');
    const shipped = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as { uid: string; panels: Array<{ title: string; targets: Array<{ expr: string }> }>; templating: { list: Array<{ name: string; type: string }> } };
    assert.deepEqual(JSON.parse(cm.data?.[`dueflow-${file}`] ?? 'null'), shipped);
    uids.add(shipped.uid);
    assert.ok(shipped.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'), `${file} has a data source variable`);
    for (const p of shipped.panels) assert.ok(p.targets.length > 0 && p.targets.every((t) => t.expr.length > 0), `${file}: ${p.title}`);
  }
  assert.equal(uids.size, files.length, 'unique dashboard uids');
});

test('the ServiceMonitor (apps) and PodMonitor (sidecars) label every series with its role', () => {
  const docs = render(ALL_ON);
  const sm = docs.find((d) => d.kind === 'ServiceMonitor');
  const pm = docs.find((d) => d.kind === 'PodMonitor');
  const roleRelabel = { sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_component'], targetLabel: 'role' };
  assert.deepEqual((sm?.spec as { endpoints: Array<{ relabelings: unknown[] }> }).endpoints[0]?.relabelings, [roleRelabel]);
  const ep = (pm?.spec as { podMetricsEndpoints: Array<{ port: string; path: string; relabelings: unknown[] }> }).podMetricsEndpoints[0];
  assert.equal(ep?.port, 'dapr-metrics');
  assert.equal(ep?.path, '/');
  assert.deepEqual(ep?.relabelings, [roleRelabel]);
  // The port the PodMonitor names exists: every pod has its sidecar's metrics on.
  for (const d of docs.filter((x) => x.kind === 'Deployment')) {
    assert.equal(d.spec?.template?.metadata.annotations?.['dapr.io/enable-metrics'], 'true', d.metadata.name);
  }
});

test('traces: the apps export to the OTLP/HTTP endpoint, the sidecars to the collector in the Configuration', () => {
  const docs = render(ALL_ON);
  for (const d of docs.filter((x) => x.kind === 'Deployment')) {
    const env = d.spec?.template?.spec.containers.find((c) => c.name === 'dueflow')?.env ?? [];
    assert.equal(env.find((e) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')?.value, 'http://otel-collector.monitoring:4318', d.metadata.name);
  }
  const config = docs.find((d) => d.kind === 'Configuration');
  assert.deepEqual((config?.spec as { tracing: { otel: unknown } }).tracing.otel, { endpointAddress: 'otel-collector.monitoring:4317', isSecure: false, protocol: 'grpc' });
});

test('the staging and production values lint, keep every entry point behind a PodDisruptionBudget and roll without losing capacity', () => {
  for (const env of ['staging', 'production']) {
    const values = join(ROOT, 'deploy/environments', `${env}.values.yaml`);
    const lint = helm(['lint', CHART, '--strict', '-f', values, '--set', 'image.tag=1.0.0']);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    const docs = render(['-f', values, '--set', 'image.tag=1.0.0']);
    const pdbs = docs.filter((d) => d.kind === 'PodDisruptionBudget').map((d) => d.metadata.name);
    for (const role of ['api', 'web', 'realtime']) assert.ok(pdbs.includes(`tasks-dueflow-${role}`), `${env}: ${role} PDB`);
    assert.ok(docs.some((d) => d.kind === 'PrometheusRule'), `${env}: rules on`);
    for (const d of docs.filter((x) => x.kind === 'Deployment')) {
      assert.deepEqual((d.spec as { strategy?: unknown }).strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, `${env}: ${d.metadata.name} rolls without losing capacity`);
    }
  }
});
