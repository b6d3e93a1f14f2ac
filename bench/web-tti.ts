// Web UI performance in the system Chromium against `npm start` (a benchmark, not a test; not in CI):
//   (a) clean production build time of apps/web (rm -rf apps/web/.next, then the build; --skip-build skips it),
//   (b) first-load JS of / (signed in) and /sign-in: every script the page loads, raw and gzip bytes,
//   (c) time to interactive of the task list for a user with 1,000 tasks and one with 10, over cold-ish
//       loads (a fresh browser context each: empty cache, warm server): navigation start →
//       performance.mark('dueflow:tasks-ready') and → the first keystroke in "New task" echoing.
//
//   node --import tsx bench/web-tti.ts [--skip-build] [--loads=10] [--tasks=1000]
//   (needs Chromium: bash infra/chromium/install.sh)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from '../apps/cli/test/harness.ts';
import { buildAndStartDueflow, type Dueflow, launchChromium, newContext, REPO_ROOT } from '../apps/web/test/browser/harness.ts';

const { values: flags } = parseArgs({
  options: {
    'skip-build': { type: 'boolean', default: false },
    loads: { type: 'string', default: '10' },
    tasks: { type: 'string', default: '1000' },
  },
  strict: true,
});
const LOADS = Number(flags.loads);
const BIG = Number(flags.tasks);
const SMALL = 10;
const PASSWORD = 'correct horse battery';

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

async function timeCleanBuild(): Promise<number> {
  // Under the machine-wide build lock, like every build of apps/web (they share apps/web/.next).
  const script = `rm -rf ${JSON.stringify(join(REPO_ROOT, 'apps', 'web', '.next'))} && exec ${JSON.stringify(process.execPath)} --import tsx apps/cli/src/main.ts build-web`;
  const started = performance.now();
  await new Promise<void>((resolveBuild, reject) => {
    const child = spawn('flock', ['/tmp/dueflow-web-build.lock', 'sh', '-c', script], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveBuild() : reject(new Error(`build failed (exit ${code})`))));
  });
  return performance.now() - started;
}

interface User {
  email: string;
  client: Client;
  /** Cookies of a browser session, signed in through the UI once. */
  storage?: Awaited<ReturnType<BrowserContext['storageState']>>;
}

async function createUser(base: string, label: string, tasks: number): Promise<User> {
  const email = `bench-${label}-${Date.now()}@example.com`;
  const res = await new Client(base).post<{ token: string; user: { id: string } }>('/api/auth/sign-up/email', { name: `Bench ${label}`, email, password: PASSWORD, timezone: 'Europe/Berlin' });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  const client = new Client(base, res.body.token, res.body.user.id);
  const priorities = ['high', 'medium', 'low'] as const;
  const tags = ['home', 'work', 'errands', 'health', 'money'];
  let next = 0;
  // Modest parallelism: 8 requests in flight.
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
  return { email, client };
}

async function signInThroughUi(browser: Browser, base: string, user: User): Promise<void> {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
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

interface Load {
  tasksReady: number;
  inputEcho: number;
  domContentLoaded: number;
}

/** One cold-ish load of /: a fresh context (no cache), signed in with the user's cookies. */
async function measureLoad(browser: Browser, base: string, user: User): Promise<Load> {
  const context = await newContext(browser, base, { storageState: user.storage });
  const page: Page = await context.newPage();
  try {
    await page.goto('/', { waitUntil: 'commit' });
    // First input: as soon as "New task" exists, type one character; it counts once the page's own
    // code has handled it and the box shows it after a frame. Retried until it does.
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
    await page.waitForFunction(() => performance.getEntriesByName('dueflow:tasks-ready').length > 0, undefined, { timeout: 60_000 });
    const timings = await page.evaluate(() => {
      // The browser's Performance (typed here as Node's, which has no navigation entries).
      const browserPerformance = performance as unknown as { getEntriesByType(type: string): Array<{ domContentLoadedEventEnd: number }> };
      const nav = browserPerformance.getEntriesByType('navigation')[0];
      return {
        tasksReady: performance.getEntriesByName('dueflow:tasks-ready')[0]?.startTime ?? NaN,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN,
      };
    });
    return { ...timings, inputEcho };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  out(`Dueflow web bench — ${BIG} vs ${SMALL} tasks, ${LOADS} loads each; command: node --import tsx bench/web-tti.ts${flags['skip-build'] ? ' --skip-build' : ''}`);
  const buildMs = flags['skip-build'] ? NaN : await timeCleanBuild();
  let dueflow: Dueflow | undefined;
  let browser: Browser | undefined;
  try {
    dueflow = await buildAndStartDueflow({ AUTH_RATE_LIMIT_PER_MINUTE: '1000', LOG_LEVEL: 'warn' });
    const base = dueflow.url;
    const seedStart = performance.now();
    const [big, small] = await Promise.all([createUser(base, 'big', BIG), createUser(base, 'small', SMALL)]);
    const seedMs = performance.now() - seedStart;
    browser = await launchChromium();
    await signInThroughUi(browser, base, big);
    await signInThroughUi(browser, base, small);

    const home = await firstLoadJs(browser, base, '/', small);
    const signIn = await firstLoadJs(browser, base, '/sign-in');

    // One warm-up load each (first compile of the route's server code, caches); not counted.
    await measureLoad(browser, base, big);
    await measureLoad(browser, base, small);
    const loads: Record<'big' | 'small', Load[]> = { big: [], small: [] };
    for (let i = 0; i < LOADS; i++) {
      loads.big.push(await measureLoad(browser, base, big));
      loads.small.push(await measureLoad(browser, base, small));
    }

    out();
    out(`(a) clean production build (rm -rf apps/web/.next; build-web): ${flags['skip-build'] ? 'skipped (--skip-build)' : `${(buildMs / 1000).toFixed(1)} s`}`);
    out();
    out('(b) first-load JS (every script the page loads, until network idle)');
    out(
      table(
        ['page', 'scripts', 'raw', 'gzip'],
        [
          ['/ (signed in)', String(home.files), kb(home.raw), kb(home.gzip)],
          ['/sign-in', String(signIn.files), kb(signIn.raw), kb(signIn.gzip)],
        ],
      ),
    );
    out();
    out(`(c) time to interactive of the task list, ${LOADS} cold-ish loads each (fresh context; seeded ${BIG + SMALL} tasks in ${(seedMs / 1000).toFixed(1)} s)`);
    const metric = (name: keyof Load, label: string): string[][] => {
      const b = loads.big.map((l) => l[name]);
      const s = loads.small.map((l) => l[name]);
      return [[label, ms(pct(s, 50)), ms(pct(s, 95)), ms(pct(b, 50)), ms(pct(b, 95)), `${(pct(b, 50) / pct(s, 50)).toFixed(2)}×`]];
    };
    out(
      table(
        ['navigation start →', `${SMALL} tasks p50`, `${SMALL} p95`, `${BIG} tasks p50`, `${BIG} p95`, 'ratio p50'],
        [...metric('domContentLoaded', 'DOMContentLoaded'), ...metric('tasksReady', "mark 'dueflow:tasks-ready'"), ...metric('inputEcho', '"New task" echoes a key')],
      ),
    );
  } finally {
    await browser?.close();
    await dueflow?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
