// Black-box smoke flows through Dueflow's public URL, as a user's programs reach it (Node fetch, a
// bearer token, the websocket). Run after every deploy (.github/workflows/deploy-environment.yml) and by
// the distributed suite against the local cluster's web role:
//   node --import tsx scripts/smoke.ts --url https://tasks.example.com [--timeout-seconds 90]
// Exits 0 when every flow passed; prints one line per flow and a closing "N passed, N failed".
// Leaves one throwaway account (smoke-<random>@example.com) whose tasks it deletes at the end.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({ options: { url: { type: 'string' }, 'timeout-seconds': { type: 'string', default: '90' } } });
if (!values.url) {
  process.stderr.write('usage: smoke.ts --url <public URL> [--timeout-seconds N]\n');
  process.exit(2);
}
const base = values.url.replace(/\/$/, '');
const timeoutMs = Number(values['timeout-seconds']) * 1000;

interface Task {
  id: number;
  title: string;
  recurring_parent_id: number | null;
}

let token = '';
async function call<T>(method: string, path: string, body?: unknown, expect = [200, 201, 204]): Promise<T> {
  // The public origin, as a browser on the site sends it (sign-in and sign-up check it).
  const headers: Record<string, string> = { origin: base };
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
async function flow(name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    process.stdout.write(`ok   ${name} (${Date.now() - t0} ms)\n`);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    results.push({ name, ok: false, ms: Date.now() - t0, error });
    process.stdout.write(`FAIL ${name}: ${error}\n`);
  }
}

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const made: number[] = [];
const tag = `smoke-${randomBytes(3).toString('hex')}`;
const seen: Array<{ type: string; task_id?: number }> = [];
let socket: WebSocket | null = null;

await flow('health and readiness', async () => {
  await call('GET', '/healthz');
  const ready = await call<{ status: string }>('GET', '/readyz');
  if (ready.status !== 'ready') throw new Error(`readyz says ${JSON.stringify(ready)}`);
  await call('GET', '/openapi.json');
});

await flow('sign up a throwaway account (bearer token)', async () => {
  const email = `${tag}@example.com`;
  const r = await call<{ token: string }>('POST', '/api/auth/sign-up/email', { name: 'Smoke test', email, password: `smoke-${randomBytes(12).toString('hex')}` });
  if (!r.token) throw new Error('no token in the sign-up answer');
  token = r.token;
  const me = await call<{ email: string }>('GET', '/api/v1/me');
  if (me.email !== email) throw new Error(`/me is ${me.email}`);
});

await flow('live updates: the websocket says hello', async () => {
  socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
  socket.on('message', (raw) => seen.push(JSON.parse(raw.toString()) as { type: string; task_id?: number }));
  socket.on('error', () => {});
  await until('hello on the websocket', async () => (seen.some((m) => m.type === 'hello') ? true : undefined));
});

await flow('create, find and see it live', async () => {
  const t = await call<Task>('POST', '/api/v1/tasks', { title: 'Smoke: water the plants', tags: [tag], priority: 'high' });
  made.push(t.id);
  const list = await call<{ tasks: Task[] }>('GET', `/api/v1/tasks?tags=${tag}`);
  if (!list.tasks.some((x) => x.id === t.id)) throw new Error('the new task is not listed');
  await until('task.changed on the websocket', async () => (seen.some((m) => m.type === 'task.changed' && m.task_id === t.id) ? true : undefined));
});

await flow('audit trail through the broker', async () => {
  const id = made[0];
  if (id === undefined) throw new Error('no task from the previous flow');
  await until('task.created in /activity', async () => {
    const a = await call<{ items: { event_type: string }[] }>('GET', `/api/v1/activity?task_id=${id}`);
    return a.items.some((i) => i.event_type === 'task.created') ? true : undefined;
  });
});

await flow('completing a recurring task creates the next occurrence', async () => {
  const t = await call<Task>('POST', '/api/v1/tasks', { title: 'Smoke: weekly review', tags: [tag], due_date: inMs(86_400_000), recurring: 'weekly' });
  made.push(t.id);
  await call('PATCH', `/api/v1/tasks/${t.id}/complete`, { completed: true });
  const next = await until('the next occurrence', async () => {
    const list = await call<{ tasks: Task[] }>('GET', `/api/v1/tasks?tags=${tag}&status=all&limit=200`);
    return list.tasks.find((x) => x.recurring_parent_id === t.id);
  });
  made.push(next.id);
});

await flow('a reminder a few seconds ahead is delivered', async () => {
  const t = await call<Task>('POST', '/api/v1/tasks', { title: 'Smoke: reminder', tags: [tag], reminder_at: inMs(5000) });
  made.push(t.id);
  await until('the notification', async () => {
    const n = await call<{ notifications: { task_id: number }[] }>('GET', '/api/v1/notifications');
    return n.notifications.some((x) => x.task_id === t.id) ? true : undefined;
  });
});

await flow('clean up', async () => {
  for (const id of made) await call('DELETE', `/api/v1/tasks/${id}`, undefined, [204, 404]);
  const list = await call<{ tasks: Task[] }>('GET', `/api/v1/tasks?tags=${tag}&status=all`);
  if (list.tasks.length > 0) throw new Error(`${list.tasks.length} task(s) left`);
});

(socket as WebSocket | null)?.close();
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
