// Event and sync latency, measured end to end over HTTP and the WebSocket:
//   event latency: outbox write (event time) → delivery to a consumer (the realtime service pushes it);
//   sync latency:  API write returns → the change arrives on another open connection of the user.
//   node --import tsx bench/event-latency.ts     embedded (one process, PGlite or DATABASE_URL)
//   BENCH_MODE=dist DUEFLOW_DAPR_DIR=… KAFKA_BROKERS=… DATABASE_URL=… node --import tsx bench/event-latency.ts
//                                                every role with its own daprd, through Kafka (hold dist.lock)
//   BENCH_WRITES=300 by default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { parseEnv } from '../apps/cli/src/config.ts';
import { createSystem } from '../apps/cli/src/system.ts';
import { Runner } from '../infra/dist/runner.ts';

const WRITES = Number(process.env.BENCH_WRITES ?? 300);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

interface Target {
  label: string;
  api: string;
  live: string;
  stop(): Promise<void>;
}

async function embedded(dir: string): Promise<Target> {
  const url = process.env.DATABASE_URL;
  const system = await createSystem({
    env: parseEnv({ PORT: '0', LOG_LEVEL: 'silent', SERVICES: 'api,recurring,notification,audit,realtime', DATA_DIR: dir, AUTH_RATE_LIMIT_PER_MINUTE: '1000' }),
    database: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null },
    ephemeralSecrets: true,
  });
  const base = (await system.start()) ?? '';
  return { label: `embedded, ${system.database.kind}`, api: base, live: base, stop: () => system.stop() };
}

async function distributed(dir: string): Promise<Target> {
  const need = (n: string) => process.env[n] ?? (() => { throw new Error(`${n} is required`); })();
  // Started the way people start it (infra/dist/main.ts up), measured through the public URL.
  const runner = await Runner.up({ runDir: dir, daprDir: need('DUEFLOW_DAPR_DIR'), kafkaBrokers: need('KAFKA_BROKERS'), databaseUrl: need('DATABASE_URL'), set: ['AUTH_RATE_LIMIT_PER_MINUTE=1000'], logLevel: 'warn' });
  return {
    label: 'distributed: daprd per role, Kafka, PostgreSQL; requests and socket through the web role',
    api: runner.webUrl,
    live: runner.webUrl,
    stop: () => runner.down(),
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'dueflow-bench-'));
  const target = process.env.BENCH_MODE === 'dist' ? await distributed(dir) : await embedded(dir);
  const base = target.api;
  const signup = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ name: 'Bench', email: `bench${Date.now()}@example.com`, password: 'correct horse battery' }),
  });
  const { token } = (await signup.json()) as { token: string };
  const ws = new WebSocket(`${target.live.replace('http', 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
  const arrivals = new Map<number, { at: number; eventTime: number }>();
  // Woken by the socket, never polled: a busy wait would take a core from the system under test.
  const waiting = new Map<number, () => void>();
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as { type: string; task_id?: number; change?: string; at?: string };
    if (m.type === 'task.changed' && m.change === 'created' && m.task_id !== undefined) {
      arrivals.set(m.task_id, { at: performance.timeOrigin + performance.now(), eventTime: Date.parse(m.at ?? '') });
      waiting.get(m.task_id)?.();
    }
  });
  await new Promise((r) => ws.once('message', r));

  const sync: number[] = [];
  const event: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const started = performance.timeOrigin + performance.now();
    const res = await fetch(`${base}/api/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ title: `bench ${i}`, tags: ['bench'] }),
    });
    const answered = performance.timeOrigin + performance.now();
    const { id } = (await res.json()) as { id: number };
    if (!arrivals.has(id)) {
      await new Promise<void>((resolveArrival) => {
        const timer = setTimeout(resolveArrival, 5000);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolveArrival();
        });
      });
      waiting.delete(id);
    }
    const a = arrivals.get(id);
    if (!a) throw new Error(`task ${id} never arrived`);
    api.push(answered - started);
    sync.push(a.at - answered);
    event.push(a.at - a.eventTime);
  }
  const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p99 ${pct(xs, 99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`;
  process.stdout.write(
    `${target.label}; ${WRITES} sequential creates\n` +
      `API create (request → response):        ${f(api)}\n` +
      `event latency (outbox write → consumer): ${f(event)}\n` +
      `sync latency (response → other socket):  ${f(sync)}\n`,
  );
  ws.close();
  await target.stop();
  rmSync(dir, { recursive: true, force: true });
}

await main();
