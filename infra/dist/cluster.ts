// The distributed Dueflow on one machine, without Docker: the Dapr scheduler, and each role as its own
// Node process with its own daprd sidecar (sqlite name resolution, Kafka pub/sub, PostgreSQL). Every
// process is supervised: one that exits on its own is started again after a back-off; one stopped on
// purpose stays down until started. The supervisor daemon (supervisor.ts) runs one of these for
// `infra/dist/up.sh`; the distributed test suite drives it through that daemon too.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateVapidKeys } from '@dueflow/runtime';
import { inheritedEnv } from './settings.ts';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** The one resiliency source, shared with the Helm chart and the Kubernetes manifests. */
export const RESILIENCY_FILE = join(ROOT, 'deploy/helm/dueflow/files/resiliency.yaml');

export type RoleName = 'api' | 'recurring' | 'notification' | 'audit' | 'realtime' | 'web';
export const ROLE_NAMES: RoleName[] = ['api', 'recurring', 'notification', 'audit', 'realtime', 'web'];
export type Part = 'app' | 'sidecar' | 'scheduler';

export interface ClusterOptions {
  /** Directory holding daprd and scheduler (infra/dapr/install.sh prints it). */
  daprDir: string;
  kafkaBrokers: string;
  databaseUrl: string;
  runDir: string;
  /** Replicas per role (realtime defaults to 2: fan-out is part of the contract; web is always 1). */
  replicas?: Partial<Record<RoleName, number>>;
  /** Port block: the scheduler at base…base+3, the web role at base+70…73, the others from base+4 in fours. */
  basePort?: number;
  logLevel?: string;
  /** Settings for every role (checked by settings.ts); nothing else of the caller's environment passes. */
  settings?: Record<string, string>;
  /** Extra environment for every app process, unchecked (tests: e.g. the apps' trace exporter). */
  appEnv?: Record<string, string>;
  /** Restart back-off: first delay, doubling up to the maximum; a process up this long starts over. */
  backoff?: { firstMs: number; maxMs: number; resetAfterMs: number };
  /**
   * Sidecar metrics (Prometheus, on each process's daprMetricsPort) and sidecar spans exported over
   * OTLP/HTTP to `otlpHttpEndpoint` (host:port). The apps' own exporter is configured through appEnv.
   */
  observability?: { sidecarMetrics?: boolean; otlpHttpEndpoint?: string };
}

export interface ProcessInfo {
  name: string;
  role: RoleName;
  index: number;
  appPort: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  daprInternalPort: number;
  /** The sidecar's Prometheus port (used when sidecar metrics are on). */
  daprMetricsPort: number;
}

/** One supervised OS process. */
interface Managed {
  name: string;
  part: Part;
  child: ChildProcess | null;
  /** Stopped on purpose: not restarted until started again. */
  held: boolean;
  restarts: number;
  crashStreak: number;
  startedAt: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  restartTimer: NodeJS.Timeout | null;
  spawnFn: () => ChildProcess;
}

export interface ProcessStatus {
  name: string;
  part: Part;
  pid: number | null;
  state: 'running' | 'restarting' | 'stopped';
  restarts: number;
  uptimeMs: number;
  rssBytes: number | null;
  lastExit: Managed['lastExit'];
}

const WEB_OFFSET = 70;
const SLOT = 4;

export class Cluster {
  readonly procs = new Map<string, ProcessInfo>();
  private readonly managed = new Map<string, Managed>();
  private stopping = false;
  readonly schedulerPort: number;
  readonly schedulerHealthPort: number;
  private readonly etcdPort: number;
  readonly appApiToken = randomBytes(24).toString('hex');
  readonly daprApiToken = randomBytes(24).toString('hex');
  private readonly base: number;
  private readonly backoff: { firstMs: number; maxMs: number; resetAfterMs: number };
  /** Called when a process exits on its own (for the supervisor's log). */
  onExit: ((name: string, part: Part, code: number | null, signal: string | null, restartInMs: number | null) => void) | null = null;

