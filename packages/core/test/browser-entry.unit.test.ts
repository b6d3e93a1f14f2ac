// The browser entry (`@dueflow/core/browser`) must not pull zod or the parser into the web bundle:
// every module it reaches at run time (type-only imports are erased) is checked here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Specifiers a module loads at run time: `import … from`, `export … from`, bare `import '…'`; not `import type`/`export type`. */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const statement = /^(import|export)\s+(type\s+)?([^;]*?)\s*from\s*'([^']+)'|^import\s+'([^']+)'/gm;
  for (const m of source.matchAll(statement)) {
    if (m[5]) out.push(m[5]);
    else if (!m[2] && m[4]) {
      // `import { type A, type B } from` is erased too.
      const names = m[3] ?? '';
      const braces = /^\{([^}]*)\}$/.exec(names.trim());
      if (braces && braces[1]?.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
      out.push(m[4]);
    }
  }
  return out;
}

function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const deps = runtimeImports(readFileSync(file, 'utf8'));
    seen.set(file, deps);
    for (const d of deps) if (d.startsWith('.')) visit(resolve(dirname(file), d));
  };
  visit(entry);
  return seen;
}

test('the browser entry reaches no zod and no chat parser at run time', () => {
  const modules = graph(resolve(SRC, 'browser.ts'));
  const external = [...modules.values()].flat().filter((d) => !d.startsWith('.'));
  assert.deepEqual([...new Set(external)], [], 'no package is imported at run time');
  const reached = [...modules.keys()].map((f) => f.slice(SRC.length + 1)).sort();
  assert.ok(reached.includes('recurrence/describe.ts') && reached.includes('time/zoned.ts'), `reached: ${reached.join(', ')}`);
  assert.ok(reached.includes('assistant/quick-add.ts'), 'quick add reads in the browser');
  const chat = ['assistant/parser.ts', 'assistant/tools.ts'];
  assert.ok(!reached.some((f) => chat.includes(f) || f.startsWith('api/') || f === 'task.ts' || f === 'query.ts'), `reached: ${reached.join(', ')}`);
});

test('the scanner sees what it must (a check that cannot pass vacuously)', () => {
  assert.deepEqual(runtimeImports("import { z } from 'zod';\nimport type { A } from './a.ts';\nimport { type B } from './b.ts';\nexport * from './c.ts';"), ['zod', './c.ts']);
  const index = graph(resolve(SRC, 'index.ts'));
  assert.ok([...index.values()].flat().includes('zod'), 'the server entry does reach zod');
});
