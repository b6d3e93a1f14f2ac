#!/usr/bin/env node
// Compiles the `dueflow` command (apps/cli/src/main.ts and the workspace packages it imports) into one
// JavaScript bundle, apps/cli/dist/main.mjs, with code split into chunks for what is loaded lazily.
// Third-party packages stay in node_modules (imported at run time); only our own TypeScript is bundled.
//   node scripts/build-server.mjs            build when the sources changed since the last build
//   node scripts/build-server.mjs --force    build anyway
// The runtime executes this output; tests and the dev loop run the TypeScript sources through tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = join(ROOT, 'apps', 'cli', 'dist');
export const ENTRY = join(ROOT, 'apps', 'cli', 'src', 'main.ts');
const STAMP = join(OUT_DIR, 'sources.sha256');
// Everything the bundle is made of: our TypeScript, the manifests (dependency versions) and this script.
const INPUTS = ['packages', 'apps/cli', 'apps/api', 'apps/web/server', 'package-lock.json', 'scripts/build-server.mjs'];

function hashTree(hash, path) {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name === 'dist' || name === 'test' || name === 'migrations' || name.startsWith('.')) continue;
      hashTree(hash, join(path, name));
    }
    return;
  }
  if (!/\.(ts|mjs|json)$/.test(path)) return;
  hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
}

export function sourceFingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) hashTree(hash, join(ROOT, input));
  return hash.digest('hex');
}

export function isServerBuildCurrent() {
  return existsSync(join(OUT_DIR, 'main.mjs')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceFingerprint();
}

/**
 * Bare imports stay external (node_modules at run time) except our own workspace packages, which are
 * bundled from their TypeScript sources.
 */
const externals = {
  name: 'externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@dueflow/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * A module that finds files next to itself (`new URL('../migrations/', import.meta.url)`) must still
 * find them from the bundle: `import.meta.url` in our sources becomes the source file's URL, computed
 * relative to the bundle at run time (so the tree can move, as in a container image).
 */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url') || args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const rel = relative(OUT_DIR, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

export async function buildServer({ force = false, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if (!force && isServerBuildCurrent()) return false;
  const fingerprint = sourceFingerprint();
  const started = performance.now();
  const { build, stop } = await import('esbuild');
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: { main: ENTRY },
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // Chunks sit beside main.mjs: the source locations below are relative to this one directory.
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    // Stack traces point at the TypeScript sources (node --enable-source-maps).
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externals, sourceLocation],
    metafile: false,
  });
  // esbuild runs as a child service process; the server that runs next must not carry it.
  await stop();
  writeFileSync(STAMP, fingerprint);
  log(`built ${relative(ROOT, join(OUT_DIR, 'main.mjs'))} in ${Math.round(performance.now() - started)} ms`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildServer({ force: process.argv.includes('--force') });
}

export const MAIN_URL = pathToFileURL(join(OUT_DIR, 'main.mjs')).href;
