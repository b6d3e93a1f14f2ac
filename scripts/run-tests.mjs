#!/usr/bin/env node
// Runs the test tiers with Node's own test runner. Usage:
//   node scripts/run-tests.mjs <tier...> [--postgres]
// Tiers are file suffixes: unit (*.unit.test.ts, pure), service (*.service.test.ts, database),
// http (*.http.test.ts, the HTTP API), security (*.security.test.ts, attacks through the public doors), browser (*.browser.test.ts, the web UI in Chromium; one file at a
// time, each drives a whole Dueflow and a browser), dist (*.dist.test.ts, one file at a time: each runs the
// whole distributed system on the same ports and stops Kafka), k8s (*.k8s.test.ts, against the cluster of
// infra/k8s/up.sh). --postgres runs the database tiers on the PostgreSQL server
// named by TEST_DATABASE_URL instead of PGlite; without that variable it fails rather than skip.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const postgres = args.includes('--postgres');
const tiers = args.filter((a) => !a.startsWith('--'));
if (tiers.length === 0) tiers.push('unit', 'service', 'http', 'security');

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'data') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collect(path, out);
    else if (tiers.some((t) => entry.name.endsWith(`.${t}.test.ts`))) out.push(relative(root, path));
  }
  return out;
}

const files = ['packages', 'apps', 'deploy'].flatMap((d) => collect(join(root, d), [])).sort();
if (files.length === 0) {
  process.stderr.write(`no test files for tiers: ${tiers.join(', ')}\n`);
  process.exit(1);
}
const env = { ...process.env, DUEFLOW_TEST_DB: postgres ? 'postgres' : 'pglite' };
if (postgres && !env.TEST_DATABASE_URL) {
  process.stderr.write('--postgres needs TEST_DATABASE_URL (see infra/postgres/start.sh)\n');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${tiers.includes('browser') || tiers.includes('dist') ? 1 : 2}`, ...files],
  { cwd: root, env, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
