// Builds the web UI (a static export in apps/web/out) when its sources changed since the last build, so a
// fresh clone's `npm start` just works and later starts are instant. Development tooling: the Next.js
// build runs here, never in a running server.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The static export: HTML pages, /_next/static assets and the files of public/. */
export const OUT_DIR = join(WEB_DIR, 'out');
const CORE_DIR = fileURLToPath(new URL('../../../packages/core/src', import.meta.url));
const STAMP = join(OUT_DIR, '.dueflow-sources.sha256');
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
  for (const input of INPUTS) hashTree(hash, join(WEB_DIR, input));
  hashTree(hash, CORE_DIR);
  return hash.digest('hex');
}

/** The sources are here (a checkout, not an image that holds only the export). */
export function hasWebSources(): boolean {
  return existsSync(join(WEB_DIR, 'app'));
}

export function isBuildCurrent(): boolean {
  return existsSync(join(OUT_DIR, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceFingerprint();
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
  writeFileSync(STAMP, fingerprint);
  return true;
}
