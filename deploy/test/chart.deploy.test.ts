// The Helm chart (deploy/helm/dueflow) and the cluster's Dapr components (deploy/dapr/kubernetes), checked
// with a real helm binary: `helm lint --strict`, and what `helm template` renders, parsed and compared with
// what the app expects (apps/cli/src/config.ts) and with the components the one-machine runner uses
// (deploy/dapr/local). No cluster here: nothing is applied. HELM_BIN comes from infra/helm/install.sh;
// without it every test fails (never skips).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { parseEnv, ROLES } from '../../apps/cli/src/config.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const CHART = join(ROOT, 'deploy/helm/dueflow');
const PRODUCTION = join(ROOT, 'deploy/test/production.values.yaml');
const LOCAL_DAPR = join(ROOT, 'deploy/dapr/local');
const K8S_DAPR = join(ROOT, 'deploy/dapr/kubernetes');
const RESILIENCY = join(CHART, 'files/resiliency.yaml');
const RELEASE = 'tasks';
const FULLNAME = 'tasks-dueflow';
const NAMESPACE = 'dueflow';
const HELM_VERSION = 'v3.22.0';

// --- minimal shapes of what the chart renders ----------------------------------------------------------
interface SecretKeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: SecretKeyRef };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image?: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
    seccompProfile?: { type: string };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    serviceAccountName?: string;
    securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
    volumes?: { name: string; emptyDir?: object }[];
  };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Kind-specific; read through the typed views below.
  spec?: unknown;
  scopes?: string[];
  auth?: { secretStore?: string };
}
interface Deployment extends Manifest {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate };
}
interface Job extends Manifest {
  spec: { template: PodTemplate };
}
interface Service extends Manifest {
  spec: { type?: string; selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] };
}
interface Ingress extends Manifest {
  spec: {
    ingressClassName?: string;
    tls?: { hosts: string[]; secretName: string }[];
    rules: { host: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[];
  };
}
interface MetadataItem {
  name: string;
  value?: string;
  secretKeyRef?: SecretKeyRef;
}
interface Component extends Manifest {
  spec: { type: string; version: string; metadata: MetadataItem[] };
}
interface Hpa extends Manifest {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number };
}
interface Pdb extends Manifest {
  spec: { minAvailable?: number; selector: { matchLabels: Record<string, string> } };
}
interface ServiceMonitor extends Manifest {
  spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] };
}

// --- helm -----------------------------------------------------------------------------------------------
const helmHome = mkdtempSync(join(tmpdir(), 'dueflow-helm-'));
after(() => rmSync(helmHome, { recursive: true, force: true }));

function helmBin(): string {
  const bin = process.env.HELM_BIN;
  if (!bin) throw new Error('HELM_BIN is not set: HELM_BIN="$(bash infra/helm/install.sh)" npm run test:deploy');
  accessSync(bin, constants.X_OK);
  return bin;
}

