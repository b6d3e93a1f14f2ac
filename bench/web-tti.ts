// Web UI performance in the system Chromium against `npm start` (a benchmark, not a test; not in CI):
//   (a) clean production build time of apps/web (rm -rf apps/web/.next, then the build; --skip-build skips it),
//   (b) first-load JS per page (signed in): every script the page loads until the network is idle, raw and gzip,
//   (c) per page, for a user with 1,000 tasks and one with 10, over cold-ish loads (a fresh browser context
//       each: empty cache, warm server): navigation start → the first task row in the DOM, and → the first
//       keystroke in "New task" echoing.
// With --before=<dir> (a checkout of an older commit with its own `npm ci`), the same measurements run
// against that tree's Dueflow too, side by side in one run, so the figures compare.
//
//   node --import tsx bench/web-tti.ts [--skip-build] [--loads=10] [--tasks=1000] [--before=/tmp/dueflow-before]
//        [--pages=/,/upcoming,/all] [--before-pages=/]
//   (needs Chromium: bash infra/chromium/install.sh)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from '../apps/cli/test/harness.ts';
import { freePort, launchChromium, newContext, REPO_ROOT } from '../apps/web/test/browser/harness.ts';

const { values: flags } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    loads: { type: 'string', default: '10' },
    tasks: { type: 'string', default: '1000' },
    before: { type: 'string' },
    pages: { type: 'string', default: '/,/upcoming,/all' },
    'before-pages': { type: 'string', default: '/' },
  },
  strict: true,
});
const LOADS = Number(flags.loads);
const BIG = Number(flags.tasks);
const SMALL = 10;
const PASSWORD = 'correct horse battery';
const BUILD_LOCK = '/tmp/dueflow-web-build.lock';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
const out = (line = '') => process.stdout.write(`${line}\n`);

/** Markdown-ish table with padded columns. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

interface Target {
  label: string;
  root: string;
  pages: string[];
}

function run(root: string, script: string): Promise<void> {
  return new Promise<void>((resolveRun, reject) => {
    const child = spawn('flock', [BUILD_LOCK, 'sh', '-c', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${script} failed (exit ${code})`))));
  });
}

/** Production build of `root`'s web UI; clean (rm -rf .next) and timed unless --skip-build. */
async function build(root: string, clean: boolean): Promise<number> {
  const cli = `exec ${JSON.stringify(process.execPath)} --import tsx apps/cli/src/main.ts build-web`;
  const started = performance.now();
  await run(root, clean ? `rm -rf ${JSON.stringify(join(root, 'apps', 'web', '.next'))} && ${cli}` : cli);
  return performance.now() - started;
}

interface Running {
  url: string;
  stop(): Promise<void>;
}

/** `npm start` of the tree at `root` on a free port with a fresh data directory. */
async function start(root: string): Promise<Running> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'dueflow-bench-'));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/cli/src/main.ts'), 'start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000' },
  });
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dueflow in ${root} exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { url, stop };
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dueflow in ${root} not ready in 180 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface User {
  email: string;
  storage?: Awaited<ReturnType<BrowserContext['storageState']>>;
}

