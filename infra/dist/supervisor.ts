// The one-machine cluster's supervisor: a daemon that `main.ts up` starts and leaves running. It owns
// every process of the cluster (restarting what exits on its own, with back-off), answers `status`,
// `restart`, `stop`, `start` and `shutdown` on a Unix socket in the run directory, and stops everything
// it started when told to (or on SIGTERM). Its own log (one JSON line per event) is logs/supervisor.log.
//   node --import tsx infra/dist/supervisor.ts <run dir>      (reads <run dir>/runner.json)
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Cluster, type ClusterOptions, ROOT } from './cluster.ts';
import { type ClusterState, childPidsFile, pidFile, socketPath, stateFile, type SupervisorStatus } from './control.ts';
import { inheritedEnv } from './settings.ts';

/** What `up` hands the supervisor (runner.json, private to the owner). */
export interface RunnerConfig extends ClusterOptions {
  /** Stop everything when this process is gone (the test suite passes its own pid). */
  exitWithParent?: number;
}

const runDir = process.argv[2];
if (!runDir) {
  process.stderr.write('usage: supervisor.ts <run dir>\n');
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(runDir, 'runner.json'), 'utf8')) as RunnerConfig;
const log = (msg: string, fields: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg, ...fields })}\n`);

const cluster = new Cluster(config);
let phase: SupervisorStatus['phase'] = 'starting';
let failure: string | undefined;
cluster.onExit = (name, part, code, signal, restartInMs) => {
  log('process exited', { name, part, code, signal, restart_in_ms: restartInMs });
  writePids();
};

function writePids(): void {
  writeFileSync(childPidsFile(runDir as string), JSON.stringify(cluster.pids()));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  void (async () => {
    try {
      if (req.method === 'GET' && req.url === '/status') {
        return send(res, 200, { phase, ...(failure ? { error: failure } : {}), webUrl: cluster.webUrl, processes: cluster.status() } satisfies SupervisorStatus);
      }
      if (req.method !== 'POST') return send(res, 404, { error: `no ${req.method} ${req.url}` });
      const body = await readBody(req);
      if (req.url === '/shutdown') {
        send(res, 200, { stopping: true });
        return void shutdown('shutdown requested');
      }
      if (phase !== 'ready') return send(res, 409, { error: `the cluster is ${phase}` });
      if (req.url === '/restart') {
        const target = String(body['target'] ?? '');
        log('restart requested', { target });
        const restarted = await cluster.restart(target);
        writePids();
        return send(res, 200, { restarted });
      }
      if (req.url === '/stop') {
        const names = cluster.namesOf(String(body['name'] ?? ''));
        const part = body['part'];
        const signal = (typeof body['signal'] === 'string' ? body['signal'] : 'SIGTERM') as NodeJS.Signals;
        log('stop requested', { names, part, signal });
        for (const n of names) await cluster.stopRole(n, { signal, appOnly: part === 'app', sidecarOnly: part === 'sidecar' });
        writePids();
        return send(res, 200, { stopped: names });
      }
      if (req.url === '/start') {
        const names = cluster.namesOf(String(body['name'] ?? ''));
        log('start requested', { names });
        for (const n of names) await cluster.resumeRole(n);
        writePids();
        return send(res, 200, { started: names });
      }
      return send(res, 404, { error: `no POST ${req.url}` });
    } catch (err) {
      send(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
  })();
});

let shuttingDown = false;
async function shutdown(reason: string, code = 0): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  phase = 'stopping';
  log('stopping everything', { reason });
  await cluster.stop().catch((err: unknown) => log('stop failed', { err: String(err) }));
  rmSync(stateFile(runDir as string), { force: true });
  rmSync(childPidsFile(runDir as string), { force: true });
  rmSync(pidFile(runDir as string), { force: true });
  server.close();
  rmSync(socketPath(runDir as string), { force: true });
  log('stopped');
  process.exit(code);
}

/** `next build` when the UI's sources changed, its output in its own log (not the runner's stdout). */
function buildWeb(): Promise<void> {
  const out = openSync(join(runDir as string, 'logs', 'web-build.log'), 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), 'build-web'], {
      cwd: ROOT,
      env: inheritedEnv() as NodeJS.ProcessEnv,
      stdio: ['ignore', out, out],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the web UI failed (exit ${code}); see logs/web-build.log`))));
  });
}

async function main(): Promise<void> {
  mkdirSync(join(runDir as string, 'logs'), { recursive: true });
  writeFileSync(pidFile(runDir as string), String(process.pid));
  rmSync(socketPath(runDir as string), { force: true });
  await new Promise<void>((r) => server.listen(socketPath(runDir as string), r));
  chmodSync(socketPath(runDir as string), 0o600);
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (config.exitWithParent) {
    const parent = config.exitWithParent;
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        void shutdown(`parent ${parent} is gone`);
      }
    }, 1000).unref();
  }
  log('starting', { run_dir: runDir, replicas: config.replicas ?? {}, settings: Object.keys(config.settings ?? {}) });
  try {
    await buildWeb();
    await cluster.start();
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
    phase = 'failed';
    log('start failed', { err: failure });
    // Answer status a little longer, so `up` can report why.
    await new Promise((r) => setTimeout(r, 3000));
    return shutdown('start failed', 1);
  }
  writePids();
  const state: ClusterState = {
    runDir: runDir as string,
    webUrl: cluster.webUrl,
    apiUrl: cluster.apiUrl,
    appApiToken: cluster.appApiToken,
    daprApiToken: cluster.daprApiToken,
    supervisorPid: process.pid,
    processes: [...cluster.procs.values()],
  };
  writeFileSync(stateFile(runDir as string), JSON.stringify(state, null, 2), { mode: 0o600 });
  phase = 'ready';
  log('ready', { url: cluster.webUrl });
}

if (existsSync(join(runDir, 'runner.json'))) void main();
