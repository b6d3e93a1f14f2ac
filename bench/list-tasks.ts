// List/search/filter/sort latency at 100k tasks for one user, side by side with a 1k-task user in the
// same database (the ratio shows whether the indexes keep large lists as fast as small ones).
//   node --import tsx bench/list-tasks.ts                  # PGlite (in memory)
//   DATABASE_URL=postgres://… node --import tsx bench/list-tasks.ts   # PostgreSQL
import { type Database, migrate, openDatabase } from '@dueflow/db';
import type { ListTasksQuery } from '@dueflow/core';
import { type Caller, TaskService } from '@dueflow/services';

const BIG = Number(process.env.BENCH_TASKS ?? 100_000);
const SMALL = 1_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

async function seed(database: Database, userId: string, n: number) {
  await database.query(`INSERT INTO users (id, name, email) VALUES ($1, $1, $1 || '@bench') ON CONFLICT DO NOTHING`, [userId]);
  // Deterministic spread: 3 priorities, ~10 tags, 80% with due dates over ±1 year, 30% completed, words to search.
  await database.query(
    `INSERT INTO tasks (user_id, title, description, priority, tags, due_date, completed, completed_at, created_at)
     SELECT $1,
            (ARRAY['Buy','Call','Write','Review','Plan','Fix','Send','Book'])[1 + i % 8] || ' ' ||
            (ARRAY['milk','report','dentist','invoice','slides','bike','tickets','garden'])[1 + (i / 8) % 8] || ' #' || i,
            CASE WHEN i % 5 = 0 THEN 'notes about the quarterly budget and ' || md5(i::text) ELSE '' END,
            (ARRAY['high','medium','low'])[1 + i % 3],
            ARRAY['tag' || (i % 10), 'area' || (i % 4)],
            CASE WHEN i % 5 = 4 THEN NULL ELSE now() + ((i % 730) - 365) * interval '1 day' END,
            i % 10 < 3,
            CASE WHEN i % 10 < 3 THEN now() END,
            now() - (i * interval '1 minute')
     FROM generate_series(1, $2::int) AS i`,
    [userId, n],
  );
  await database.query('ANALYZE tasks');
}

const queries: Record<string, ListTasksQuery> = {
  'default (created_at desc)': {},
  'sort due_date asc': { sort: 'due_date' },
  'sort priority desc': { sort: 'priority' },
  'sort title asc': { sort: 'title' },
  'pending + high': { status: 'pending', priority: ['high'] },
  'tags has all': { tags: ['tag3', 'area1'] },
  overdue: { overdue: true, sort: 'due_date' },
  'due range': { due_after: new Date(Date.now()).toISOString(), due_before: new Date(Date.now() + 30 * 86400_000).toISOString(), sort: 'due_date' },
  'search word': { search: 'dentist' },
  'search partial': { search: 'denti' },
  'search + filters': { search: 'invoice', status: 'pending', priority: ['high', 'medium'], sort: 'due_date' },
  'search rare (description)': { search: 'quarterly budget' },
};

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { p50: pct(xs, 50), p95: pct(xs, 95) };
}

async function main() {
  const url = process.env.DATABASE_URL;
  const database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null });
  await migrate(database);
  await database.query("DELETE FROM users WHERE email LIKE '%@bench'");
  const t0 = performance.now();
  await seed(database, 'bench-big', BIG);
  await seed(database, 'bench-small', SMALL);
  process.stdout.write(`database: ${database.kind}; seeded ${BIG} + ${SMALL} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${RUNS} runs each, limit 50\n\n`);
  const service = new TaskService({ database, now: () => new Date(), afterCommit: () => {} });
  const big: Caller = { userId: 'bench-big', timezone: 'UTC' };
  const small: Caller = { userId: 'bench-small', timezone: 'UTC' };
  const rows: string[] = ['| query | 1k p50 ms | 100k p50 ms | 100k p95 ms | 100k/1k |', '|---|---:|---:|---:|---:|'];
  for (const [name, q] of Object.entries(queries)) {
    const s = await time(() => service.list(small, q));
    const b = await time(() => service.list(big, q));
    rows.push(`| ${name} | ${s.p50.toFixed(2)} | ${b.p50.toFixed(2)} | ${b.p95.toFixed(2)} | ${(b.p50 / s.p50).toFixed(1)}x |`);
  }
  // Deep pagination: page 20 through the cursor costs what page 1 costs.
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) cursor = (await service.list(big, { sort: 'due_date', limit: 50, ...(cursor ? { cursor } : {}) })).nextCursor ?? undefined;
  const first = await time(() => service.list(big, { sort: 'due_date', limit: 50 }));
  const deep = await time(() => service.list(big, { sort: 'due_date', limit: 50, ...(cursor ? { cursor } : {}) }));
  rows.push(`| page 21 vs page 1 (due_date, 100k) | ${first.p50.toFixed(2)} | ${deep.p50.toFixed(2)} | ${deep.p95.toFixed(2)} | ${(deep.p50 / first.p50).toFixed(1)}x |`);
  process.stdout.write(`${rows.join('\n')}\n`);
  await database.query("DELETE FROM users WHERE email LIKE '%@bench'");
  await database.close();
}

await main();