/** A user with `tasks` tasks: due dates an hour apart from ~¼ overdue on, a quarter undated, some weekly. */
async function createUser(base: string, label: string, tasks: number): Promise<User> {
  const email = `bench-${label}-${Date.now()}@example.com`;
  const res = await new Client(base).post<{ token: string; user: { id: string } }>('/api/auth/sign-up/email', { name: `Bench ${label}`, email, password: PASSWORD, timezone: 'Europe/Berlin' });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  const client = new Client(base, res.body.token, res.body.user.id);
  const priorities = ['high', 'medium', 'low'] as const;
  const tags = ['home', 'work', 'errands', 'health', 'money'];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks; i = next++) {
      const due = new Date(Date.now() + (i - tasks / 4) * 3_600_000);
      const body = {
        title: `Task ${i + 1} ${['call', 'write', 'review', 'buy', 'plan'][i % 5]} ${tags[i % tags.length]}`,
        description: i % 3 === 0 ? `Notes for task ${i + 1}` : '',
        priority: priorities[i % 3],
        tags: [tags[i % tags.length], tags[(i + 2) % tags.length]],
        ...(i % 4 !== 0 ? { due_date: due.toISOString() } : {}),
        ...(i % 10 === 0 && i % 4 !== 0 ? { recurring: 'weekly' } : {}),
      };
      const created = await client.post('/api/v1/tasks', body);
      if (created.status !== 201) throw new Error(`create task failed: ${created.status} ${JSON.stringify(created.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { email };
}

async function signInThroughUi(browser: Browser, base: string, user: User): Promise<void> {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
  user.storage = await context.storageState();
  await context.close();
}

interface ScriptBytes {
  files: number;
  raw: number;
  gzip: number;
}

/** Every script the page loads until the network is idle, by request interception. */
async function firstLoadJs(browser: Browser, base: string, path: string, user?: User): Promise<ScriptBytes> {
  const context = await newContext(browser, base, user?.storage ? { storageState: user.storage } : {});
  const page = await context.newPage();
  const bodies: Array<Promise<Buffer>> = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') bodies.push(response.body());
  });
  await page.goto(path, { waitUntil: 'networkidle' });
  const buffers = await Promise.all(bodies);
  await context.close();
  return { files: buffers.length, raw: buffers.reduce((s, b) => s + b.length, 0), gzip: buffers.reduce((s, b) => s + gzipSync(b).length, 0) };
}

// Installed before any page script: notes when the first task row (an element with a positive
// data-task-id) enters the document. Works on any version of the UI.
const FIRST_ROW_OBSERVER = `(() => {
  const seen = () => document.querySelector('[data-task-id]:not([data-task-id^="-"])');
  const mark = () => { if (!window.__firstRow && seen()) { window.__firstRow = performance.now(); } };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
})();`;

interface Load {
  firstRow: number;
  inputEcho: number;
}

/** One cold-ish load of `path`: a fresh context (no cache), signed in with the user's cookies. */
async function measureLoad(browser: Browser, base: string, path: string, user: User): Promise<Load> {
  const context = await newContext(browser, base, { storageState: user.storage });
  const page: Page = await context.newPage();
  try {
    await page.addInitScript(FIRST_ROW_OBSERVER);
    await page.goto(path, { waitUntil: 'commit' });
    const box = page.getByRole('textbox', { name: 'New task', exact: true });
    await box.waitFor({ state: 'attached', timeout: 60_000 });
    let inputEcho = NaN;
    for (let attempt = 0; attempt < 500 && !Number.isFinite(inputEcho); attempt++) {
      await box.focus();
      await page.keyboard.insertText('a');
      inputEcho = await box.evaluate(
        (el) =>
          new Promise<number>((resolveEcho) => {
            const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame;
            raf(() => raf(() => resolveEcho((el as unknown as { value: string }).value === 'a' ? performance.now() : NaN)));
          }),
      );
      if (!Number.isFinite(inputEcho)) await box.fill('');
    }
    await page.waitForFunction(() => typeof (globalThis as { __firstRow?: number }).__firstRow === 'number', undefined, { timeout: 60_000 });
    const firstRow = await page.evaluate(() => (globalThis as { __firstRow?: number }).__firstRow ?? NaN);
    return { firstRow, inputEcho };
  } finally {
    await context.close();
  }
}

interface TargetResult {
  target: Target;
  buildMs: number;
  js: Map<string, ScriptBytes>;
  loads: Map<string, Record<'big' | 'small', Load[]>>;
}

async function measureTarget(browser: Browser, target: Target): Promise<TargetResult> {
  const buildMs = await build(target.root, !flags['skip-build']);
  const running = await start(target.root);
  try {
    const base = running.url;
    const [big, small] = await Promise.all([createUser(base, 'big', BIG), createUser(base, 'small', SMALL)]);
    await signInThroughUi(browser, base, big);
    await signInThroughUi(browser, base, small);
    const js = new Map<string, ScriptBytes>();
    for (const path of target.pages) js.set(path, await firstLoadJs(browser, base, path, small));
    js.set('/sign-in', await firstLoadJs(browser, base, '/sign-in'));
    const loads = new Map<string, Record<'big' | 'small', Load[]>>();
    for (const path of target.pages) {
      // One warm-up load each (first compile of the route's server code, caches); not counted.
      await measureLoad(browser, base, path, big);
      await measureLoad(browser, base, path, small);
      const per: Record<'big' | 'small', Load[]> = { big: [], small: [] };
      for (let i = 0; i < LOADS; i++) {
        per.big.push(await measureLoad(browser, base, path, big));
        per.small.push(await measureLoad(browser, base, path, small));
      }
      loads.set(path, per);
    }
    return { target, buildMs, js, loads };
  } finally {
    await running.stop();
  }
}

async function main(): Promise<void> {
  const targets: Target[] = [];
  if (flags.before) targets.push({ label: 'before', root: resolve(flags.before), pages: flags['before-pages'].split(',') });
  targets.push({ label: flags.before ? 'after' : 'this tree', root: REPO_ROOT, pages: flags.pages.split(',') });
  out(`Dueflow web bench — ${BIG} vs ${SMALL} tasks, ${LOADS} loads each; command: node --import tsx bench/web-tti.ts ${process.argv.slice(2).join(' ')}`);
  const browser = await launchChromium();
  const results: TargetResult[] = [];
  try {
    for (const target of targets) results.push(await measureTarget(browser, target));
  } finally {
    await browser.close();
  }

  out();
  out('(a) clean production build (rm -rf apps/web/.next; build-web)');
  for (const r of results) out(`  ${r.target.label} (${r.target.root}): ${flags['skip-build'] ? 'skipped (--skip-build)' : `${(r.buildMs / 1000).toFixed(1)} s`}`);
  out();
  out('(b) first-load JS (every script the page loads, signed in, until network idle)');
  out(
    table(
      ['tree', 'page', 'scripts', 'raw', 'gzip'],
      results.flatMap((r) => [...r.js].map(([path, b]) => [r.target.label, path, String(b.files), kb(b.raw), kb(b.gzip)])),
    ),
  );
  out();
  out(`(c) navigation start → first task row / "New task" echoes a key; ${LOADS} cold-ish loads each (fresh context)`);
  const rows: string[][] = [];
  for (const r of results) {
    for (const [path, per] of r.loads) {
      for (const metric of ['firstRow', 'inputEcho'] as const) {
        const b = per.big.map((l) => l[metric]);
        const s = per.small.map((l) => l[metric]);
        rows.push([r.target.label, path, metric === 'firstRow' ? 'first task row' : 'input echo', ms(pct(s, 50)), ms(pct(s, 95)), ms(pct(b, 50)), ms(pct(b, 95))]);
      }
    }
  }
  out(table(['tree', 'page', 'until', `${SMALL} tasks p50`, `${SMALL} p95`, `${BIG} tasks p50`, `${BIG} p95`], rows));
  if (results.length === 2) {
    const [before, after] = results as [TargetResult, TargetResult];
    const base = before.loads.get(before.target.pages[0] ?? '/');
    if (base) {
      out();
      out(`ratios after / before (before = ${before.target.pages[0]}), ${BIG} tasks p50, first task row:`);
      for (const [path, per] of after.loads) {
        out(`  ${path}: ${(pct(per.big.map((l) => l.firstRow), 50) / pct(base.big.map((l) => l.firstRow), 50)).toFixed(2)}×`);
      }
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