function helm(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(helmBin(), args, {
    cwd: ROOT,
    encoding: 'utf8',
    // A private helm home: no repositories or plugins of whoever runs the tests.
    env: { ...process.env, HELM_CACHE_HOME: join(helmHome, 'cache'), HELM_CONFIG_HOME: join(helmHome, 'config'), HELM_DATA_HOME: join(helmHome, 'data') },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

interface Rendered {
  text: string;
  all: Manifest[];
  of<T extends Manifest>(kind: string): T[];
  one<T extends Manifest>(kind: string, name: string): T;
}

function render(opts: { values?: string[]; set?: string[] } = {}): Rendered {
  const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE];
  for (const f of opts.values ?? []) args.push('-f', f);
  for (const s of opts.set ?? []) args.push('--set', s);
  const r = helm(args);
  assert.equal(r.status, 0, `helm template failed:\n${r.stderr}`);
  const all = parseAllDocuments(r.stdout)
    .map((d) => {
      assert.equal(d.errors.length, 0, `rendered YAML does not parse: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
  return {
    text: r.stdout,
    all,
    of: <T extends Manifest>(kind: string) => all.filter((m) => m.kind === kind) as T[],
    one: <T extends Manifest>(kind: string, name: string) => {
      const found = all.filter((m) => m.kind === kind && m.metadata.name === name);
      assert.equal(found.length, 1, `expected exactly one ${kind} ${name}, got ${found.length}`);
      return found[0] as T;
    },
  };
}

function failsToRender(args: string[]): string {
  const r = helm(['template', RELEASE, CHART, ...args]);
  assert.notEqual(r.status, 0, `helm template ${args.join(' ')} should have failed but rendered`);
  return r.stderr;
}

// --- reading what was rendered --------------------------------------------------------------------------
const appContainer = (d: { spec: { template: PodTemplate } }): Container => {
  const c = d.spec.template.spec.containers;
  assert.equal(c.length, 1, 'one container per pod (the sidecar is injected by Dapr)');
  return c[0] as Container;
};
const envOf = (c: Container, name: string): EnvVar | undefined => c.env?.find((e) => e.name === name);
const plainEnv = (c: Container, name: string): string => {
  const e = envOf(c, name);
  assert.ok(e && typeof e.value === 'string', `${c.name}: env ${name} should be a plain value`);
  return e.value;
};
const secretRef = (c: Container, name: string): SecretKeyRef => {
  const e = envOf(c, name);
  assert.ok(e?.valueFrom?.secretKeyRef, `${c.name}: env ${name} should come from a secret`);
  assert.equal(e.value, undefined);
  return e.valueFrom.secretKeyRef;
};
const isSubset = (sub: Record<string, string>, of: Record<string, string>) => Object.entries(sub).every(([k, v]) => of[k] === v);

/** The env a container would start with: plain values, and stand-ins for the secret references. */
function startEnv(c: Container): Record<string, string> {
  const fake: Record<string, string> = {
    BETTER_AUTH_SECRET: 'b'.repeat(43),
    VAPID_PUBLIC_KEY: 'p'.repeat(87),
    VAPID_PRIVATE_KEY: 'q'.repeat(43),
    DATABASE_URL: 'postgres://dueflow:pw@db:5432/dueflow',
    APP_API_TOKEN: 'a'.repeat(32),
    DAPR_API_TOKEN: 'd'.repeat(32),
    LLM_API_KEY: 'k'.repeat(20),
  };
  const out: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined) out[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) out[e.name] = fake[e.name] ?? 'x'.repeat(32);
  }
  return out;
}

function localComponents(): Component[] {
  const dir = join(LOCAL_DAPR, 'components');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as Component);
}
/** The resiliency policies: one file, read by the chart, the runner and (through a link) kubectl. */
function resiliencySource(): Manifest[] {
  return parseAllDocuments(readFileSync(RESILIENCY, 'utf8')).map((d) => d.toJS() as Manifest);
}
function k8sFiles(): Manifest[] {
  return readdirSync(K8S_DAPR)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(K8S_DAPR, f), 'utf8')).map((d) => d.toJS() as Manifest));
}
/** Component names the app asks its sidecar for (the defaults of its env, not a copy of them). */
function expectedComponentNames(): string[] {
  const env = parseEnv({});
  return [env.DAPR_PUBSUB, env.DAPR_PUBSUB_BROADCAST, env.DAPR_STATE_STORE, env.DAPR_SECRET_STORE, env.DAPR_SWEEP_BINDING].sort();
}
/** The cluster's type for a local component type: only the secret store differs (a file → Kubernetes secrets). */
const clusterType = (localType: string) => (localType.startsWith('secretstores.') ? 'secretstores.kubernetes' : localType);
const SENSITIVE_ENV = ['BETTER_AUTH_SECRET', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'DATABASE_URL', 'LLM_API_KEY', 'APP_API_TOKEN', 'DAPR_API_TOKEN'];

// --- the tests ----------------------------------------------------------------------------------------
test(`HELM_BIN is helm ${HELM_VERSION}`, () => {
  const r = helm(['version', '--template', '{{.Version}}']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), HELM_VERSION);
});

describe('helm lint --strict', () => {
  test('passes with the default values', () => {
    const r = helm(['lint', '--strict', CHART]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
  test('passes with production-like values (ingress + TLS, HPA, ServiceMonitor, SASL Kafka)', () => {
    const r = helm(['lint', '--strict', CHART, '-f', PRODUCTION]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /0 chart\(s\) failed/);
  });
  test('fails on values the schema rejects', () => {
    const r = helm(['lint', '--strict', CHART, '--set', 'replicaCount=3']);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(`${r.stdout}${r.stderr}`, /replicaCount/);
  });
});

describe('helm template with the default values', () => {
  const out = render();
  const deployments = out.of<Deployment>('Deployment');
  const config = out.of<Manifest>('Configuration');

  test('one Deployment per role, app id = role, SERVICES = role, args serve --role <role>', () => {
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), ROLES.map((r) => `${FULLNAME}-${r}`).sort());
    for (const role of ROLES) {
      const d = out.one<Deployment>('Deployment', `${FULLNAME}-${role}`);
      const a = d.spec.template.metadata.annotations ?? {};
      assert.equal(a['dapr.io/enabled'], 'true');
      assert.equal(a['dapr.io/app-id'], role);
      assert.equal(a['dapr.io/app-protocol'], 'http');
      const c = appContainer(d);
      assert.deepEqual(c.args, ['serve', '--role', role]);
      assert.equal(plainEnv(c, 'SERVICES'), role);
      assert.equal(plainEnv(c, 'DUEFLOW_MODE'), 'dapr');
      assert.equal(plainEnv(c, 'HOST'), '0.0.0.0');
      assert.ok(isSubset(d.spec.selector.matchLabels, d.spec.template.metadata.labels), 'selector matches the pod labels');
    }
    // The recurring service invokes this app id; it must be one of the Deployments.
    assert.ok(deployments.some((d) => d.spec.template.metadata.annotations?.['dapr.io/app-id'] === parseEnv({}).DAPR_API_APP_ID));
  });

  test('app-port = PORT = containerPort; probes: /healthz (startup, liveness), /readyz (readiness) on that port', () => {
    for (const d of deployments) {
      const c = appContainer(d);
      const port = Number(plainEnv(c, 'PORT'));
      assert.equal(Number(d.spec.template.metadata.annotations?.['dapr.io/app-port']), port, d.metadata.name);
      const http = c.ports?.find((p) => p.name === 'http');
      assert.equal(http?.containerPort, port, d.metadata.name);
      assert.equal(c.startupProbe?.httpGet?.path, '/healthz');
      assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
      assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
      for (const p of [c.startupProbe, c.livenessProbe, c.readinessProbe]) assert.ok(p?.httpGet?.port === 'http' || p?.httpGet?.port === port);
    }
  });

  test('each container env is accepted by the app (parseEnv) as its role in dapr mode', () => {
    for (const role of ROLES) {
      const env = parseEnv(startEnv(appContainer(out.one<Deployment>('Deployment', `${FULLNAME}-${role}`))));
      assert.deepEqual(env.SERVICES, [role]);
      assert.equal(env.DUEFLOW_MODE, 'dapr');
      assert.ok(env.APP_API_TOKEN && env.DAPR_API_TOKEN && env.PUBLIC_URL);
    }
  });

  test('sidecar tokens: dapr.io/app-token-secret is APP_API_TOKEN, dapr.io/api-token-secret is DAPR_API_TOKEN (key token)', () => {
    for (const d of deployments) {
      const a = d.spec.template.metadata.annotations ?? {};
      const c = appContainer(d);
      assert.deepEqual(secretRef(c, 'APP_API_TOKEN'), { name: a['dapr.io/app-token-secret'], key: 'token' });
      assert.deepEqual(secretRef(c, 'DAPR_API_TOKEN'), { name: a['dapr.io/api-token-secret'], key: 'token' });
      assert.notEqual(a['dapr.io/app-token-secret'], a['dapr.io/api-token-secret']);
    }
  });

  test("app secrets: one Secret read through the sidecar's Kubernetes store, which may read nothing else", () => {
    const env = parseEnv({});
    for (const d of deployments) {
      const c = appContainer(d);
      assert.equal(plainEnv(c, 'DAPR_SECRET_NAME'), 'dueflow-secrets', d.metadata.name);
      for (const name of ['BETTER_AUTH_SECRET', 'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'DATABASE_URL', 'LLM_API_KEY']) assert.equal(envOf(c, name), undefined, `${d.metadata.name}: ${name} is not env`);
    }
    const store = out.one<Component>('Component', env.DAPR_SECRET_STORE);
    assert.equal(store.spec.type, 'secretstores.kubernetes');
    const conf = config[0] as Manifest & { spec: { secrets?: { scopes?: Array<{ storeName: string; defaultAccess: string; allowedSecrets: string[] }> } } };
    assert.deepEqual(conf.spec.secrets?.scopes, [{ storeName: env.DAPR_SECRET_STORE, defaultAccess: 'deny', allowedSecrets: ['dueflow-secrets'] }]);
    const role = out.one<Manifest & { rules: Array<{ resources: string[]; resourceNames: string[]; verbs: string[] }> }>('Role', `${FULLNAME}-secrets`);
    assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['dueflow-secrets'], verbs: ['get'] }]);
    const binding = out.one<Manifest & { subjects: Array<{ kind: string; name: string }>; roleRef: { name: string } }>('RoleBinding', `${FULLNAME}-secrets`);
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects.map((x) => [x.kind, x.name]), [['ServiceAccount', deployments[0]!.spec.template.spec.serviceAccountName]]);
  });

  test('`helm test` runs a pod of the app image that signs up and round-trips a task through the web Service', () => {
    const pod = out.one<Manifest & { spec: { containers: Container[] } }>('Pod', `${FULLNAME}-smoke-test`);
    assert.equal(pod.metadata.annotations?.['helm.sh/hook'], 'test');
    const c = pod.spec.containers[0]!;
    assert.equal(c.image, appContainer(deployments[0]!).image);
    assert.equal(plainEnv(c, 'WEB_URL'), `http://${FULLNAME}-web:80`);
    assert.equal(c.securityContext?.runAsNonRoot, true);
  });

  test('dapr.io/config names the rendered Configuration, which traces', () => {
    assert.equal(config.length, 1);
    const conf = config[0] as Manifest & { spec: { tracing?: { samplingRate?: string } } };
    assert.equal(conf.spec.tracing?.samplingRate, '1');
    for (const d of deployments) assert.equal(d.spec.template.metadata.annotations?.['dapr.io/config'], conf.metadata.name);
  });

  test('replicas: realtime 2, the others 1; a PodDisruptionBudget for realtime only', () => {
    for (const role of ROLES) assert.equal(out.one<Deployment>('Deployment', `${FULLNAME}-${role}`).spec.replicas, role === 'realtime' ? 2 : 1, role);
    const pdbs = out.of<Pdb>('PodDisruptionBudget');
    assert.deepEqual(pdbs.map((p) => p.metadata.name), [`${FULLNAME}-realtime`]);
    assert.ok(isSubset(pdbs[0]!.spec.selector.matchLabels, out.one<Deployment>('Deployment', `${FULLNAME}-realtime`).spec.template.metadata.labels));
    assert.equal(out.of('HorizontalPodAutoscaler').length, 0);
  });

  test('hardened pods: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp, writable /tmp only', () => {
    for (const d of [...deployments, ...out.of<Job>('Job')]) {
      const pod = d.spec.template.spec;
      const c = appContainer(d);
      assert.equal(pod.securityContext?.runAsNonRoot, true, d.metadata.name);
      assert.equal(c.securityContext?.runAsNonRoot, true);
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL']);
      assert.equal(c.securityContext?.seccompProfile?.type, 'RuntimeDefault');
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
      const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
      assert.ok(mounts.has('/tmp'), `${d.metadata.name}: /tmp is an emptyDir`);
      for (const name of mounts.values()) assert.ok(pod.volumes?.find((v) => v.name === name)?.emptyDir, `${name} is an emptyDir`);
    }
  });

  test('web (entry point) and realtime (websocket) have Services; web relays the websocket to the realtime Service', () => {
    assert.deepEqual(out.of<Service>('Service').map((s) => s.metadata.name).sort(), [`${FULLNAME}-realtime`, `${FULLNAME}-web`]);
    for (const role of ['web', 'realtime']) {
      const svc = out.one<Service>('Service', `${FULLNAME}-${role}`);
      assert.ok(isSubset(svc.spec.selector, out.one<Deployment>('Deployment', `${FULLNAME}-${role}`).spec.template.metadata.labels), `${role} Service selects its pods`);
      assert.equal(svc.spec.ports[0]?.targetPort, 'http');
      for (const other of ROLES.filter((r) => r !== role)) {
        assert.ok(!isSubset(svc.spec.selector, out.one<Deployment>('Deployment', `${FULLNAME}-${other}`).spec.template.metadata.labels), `${role} Service must not select ${other}`);
      }
    }
    const realtime = out.one<Service>('Service', `${FULLNAME}-realtime`);
    const url = new URL(plainEnv(appContainer(out.one<Deployment>('Deployment', `${FULLNAME}-web`)), 'DUEFLOW_REALTIME_URL'));
    assert.equal(url.hostname, realtime.metadata.name);
    assert.equal(Number(url.port || 80), realtime.spec.ports[0]?.port);
    for (const role of ROLES.filter((r) => r !== 'web')) assert.equal(envOf(appContainer(out.one<Deployment>('Deployment', `${FULLNAME}-${role}`)), 'DUEFLOW_REALTIME_URL'), undefined);
  });

  test('the migration Job is a pre-install/pre-upgrade hook running `dueflow migrate` with DATABASE_URL from the secret, without a sidecar', () => {
    const job = out.one<Job>('Job', `${FULLNAME}-migrate`);
    const hooks = (job.metadata.annotations?.['helm.sh/hook'] ?? '').split(',').map((h) => h.trim());
    assert.ok(hooks.includes('pre-install') && hooks.includes('pre-upgrade'), `hooks: ${hooks.join(',')}`);
    const c = appContainer(job);
    assert.deepEqual(c.args, ['migrate']);
    assert.deepEqual(secretRef(c, 'DATABASE_URL'), { name: 'dueflow-secrets', key: 'DATABASE_URL' });
    assert.notEqual(job.spec.template.metadata.annotations?.['dapr.io/enabled'], 'true');
  });

  test('no Ingress, ServiceMonitor or HPA unless asked for', () => {
    assert.equal(out.of('Ingress').length, 0);
    assert.equal(out.of('ServiceMonitor').length, 0);
    assert.equal(out.of('Secret').length, 0);
  });

  test('Dapr components: the names the app expects (config.ts defaults), the same names and types as deploy/dapr/local', () => {
    const components = out.of<Component>('Component');
    const names = components.map((c) => c.metadata.name).sort();
    assert.deepEqual(names, expectedComponentNames());
    const local = localComponents();
    assert.deepEqual(names, local.map((c) => c.metadata.name).sort());
    for (const l of local) {
      const k = out.one<Component>('Component', l.metadata.name);
      assert.equal(k.spec.type, clusterType(l.spec.type), l.metadata.name);
      assert.deepEqual(k.scopes, l.scopes, `${l.metadata.name}: scoped to the same app ids`);
      // Behaviour settings (everything but where the broker/file is) are the same as locally.
      for (const item of l.spec.metadata.filter((m) => ['consumerGroup', 'initialOffset', 'backOffPolicy', 'backOffMaxRetries', 'backOffDuration', 'tableName', 'metadataTableName', 'direction'].includes(m.name))) {
        if (item.name === 'consumerGroup' && item.value?.includes('{uuid}')) continue; // a group per replica: {podName} in a cluster
        assert.deepEqual(k.spec.metadata.find((m) => m.name === item.name), item, `${l.metadata.name}.${item.name}`);
      }
    }
    assert.equal(out.one<Component>('Component', 'pubsub-broadcast').spec.metadata.find((m) => m.name === 'consumerGroup')?.value, '{appID}-{podName}');
    const state = out.one<Component>('Component', parseEnv({}).DAPR_STATE_STORE);
    assert.deepEqual(state.spec.metadata.find((m) => m.name === 'connectionString')?.secretKeyRef, { name: 'dueflow-secrets', key: 'DATABASE_URL' });
    assert.equal(state.auth?.secretStore, 'kubernetes');
    const sweep = out.one<Component>('Component', parseEnv({}).DAPR_SWEEP_BINDING);
    assert.equal(sweep.spec.metadata.find((m) => m.name === 'schedule')?.value, '@every 60s');
    const pubsub = out.one<Component>('Component', 'pubsub');
    assert.equal(pubsub.spec.metadata.find((m) => m.name === 'authType')?.value, 'none');
    assert.equal(pubsub.spec.metadata.find((m) => m.name === 'brokers')?.value, 'kafka:9092');
  });

  test('resiliency: the policies of files/resiliency.yaml (the one source), with their scopes', () => {
    const source = resiliencySource();
    const rendered = out.of<Manifest>('Resiliency');
    assert.deepEqual(rendered.map((r) => r.metadata.name), source.map((r) => `${FULLNAME}-${r.metadata.name}`));
    for (const [i, r] of rendered.entries()) {
      assert.deepEqual(r.spec, source[i]!.spec, r.metadata.name);
      assert.deepEqual(r.scopes, source[i]!.scopes, r.metadata.name);
    }
  });

  test('resiliency: a 4xx is never retried, every app target has a breaker, public requests are never retried', () => {
    const source = resiliencySource();
    type Policies = { retries?: Record<string, { matching?: { httpStatusCodes?: string } }>; circuitBreakers?: Record<string, { trip: string }> };
    type Spec = { policies: Policies; targets: { apps?: Record<string, { retry?: string; circuitBreaker?: string; timeout?: string }> } };
    const codes = (pattern: string) =>
      pattern.split(',').flatMap((p) => {
        const [a, b = a] = p.split('-').map(Number) as [number, number?];
        return Array.from({ length: b - a + 1 }, (_, k) => a + k);
      });
    let apps = 0;
    for (const r of source) {
      const spec = r.spec as Spec;
      for (const [app, target] of Object.entries(spec.targets.apps ?? {})) {
        apps++;
        assert.ok(target.circuitBreaker && spec.policies.circuitBreakers?.[target.circuitBreaker], `${r.metadata.name}: ${app} has a breaker`);
        assert.ok(target.timeout, `${r.metadata.name}: ${app} has a timeout`);
        if (r.scopes?.includes('web')) assert.equal(target.retry, undefined, 'public requests are not retried');
        if (target.retry) {
          const matching = spec.policies.retries?.[target.retry]?.matching?.httpStatusCodes;
          assert.ok(matching, `${target.retry} names the statuses it retries (without, Dapr retries every error)`);
          assert.deepEqual(codes(matching).filter((c) => c < 500), [], `${target.retry} retries no 4xx`);
        }
      }
    }
    assert.ok(apps >= 2, 'the web and recurring callers of the api');
  });

  test('resiliency: deploy/dapr/kubernetes/resiliency.yaml is a link to the chart file, not a copy', () => {
    assert.ok(lstatSync(join(K8S_DAPR, 'resiliency.yaml')).isSymbolicLink());
    assert.equal(realpathSync(join(K8S_DAPR, 'resiliency.yaml')), realpathSync(RESILIENCY));
  });

  test('replicas, schedule and ports follow the values', () => {
    const o = render({ set: ['roles.realtime.replicas=5', 'roles.api.replicas=3', 'port=8080', 'dapr.reminderSweepSchedule=@every 2m'] });
    assert.equal(o.one<Deployment>('Deployment', `${FULLNAME}-realtime`).spec.replicas, 5);
    assert.equal(o.one<Deployment>('Deployment', `${FULLNAME}-api`).spec.replicas, 3);
    assert.deepEqual(o.of<Pdb>('PodDisruptionBudget').map((p) => p.metadata.name).sort(), [`${FULLNAME}-api`, `${FULLNAME}-realtime`]);
    for (const d of o.of<Deployment>('Deployment')) {
      assert.equal(d.spec.template.metadata.annotations?.['dapr.io/app-port'], '8080');
      assert.equal(plainEnv(appContainer(d), 'PORT'), '8080');
      assert.equal(appContainer(d).ports?.[0]?.containerPort, 8080);
    }
    assert.equal(o.one<Component>('Component', 'reminder-sweep').spec.metadata.find((m) => m.name === 'schedule')?.value, '@every 2m');
  });
});

describe('helm template with production-like values', () => {
  const out = render({ values: [PRODUCTION] });
  const prod = parse(readFileSync(PRODUCTION, 'utf8')) as {
    secrets: { app: string; appApiToken: string; daprApiToken: string };
    kafka: { brokers: string[]; auth: { secretName: string; usernameKey: string; passwordKey: string } };
    ingress: { host: string; className: string; tls: { secretName: string } };
  };

  test('the Ingress sends /api/v1/ws to realtime and everything else to web, with TLS', () => {
    const ing = out.one<Ingress>('Ingress', FULLNAME);
    assert.equal(ing.spec.ingressClassName, prod.ingress.className);
    assert.deepEqual(ing.spec.tls, [{ hosts: [prod.ingress.host], secretName: prod.ingress.tls.secretName }]);
    assert.equal(ing.spec.rules.length, 1);
    const rule = ing.spec.rules[0]!;
    assert.equal(rule.host, prod.ingress.host);
    const backend = (path: string) => rule.http.paths.find((p) => p.path === path)?.backend.service;
    assert.equal(backend('/api/v1/ws')?.name, `${FULLNAME}-realtime`);
    assert.equal(backend('/')?.name, `${FULLNAME}-web`);
    for (const p of rule.http.paths) {
      assert.equal(p.pathType, 'Prefix');
      const svc = out.one<Service>('Service', p.backend.service.name);
      assert.ok(svc.spec.ports.some((sp) => sp.name === p.backend.service.port.name || sp.port === p.backend.service.port.number));
    }
    for (const d of out.of<Deployment>('Deployment')) assert.equal(plainEnv(appContainer(d), 'PUBLIC_URL'), `https://${prod.ingress.host}`);
  });

  test('HPAs for api and realtime own their replica counts; PodDisruptionBudgets keep one of each', () => {
    const hpas = out.of<Hpa>('HorizontalPodAutoscaler');
    assert.deepEqual(hpas.map((h) => h.spec.scaleTargetRef.name).sort(), [`${FULLNAME}-api`, `${FULLNAME}-realtime`]);
    for (const h of hpas) {
      assert.equal(h.spec.scaleTargetRef.kind, 'Deployment');
      assert.equal(out.one<Deployment>('Deployment', h.spec.scaleTargetRef.name).spec.replicas, undefined, 'replicas left to the HPA');
      assert.ok(h.spec.minReplicas > 1 && h.spec.maxReplicas >= h.spec.minReplicas);
    }
    assert.deepEqual(out.of<Pdb>('PodDisruptionBudget').map((p) => p.metadata.name).sort(), [`${FULLNAME}-api`, `${FULLNAME}-realtime`, `${FULLNAME}-web`]);
  });

  test('the ServiceMonitor scrapes /metrics of every role', () => {
    const sm = out.one<ServiceMonitor>('ServiceMonitor', FULLNAME);
    assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.path]), [['http', '/metrics']]);
    assert.equal(sm.metadata.labels?.release, 'kube-prometheus-stack');
    const scraped = out.of<Service>('Service').filter((s) => isSubset(sm.spec.selector.matchLabels, s.metadata.labels ?? {}));
    for (const role of ROLES) {
      const pods = out.one<Deployment>('Deployment', `${FULLNAME}-${role}`).spec.template.metadata.labels;
      assert.ok(scraped.some((s) => isSubset(s.spec.selector, pods) && s.spec.ports.some((p) => p.name === 'http')), `a scraped Service selects ${role}`);
    }
  });

  test('Kafka with SASL over TLS: credentials and CA by secret reference, brokers from the values', () => {
    for (const name of ['pubsub', 'pubsub-broadcast']) {
      const c = out.one<Component>('Component', name);
      const item = (n: string) => c.spec.metadata.find((m) => m.name === n);
      assert.equal(item('brokers')?.value, prod.kafka.brokers.join(','));
      assert.equal(item('authType')?.value, 'password');
      assert.deepEqual(item('saslUsername'), { name: 'saslUsername', secretKeyRef: { name: prod.kafka.auth.secretName, key: prod.kafka.auth.usernameKey } });
      assert.deepEqual(item('saslPassword'), { name: 'saslPassword', secretKeyRef: { name: prod.kafka.auth.secretName, key: prod.kafka.auth.passwordKey } });
      assert.equal(item('disableTls')?.value, 'false');
      assert.ok(item('caCert')?.secretKeyRef);
      assert.equal(c.auth?.secretStore, 'kubernetes');
    }
  });

  test('the API gets the model settings; the LLM key, like every app secret, comes through the secret store', () => {
    const api = appContainer(out.one<Deployment>('Deployment', `${FULLNAME}-api`));
    assert.equal(plainEnv(api, 'LLM_BASE_URL'), 'https://openrouter.ai/api/v1');
    for (const role of ROLES) {
      const c = appContainer(out.one<Deployment>('Deployment', `${FULLNAME}-${role}`));
      assert.equal(plainEnv(c, 'DAPR_SECRET_NAME'), prod.secrets.app, role);
      assert.equal(envOf(c, 'LLM_API_KEY'), undefined, role);
    }
  });

  test('the chart and deploy/dapr/kubernetes describe the same components (names, types, metadata keys, scopes, secret store)', () => {
    const files = k8sFiles();
    const fileComponents = files.filter((m): m is Component => m.kind === 'Component');
    const chartComponents = out.of<Component>('Component');
    assert.deepEqual(fileComponents.map((c) => c.metadata.name).sort(), chartComponents.map((c) => c.metadata.name).sort());
    assert.deepEqual(fileComponents.map((c) => c.metadata.name).sort(), expectedComponentNames());
    for (const f of fileComponents) {
      const c = out.one<Component>('Component', f.metadata.name);
      assert.equal(c.spec.type, f.spec.type, f.metadata.name);
      assert.equal(c.spec.version, f.spec.version);
      // The chart's production values add a private CA; the plain files trust public CAs.
      const keys = (x: Component) => x.spec.metadata.map((m) => m.name).filter((n) => n !== 'caCert').sort();
      assert.deepEqual(keys(c), keys(f), `${f.metadata.name}: metadata keys`);
      assert.deepEqual(c.scopes, f.scopes, `${f.metadata.name}: scopes`);
      assert.equal(c.auth?.secretStore, f.auth?.secretStore);
    }
    for (const l of localComponents()) assert.equal(fileComponents.find((f) => f.metadata.name === l.metadata.name)?.spec.type, clusterType(l.spec.type));
    assert.deepEqual(files.filter((m) => m.kind === 'Resiliency'), resiliencySource());
    assert.ok(files.some((m) => m.kind === 'Configuration'));
  });
});

