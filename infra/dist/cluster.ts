// The distributed Dueflow on one machine, without Docker: the Dapr scheduler, and each role as its own
// Node process with its own daprd sidecar (sqlite name resolution, Kafka pub/sub, PostgreSQL). Used by
// `infra/dist/up.sh` / `down.sh` and by the distributed test suite (which also kills and restarts parts).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateVapidKeys } from '@dueflow/runtime';
import { ensureWebBuild } from '../../apps/web/server/build.ts';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

export type RoleName = 'api' | 'recurring' | 'notification' | 'audit' | 'realtime' | 'web';

export interface ClusterOptions {
  /** Directory holding daprd and scheduler (infra/dapr/install.sh prints it). */
  daprDir: string;
  kafkaBrokers: string;
  databaseUrl: string;
  runDir: string;
  /** Replicas per role (realtime defaults to 2: fan-out is part of the contract). */
  replicas?: Partial<Record<RoleName, number>>;
  /** Port block; each process takes ports from here. */
  basePort?: number;
  logLevel?: string;
  /** Extra environment for every app process (e.g. shorter replay delays in tests). */
  appEnv?: Record<string, string>;
  /** Children outlive this process (the `up` command); tests keep them attached. */
  detached?: boolean;
  /**
   * Sidecar metrics (Prometheus, on each process's daprMetricsPort) and sidecar spans exported over
   * OTLP/HTTP to `otlpHttpEndpoint` (host:port). The apps' own exporter is configured through appEnv.
   */
  observability?: { sidecarMetrics?: boolean; otlpHttpEndpoint?: string };
}

export interface ProcessInfo {
  name: string;
  role: RoleName | 'scheduler';
  index: number;
  appPort: number;
  daprHttpPort: number;
  daprGrpcPort: number;
  daprInternalPort: number;
  daprMetricsPort: number;
  app: ChildProcess | null;
  sidecar: ChildProcess | null;
}

const ROLES: RoleName[] = ['api', 'recurring', 'notification', 'audit', 'realtime', 'web'];

export class Cluster {
  readonly procs = new Map<string, ProcessInfo>();
  private stopping = false;
  private scheduler: ChildProcess | null = null;
  readonly schedulerPort: number;
  readonly schedulerHealthPort: number;
  private readonly etcdPort: number;
  readonly appApiToken = randomBytes(24).toString('hex');
  readonly daprApiToken = randomBytes(24).toString('hex');
  private readonly base: number;

