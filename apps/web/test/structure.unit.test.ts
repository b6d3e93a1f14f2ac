// The web app's layering: lib/ (no React components) never imports components/, and the component
// folders import each other without cycles. Read from the sources, so a new import that breaks the
// rule fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** "lib", "app", or "components/<folder>" (a file directly under components/ is "components"). */
function area(file: string): string {
  const parts = relative(WEB, file).split('/');
  if (parts[0] === 'components' && parts.length > 2) return `components/${parts[1]}`;
  return parts[0] ?? '';
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gm)].map((m) => resolve(dirname(file), m[1] ?? ''));
}

function areaGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of [...sources(join(WEB, 'lib')), ...sources(join(WEB, 'components'))]) {
    const from = area(file);
    for (const target of importsOf(file)) {
      const to = area(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
  }
  return graph;
}

test('lib/ imports nothing from components/', () => {
  const offending = sources(join(WEB, 'lib')).flatMap((file) =>
    importsOf(file)
      .filter((target) => relative(WEB, target).startsWith('components'))
      .map((target) => `${relative(WEB, file)} → ${relative(WEB, target)}`),
  );
  assert.deepEqual(offending, []);
});

test('component folders import each other without a cycle', () => {
  const graph = areaGraph();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  assert.deepEqual([...new Set(cycles)], []);
  // The graph is really read (a check that could not fail would prove nothing).
  assert.ok(graph.get('components/shell')?.has('components/notifications'), 'shell shows the notification bell');
});