describe('no secret value in any rendered manifest', () => {
  for (const [label, values] of [
    ['default values', []],
    ['production-like values', [PRODUCTION]],
  ] as const) {
    test(`${label}: secrets are referenced by name, never inlined`, () => {
      const out = render({ values: [...values] });
      assert.equal(out.of('Secret').length, 0, 'the chart makes no Secret');
      assert.doesNotMatch(out.text, /postgres(ql)?:\/\//i, 'no database URL anywhere');
      // Not as YAML data ("BETTER_AUTH_SECRET: …") nor as an env value.
      assert.doesNotMatch(out.text, new RegExp(`\\b(${SENSITIVE_ENV.join('|')})\\s*:`), 'no secret key with a value');
      for (const m of out.all) {
        const spec = m.spec as { template?: PodTemplate } | undefined;
        for (const c of spec?.template?.spec.containers ?? []) {
          for (const e of c.env ?? []) {
            if (SENSITIVE_ENV.includes(e.name)) assert.ok(e.valueFrom?.secretKeyRef && e.value === undefined, `${m.metadata.name}: ${e.name} by secretKeyRef`);
            if (e.value !== undefined) assert.doesNotMatch(e.value, /^postgres(ql)?:/i, `${m.metadata.name}: ${e.name}`);
          }
        }
        if (m.kind === 'Component') {
          for (const item of (m as Component).spec.metadata) {
            if (/password|username|connectionString|caCert|token|secret/i.test(item.name)) assert.ok(item.secretKeyRef && item.value === undefined, `${m.metadata.name}.${item.name}`);
          }
        }
      }
    });
  }

  test('the secret names come from the values', () => {
    const out = render({ values: [PRODUCTION] });
    const refs = new Set<string>();
    for (const m of out.all) {
      const spec = m.spec as { template?: PodTemplate } | undefined;
      for (const c of spec?.template?.spec.containers ?? []) for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) refs.add(e.valueFrom.secretKeyRef.name);
      if (m.kind === 'Component') for (const item of (m as Component).spec.metadata) if (item.secretKeyRef) refs.add(item.secretKeyRef.name);
    }
    assert.deepEqual([...refs].sort(), ['prod-dueflow-app', 'prod-dueflow-app-token', 'prod-dueflow-dapr-token', 'prod-redpanda', 'prod-redpanda-ca']);
  });
});

