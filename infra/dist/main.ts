// The one-machine distributed runner's command line (infra/dist/up.sh, down.sh and ctl.sh call it):
//   up --dapr DIR --kafka HOST:PORT --database URL [--env FILE]… [--set KEY=VALUE]… [--replicas api=2,…]
//      starts the supervisor daemon, waits until every role is healthy, prints the URL (stdout: only that)
//   status [--json] | restart TARGET | stop TARGET [--app|--sidecar] [--signal SIG] | start TARGET
//   logs TARGET [--sidecar] [-f] [-n LINES] | down
// TARGET is a role (every replica of it) or one process (realtime-1). All take --run DIR.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster, ROLE_NAMES, type RoleName, ROOT } from './cluster.ts';
import { childPidsFile, pidFile, readState, status, supervisor } from './control.ts';
import { inheritedEnv, loadSettings, SettingsError } from './settings.ts';
import type { RunnerConfig } from './supervisor.ts';

const USAGE = `usage: main.ts <command> [--run DIR]
  up --dapr DIR --kafka HOST:PORT --database URL [--env FILE]… [--set KEY=VALUE]… [--replicas ROLE=N,…]
  status [--json]            every process: pid, state, restarts, uptime, memory
  restart TARGET             stop and start (one replica after the other), waiting for health
  stop TARGET [--app|--sidecar] [--signal SIG]   keep it down until started
  start TARGET
  logs TARGET [--sidecar] [-f] [-n LINES]
  down                       stop everything the supervisor started
TARGET: a role (${ROLE_NAMES.join(', ')}: all its replicas) or one process (e.g. realtime-1).
`;

class UsageError extends Error {}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    run: { type: 'string', default: process.env.DUEFLOW_DIST_DIR ?? '/tmp/dueflow-dist' },
    dapr: { type: 'string' },
    kafka: { type: 'string' },
    database: { type: 'string' },
    env: { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    replicas: { type: 'string' },
    'exit-with-parent': { type: 'string' },
    'log-level': { type: 'string' },
    json: { type: 'boolean' },
    app: { type: 'boolean' },
    sidecar: { type: 'boolean' },
    signal: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
  },
});
const runDir = values.run as string;
const [command, target] = positionals;
const out = (s: string) => process.stdout.write(s);
const note = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function needTarget(): string {
  if (!target) throw new UsageError(`${command} needs a role or process name`);
  return target;
}

function parseReplicas(spec: string | undefined): Partial<Record<RoleName, number>> {
  const replicas: Partial<Record<RoleName, number>> = {};
  for (const item of (spec ?? '').split(',').filter(Boolean)) {
    const [role, n] = item.split('=');
    if (!ROLE_NAMES.includes(role as RoleName) || role === 'web' || !/^\d+$/.test(n ?? '') || Number(n) < 1) {
      throw new UsageError(`--replicas ${item}: expected ROLE=N with a role other than web and N ≥ 1`);
    }
    replicas[role as RoleName] = Number(n);
  }
  return replicas;
}

