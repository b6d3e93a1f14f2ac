// Recovery after a Kafka outage on the one-machine cluster, through the public URL: live clients are
// connected, Kafka is stopped, changes are made for BENCH_OUTAGE_SECONDS, Kafka is started again; how long
// after the broker accepts connections again until every change is on the clients' sockets, and how many
// arrived twice. BENCH_TRIALS outages in one run.
//   DUEFLOW_DAPR_DIR=… KAFKA_BROKERS=… DATABASE_URL=… node --import tsx bench/outage-recovery.ts
// Hold /tmp/dueflow-coord/dist.lock and heavy.lock while it runs (it stops and starts the shared Kafka).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Runner } from '../infra/dist/runner.ts';

const need = (n: string) => process.env[n] ?? (() => { throw new Error(`${n} is required`); })();
const TRIALS = Number(process.env.BENCH_TRIALS ?? 3);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_SECONDS ?? 25);
const CLIENTS = 4;
const root = new URL('..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sh = (script: string) => new Promise<void>((resolve, reject) => execFile('bash', [join(root, script)], (err) => (err ? reject(err) : resolve())));
const [kafkaHost, kafkaPort] = need('KAFKA_BROKERS').split(',')[0]!.split(':') as [string, string];
const accepts = () =>
  new Promise<boolean>((resolve) => {
    const s = connect(Number(kafkaPort), kafkaHost);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

const dir = mkdtempSync(join(tmpdir(), 'dueflow-outage-'));
const runner = await Runner.up({ runDir: dir, daprDir: need('DUEFLOW_DAPR_DIR'), kafkaBrokers: need('KAFKA_BROKERS'), databaseUrl: need('DATABASE_URL'), set: ['AUTH_RATE_LIMIT_PER_MINUTE=10000'], logLevel: 'warn' });
const base = runner.webUrl;
const results: Array<{ trial: number; changes: number; firstMs: number; p50Ms: number; p99Ms: number; lastMs: number; duplicates: number; missing: number }> = [];
const all: number[] = [];
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;
try {
  const res = await fetch(`${base}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ name: 'Outage', email: `outage${Date.now()}@example.com`, password: 'correct horse battery' }) });
  const token = ((await res.json()) as { token: string }).token;
  const seen = new Set<string>();
  const clientsWith = new Map<string, number>();
  const arrived = new Map<number, number>();
  let duplicates = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as { type: string; id?: string; task_id?: number; change?: string };
      if (!m.id) return;
      const key = `${i}:${m.id}`;
      if (seen.has(key)) {
        duplicates++;
        return;
      }
      seen.add(key);
      const n = (clientsWith.get(m.id) ?? 0) + 1;
      clientsWith.set(m.id, n);
      // Current when every client has it: the last client's arrival.
      if (m.type === 'task.changed' && m.change === 'created' && m.task_id !== undefined && n === CLIENTS) arrived.set(m.task_id, Date.now());
    });
    await new Promise((r) => ws.once('message', r));
    sockets.push(ws);
  }
  const create = async (title: string) => {
    const r = await fetch(`${base}/api/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ title }) });
    return ((await r.json()) as { id: number }).id;
  };
  // Every replica delivering before the first outage.
  for (;;) {
    const id = await create('warm-up');
    await sleep(1000);
    if (arrived.has(id)) break;
  }
  for (let trial = 1; trial <= TRIALS; trial++) {
    duplicates = 0;
    await sh('infra/kafka/stop.sh');
    const made: number[] = [];
    const until = Date.now() + OUTAGE_S * 1000;
    while (Date.now() < until) {
      made.push(await create(`outage ${trial}`));
      await sleep(1000);
    }
    const starting = sh('infra/kafka/start.sh');
    while (!(await accepts())) await sleep(50);
    const back = Date.now();
    await starting;
    const deadline = Date.now() + 120_000;
    while (made.some((id) => !arrived.has(id)) && Date.now() < deadline) await sleep(50);
    const times = made.filter((id) => arrived.has(id)).map((id) => (arrived.get(id) as number) - back).sort((a, b) => a - b);
    all.push(...times);
    results.push({ trial, changes: made.length, firstMs: times[0] ?? Number.NaN, p50Ms: pct(times, 50), p99Ms: pct(times, 99), lastMs: times.at(-1) ?? Number.NaN, duplicates, missing: made.length - times.length });
    process.stderr.write(`${JSON.stringify(results.at(-1))}\n`);
    await sleep(5000);
  }
  for (const ws of sockets) ws.close();
} finally {
  await runner.down();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`Kafka outages of ${OUTAGE_S} s with ${CLIENTS} live clients through the web role; time from the broker accepting connections again:\n`);
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
process.stdout.write('| outage | changes during it | first on every client | p50 | p99 | all on every client | duplicates | never arrived |\n|---|---|---|---|---|---|---|---|\n');
for (const r of results) process.stdout.write(`| ${r.trial} | ${r.changes} | ${sec(r.firstMs)} | ${sec(r.p50Ms)} | ${sec(r.p99Ms)} | ${sec(r.lastMs)} | ${r.duplicates} | ${r.missing} |\n`);
all.sort((a, b) => a - b);
process.stdout.write(`| all | ${all.length} | ${sec(all[0] ?? Number.NaN)} | ${sec(pct(all, 50))} | ${sec(pct(all, 99))} | ${sec(all.at(-1) ?? Number.NaN)} | ${results.reduce((a, r) => a + r.duplicates, 0)} | ${results.reduce((a, r) => a + r.missing, 0)} |\n`);
