// Footprint, start-up, throughput and isolation of `npm start`, side by side for two checkouts in one run:
// BENCH_BEFORE (a checkout of an older commit, e.g. a detached git worktree) and this checkout.
//
//   git worktree add --detach /tmp/dueflow-before <commit> && (cd /tmp/dueflow-before && npm ci)
//   BENCH_BEFORE=/tmp/dueflow-before node --import tsx bench/footprint.ts
//
// For each checkout and database (the embedded default; PostgreSQL too when BENCH_DATABASE_URL names a
// server whose user may create databases) it starts `npm start` on a fresh DATA_DIR and reports:
// - first start and restart to a healthy /healthz (the web UI is built beforehand, outside the timing);
// - memory of the whole process tree at idle (npm, node, database server processes), per process: the
//   sum of PSS (shared pages such as the database's shared buffers counted once) and the sum of RSS;
// - throughput with 16 concurrent clients for one user: create (up to BENCH_TASKS tasks), then list
//   pending by due date 50 a page and search a word over those tasks;
// - another user's small list and /healthz latency (p50/p99) while the first user runs 16 concurrent
//   searches over BENCH_STORM_TASKS tasks;
// - the peak memory of the tree over all of the above (sampled every 100 ms).
// VIKUNJA_BIN is not used here: the comparison with Vikunja needs a Vikunja binary, which this machine
// builds outside the repository; without it that column is skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree, rssSampler, sleep, startGroup, treePssMb, treeRssMb, waitFor } from './lib/processes.ts';