async function portFree(port: number): Promise<boolean> {
  const srv = createServer();
  return new Promise((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function up(): Promise<number> {
  const running = await status(runDir);
  if (running?.phase === 'ready') {
    note(`already running from ${runDir} (settings unchanged; infra/dist/down.sh first to change them)`);
    out(`${running.webUrl}\n`);
    return 0;
  }
  if (running) throw new UsageError(`a supervisor for ${runDir} is ${running.phase}; wait, or run down`);
  if (!values.dapr || !values.kafka || !values.database) throw new UsageError('up needs --dapr, --kafka and --database');
  const config: RunnerConfig = {
    daprDir: values.dapr,
    kafkaBrokers: values.kafka,
    databaseUrl: values.database,
    runDir,
    replicas: parseReplicas(values.replicas),
    settings: loadSettings(values.env ?? [], values.set ?? []),
    ...(values['log-level'] ? { logLevel: values['log-level'] } : {}),
    ...(values['exit-with-parent'] ? { exitWithParent: Number(values['exit-with-parent']) } : {}),
  };
  const cluster = new Cluster(config);
  for (const port of cluster.ports()) {
    if (!(await portFree(port))) throw new UsageError(`port ${port} on 127.0.0.1 is in use (another runner? stop it with infra/dist/down.sh)`);
  }
  mkdirSync(join(runDir, 'logs'), { recursive: true, mode: 0o700 });
  writeFileSync(join(runDir, 'runner.json'), JSON.stringify(config), { mode: 0o600 });
  const logPath = join(runDir, 'logs', 'supervisor.log');
  const log = openSync(logPath, 'a');
  const daemon = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/dist/supervisor.ts'), runDir], {
    cwd: ROOT,
    env: inheritedEnv() as NodeJS.ProcessEnv,
    stdio: ['ignore', log, log],
    detached: true,
  });
  let exited: number | null = null;
  daemon.once('exit', (code) => (exited = code ?? 1));
  daemon.unref();
  closeSync(log);
  note(`starting (first run builds the web UI, a minute or two); logs in ${join(runDir, 'logs')}`);
  for (;;) {
    await sleep(500);
    const s = await status(runDir);
    if (s?.phase === 'ready') {
      out(`${s.webUrl}\n`);
      return 0;
    }
    if (s?.phase === 'failed' || exited !== null) {
      note(`start failed: ${s?.error ?? `supervisor exited (${exited})`}\n--- ${logPath} (end)\n${tail(logPath, 20)}`);
      return 1;
    }
  }
}

async function down(): Promise<number> {
  const pidPath = pidFile(runDir);
  const pid = existsSync(pidPath) ? Number(readFileSync(pidPath, 'utf8')) : null;
  if (await status(runDir)) await supervisor.shutdown(runDir).catch(() => undefined);
  else if (pid) signal(pid, 'SIGTERM');
  for (let i = 0; pid && alive(pid) && i < 120; i++) await sleep(500);
  // A supervisor killed without a chance to stop its children leaves their pids behind.
  const orphans = existsSync(childPidsFile(runDir)) ? (JSON.parse(readFileSync(childPidsFile(runDir), 'utf8')) as number[]) : [];
  for (const p of orphans) signal(p, 'SIGTERM');
  out('stopped\n');
  return 0;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
};

async function showStatus(): Promise<number> {
  const s = await status(runDir);
  if (!s) {
    note(`no supervisor running for ${runDir}`);
    return 1;
  }
  if (values.json) {
    out(`${JSON.stringify(s, null, 2)}\n`);
    return 0;
  }
  const mb = (b: number | null) => (b === null ? '-' : `${(b / 1048576).toFixed(0)} MB`);
  const dur = (ms: number) => (ms === 0 ? '-' : ms < 120_000 ? `${Math.round(ms / 1000)}s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)}m` : `${(ms / 3_600_000).toFixed(1)}h`);
  const rows = [['NAME', 'PART', 'PID', 'STATE', 'RESTARTS', 'UPTIME', 'RSS', 'LAST EXIT']];
  for (const p of s.processes) {
    const exit = p.lastExit ? `${p.lastExit.signal ?? `code ${p.lastExit.code}`} at ${p.lastExit.at.slice(11, 19)}` : '-';
    rows.push([p.name, p.part, String(p.pid ?? '-'), p.state, String(p.restarts), dur(p.uptimeMs), mb(p.rssBytes), exit]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  const total = s.processes.reduce((n, p) => n + (p.rssBytes ?? 0), 0);
  out(`\n${s.phase}: ${s.webUrl} · ${s.processes.filter((p) => p.state === 'running').length}/${s.processes.length} processes running · ${mb(total)} resident in total\n`);
  return 0;
}

function tail(path: string, lines: number): string {
  if (!existsSync(path)) return '';
  const size = statSync(path).size;
  const len = Math.min(size, 256 * 1024);
  const buf = Buffer.alloc(len);
  const fd = openSync(path, 'r');
  readSync(fd, buf, 0, len, size - len);
  closeSync(fd);
  return buf.toString('utf8').split('\n').slice(-lines - 1).join('\n');
}

async function logs(): Promise<number> {
  const name = needTarget();
  const processes = readState(runDir)?.processes ?? [];
  const ofRole = processes.filter((p) => p.role === name).map((p) => p.name);
  // A process name, a role (all its replicas), or one of the runner's own logs (supervisor, scheduler, web-build).
  const names = processes.some((p) => p.name === name) || ofRole.length === 0 ? [name] : ofRole;
  const files = names.map((n) => join(runDir, 'logs', values.sidecar ? `${n}.daprd.log` : `${n}.log`));
  const lines = Number(values.lines ?? 100);
  for (const f of files) {
    if (!existsSync(f)) throw new UsageError(`no log ${f}`);
    if (files.length > 1) out(`==> ${f} <==\n`);
    out(tail(f, lines));
  }
  if (!values.follow) return 0;
  if (files.length > 1) throw new UsageError('-f follows one process: name it (e.g. realtime-1)');
  const f = files[0] as string;
  let pos = statSync(f).size;
  for (;;) {
    await sleep(500);
    const size = statSync(f).size;
    if (size < pos) pos = 0;
    if (size > pos) {
      const buf = Buffer.alloc(size - pos);
      const fd = openSync(f, 'r');
      readSync(fd, buf, 0, buf.length, pos);
      closeSync(fd);
      out(buf.toString('utf8'));
      pos = size;
    }
  }
}


async function main(): Promise<number> {
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down();
    case 'status':
      return showStatus();
    case 'restart':
      out(`restarted ${(await supervisor.restart(runDir, needTarget())).restarted.join(', ')}\n`);
      return 0;
    case 'stop': {
      const part = values.app ? 'app' : values.sidecar ? 'sidecar' : undefined;
      const r = await supervisor.stop(runDir, needTarget(), { ...(part ? { part } : {}), ...(values.signal ? { signal: values.signal as NodeJS.Signals } : {}) });
      out(`stopped ${r.stopped.join(', ')}${part ? ` (${part})` : ''}; \`start ${target}\` brings it back\n`);
      return 0;
    }
    case 'start':
      out(`started ${(await supervisor.start(runDir, needTarget())).started.join(', ')}\n`);
      return 0;
    case 'logs':
      return logs();
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = err instanceof UsageError || err instanceof SettingsError ? 2 : 1;
  },
);
