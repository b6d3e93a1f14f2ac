// Scale-out of the distributed mode, measured through the public URL (the web role) on the one-machine
// cluster, with 1 and then N replicas of the api and of each consumer role, side by side in one run:
//   sustained events/s through the whole chain: create (HTTP) → outbox → Kafka → consumers (audit,
//     notification, recurring; realtime) → WebSocket, at stepped offered loads;
//   at each load: p50/p99 event latency (event written → on the socket), sync latency (HTTP answer →
//     on the user's socket), the outbox lag (oldest unpublished event), and whether audit kept up;
//   memory (RSS) of every process at the end.
//   DUEFLOW_DAPR_DIR=… KAFKA_BROKERS=… DATABASE_URL=… node --import tsx bench/scale-out.ts
//   BENCH_REPLICAS=1,3  BENCH_RATES=10,20,40,80  BENCH_STEP_SECONDS=20  BENCH_USERS=24
// Hold /tmp/dueflow-coord/dist.lock and heavy.lock while it runs (fixed ports, whole machine).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { WebSocket } from 'ws';
import { Runner } from '../infra/dist/runner.ts';

const need = (n: string) => process.env[n] ?? (() => { throw new Error(`${n} is required`); })();
const REPLICAS = (process.env.BENCH_REPLICAS ?? '1,3').split(',').map(Number);
const RATES = (process.env.BENCH_RATES ?? '10,20,40,80').split(',').map(Number);
const STEP_S = Number(process.env.BENCH_STEP_SECONDS ?? 20);
const USERS = Number(process.env.BENCH_USERS ?? 24);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN : NaN);

interface User {
  token: string;
  ws: WebSocket;
}
interface Step {
  rate: number;
  offered: number;
  answered: number;
  delivered: number;
  audited: number;
  eventP50: number;
  eventP99: number;
  syncP50: number;
  syncP99: number;
  lagMax: number;
  errors: number;
}