describe('deploy/docker/Dockerfile (no Docker here: read, not built)', () => {
  const dockerfile = readFileSync(join(ROOT, 'deploy/docker/Dockerfile'), 'utf8');
  const lines = dockerfile.split('\n').filter((l) => !l.trimStart().startsWith('#'));
  const instr = (name: string) => lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
  test('its runtime stage is what deploy/docker/stage-app.sh stages, the script infra/k8s/build-images.sh uses too', () => {
    assert.match(dockerfile, /bash deploy\/docker\/stage-app\.sh \/app \/stage/);
    assert.ok(instr('COPY').includes('--from=build /stage /app'));
    assert.match(readFileSync(join(ROOT, 'infra/k8s/build-images.sh'), 'utf8'), /deploy\/docker\/stage-app\.sh" "\$REPO_ROOT" "\$stage\/app"/);
  });

  test('copies every npm workspace manifest before `npm ci` (else npm ci fails on a missing workspace)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const workspaces = pkg.workspaces.flatMap((w) => {
      assert.ok(w.endsWith('/*'), `workspace pattern ${w}`);
      const dir = w.slice(0, -2);
      return readdirSync(join(ROOT, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory() && readdirSync(join(ROOT, dir, e.name)).includes('package.json'))
        .map((e) => `${dir}/${e.name}`);
    });
    const copies = instr('COPY');
    for (const w of workspaces) assert.ok(copies.includes(`${w}/package.json ${w}/`), `COPY ${w}/package.json`);
    const ci = lines.findIndex((l) => l.includes('npm ci'));
    const lastManifest = Math.max(...workspaces.map((w) => lines.findIndex((l) => l.startsWith(`COPY ${w}/package.json`))));
    assert.ok(ci > lastManifest, 'npm ci after the manifests');
  });

  test('pinned slim Node 20 base, web UI built, non-root user the chart expects, the chart port, dueflow entrypoint', () => {
    const base = /^ARG NODE_IMAGE=(node:20\.\d+\.\d+-bookworm-slim)$/m.exec(dockerfile);
    assert.ok(base, 'a pinned node:20.x.y-bookworm-slim');
    assert.ok(instr('RUN').some((r) => /npm run build( |$)/.test(r)), 'the server compiled and the web UI built');
    const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { port: number; podSecurityContext: { runAsUser: number; runAsGroup: number } };
    assert.deepEqual(instr('USER'), [`${defaults.podSecurityContext.runAsUser}:${defaults.podSecurityContext.runAsGroup}`]);
    assert.notEqual(defaults.podSecurityContext.runAsUser, 0);
    assert.deepEqual(instr('EXPOSE'), [String(defaults.port)]);
    assert.match(dockerfile, /HOST=0\.0\.0\.0/);
    assert.deepEqual(instr('ENTRYPOINT'), ['["node", "--enable-source-maps", "apps/cli/dist/main.mjs"]']);
    assert.deepEqual(instr('CMD'), ['["start"]']);
  });

  test("nothing the chart mounts lies inside the image's app directory (WORKDIR): the app tree stays read-only", () => {
    const workdirs = [...new Set(instr('WORKDIR'))];
    assert.equal(workdirs.length, 1);
    const out = render();
    for (const role of ROLES) {
      const mounts = (appContainer(out.one<Deployment>('Deployment', `${FULLNAME}-${role}`)).volumeMounts ?? []).map((m) => m.mountPath);
      assert.deepEqual(mounts.filter((m) => m === workdirs[0] || m.startsWith(`${workdirs[0]}/`)), [], `${role} mounts inside ${workdirs[0]}`);
    }
  });

  test('.dockerignore keeps dependencies and builds out, and every runtime source in', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const p of ['**/node_modules', '**/.next', '.git']) assert.ok(ignored.includes(p), p);
    for (const needed of ['apps', 'packages', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      assert.ok(!ignored.some((p) => p === needed || p === `${needed}/` || p === `/${needed}`), `${needed} is in the build context`);
    }
  });
});

