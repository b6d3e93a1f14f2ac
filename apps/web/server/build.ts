// Builds the web UI when its sources changed since the last build, so a fresh clone's `npm start`
// just works and later starts are instant.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('../../../packages/core/src', import.meta.url));
const STAMP = join(WEB_DIR, '.next', 'dueflow-sources.sha256');
const INPUTS = ['app', 'components', 'lib', 'public', 'next.config.ts', 'package.json'];

// Paths are hashed relative to the repository, so a build copied elsewhere (an image) stays current.
const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

function hashTree(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      hashTree(hash, join(path, name));
    }
    return;
  }
  hash.update(relative(REPO_DIR, path)).update('\0').update(readFileSync(path)).update('\0');
}

/** Fingerprint of everything the production build depends on. */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  hash.update(`output=${process.env.DUEFLOW_WEB_OUTPUT ?? 'server'}\0`);
  for (const input of INPUTS) hashTree(hash, join(WEB_DIR, input));
  hashTree(hash, CORE_DIR);
  return hash.digest('hex');
}

export function isBuildCurrent(): boolean {
  return existsSync(join(WEB_DIR, '.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceFingerprint();
}

/** Runs `next build` unless the last build is of the current sources. Resolves true when it built. */
export async function ensureWebBuild(onBuildStart?: () => void): Promise<boolean> {
  if (isBuildCurrent()) return false;
  onBuildStart?.();
  const fingerprint = sourceFingerprint();
  const nextBin = createRequire(join(WEB_DIR, 'package.json')).resolve('next/dist/bin/next');
  await new Promise<void>((resolveBuild, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveBuild() : reject(new Error(`next build failed (exit ${code})`))));
  });
  if (process.env.DUEFLOW_WEB_OUTPUT === 'standalone') {
    // Next leaves the browser assets out of the standalone server; the image needs them beside it.
    const app = join(WEB_DIR, '.next', 'standalone', 'apps', 'web');
    cpSync(join(WEB_DIR, '.next', 'static'), join(app, '.next', 'static'), { recursive: true });
    cpSync(join(WEB_DIR, 'public'), join(app, 'public'), { recursive: true });
  }
  writeFileSync(STAMP, fingerprint);
  return true;
}
