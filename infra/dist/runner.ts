// A handle on a one-machine cluster started the way people start it (`main.ts up`, which leaves the
// supervisor daemon running), for the distributed test suite and the benchmarks.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type ProcessInfo, ROOT } from './cluster.ts';
import { type ClusterState, readState, status, type SupervisorStatus, supervisor } from './control.ts';

export interface UpOptions {
  runDir: string;
  daprDir: string;
  kafkaBrokers: string;
  databaseUrl: string;
  /** `--env` files and `--set` pairs: the settings every role gets. */
  envFiles?: string[];
  set?: string[];
  /** `--replicas`, e.g. `api=3,recurring=3`. */
  replicas?: string;
  logLevel?: string;
  /** Extra environment of the `up` command itself (to show it does not reach the roles). */
  callerEnv?: Record<string, string>;
}

export class Runner {
  private constructor(
    readonly state: ClusterState,
    /** What `up` printed: stdout (the URL line) and stderr. */
    readonly upOutput: { stdout: string; stderr: string },
  ) {}

  /** Runs `main.ts up` (as infra/dist/up.sh does) and returns once it printed the URL. */
  static async up(o: UpOptions): Promise<Runner> {
    const args = ['--import', 'tsx', join(ROOT, 'infra/dist/main.ts'), 'up', '--run', o.runDir, '--dapr', o.daprDir, '--kafka', o.kafkaBrokers, '--database', o.databaseUrl];
    for (const f of o.envFiles ?? []) args.push('--env', f);
    for (const s of o.set ?? []) args.push('--set', s);
    if (o.replicas) args.push('--replicas', o.replicas);
    if (o.logLevel) args.push('--log-level', o.logLevel);
    // The suite's cluster goes when the suite goes, even if it dies without cleaning up.
    args.push('--exit-with-parent', String(process.pid));
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...o.callerEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) throw new Error(`up failed (${code}): ${stderr}`);
    const state = readState(o.runDir);
    if (!state) throw new Error(`up succeeded but left no state in ${o.runDir}`);
    return new Runner(state, { stdout, stderr });
  }

  get runDir(): string {
    return this.state.runDir;
  }
  get webUrl(): string {
    return this.state.webUrl;
  }
  get apiUrl(): string {
    return this.state.apiUrl;
  }
  get daprApiToken(): string {
    return this.state.daprApiToken;
  }

  get(name: string): ProcessInfo {
    const p = this.state.processes.find((x) => x.name === name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  }

  names(role: string): string[] {
    return this.state.processes.filter((p) => p.role === role).map((p) => p.name);
  }

  async status(): Promise<SupervisorStatus> {
    const s = await status(this.runDir);
    if (!s) throw new Error('the supervisor is not running');
    return s;
  }

  /** Stops a process (or only its app or sidecar) and keeps it down until `resumeRole`. */
  async stopRole(name: string, opts: { signal?: NodeJS.Signals; appOnly?: boolean; sidecarOnly?: boolean } = {}): Promise<void> {
    const part = opts.appOnly ? 'app' : opts.sidecarOnly ? 'sidecar' : undefined;
    await supervisor.stop(this.runDir, name, { ...(part ? { part } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  async resumeRole(name: string): Promise<void> {
    await supervisor.start(this.runDir, name);
  }

  async restart(target: string): Promise<string[]> {
    return (await supervisor.restart(this.runDir, target)).restarted;
  }

  /** `main.ts <args>` against this run directory (status, logs, down …): exit code and output. */
  async cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/dist/main.ts'), ...args, '--run', this.runDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    return { code, stdout, stderr };
  }

  async down(): Promise<void> {
    await this.cli('down');
  }
}