describe('values the schema rejects fail `helm template`', () => {
  const cases: [string, string[], RegExp][] = [
    ['replicas as a word', ['--set-string', 'roles.realtime.replicas=two'], /roles\/realtime\/replicas/],
    ['an unknown top-level key', ['--set', 'replicaCount=3'], /replicaCount/],
    ['a misspelt role setting', ['--set', 'roles.api.replica=2'], /replica/],
    ['an unknown role', ['--set', 'roles.mailer.replicas=1'], /mailer/],
    ['an unknown Kafka auth type', ['--set', 'kafka.auth.type=sasl'], /kafka\/auth\/type/],
    ["a port the Dapr sidecar uses", ['--set', 'port=3500'], /port/],
    ['an ingress without a usable host', ['--set', 'ingress.enabled=true', '--set', 'ingress.host=Not A Host'], /ingress\/host/],
    ['a secret name that is not a Kubernetes name', ['--set', 'secrets.app=BETTER_AUTH_SECRET'], /secrets\/app/],
    ['a non-numeric port', ['--set-string', 'port=http'], /port/],
    ['a secret as extra env', ['--set', 'extraEnv[0].name=DATABASE_URL', '--set', 'extraEnv[0].value=postgres://u:p@db/dueflow'], /extraEnv/],
    ['extra env the chart already sets', ['--set', 'extraEnv[0].name=SERVICES', '--set', 'extraEnv[0].value=api'], /extraEnv/],
  ];
  for (const [what, args, mentions] of cases) {
    test(what, () => assert.match(failsToRender(args), mentions));
  }
  test('while plain extra env is passed to every role', () => {
    const out = render({ set: ['extraEnv[0].name=VAPID_SUBJECT', 'extraEnv[0].value=mailto:ops@example.com'] });
    for (const d of out.of<Deployment>('Deployment')) assert.equal(plainEnv(appContainer(d), 'VAPID_SUBJECT'), 'mailto:ops@example.com');
  });
});