const HERE = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BEFORE = process.env.BENCH_BEFORE;
const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const STORM_TASKS = Number(process.env.BENCH_STORM_TASKS ?? 20_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BASE_PORT = Number(process.env.BENCH_PORT ?? 23100);
const PG_URL = process.env.BENCH_DATABASE_URL;

interface Target {
  label: string;
  dir: string;
  database: 'embedded' | 'postgres';
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function call(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolveCall, reject) => {
    const req = request(base + path, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveCall({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.end(payload);
  });
}

async function signUp(base: string, name: string): Promise<string> {
  // Plain Node HTTP, no Origin header: what a script or a native client sends.
  const res = await call(base, 'POST', '/api/auth/sign-up/email', null, { name, email: `${name}-${Date.now()}@bench.example`, password: 'correct horse battery' });
  if (res.status !== 200) throw new Error(`sign-up: ${res.status} ${res.text}`);
  return (JSON.parse(res.text) as { token: string }).token;
}

const WORDS = ['milk', 'report', 'dentist', 'invoice', 'slides', 'bike', 'tickets', 'garden'];
const VERBS = ['Buy', 'Call', 'Write', 'Review', 'Plan', 'Fix', 'Send', 'Book'];
function taskBody(i: number) {
  const due = i % 5 === 4 ? undefined : new Date(Date.UTC(2027, 0, 1) + ((i * 7919) % 730) * 86_400_000).toISOString();
  return {
    title: `${VERBS[i % 8]} ${WORDS[Math.floor(i / 8) % 8]} #${i}`,
    priority: (['high', 'medium', 'low'] as const)[i % 3],
    tags: [`tag${i % 10}`],
    ...(due ? { due_date: due } : {}),
  };
}

interface Load {
  ok: number;
  errors: number;
  rps: number;
  latencies: number[];
}

/** `clients` loops calling `one(i)` until `until()` says stop; i counts calls across all loops. */
async function drive(clients: number, until: (i: number, elapsedMs: number) => boolean, one: (i: number) => Promise<number>): Promise<Load> {
  let next = 0;
  let ok = 0;
  let errors = 0;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (until(i, performance.now() - start)) return;
        const t = performance.now();
        try {
          const status = await one(i);
          if (status >= 200 && status < 300) ok++;
          else errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { ok, errors, rps: ok / seconds, latencies };
}

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

interface Result {
  firstStartMs: number;
  restartMs: number;
  idleMb: number;
  idlePssMb: number;
  idlePerProcess: string;
  createRps: string;
  createP50: number;
  listRps: string;
  searchRps: string;
  neighbourListP50: number;
  neighbourListP99: number;
  healthP50: number;
  healthP99: number;
  stormRps: string;
  peakMb: number;
  peakPssMb: number;
  peakPerProcess: string;
}

function fmtLoad(l: Load) {
  return `${Math.round(l.rps)}${l.errors ? ` (+${l.errors} non-2xx)` : ''}`;
}

function perProcess(rows: Array<{ name: string; rssKb: number }>) {
  const by = new Map<string, { n: number; kb: number }>();
  for (const r of rows) {
    const e = by.get(r.name) ?? { n: 0, kb: 0 };
    e.n++;
    e.kb += r.rssKb;
    by.set(r.name, e);
  }
  return [...by].map(([name, e]) => `${name}${e.n > 1 ? `×${e.n}` : ''} ${Math.round(e.kb / 1024)}`).join(', ');
}

function prepare(t: Target) {
  // The web UI (and, where there is one, the server build) are made once, outside the timings.
  const hasBuild = JSON.parse(execFileSync('node', ['-e', 'process.stdout.write(JSON.stringify(require("./package.json").scripts))'], { cwd: t.dir }).toString()) as Record<string, string>;
  const script = hasBuild['build'] ? 'build' : 'build:web';
  execFileSync('npm', ['run', '--silent', script], { cwd: t.dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

let dbCounter = 0;
async function run(t: Target, port: number): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dueflow-footprint-'));
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // One user's throughput is what is measured: no request rate limit (the per-user concurrency
    // limit stays at its default, as it is what keeps other users answered).
    API_RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    BETTER_AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  };
  let dbName: string | null = null;
  if (t.database === 'postgres') {
    if (!PG_URL) throw new Error('BENCH_DATABASE_URL is not set');
    const name = `footprint_${process.pid}_${++dbCounter}`;
    dbName = name;
    execFileSync('psql', [PG_URL, '-qc', `CREATE DATABASE ${name}`]);
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    env['DATABASE_URL'] = u.toString();
  }
  const start = () => {
    const since = performance.now();
    const s = startGroup('npm', ['start', '--silent'], { cwd: t.dir, env });
    return { s, since };
  };
  try {
    let { s, since } = start();
    const firstStartMs = await waitFor(`${base}/healthz`, 120_000, since, () => s.child.exitCode === null).catch((e: Error) => {
      throw new Error(`${e.message}\n${s.output()}`);
    });
    await sleep(1000);
    await s.stop();
    ({ s, since } = start());
    const restartMs = await waitFor(`${base}/healthz`, 120_000, since, () => s.child.exitCode === null);
    const pid = s.child.pid ?? 0;
    await sleep(5000);
    const idleTree = processTree(pid);
    const idleMb = treeRssMb(pid);
    const idlePssMb = treePssMb(pid);
    const sampler = rssSampler(pid, 100);

    const big = await signUp(base, 'big');
    const small = await signUp(base, 'small');
    for (let i = 0; i < 20; i++) await call(base, 'POST', '/api/v1/tasks', small, taskBody(i));

    const create = await drive(CLIENTS, (i) => i >= TASKS, (i) => call(base, 'POST', '/api/v1/tasks', big, taskBody(i)).then((r) => r.status));
    const createP50 = pct(create.latencies, 50);
    const seconds = (_i: number, ms: number) => ms >= SECONDS * 1000;
    const list = await drive(CLIENTS, seconds, () => call(base, 'GET', '/api/v1/tasks?status=pending&sort=due_date&order=asc&limit=50', big).then((r) => r.status));
    const search = await drive(CLIENTS, seconds, (i) => call(base, 'GET', `/api/v1/tasks?search=${WORDS[i % 8]}`, big).then((r) => r.status));

    // The storm: the big user grows to STORM_TASKS tasks, then searches 16 at a time while the small
    // user lists five tasks and another client polls /healthz, one request after another.
    await drive(CLIENTS, (i) => i >= STORM_TASKS - TASKS, (i) => call(base, 'POST', '/api/v1/tasks', big, taskBody(TASKS + i)).then((r) => r.status));
    let stormOn = true;
    const stormP = drive(CLIENTS, () => !stormOn, (i) => call(base, 'GET', `/api/v1/tasks?search=${WORDS[i % 8]}`, big).then((r) => r.status));
    await sleep(500);
    const neighbour: number[] = [];
    const health: number[] = [];
    const probe = async (path: string, token: string | null, into: number[]) => {
      const end = performance.now() + SECONDS * 1000;
      while (performance.now() < end) {
        const t0 = performance.now();
        const r = await call(base, 'GET', path, token);
        into.push(performance.now() - t0);
        if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
        await sleep(20);
      }
    };
    await Promise.all([probe('/api/v1/tasks?limit=5', small, neighbour), probe('/healthz', null, health)]);
    stormOn = false;
    const storm = await stormP;
    const peak = sampler.stop();
    const peakTree = processTree(pid);
    await s.stop();
    return {
      firstStartMs,
      restartMs,
      idleMb,
      idlePssMb,
      idlePerProcess: perProcess(idleTree),
      createRps: fmtLoad(create),
      createP50,
      listRps: fmtLoad(list),
      searchRps: fmtLoad(search),
      neighbourListP50: pct(neighbour, 50),
      neighbourListP99: pct(neighbour, 99),
      healthP50: pct(health, 50),
      healthP99: pct(health, 99),
      stormRps: fmtLoad(storm),
      peakMb: peak.peakMb,
      peakPssMb: peak.peakPssMb,
      peakPerProcess: `${Object.entries(peak.perProcessMb)
        .map(([n, mb]) => `${n} ${Math.round(mb)}`)
        .join(', ')} (at the end: ${perProcess(peakTree)})`,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName && PG_URL) execFileSync('psql', [PG_URL, '-qc', `DROP DATABASE IF EXISTS ${dbName}`]);
  }
}

const targets: Target[] = [];
const databases = (process.env.BENCH_DATABASES ?? (PG_URL ? 'embedded,postgres' : 'embedded')).split(',') as Array<'embedded' | 'postgres'>;
for (const database of databases) {
  if (BEFORE) targets.push({ label: `before (${database})`, dir: resolve(BEFORE), database });
  targets.push({ label: `after (${database})`, dir: HERE, database });
}

for (const t of targets) if (t.database === databases[0]) prepare(t);
const results: Array<[Target, Result]> = [];
let port = BASE_PORT;
for (const t of targets) {
  process.stderr.write(`running ${t.label} …\n`);
  const r = await run(t, port++);
  results.push([t, r]);
  process.stderr.write(`${JSON.stringify(r)}\n`);
}

const ms = (x: number) => `${Math.round(x)} ms`;
const rows: Array<[string, (r: Result) => string]> = [
  ['first start, empty DATA_DIR', (r) => ms(r.firstStartMs)],
  ['restart to healthy', (r) => ms(r.restartMs)],
  ['idle memory, process tree: PSS (sum of RSS)', (r) => `${Math.round(r.idlePssMb)} MB (${Math.round(r.idleMb)} MB)`],
  ['peak memory, process tree: PSS (sum of RSS)', (r) => `${Math.round(r.peakPssMb)} MB (${Math.round(r.peakMb)} MB)`],
  [`create, ${CLIENTS} clients (req/s)`, (r) => r.createRps],
  ['create p50 latency', (r) => `${r.createP50.toFixed(1)} ms`],
  [`list pending by due date, 50/page, ${TASKS} tasks (req/s)`, (r) => r.listRps],
  [`search a word, ${TASKS} tasks (req/s)`, (r) => r.searchRps],
  [`storm: ${CLIENTS} searches at once, ${STORM_TASKS} tasks (req/s)`, (r) => r.stormRps],
  ["another user's list of 5 during the storm, p50 / p99", (r) => `${ms(r.neighbourListP50)} / ${ms(r.neighbourListP99)}`],
  ['/healthz during the storm, p50 / p99', (r) => `${ms(r.healthP50)} / ${ms(r.healthP99)}`],
];
const out: string[] = [];
out.push(`| | ${results.map(([t]) => t.label).join(' | ')} |`);
out.push(`|---|${results.map(() => '---').join('|')}|`);
for (const [name, f] of rows) out.push(`| ${name} | ${results.map(([, r]) => f(r)).join(' | ')} |`);
out.push('');
for (const [t, r] of results) out.push(`- ${t.label}: idle per process (MB): ${r.idlePerProcess}; peak per process (MB): ${r.peakPerProcess}`);
if (!process.env.VIKUNJA_BIN) out.push('- Vikunja: skipped (VIKUNJA_BIN is not set).');
process.stdout.write(`${out.join('\n')}\n`);
agent.destroy();
