// Browser test harness: Dueflow started exactly as a user starts it (`npm start`, every role in one
// process, embedded database in a fresh DATA_DIR) and the system Chromium driven by playwright-core.
// Chromium comes from infra/chromium/install.sh; a missing browser is an error, never a skip.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(REPO_ROOT, 'apps', 'cli', 'src', 'main.ts');
/** The lock every production build of apps/web takes on this machine (they share apps/web/.next). */
const BUILD_LOCK = '/tmp/dueflow-web-build.lock';

/** The Chromium binary: $CHROMIUM_PATH, else the first browser on PATH. Throws when there is none. */
export function chromiumExecutable(): string {
  const explicit = process.env['CHROMIUM_PATH'];
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist`);
    return explicit;
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      /* not this one */
    }
  }
  throw new Error('no Chromium found: run `bash infra/chromium/install.sh` (or set CHROMIUM_PATH); the browser suite never skips');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
}

/** Production build of the web UI, under the machine-wide build lock (a no-op when it is current). */
export async function buildWeb(): Promise<void> {
  const child = spawn('flock', [BUILD_LOCK, process.execPath, '--import', 'tsx', CLI, 'build-web'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await waitForExit(child);
  if (code !== 0) throw new Error(`web build failed (exit ${code}):\n${output.slice(-4000)}`);
}

export interface Dueflow {
  url: string;
  dataDir: string;
  /** Everything the server printed so far (JSON log lines). */
  logs(): string;
  stop(): Promise<void>;
}

/** `npm start` on a free port with a fresh data directory; resolves once /readyz answers 200. */
export async function startDueflow(env: Record<string, string> = {}): Promise<Dueflow> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'dueflow-browser-'));
  const url = `http://127.0.0.1:${port}`;
  // Its own process group (detached), so stop() ends the server and anything it started.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      REMINDER_SWEEP_SECONDS: '1',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = waitForExit(child);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`dueflow exited before it was ready (code ${child.exitCode}):\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dueflow was not ready within 120 s:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, dataDir, logs: () => output, stop };
}

/**
 * Builds the web UI under the lock, then starts Dueflow. On a machine where others edit and build
 * apps/web at the same time the sources can change between the two, so `start` builds again outside
 * the lock and may collide with another build: then build under the lock again and retry.
 */
export async function buildAndStartDueflow(env: Record<string, string> = {}, attempts = 3): Promise<Dueflow> {
  for (let attempt = 1; ; attempt++) {
    await buildWeb();
    try {
      return await startDueflow(env);
    } catch (err) {
      const collided = err instanceof Error && /next build/i.test(err.message);
      if (!collided || attempt >= attempts) throw err;
    }
  }
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Headless system Chromium. Playwright gives every launch a fresh temporary profile (user-data dir). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (own cookies and storage) on `baseUrl`, with notification permission granted. */
export async function newContext(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1280, height: 800 },
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
    ...options,
  });
  await context.grantPermissions(['notifications'], { origin: baseUrl });
  context.setDefaultTimeout(10_000);
  watchCsp(context);
  return context;
}

/** Every Content-Security-Policy violation any page of any context reported (the suite expects none). */
export const cspViolations: string[] = [];

/** Records CSP violations: the DOM event (with the blocked resource) and Chromium's console report. */
function watchCsp(context: BrowserContext): void {
  void context.addInitScript(() => {
    const target = globalThis as unknown as { addEventListener(type: string, listener: (e: unknown) => void): void };
    target.addEventListener('securitypolicyviolation', (e) => {
      const v = e as { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
      // eslint-disable-next-line no-console -- the page reports to the test through its console
      console.error(`[csp-violation] ${v.violatedDirective} blocked ${v.blockedURI || 'inline'} at ${v.sourceFile}:${v.lineNumber}`);
    });
  });
  context.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('[csp-violation]') || /Content Security Policy/i.test(text)) cspViolations.push(`${message.page()?.url() ?? '?'}: ${text}`);
  });
}

const requireFromHere = createRequire(import.meta.url);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}
export interface AxeSummary {
  violations: AxeViolation[];
  passes: number;
  incomplete: number;
  /** Rules axe could not decide (e.g. contrast over a gradient): worth a look, not a failure. */
  incompleteIds: string[];
  inapplicable: number;
}

/** Runs axe-core (WCAG 2.x A/AA rules and best practices) on the page as it is now. */
export async function runAxe(page: Page): Promise<AxeSummary> {
  // Page functions name the browser's globals through globalThis: this file is also compiled without
  // the DOM library (the root tsconfig, for bench/web-tti.ts).
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  // Evaluated through the DevTools protocol, not added as a <script>: the page's CSP (scripts by hash)
  // rightly refuses an injected inline script, and the suite keeps that policy switched on.
  if (!loaded) await page.evaluate(readFileSync(requireFromHere.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async () => {
    interface AxeResultsLike {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
      passes: unknown[];
      incomplete: Array<{ id: string }>;
      inapplicable: unknown[];
    }
    const { axe, document } = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<AxeResultsLike> }; document: unknown };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return {
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}) })),
      })),
      passes: results.passes.length,
      incomplete: results.incomplete.length,
      incompleteIds: results.incomplete.map((r) => r.id),
      inapplicable: results.inapplicable.length,
    };
  });
}

/** Human-readable list of violations with their targets, for assertion messages. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `- [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    at ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`).join('\n')}`)
    .join('\n');
}

/** Where the suite writes its screenshots (README shows them): docs/screenshots unless SCREENSHOT_DIR. */
export function screenshotDir(): string {
  const dir = process.env['SCREENSHOT_DIR'] ?? join(REPO_ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a JSON report under the temp dir and returns its path. */
export function writeReport(name: string, data: unknown): string {
  const path = join(tmpdir(), name);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

/** Polls `read` until `accept` holds or the timeout passes; returns the last value either way. */
export async function settle<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 8000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