describe('the values files of deploy/helm/values and the dueflow-infra chart (PostgreSQL, Kafka)', () => {
  const values = (name: string) => join(ROOT, 'deploy/helm/values', name);
  const INFRA = join(ROOT, 'deploy/helm/dueflow-infra');
  for (const [chart, file] of [
    [CHART, 'local.yaml'],
    [CHART, 'minikube.yaml'],
    [INFRA, 'local-infra.yaml'],
    [INFRA, 'minikube-infra.yaml'],
  ] as const) {
    test(`helm lint --strict ${chart === CHART ? 'dueflow' : 'dueflow-infra'} -f ${file}`, () => {
      const r = helm(['lint', '--strict', chart, '-f', values(file)]);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    });
  }
  test('the infra chart serves what the app values point at: Services postgres:5432 and kafka:9092, data owned by the server user', () => {
    const r = helm(['template', 'infra', INFRA, '-f', values('local-infra.yaml'), '--set', 'persistence.hostPath=/srv/dueflow']);
    assert.equal(r.status, 0, r.stderr);
    const all = parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest & { spec: Record<string, unknown> });
    const ports = Object.fromEntries(all.filter((m) => m.kind === 'Service').map((m) => [m.metadata.name, (m.spec['ports'] as { port: number }[])[0]!.port]));
    assert.deepEqual(ports, { kafka: 9092, postgres: 5432 });
    for (const broker of (parse(readFileSync(values('local.yaml'), 'utf8')) as { kafka: { brokers: string[] } }).kafka.brokers) assert.equal(broker, `kafka:${ports['kafka']}`);
    assert.match(r.stdout, /path: \/srv\/dueflow\/postgres/);
    assert.match(r.stdout, /path: \/srv\/dueflow\/kafka/);
  });
});