  constructor(readonly opts: ClusterOptions) {
    // Below the kernel's ephemeral range (32768+ here): a port up there can already be the local end
    // of some outgoing connection, and the bind fails.
    this.base = opts.basePort ?? 21000;
    this.backoff = opts.backoff ?? { firstMs: 1000, maxMs: 30_000, resetAfterMs: 60_000 };
    this.schedulerPort = this.base;
    this.schedulerHealthPort = this.base + 1;
    this.etcdPort = this.base + 2;
    // Four ports per process, five with sidecar metrics (the block then holds fewer processes).
    const size = opts.observability?.sidecarMetrics ? SLOT + 1 : SLOT;
    let slot = 0;
    for (const role of ROLE_NAMES) {
      const n = role === 'web' ? 1 : (opts.replicas?.[role] ?? (role === 'realtime' ? 2 : 1));
      if (!Number.isInteger(n) || n < 1) throw new Error(`replicas of ${role} must be a positive integer`);
      for (let i = 0; i < n; i++) {
        let p: number;
        if (role === 'web') p = this.base + WEB_OFFSET;
        else {
          p = this.base + size + slot * size;
          slot++;
          if (p + size > this.base + WEB_OFFSET) throw new Error(`too many processes for the port block (at most ${Math.floor((WEB_OFFSET - size) / size)} besides web)`);
        }
        const name = n > 1 ? `${role}-${i}` : role;
        this.procs.set(name, { name, role, index: i, appPort: p, daprHttpPort: p + 1, daprGrpcPort: p + 2, daprInternalPort: p + 3, daprMetricsPort: p + 4 });
      }
    }
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.get(this.namesOf('api')[0] ?? 'api').appPort}`;
  }

  /** Where people open Dueflow: the web role (pages, and the API through service invocation). */
  get webUrl(): string {
    return `http://127.0.0.1:${this.get('web').appPort}`;
  }

  /** Every port this cluster binds (to check they are free before starting). */
  ports(): number[] {
    const out = [this.schedulerPort, this.schedulerHealthPort, this.etcdPort, this.etcdPort + 1];
    for (const p of this.procs.values()) {
      out.push(p.appPort, p.daprHttpPort, p.daprGrpcPort, p.daprInternalPort);
      if (this.opts.observability?.sidecarMetrics) out.push(p.daprMetricsPort);
    }
    return out;
  }

  get(name: string): ProcessInfo {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process ${name} (have ${[...this.procs.keys()].join(', ')})`);
    return p;
  }

  /** Process names of a role (`realtime` → realtime-0, realtime-1), or the name itself. */
  namesOf(target: string): string[] {
    if (this.procs.has(target)) return [target];
    const names = [...this.procs.values()].filter((p) => p.role === target).map((p) => p.name);
    if (names.length === 0) throw new Error(`no role or process "${target}" (roles: ${ROLE_NAMES.join(', ')}; processes: ${[...this.procs.keys()].join(', ')})`);
    return names;
  }

  logFile(name: string, part: Part): string {
    return join(this.opts.runDir, 'logs', part === 'sidecar' ? `${name}.daprd.log` : `${name}.log`);
  }

  private openLog(name: string, part: Part) {
    mkdirSync(join(this.opts.runDir, 'logs'), { recursive: true });
    return openSync(this.logFile(name, part), 'a');
  }

  /** Renders components, configuration and secrets into the run directory. */
  prepare(): void {
    const run = this.opts.runDir;
    mkdirSync(join(run, 'resources'), { recursive: true, mode: 0o700 });
    const secretsFile = join(run, 'secrets.json');
    // Kept across runs (sessions stay valid), but the database URL is always this run's.
    const previous = existsSync(secretsFile) ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>) : {};
    const vapid = generateVapidKeys();
    writeFileSync(
      secretsFile,
      JSON.stringify({
        BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        ...previous,
        DATABASE_URL: this.opts.databaseUrl,
      }),
      { mode: 0o600 },
    );
    const vars: Record<string, string> = {
      KAFKA_BROKERS: this.opts.kafkaBrokers,
      SECRETS_FILE: secretsFile,
      NAME_RESOLUTION_DB: join(run, 'nr.db'),
    };
    const fill = (text: string) => text.replace(/\$\{([A-Z_]+)\}/g, (_, k: string) => vars[k] ?? `\${${k}}`);
    const local = join(ROOT, 'deploy/dapr/local');
    for (const f of readdirSync(join(local, 'components'))) {
      writeFileSync(join(run, 'resources', f), fill(readFileSync(join(local, 'components', f), 'utf8')));
    }
    writeFileSync(join(run, 'resources', 'resiliency.yaml'), readFileSync(RESILIENCY_FILE, 'utf8'));
    const config = fill(readFileSync(join(local, 'config.yaml'), 'utf8'));
    const otlp = this.opts.observability?.otlpHttpEndpoint;
    // The sidecars' spans go to the same collector as the apps' (Dapr's OTLP exporter, over HTTP).
    writeFileSync(join(run, 'config.yaml'), otlp ? config.replace(/^(\s+)samplingRate: .*$/m, (line, indent: string) => `${line}\n${indent}otel:\n${indent}  endpointAddress: "${otlp}"\n${indent}  isSecure: false\n${indent}  protocol: http`) : config);
  }

  /** Starts a process under supervision (or again, if it was stopped). */
  private run(key: string, name: string, part: Part, spawnFn: () => ChildProcess): void {
    let m = this.managed.get(key);
    if (!m) {
      m = { name, part, child: null, held: false, restarts: 0, crashStreak: 0, startedAt: 0, lastExit: null, restartTimer: null, spawnFn };
      this.managed.set(key, m);
    }
    m.held = false;
    if (m.restartTimer) clearTimeout(m.restartTimer);
    m.restartTimer = null;
    if (m.child && m.child.exitCode === null && m.child.signalCode === null) return;
    this.launch(m);
  }

  private launch(m: Managed): void {
    const child = m.spawnFn();
    m.child = child;
    m.startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (m.child !== child) return;
      m.child = null;
      m.lastExit = { code, signal, at: new Date().toISOString() };
      if (this.stopping || m.held) return;
      // Crashed or gave up on its own: start again after a pause that grows while it keeps failing.
      m.crashStreak = Date.now() - m.startedAt > this.backoff.resetAfterMs ? 1 : m.crashStreak + 1;
      const delay = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** (m.crashStreak - 1));
      this.onExit?.(m.name, m.part, code, signal, delay);
      m.restartTimer = setTimeout(() => {
        m.restartTimer = null;
        if (this.stopping || m.held || m.child) return;
        m.restarts++;
        this.launch(m);
      }, delay);
    });
  }

  async startScheduler(): Promise<void> {
    const dataDir = join(this.opts.runDir, 'scheduler');
    mkdirSync(dataDir, { recursive: true });
    this.run('scheduler', 'scheduler', 'scheduler', () =>
      spawn(
        join(this.opts.daprDir, 'scheduler'),
        [
          '--mode', 'standalone',
          '--listen-address', '127.0.0.1',
          '--port', String(this.schedulerPort),
          '--healthz-listen-address', '127.0.0.1',
          '--healthz-port', String(this.schedulerHealthPort),
          '--enable-metrics=false',
          '--id', 'dapr-scheduler-server-0',
          '--etcd-data-dir', dataDir,
          '--etcd-client-listen-address', '127.0.0.1',
          '--etcd-client-port', String(this.etcdPort),
          '--etcd-initial-cluster', `dapr-scheduler-server-0=http://127.0.0.1:${this.etcdPort + 1}`,
          '--log-level', 'warn',
        ],
        { stdio: ['ignore', this.openLog('scheduler', 'scheduler'), this.openLog('scheduler', 'scheduler')], env: processEnv({ ...inheritedEnv(), DAPR_HOST_IP: '127.0.0.1' }) },
      ),
    );
    await waitFor(`scheduler healthz`, async () => (await fetch(`http://127.0.0.1:${this.schedulerHealthPort}/healthz`)).ok, 60_000);
  }

  /** Starts a role's app and its sidecar; resolves when both are healthy. */
  async startRole(name: string): Promise<void> {
    const p = this.get(name);
    this.run(`${name}:app`, name, 'app', () => this.spawnApp(p));
    this.run(`${name}:sidecar`, name, 'sidecar', () => this.spawnSidecar(p));
    await this.waitHealthy(p);
  }

  /** Until the app is ready and its sidecar healthy. */
  async waitHealthy(p: ProcessInfo, timeoutMs = 120_000): Promise<void> {
    await waitFor(`${p.name} app`, async () => (await fetch(`http://127.0.0.1:${p.appPort}/readyz`)).ok, timeoutMs);
    await waitFor(`${p.name} sidecar`, async () => {
      const res = await fetch(`http://127.0.0.1:${p.daprHttpPort}/v1.0/healthz`, { headers: { 'dapr-api-token': this.daprApiToken } });
      return res.status === 204 || res.ok;
    }, timeoutMs);
  }

  private spawnApp(p: ProcessInfo): ChildProcess {
    const realtime = this.namesOf('realtime').map((n) => `http://127.0.0.1:${this.get(n).appPort}`);
    const env: Record<string, string> = {
      ...inheritedEnv(),
      LOG_LEVEL: this.opts.logLevel ?? 'info',
      // The public origin (sign-in from the web role's pages) is the web role's.
      PUBLIC_URL: this.webUrl,
      ...this.opts.settings,
      ...this.opts.appEnv,
      DUEFLOW_MODE: 'dapr',
      SERVICES: p.role,
      PORT: String(p.appPort),
      HOST: '127.0.0.1',
      DAPR_HTTP_PORT: String(p.daprHttpPort),
      APP_API_TOKEN: this.appApiToken,
      DAPR_API_TOKEN: this.daprApiToken,
      DATA_DIR: join(this.opts.runDir, 'data', p.name),
      ...(p.role === 'web' ? { DUEFLOW_REALTIME_URL: realtime.join(',') } : {}),
    };
    return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), 'serve', '--role', p.role], {
      cwd: ROOT,
      env: processEnv(env),
      stdio: ['ignore', this.openLog(p.name, 'app'), this.openLog(p.name, 'app')],
    });
  }

  private spawnSidecar(p: ProcessInfo): ChildProcess {
    return spawn(
      join(this.opts.daprDir, 'daprd'),
      [
        '--mode', 'standalone',
        '--app-id', p.role,
        '--app-port', String(p.appPort),
        '--app-protocol', 'http',
        '--dapr-http-port', String(p.daprHttpPort),
        '--dapr-grpc-port', String(p.daprGrpcPort),
        '--dapr-internal-grpc-port', String(p.daprInternalPort),
        '--dapr-internal-grpc-listen-address', '127.0.0.1',
        '--dapr-listen-addresses', '127.0.0.1',
        '--resources-path', join(this.opts.runDir, 'resources'),
        '--config', join(this.opts.runDir, 'config.yaml'),
        '--scheduler-host-address', `127.0.0.1:${this.schedulerPort}`,
        ...(this.opts.observability?.sidecarMetrics
          ? ['--enable-metrics=true', '--metrics-port', String(p.daprMetricsPort), '--metrics-listen-address', '127.0.0.1']
          : ['--enable-metrics=false']),
        '--enable-app-health-check', '--app-health-check-path', '/healthz', '--app-health-probe-interval', '2',
        '--log-level', 'warn',
      ],
      {
        stdio: ['ignore', this.openLog(p.name, 'sidecar'), this.openLog(p.name, 'sidecar')],
        env: processEnv({ ...inheritedEnv(), DAPR_HOST_IP: '127.0.0.1', POD_NAME: p.name, APP_API_TOKEN: this.appApiToken, DAPR_API_TOKEN: this.daprApiToken }),
      },
    );
  }

  /**
   * Stops a role's app (and its sidecar unless `appOnly`) with the given signal and keeps it down
   * until `resumeRole`; SIGKILL is a crash that nothing cleans up after.
   */
  async stopRole(name: string, opts: { signal?: NodeJS.Signals; appOnly?: boolean; sidecarOnly?: boolean } = {}): Promise<void> {
    const signal = opts.signal ?? 'SIGTERM';
    const parts: Part[] = opts.appOnly ? ['app'] : opts.sidecarOnly ? ['sidecar'] : ['app', 'sidecar'];
    for (const part of parts) {
      const m = this.managed.get(`${name}:${part}`);
      if (!m) continue;
      m.held = true;
      if (m.restartTimer) clearTimeout(m.restartTimer);
      m.restartTimer = null;
      await kill(m.child, signal);
    }
  }

  /** Starts what stopRole stopped (the app and/or the sidecar of a role) and waits until healthy. */
  async resumeRole(name: string): Promise<void> {
    await this.startRole(name);
  }

  /** Stops and starts each process of a role in turn (a rolling restart), waiting for health. */
  async restart(target: string): Promise<string[]> {
    const names = this.namesOf(target);
    for (const name of names) {
      await this.stopRole(name);
      await this.startRole(name);
    }
    return names;
  }

  /** The scheduler, then the API (it migrates the database), then every other role. */
  async start(): Promise<void> {
    this.prepare();
    await this.startScheduler();
    const apis = this.namesOf('api');
    await this.startRole(apis[0] as string);
    await Promise.all([...this.procs.keys()].filter((n) => n !== apis[0]).map((n) => this.startRole(n)));
  }

  status(): ProcessStatus[] {
    const out: ProcessStatus[] = [];
    for (const m of this.managed.values()) {
      const pid = m.child?.pid ?? null;
      out.push({
        name: m.name,
        part: m.part,
        pid,
        state: m.child ? 'running' : m.restartTimer ? 'restarting' : 'stopped',
        restarts: m.restarts,
        uptimeMs: m.child ? Date.now() - m.startedAt : 0,
        rssBytes: pid ? rssOf(pid) : null,
        lastExit: m.lastExit,
      });
    }
    return out;
  }

  /** Every process id this cluster started (for a last-resort cleanup). */
  pids(): number[] {
    return [...this.managed.values()].map((m) => m.child?.pid).filter((x): x is number => typeof x === 'number');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const m of this.managed.values()) if (m.restartTimer) clearTimeout(m.restartTimer);
    // The apps first (they drain their outbox through their sidecars), then sidecars, then the scheduler.
    const of = (part: Part) => [...this.managed.values()].filter((m) => m.part === part);
    await Promise.all(of('app').map((m) => kill(m.child, 'SIGTERM')));
    await Promise.all(of('sidecar').map((m) => kill(m.child, 'SIGTERM')));
    await Promise.all(of('scheduler').map((m) => kill(m.child, 'SIGTERM')));
  }
}

/** A child's whole environment: exactly these variables. */
const processEnv = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

/** Resident memory of a process (Linux /proc), or null when it is gone. */
export function rssOf(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function kill(proc: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill(signal);
  const timeout = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timeout);
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
