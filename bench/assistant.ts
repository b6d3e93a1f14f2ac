// The assistant's cost, side by side in one run on one embedded Dueflow:
//   parser:  parseMessage (quick add and the old reader) on a mix of messages, and understand (the reader the
//            chat uses) on the same mix and on every message of the eval set (µs each, in process);
//   HTTP:    in turns, POST /api/v1/tasks (a task from fields) vs POST /api/v1/tasks/quick-add (from a line of text)
//            vs POST /api/v1/chat (a message through the parser, the tool and the conversation store)
//            vs an MCP add_task call over Streamable HTTP (official SDK client; a server per request).
//   node --import tsx bench/assistant.ts          (PGlite; DATABASE_URL=… for PostgreSQL). BENCH_CALLS=200.
//   BENCH_PARSER_ONLY=1 measures the readers alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseMessage, understand } from '@dueflow/core';
import { CASES } from '../apps/cli/test/assistant-eval/cases.ts';
import { parseEnv } from '../apps/cli/src/config.ts';
import { createSystem } from '../apps/cli/src/system.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const fmt = (ms: number) => ms.toFixed(2);

const MESSAGES = [
  'add buy milk tomorrow at 5pm #errands high priority',
  'remind me to call mom on friday at 10am',
  'water plants every monday and thursday',
  "what's overdue?",
  'show high priority tasks tagged work',
  'move task 12 to next monday 9am',
  'complete "call mom"',
  'sort by due date',
  'qwzx plorf',
];

/** Runs the kinds in turns (a, b, c, d, a, b, …) so each sees the same load, warm-up and GC. */
async function interleaved(kinds: { label: string; run: (i: number) => Promise<unknown> }[]) {
  for (let i = 0; i < 10; i++) for (const k of kinds) await k.run(-1 - i);
  const times = kinds.map(() => [] as number[]);
  for (let i = 0; i < CALLS; i++) {
    for (const [n, k] of kinds.entries()) {
      const t = performance.now();
      await k.run(i);
      times[n]?.push(performance.now() - t);
    }
  }
  return kinds.map((k, n) => ({ label: k.label, p50: pct(times[n] ?? [], 50), p99: pct(times[n] ?? [], 99) }));
}

async function main() {
  const now = new Date();
  const parseRounds = 20_000;
  let t = performance.now();
  for (let i = 0; i < parseRounds; i++) parseMessage(MESSAGES[i % MESSAGES.length] ?? '', { now, timezone: 'Europe/Berlin' });
  const parseUs = ((performance.now() - t) * 1000) / parseRounds;
  t = performance.now();
  for (let i = 0; i < parseRounds; i++) understand(MESSAGES[i % MESSAGES.length] ?? '', { now, timezone: 'Europe/Berlin' });
  const understandUs = ((performance.now() - t) * 1000) / parseRounds;
  const evalMessages = CASES.flatMap((c) => (Array.isArray(c.say) ? c.say : [c.say]));
  t = performance.now();
  for (let i = 0; i < parseRounds; i++) understand(evalMessages[i % evalMessages.length] ?? '', { now, timezone: 'Europe/Berlin' });
  const evalUs = ((performance.now() - t) * 1000) / parseRounds;
  if (process.env.BENCH_PARSER_ONLY) {
    process.stdout.write(`parseMessage: ${parseUs.toFixed(1)} µs per message; understand: ${understandUs.toFixed(1)} µs (same mix), ${evalUs.toFixed(1)} µs over the ${evalMessages.length} eval messages (${(understandUs / parseUs).toFixed(2)}× parseMessage)\n`);
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'dueflow-bench-'));
  const url = process.env.DATABASE_URL;
  const system = await createSystem({
    env: parseEnv({ PORT: '0', LOG_LEVEL: 'silent', SERVICES: 'api,recurring,notification,audit,realtime', DATA_DIR: dir, CHAT_RATE_LIMIT_PER_MINUTE: '100000', AUTH_RATE_LIMIT_PER_MINUTE: '1000' }),
    database: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null },
    ephemeralSecrets: true,
  });
  const base = (await system.start()) ?? '';
  const signup = await fetch(`${base}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ name: 'Bench', email: `bench${Date.now()}@example.com`, password: 'correct horse battery', timezone: 'Europe/Berlin' }),
  });
  const { token } = (await signup.json()) as { token: string };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const mcp = new McpClient({ name: 'bench', version: '1' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));

  const rows = await interleaved([
    { label: 'POST /api/v1/tasks (fields)', run: (i) => post('/api/v1/tasks', { title: `Task ${i}`, priority: 'high', tags: ['bench'], due_date: '2031-01-02T17:00' }) },
    { label: 'POST /api/v1/tasks/quick-add', run: (i) => post('/api/v1/tasks/quick-add', { text: `Task ${i} jan 2 5pm #bench !high` }) },
    { label: 'POST /api/v1/chat (parser)', run: (i) => post('/api/v1/chat', { message: `add task ${i} jan 2 at 5pm #bench high priority` }) },
    { label: 'MCP add_task', run: (i) => mcp.callTool({ name: 'add_task', arguments: { title: `Task ${i}`, priority: 'high', tags: ['bench'], due_date: '2031-01-02T17:00' } }) },
  ]);
  await mcp.close();
  await system.stop();
  rmSync(dir, { recursive: true, force: true });

  const baseline = rows[0]?.p50 ?? 1;
  process.stdout.write(`assistant bench (${system.database.kind}, ${CALLS} sequential calls each, in turns, after 10 warm-up rounds)\n`);
  process.stdout.write(`parseMessage: ${parseUs.toFixed(1)} µs per message (${parseRounds} messages, ${MESSAGES.length} kinds)\n`);
  process.stdout.write(`understand:   ${understandUs.toFixed(1)} µs per message (same mix); ${evalUs.toFixed(1)} µs per message over the ${evalMessages.length} eval messages\n`);
  for (const r of rows) process.stdout.write(`${r.label.padEnd(32)} p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  (${(r.p50 / baseline).toFixed(2)}× the fields create at p50)\n`);
}

await main();