  constructor(readonly opts: ClusterOptions) {
    // Below the kernel's ephemeral range (32768+ here): a port up there can already be the local end
    // of some outgoing connection, and the bind fails.
    this.base = opts.basePort ?? 21000;
    this.schedulerPort = this.base;
    this.schedulerHealthPort = this.base + 1;
    this.etcdPort = this.base + 2;
    let slot = 1;
    for (const role of ROLES) {
      const n = opts.replicas?.[role] ?? (role === 'realtime' ? 2 : 1);
      for (let i = 0; i < n; i++) {
        const p = this.base + slot * 10;
        const name = n > 1 ? `${role}-${i}` : role;
        this.procs.set(name, { name, role, index: i, appPort: p, daprHttpPort: p + 1, daprGrpcPort: p + 2, daprInternalPort: p + 3, daprMetricsPort: p + 4, app: null, sidecar: null });
        slot++;
      }
    }
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.get('api').appPort}`;
  }

  /** Where people open Dueflow: the web role (pages, and the API through service invocation). */
  get webUrl(): string {
    return `http://127.0.0.1:${this.get('web').appPort}`;
  }

  get(name: string): ProcessInfo {
    const p = this.procs.get(name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  }

  private logFile(name: string) {
    mkdirSync(join(this.opts.runDir, 'logs'), { recursive: true });
    return openSync(join(this.opts.runDir, 'logs', `${name}.log`), 'a');
  }

  /** Renders components, configuration and secrets into the run directory. */
  prepare(): void {
    const run = this.opts.runDir;
    mkdirSync(join(run, 'resources'), { recursive: true });
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
    writeFileSync(join(run, 'resources', 'resiliency.yaml'), readFileSync(join(local, 'resiliency.yaml'), 'utf8'));
    const config = fill(readFileSync(join(local, 'config.yaml'), 'utf8'));
    const otlp = this.opts.observability?.otlpHttpEndpoint;
    // The sidecars' spans go to the same collector as the apps' (Dapr's OTLP exporter, over HTTP).
    writeFileSync(join(run, 'config.yaml'), otlp ? config.replace(/^(\s+)samplingRate: .*$/m, (line, indent: string) => `${line}\n${indent}otel:\n${indent}  endpointAddress: "${otlp}"\n${indent}  isSecure: false\n${indent}  protocol: http`) : config);
  }

  async startScheduler(): Promise<void> {
    const dataDir = join(this.opts.runDir, 'scheduler');
    mkdirSync(dataDir, { recursive: true });
    this.scheduler = spawn(
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
      { stdio: ['ignore', this.logFile('scheduler'), this.logFile('scheduler')], env: { ...process.env, DAPR_HOST_IP: '127.0.0.1' }, detached: this.opts.detached ?? false },
    );
    await waitFor(`scheduler healthz`, async () => (await fetch(`http://127.0.0.1:${this.schedulerHealthPort}/healthz`)).ok, 60_000);
  }

  /** Starts a role's app and its sidecar; resolves when both are healthy. */
  async startRole(name: string): Promise<void> {
    const p = this.get(name);
    this.spawnApp(p);
    this.spawnSidecar(p);
    await this.waitHealthy(p);
  }

  /** Until the app is ready and its sidecar healthy. */
  private async waitHealthy(p: ProcessInfo): Promise<void> {
    await waitFor(`${p.name} app`, async () => (await fetch(`http://127.0.0.1:${p.appPort}/readyz`)).ok, 120_000);
    await waitFor(`${p.name} sidecar`, async () => {
      const res = await fetch(`http://127.0.0.1:${p.daprHttpPort}/v1.0/healthz`, { headers: { 'dapr-api-token': this.daprApiToken } });
      return res.status === 204 || res.ok;
    }, 120_000);
  }

  private spawnApp(p: ProcessInfo): void {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DUEFLOW_MODE: 'dapr',
      SERVICES: p.role,
      PORT: String(p.appPort),
      HOST: '127.0.0.1',
      DAPR_HTTP_PORT: String(p.daprHttpPort),
      APP_API_TOKEN: this.appApiToken,
      DAPR_API_TOKEN: this.daprApiToken,
      LOG_LEVEL: this.opts.logLevel ?? 'info',
      DATA_DIR: join(this.opts.runDir, 'data', p.name),
      // The public origin (sign-in from the web role's pages) is the web role's.
      PUBLIC_URL: this.webUrl,
      ...(p.role === 'web' ? { DUEFLOW_REALTIME_URL: `http://127.0.0.1:${this.get('realtime-0').appPort}` } : {}),
      ...this.opts.appEnv,
    };
    delete env['DATABASE_URL'];
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), 'serve', '--role', p.role], {
      cwd: ROOT,
      env,
      stdio: ['ignore', this.logFile(p.name), this.logFile(p.name)],
      detached: this.opts.detached ?? false,
    });
    p.app = child;
    this.supervise(p, child, 'app');
  }

  private spawnSidecar(p: ProcessInfo): void {
    const child = spawn(
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
        stdio: ['ignore', this.logFile(`${p.name}.daprd`), this.logFile(`${p.name}.daprd`)],
        env: { ...process.env, DAPR_HOST_IP: '127.0.0.1', POD_NAME: p.name, APP_API_TOKEN: this.appApiToken, DAPR_API_TOKEN: this.daprApiToken },
        detached: this.opts.detached ?? false,
      },
    );
    p.sidecar = child;
    this.supervise(p, child, 'sidecar');
  }

  /**
   * The local stand-in for a restart policy: a process that exits on its own (a sidecar that gives
   * up while Kafka is down, say) is started again after a pause. Stopped or killed on purpose: not.
   */
  private supervise(p: ProcessInfo, child: ChildProcess, kind: 'app' | 'sidecar'): void {
    child.once('exit', () => {
      if (this.stopping || (kind === 'app' ? p.app : p.sidecar) !== child) return;
      setTimeout(() => {
        if (this.stopping || (kind === 'app' ? p.app : p.sidecar) !== child) return;
        if (kind === 'app') this.spawnApp(p);
        else this.spawnSidecar(p);
      }, 2000).unref();
    });
  }

  /** Stops a role's app (and its sidecar unless `appOnly`) with the given signal; SIGKILL is a crash. */
  async stopRole(name: string, opts: { signal?: NodeJS.Signals; appOnly?: boolean; sidecarOnly?: boolean } = {}): Promise<void> {
    const p = this.get(name);
    const signal = opts.signal ?? 'SIGTERM';
    if (!opts.sidecarOnly) {
      const app = p.app;
      p.app = null;
      await kill(app, signal);
    }
    if (!opts.appOnly) {
      const sidecar = p.sidecar;
      p.sidecar = null;
      await kill(sidecar, signal);
    }
  }

  /** Starts what stopRole stopped (the app and/or the sidecar of a role). */
  async resumeRole(name: string): Promise<void> {
    const p = this.get(name);
    if (!p.app) this.spawnApp(p);
    if (!p.sidecar) this.spawnSidecar(p);
    await this.waitHealthy(p);
  }

  async start(): Promise<void> {
    this.prepare();
    await ensureWebBuild();
    await this.startScheduler();
    // The API first: it migrates the database.
    await this.startRole('api');
    await Promise.all([...this.procs.keys()].filter((n) => n !== 'api').map((n) => this.startRole(n)));
    this.writePids();
  }

  writePids(): void {
    const pids = [...this.procs.values()].flatMap((p) => [p.app?.pid, p.sidecar?.pid]).filter((x): x is number => typeof x === 'number');
    if (this.scheduler?.pid) pids.push(this.scheduler.pid);
    writeFileSync(join(this.opts.runDir, 'pids.json'), JSON.stringify(pids));
  }

  /** Lets this process exit while the children keep running (after `up`). */
  release(): void {
    for (const p of this.procs.values()) {
      p.app?.unref();
      p.sidecar?.unref();
    }
    this.scheduler?.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.procs.keys()].map((n) => this.stopRole(n)));
    await kill(this.scheduler, 'SIGTERM');
    this.scheduler = null;
  }

  /** Kills whatever an earlier `up` recorded in the run directory. */
  static downFromPids(runDir: string): void {
    const file = join(runDir, 'pids.json');
    if (!existsSync(file)) return;
    for (const pid of JSON.parse(readFileSync(file, 'utf8')) as number[]) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    rmSync(file);
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

