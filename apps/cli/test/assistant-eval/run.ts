// npm run eval:assistant [-- --floor=95] [--only=<category or case id prefix>] [--verbose]
// Runs every eval case through POST /api/v1/chat on the production wiring (embedded, in-memory PGlite,
// the clock fixed at EVAL_NOW and moving on from there), one new user per case, and prints accuracy per
// category. With --floor it fails (exit 1) below that overall accuracy or when any case touched a task
// it should not have.
import { type Client, clockReading, signUp, startSystem, type TaskJson, type TaskListJson } from '../harness.ts';
import { CASES } from './cases.ts';
import { judge, type Verdict } from './judge.ts';
import { EVAL_NOW, type EvalCase, resolveWhen } from './model.ts';

interface ChatJson {
  conversation_id: string;
  response: string;
}

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string | undefined]));
const floor = args.has('floor') ? Number(args.get('floor') ?? 95) : null;
const only = args.get('only');
const verbose = args.has('verbose');
const DEFAULT_TZ = 'Europe/Berlin';
const PARALLEL = 4;

async function seed(client: Client, c: EvalCase, tz: string): Promise<Map<string, TaskJson>> {
  const seeded = new Map<string, TaskJson>();
  for (const s of c.seed ?? []) {
    const body: Record<string, unknown> = { title: s.t };
    if (s.desc) body['description'] = s.desc;
    if (s.p) body['priority'] = s.p;
    if (s.tags) body['tags'] = s.tags;
    if (s.due) body['due_date'] = resolveWhen(s.due, tz);
    if (s.rem !== undefined) body['remind_before_minutes'] = s.rem;
    if (s.rep) body['recurring'] = s.rep;
    const res = await client.post<TaskJson>('/api/v1/tasks', body);
    if (res.status !== 201) throw new Error(`${c.id}: seeding "${s.t}" failed: ${res.status} ${JSON.stringify(res.body)}`);
    let task = res.body;
    if (s.done) task = (await client.patch<TaskJson>(`/api/v1/tasks/${task.id}/complete`, { completed: true })).body;
    const key = seeded.has(s.t) ? `${s.t}#${seeded.size}` : s.t;
    seeded.set(key, task);
  }
  return seeded;
}

async function allTasks(client: Client): Promise<TaskJson[]> {
  const res = await client.get<TaskListJson>('/api/v1/tasks?status=all&limit=200');
  return res.body.tasks;
}

async function runCase(url: string, c: EvalCase): Promise<{ verdict: Verdict; answers: string[] }> {
  const tz = c.tz ?? DEFAULT_TZ;
  const client = await signUp(url, { timezone: tz });
  const seeded = await seed(client, c, tz);
  const messages = (Array.isArray(c.say) ? c.say : [c.say]).map((m) =>
    m.replace(/\{([^}]+)\}/g, (_all, title: string) => {
      const task = seeded.get(title);
      if (!task) throw new Error(`${c.id}: no seeded task "${title}"`);
      return String(task.id);
    }),
  );
  const answers: string[] = [];
  let conversation_id: string | undefined;
  for (const message of messages) {
    const res = await client.post<ChatJson>('/api/v1/chat', conversation_id ? { conversation_id, message } : { message });
    if (res.status !== 200) {
      answers.push(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
      continue;
    }
    conversation_id = res.body.conversation_id;
    answers.push(res.body.response);
  }
  // Next occurrences of completed recurring tasks are made by an event consumer, just after the commit.
  await new Promise((r) => setTimeout(r, 30));
  const after = await allTasks(client);
  return { verdict: judge(c, tz, seeded, after, answers.at(-1) ?? ''), answers };
}

async function main() {
  const cases = CASES.filter((c) => !only || c.cat === only || c.id.startsWith(only));
  const started = Date.now();
  const ts = await startSystem({ CHAT_RATE_LIMIT_PER_MINUTE: '100000' }, { clock: clockReading(() => new Date(EVAL_NOW.getTime() + (Date.now() - started))) });
  const results: { c: EvalCase; verdict: Verdict; answers: string[] }[] = [];
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const c = cases[next++];
          if (!c) break;
          try {
            results.push({ c, ...(await runCase(ts.url, c)) });
          } catch (err) {
            results.push({ c, verdict: { ok: false, wrongTask: false, reasons: [`error: ${err instanceof Error ? err.message : String(err)}`] }, answers: [] });
          }
        }
      }),
    );
  } finally {
    await ts.stop();
  }

  results.sort((a, b) => CASES.indexOf(a.c) - CASES.indexOf(b.c));
  const out = (s: string) => process.stdout.write(`${s}\n`);
  for (const r of results.filter((x) => !x.verdict.ok)) {
    out(`✗ ${r.c.id} [${r.c.cat}]${r.verdict.wrongTask ? ' WRONG TASK' : ''}: ${JSON.stringify(r.c.say)}`);
    for (const reason of r.verdict.reasons) out(`    - ${reason}`);
    if (verbose) for (const a of r.answers) out(`    > ${a.replace(/\n/g, '\n      ')}`);
  }
  const categories = [...new Set(results.map((r) => r.c.cat))];
  out('');
  out(`assistant eval: ${results.length} cases through POST /api/v1/chat (built-in parser unless LLM_BASE_URL is set), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  out(`${'category'.padEnd(22)}${'cases'.padStart(6)}${'correct'.padStart(9)}${'accuracy'.padStart(10)}`);
  const row = (name: string, rs: typeof results) => {
    const ok = rs.filter((r) => r.verdict.ok).length;
    out(`${name.padEnd(22)}${String(rs.length).padStart(6)}${String(ok).padStart(9)}${`${((100 * ok) / Math.max(1, rs.length)).toFixed(1)}%`.padStart(10)}`);
    return ok;
  };
  for (const cat of categories) row(cat, results.filter((r) => r.c.cat === cat));
  const correct = row('overall', results);
  const clean = results.filter((r) => !r.verdict.wrongTask).length;
  const accuracy = (100 * correct) / Math.max(1, results.length);
  out(`never touches the wrong task: ${clean}/${results.length} (${((100 * clean) / Math.max(1, results.length)).toFixed(1)}%)`);
  if (floor !== null) {
    const pass = accuracy >= floor && clean === results.length;
    out(pass ? `floor met: ${accuracy.toFixed(1)}% ≥ ${floor}%, no wrong task` : `FLOOR NOT MET: ${accuracy.toFixed(1)}% (floor ${floor}%), ${results.length - clean} case(s) touched the wrong task`);
    process.exitCode = pass ? 0 : 1;
  }
}

await main();