async function signUp(base: string, i: number): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ name: `Load ${i}`, email: `load${i}-${Date.now()}@example.com`, password: 'correct horse battery' }),
  });
  if (res.status !== 200) throw new Error(`sign-up ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function runConfig(replicas: number, databaseUrl: string): Promise<{ steps: Step[]; memory: Map<string, number[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'dueflow-scale-'));
  const spec = replicas > 1 ? ['api', 'recurring', 'notification', 'audit', 'realtime'].map((r) => `${r}=${replicas}`).join(',') : 'realtime=1';
  const runner = await Runner.up({
    runDir: dir,
    daprDir: need('DUEFLOW_DAPR_DIR'),
    kafkaBrokers: need('KAFKA_BROKERS'),
    databaseUrl,
    set: ['AUTH_RATE_LIMIT_PER_MINUTE=100000'],
    replicas: spec,
    logLevel: 'warn',
  });
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const base = runner.webUrl;
  const sent = new Map<number, { answeredAt: number }>();
  const arrivals = new Map<number, { at: number; eventTime: number }>();
  const users: User[] = [];
  try {
    for (let i = 0; i < USERS; i++) {
      const token = await signUp(base, i);
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
      ws.on('message', (raw) => {
        const m = JSON.parse(raw.toString()) as { type: string; task_id?: number; change?: string; at?: string };
        if (m.type === 'task.changed' && m.change === 'created' && m.task_id !== undefined && !arrivals.has(m.task_id)) {
          arrivals.set(m.task_id, { at: now(), eventTime: Date.parse(m.at ?? '') });
        }
      });
      await new Promise((r) => ws.once('message', r));
      users.push({ token, ws });
    }
    // Every realtime replica delivering (new broadcast groups start at the newest offset).
    for (;;) {
      const u = users[0] as User;
      const res = await fetch(`${base}/api/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` }, body: JSON.stringify({ title: 'warm-up' }) });
      const { id } = (await res.json()) as { id: number };
      await sleep(1000);
      if (arrivals.has(id)) break;
    }
    const steps: Step[] = [];
    for (const rate of RATES) {
      const ids: number[] = [];
      let errors = 0;
      let lagMax = 0;
      const lagTimer = setInterval(() => {
        void sql
          .query<{ lag: number | null }>('SELECT extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox WHERE published_at IS NULL')
          .then((r) => (lagMax = Math.max(lagMax, r.rows[0]?.lag ?? 0)), () => undefined);
      }, 500);
      const started = now();
      const inFlight = new Set<Promise<void>>();
      let n = 0;
      // Open loop: the offered load does not wait for answers (at most 64 requests in flight).
      while (now() - started < STEP_S * 1000) {
        const due = started + (n * 1000) / rate;
        if (due > now()) await sleep(due - now());
        if (inFlight.size >= 64) await Promise.race(inFlight);
        const u = users[n % users.length] as User;
        const p: Promise<void> = fetch(`${base}/api/v1/tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` },
          body: JSON.stringify({ title: `load ${rate}/s #${n}`, tags: ['load'], due_date: new Date(Date.now() + 86_400_000).toISOString() }),
        })
          .then(async (res) => {
            if (res.status !== 201) {
              errors++;
              return;
            }
            const { id } = (await res.json()) as { id: number };
            sent.set(id, { answeredAt: now() });
            ids.push(id);
          })
          .catch(() => void errors++)
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        n++;
      }
      await Promise.all(inFlight);
      // What arrives within 10 s after the last write counts; later is a backlog.
      const deadline = now() + 10_000;
      while (ids.some((id) => !arrivals.has(id)) && now() < deadline) await sleep(100);
      clearInterval(lagTimer);
      const elapsed = (now() - started) / 1000;
      const delivered = ids.filter((id) => arrivals.has(id));
      const audited = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM activity_log WHERE task_id = ANY($1::bigint[])', [ids])).rows[0]?.n ?? 0;
      const event = delivered.map((id) => (arrivals.get(id)?.at ?? 0) - (arrivals.get(id)?.eventTime ?? 0));
      const sync = delivered.map((id) => (arrivals.get(id)?.at ?? 0) - (sent.get(id)?.answeredAt ?? 0));
      steps.push({
        rate,
        offered: n / Math.min(elapsed, STEP_S),
        answered: ids.length / STEP_S,
        delivered: delivered.length,
        audited,
        eventP50: pct(event, 50),
        eventP99: pct(event, 99),
        syncP50: pct(sync, 50),
        syncP99: pct(sync, 99),
        lagMax,
        errors,
      });
      process.stderr.write(`replicas ${replicas}, ${rate}/s: ${JSON.stringify(steps.at(-1))}\n`);
      // Let the backlog drain before the next step.
      for (let i = 0; i < 60; i++) {
        const pending = (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).rows[0]?.n ?? 0;
        if (pending === 0) break;
        await sleep(1000);
      }
      await sleep(2000);
    }
    const memory = new Map<string, number[]>();
    for (const p of (await runner.status()).processes) {
      const role = `${p.name.replace(/-\d+$/, '')} ${p.part === 'sidecar' ? 'daprd' : p.part}`;
      memory.set(role, [...(memory.get(role) ?? []), p.rssBytes ?? 0]);
    }
    return { steps, memory };
  } finally {
    for (const u of users) u.ws.close();
    await sql.end();
    await runner.down();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Array<{ replicas: number; steps: Step[]; memory: Map<string, number[]> }> = [];
for (const replicas of REPLICAS) {
  // A fresh database per configuration, on the server in DATABASE_URL.
  const admin = new pg.Client({ connectionString: need('DATABASE_URL') });
  await admin.connect();
  const name = `bench_scale_${replicas}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(need('DATABASE_URL'));
  url.pathname = `/${name}`;
  try {
    results.push({ replicas, ...(await runConfig(replicas, url.toString())) });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '–');
const out: string[] = [];
out.push(`scale-out through the web role, ${USERS} users with a socket each, ${STEP_S} s per load step, creates with a due date\n`);
out.push('| replicas | offered/s | answered/s | delivered | audited | event p50 | event p99 | sync p50 | sync p99 | outbox lag max | errors |');
out.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  for (const s of r.steps) {
    out.push(`| ${r.replicas} | ${s.offered.toFixed(1)} | ${s.answered.toFixed(1)} | ${s.delivered} | ${s.audited} | ${ms(s.eventP50)} | ${ms(s.eventP99)} | ${ms(s.syncP50)} | ${ms(s.syncP99)} | ${s.lagMax.toFixed(2)} s | ${s.errors} |`);
  }
}
out.push('\nmemory (RSS) at the end, per process of each role:\n');
out.push(`| process | ${results.map((r) => `${r.replicas} replica(s)`).join(' | ')} |`);
out.push(`|---|${results.map(() => '---').join('|')}|`);
const roles = [...new Set(results.flatMap((r) => [...r.memory.keys()]))].sort();
for (const role of roles) {
  out.push(`| ${role} | ${results.map((r) => (r.memory.get(role) ?? []).map((b) => `${(b / 1048576).toFixed(0)} MB`).join(', ') || '–').join(' | ')} |`);
}
out.push(`| total | ${results.map((r) => `${([...r.memory.values()].flat().reduce((a, b) => a + b, 0) / 1048576).toFixed(0)} MB`).join(' | ')} |`);
process.stdout.write(`${out.join('\n')}\n`);
