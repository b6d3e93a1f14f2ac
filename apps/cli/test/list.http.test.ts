// GET /api/v1/tasks (search, filters, sorts, cursor pages) and GET /api/v1/tags, over HTTP.
// Expected orders are computed here from the created data and compared by id.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, type ErrorJson, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

type Params = Record<string, string>;
type Sort = 'due_date' | 'priority' | 'title' | 'created_at';
type Order = 'asc' | 'desc';
type K = TaskJson & { key: string };

const SORTS: Sort[] = ['due_date', 'priority', 'title', 'created_at'];
const ORDERS: Order[] = ['asc', 'desc'];
const RANK = { high: 3, medium: 2, low: 1 } as const;

const qs = (p: Params) => {
  const s = new URLSearchParams(p).toString();
  return s ? `?${s}` : '';
};

async function list(c: Client, p: Params): Promise<TaskListJson> {
  const res = await c.get<TaskListJson>(`/api/v1/tasks${qs(p)}`);
  assert.equal(res.status, 200, `GET ${qs(p)}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const ids = (tasks: readonly { id: number }[]) => tasks.map((t) => t.id);

/** Follows next_cursor to the end; checks that every page reports the same total. */
async function walk(c: Client, p: Params, limit: number): Promise<{ ids: number[]; total: number; pages: number }> {
  const out: number[] = [];
  let cursor: string | null = null;
  let total = -1;
  let pages = 0;
  do {
    const page = await list(c, { ...p, limit: String(limit), ...(cursor ? { cursor } : {}) });
    pages++;
    assert.ok(page.tasks.length <= limit);
    if (total === -1) total = page.total;
    assert.equal(page.total, total, 'total ignores the cursor');
    out.push(...ids(page.tasks));
    cursor = page.next_cursor;
    if (cursor) assert.equal(page.tasks.length, limit, 'only the last page is short');
    assert.ok(pages < 200, 'pagination does not terminate');
  } while (cursor);
  return { ids: out, total, pages };
}

/** The order the contract defines, computed from the task data. */
function sorted(tasks: readonly TaskJson[], sort: Sort, order: Order): number[] {
  const dir = order === 'asc' ? 1 : -1;
  const key = (t: TaskJson): number | string | null => {
    switch (sort) {
      case 'due_date':
        return t.due_date === null ? null : Date.parse(t.due_date);
      case 'priority':
        return RANK[t.priority];
      case 'title':
        return t.title.toLowerCase();
      case 'created_at':
        return Date.parse(t.created_at);
    }
  };
  return [...tasks]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === null && kb !== null) return 1; // no due date: last in both orders
      if (kb === null && ka !== null) return -1;
      if (ka !== null && kb !== null && ka !== kb) return (ka < kb ? -1 : 1) * dir;
      return (a.id - b.id) * dir;
    })
    .map((t) => t.id);
}

const sameSet = (a: readonly number[], b: readonly number[]) => assert.deepEqual([...a].sort((x, y) => x - y), [...b].sort((x, y) => x - y));

async function expectError(c: Client, p: Params | string, code: string) {
  const path = typeof p === 'string' ? p : `/api/v1/tasks${qs(p)}`;
  const res = await c.get<ErrorJson>(path);
  assert.equal(res.status, 400, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error.code, code, `${path}: ${JSON.stringify(res.body)}`);
  assert.equal(typeof res.body.error.message, 'string');
}

const cursorOf = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');

const PAST1 = '2020-03-01T10:00:00.000Z';
const PAST2 = '2021-11-20T08:30:00.000Z';
const FUT1 = '2035-06-01T09:00:00.000Z';
const FUT2 = '2035-07-15T12:00:00.000Z';
const FUT3 = '2035-04-30T23:00:00.000Z';
const FUT4 = '2036-01-10T00:00:00.000Z';

interface Spec {
  key: string;
  title: string;
  description?: string;
  priority: 'high' | 'medium' | 'low';
  tags: string[];
  due: string | null;
  done?: boolean;
}

// Ties on purpose: three tasks due FUT1, two each at PAST1/PAST2/FUT2/FUT3, four without a due date,
// "Report"/"report" and "Alpha launch"/"alpha review" titles, many equal priorities.
const SPECS: Spec[] = [
  { key: 'a', title: 'Buy milk', description: 'corner shop', priority: 'high', tags: ['home', 'errands'], due: PAST1 },
  { key: 'b', title: 'Report', description: 'quarterly numbers for the team', priority: 'medium', tags: ['work'], due: FUT1 },
  { key: 'c', title: 'report', description: 'draft the summary', priority: 'low', tags: ['work', 'writing'], due: FUT1 },
  { key: 'd', title: 'Alpha launch', description: 'prepare the launch', priority: 'high', tags: ['work'], due: FUT1, done: true },
  { key: 'e', title: 'alpha review', description: 'review launch metrics', priority: 'medium', tags: ['work', 'review'], due: FUT2 },
  { key: 'f', title: 'Water plants', description: 'balcony and kitchen', priority: 'low', tags: ['home'], due: null },
  { key: 'g', title: 'Gym', description: 'leg day', priority: 'medium', tags: ['health'], due: null, done: true },
  { key: 'h', title: 'Dentist', description: 'check-up appointment', priority: 'high', tags: ['health'], due: PAST2 },
  { key: 'i', title: 'Old invoice', description: 'send invoice to client', priority: 'high', tags: ['work', 'finance'], due: PAST2, done: true },
  { key: 'j', title: 'Tax return', description: 'file the tax return', priority: 'high', tags: ['finance'], due: FUT3 },
  { key: 'k', title: 'Milk the cow', description: 'farm chores', priority: 'low', tags: ['home', 'farm'], due: PAST1 },
  { key: 'l', title: 'Zebra notes', description: 'read about zebras', priority: 'medium', tags: [], due: null },
  { key: 'm', title: 'Book flights', description: 'summer trip', priority: 'medium', tags: ['travel', 'errands'], due: FUT2 },
  { key: 'n', title: 'Renew passport', description: 'before the trip', priority: 'high', tags: ['travel'], due: FUT4 },
  { key: 'o', title: 'Clean garage', description: 'weekend', priority: 'low', tags: ['home'], due: null, done: true },
  { key: 'p', title: 'Weekly report', description: 'send report to boss', priority: 'medium', tags: ['work', 'writing'], due: FUT3 },
];

async function createAll(c: Client, specs: readonly Spec[]): Promise<Map<string, TaskJson>> {
  const out = new Map<string, TaskJson>();
  for (const s of specs) {
    const res = await c.post<TaskJson>('/api/v1/tasks', {
      title: s.title,
      ...(s.description !== undefined ? { description: s.description } : {}),
      priority: s.priority,
      tags: s.tags,
      ...(s.due ? { due_date: s.due } : {}),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    let task = res.body;
    assert.equal(task.due_date, s.due, 'a past due date is accepted as given');
    if (s.done) {
      const done = await c.patch<TaskJson>(`/api/v1/tasks/${task.id}/complete`, { completed: true });
      assert.equal(done.status, 200);
      task = done.body;
    }
    out.set(s.key, task);
  }
  return out;
}

// One system for the whole file; every describe works with users of its own.
let ts: Awaited<ReturnType<typeof startSystem>>;
before(async () => {
  ts = await startSystem();
});
after(async () => ts.stop());

describe('GET /api/v1/tasks: filters, sorts and cursor pages', () => {
  let ann: Client;
  let bob: Client;
  let T: Map<string, TaskJson>;
  let all: K[];
  let bobTasks: Map<string, TaskJson>;
  const now = () => Date.now();
  const idOf = (...keys: string[]) => keys.map((k) => T.get(k)!.id);

  before(async () => {
    ann = await signUp(ts.url, { timezone: 'Asia/Tokyo' });
    bob = await signUp(ts.url, { timezone: 'Asia/Tokyo' });
    T = await createAll(ann, SPECS);
    all = [...T].map(([key, t]) => ({ ...t, key }));
    // Bob's tasks share words, tags, priorities and due dates with Ann's: none may leak into her lists.
    bobTasks = await createAll(bob, [
      { key: 'x', title: 'Buy milk', description: 'report', priority: 'high', tags: ['home', 'work', 'errands'], due: PAST1 },
      { key: 'y', title: 'Report', priority: 'high', tags: ['work', 'writing', 'bobonly'], due: FUT1 },
      { key: 'z', title: 'aaa first', priority: 'low', tags: ['home'], due: null, done: true },
    ]);
  });

  // Each filter alone, combined with each other and with search. `expect` is the same filter in JS.
  const FILTERS: { name: string; params: Params; expect: (t: K) => boolean }[] = [
    { name: 'no filter', params: {}, expect: () => true },
    { name: 'status=all', params: { status: 'all' }, expect: () => true },
    { name: 'status=pending', params: { status: 'pending' }, expect: (t) => !t.completed },
    { name: 'status=completed', params: { status: 'completed' }, expect: (t) => t.completed },
    { name: 'priority=high', params: { priority: 'high' }, expect: (t) => t.priority === 'high' },
    { name: 'priority=high,low', params: { priority: 'high,low' }, expect: (t) => t.priority !== 'medium' },
    { name: 'priority=medium', params: { priority: 'medium' }, expect: (t) => t.priority === 'medium' },
    { name: 'tags=home', params: { tags: 'home' }, expect: (t) => t.tags.includes('home') },
    { name: 'tags=home,errands (has all)', params: { tags: 'home,errands' }, expect: (t) => t.tags.includes('home') && t.tags.includes('errands') },
    { name: 'tags=Writing,WORK (normalised)', params: { tags: 'Writing,WORK' }, expect: (t) => t.tags.includes('work') && t.tags.includes('writing') },
    { name: 'tags=nosuchtag', params: { tags: 'nosuchtag' }, expect: () => false },
    { name: 'due_before (inclusive)', params: { due_before: FUT3 }, expect: (t) => t.due_date !== null && t.due_date <= FUT3 },
    { name: 'due_after (inclusive)', params: { due_after: FUT1 }, expect: (t) => t.due_date !== null && t.due_date >= FUT1 },
    {
      name: 'due_after+due_before range',
      params: { due_after: FUT3, due_before: FUT2 },
      expect: (t) => t.due_date !== null && t.due_date >= FUT3 && t.due_date <= FUT2,
    },
    { name: 'overdue=true', params: { overdue: 'true' }, expect: (t) => !t.completed && t.due_date !== null && Date.parse(t.due_date) < now() },
    { name: 'has_due_date=true', params: { has_due_date: 'true' }, expect: (t) => t.due_date !== null },
    { name: 'has_due_date=false', params: { has_due_date: 'false' }, expect: (t) => t.due_date === null },
    { name: 'search=milk', params: { search: 'milk' }, expect: (t) => /milk/i.test(`${t.title} ${t.description}`) },
    {
      name: 'status+priority+tags+due range',
      params: { status: 'pending', priority: 'high,medium', tags: 'work', due_after: FUT1, due_before: FUT4 },
      expect: (t) => !t.completed && t.priority !== 'low' && t.tags.includes('work') && t.due_date !== null && t.due_date >= FUT1 && t.due_date <= FUT4,
    },
    {
      name: 'overdue+priority+tags+due range',
      params: { overdue: 'true', priority: 'high', tags: 'health', due_after: '2021-01-01T00:00:00Z', due_before: '2022-01-01T00:00:00Z' },
      expect: (t) => t.key === 'h',
    },
    {
      name: 'status=completed+overdue (never both)',
      params: { status: 'completed', overdue: 'true' },
      expect: () => false,
    },
    {
      name: 'status=completed+priority+has_due_date',
      params: { status: 'completed', priority: 'high', has_due_date: 'true' },
      expect: (t) => t.completed && t.priority === 'high' && t.due_date !== null,
    },
    {
      name: 'tags+priority+has_due_date=false',
      params: { tags: 'home', priority: 'low', has_due_date: 'false' },
      expect: (t) => t.tags.includes('home') && t.priority === 'low' && t.due_date === null,
    },
    {
      name: 'search+status+priority',
      params: { search: 'REPORT', status: 'pending', priority: 'medium,low' },
      expect: (t) => /report/i.test(`${t.title} ${t.description}`) && !t.completed && t.priority !== 'high',
    },
    {
      name: 'search+tags+due range',
      params: { search: 're', tags: 'work', due_after: FUT3, due_before: FUT1 },
      expect: (t) => /re/i.test(`${t.title} ${t.description}`) && t.tags.includes('work') && t.due_date !== null && t.due_date >= FUT3 && t.due_date <= FUT1,
    },
    { name: 'search+overdue', params: { search: 'milk', overdue: 'true' }, expect: (t) => t.key === 'a' || t.key === 'k' },
    {
      name: 'search+has_due_date=false',
      params: { search: 'e', has_due_date: 'false' },
      expect: (t) => /e/i.test(`${t.title} ${t.description}`) && t.due_date === null,
    },
    {
      name: 'search (two words, AND)+status',
      params: { search: 'send report', status: 'all' },
      expect: (t) => t.key === 'p',
    },
    {
      name: 'everything at once',
      params: { search: 'rep', status: 'pending', priority: 'medium,low', tags: 'writing', due_after: FUT3, due_before: FUT1, has_due_date: 'true' },
      expect: (t) => t.key === 'c' || t.key === 'p',
    },
  ];

  const matching = (f: (t: K) => boolean) => all.filter(f);

  test('the data set is what the tests expect', () => {
    assert.equal(all.length, 16);
    assert.deepEqual(
      ids(matching((t) => !t.completed && t.due_date !== null && Date.parse(t.due_date) < now())),
      idOf('a', 'h', 'k'),
      'three open tasks are overdue',
    );
  });

  test('each filter (and combination) returns exactly the matching tasks, in every sort and order', async () => {
    await Promise.all(
      FILTERS.flatMap((f) =>
        SORTS.flatMap((sort) =>
          ORDERS.map(async (order) => {
            const expected = matching(f.expect);
            const page = await list(ann, { ...f.params, sort, order, limit: '200' });
            assert.deepEqual(ids(page.tasks), sorted(expected, sort, order), `${f.name} sort=${sort} order=${order}`);
            assert.equal(page.total, expected.length, `${f.name}: total`);
            assert.equal(page.next_cursor, null);
          }),
        ),
      ),
    );
  });

  test('hand-checked filter results', async () => {
    const get = async (p: Params) => ids((await list(ann, { ...p, sort: 'title', order: 'asc' })).tasks);
    assert.deepEqual(await get({ overdue: 'true' }), idOf('a', 'h', 'k'));
    assert.deepEqual(await get({ tags: 'home,errands' }), idOf('a'));
    assert.deepEqual(await get({ priority: 'high', status: 'completed' }), idOf('d', 'i'));
    assert.deepEqual(await get({ due_after: FUT1, due_before: FUT1 }), idOf('d', 'b', 'c'));
    assert.deepEqual(await get({ has_due_date: 'false', status: 'pending' }), idOf('f', 'l'));
    assert.deepEqual(await get({ search: 'milk' }), idOf('a', 'k'));
  });

  test('sorts: nulls last in both orders, ties by id in the sort direction', async () => {
    const due = (order: Order) => list(ann, { sort: 'due_date', order }).then((p) => ids(p.tasks));
    assert.deepEqual(await due('asc'), idOf('a', 'k', 'h', 'i', 'j', 'p', 'b', 'c', 'd', 'e', 'm', 'n', 'f', 'g', 'l', 'o'));
    assert.deepEqual(await due('desc'), idOf('n', 'm', 'e', 'd', 'c', 'b', 'p', 'j', 'i', 'h', 'k', 'a', 'o', 'l', 'g', 'f'));
    const prio = await list(ann, { sort: 'priority', order: 'desc' });
    assert.deepEqual(
      prio.tasks.map((t) => t.priority),
      [...Array(6).fill('high'), ...Array(6).fill('medium'), ...Array(4).fill('low')],
      'priority desc puts high first',
    );
    assert.deepEqual(ids(prio.tasks).slice(0, 6), idOf('n', 'j', 'i', 'h', 'd', 'a'), 'equal priorities by id desc');
    const prioAsc = await list(ann, { sort: 'priority', order: 'asc' });
    assert.deepEqual(ids(prioAsc.tasks), idOf('c', 'f', 'k', 'o', 'b', 'e', 'g', 'l', 'm', 'p', 'a', 'd', 'h', 'i', 'j', 'n'));
    const titles = await list(ann, { sort: 'title', order: 'asc' });
    assert.deepEqual(
      titles.tasks.map((t) => t.title),
      ['Alpha launch', 'alpha review', 'Book flights', 'Buy milk', 'Clean garage', 'Dentist', 'Gym', 'Milk the cow', 'Old invoice', 'Renew passport', 'Report', 'report', 'Tax return', 'Water plants', 'Weekly report', 'Zebra notes'],
      'title sort ignores case; equal titles by id',
    );
    const titlesDesc = await list(ann, { sort: 'title', order: 'desc' });
    assert.deepEqual(ids(titlesDesc.tasks), ids(titles.tasks).reverse());
  });

  test('defaults: created_at desc without search, relevance with search; per-sort default orders', async () => {
    const byCreation = all.map((t) => t.id);
    assert.deepEqual(ids((await list(ann, {})).tasks), [...byCreation].reverse());
    assert.deepEqual(ids((await list(ann, { sort: 'created_at' })).tasks), [...byCreation].reverse());
    for (const [sort, order] of [['due_date', 'asc'], ['title', 'asc'], ['priority', 'desc'], ['created_at', 'desc']] as const) {
      assert.deepEqual(ids((await list(ann, { sort })).tasks), sorted(all, sort, order), `default order of ${sort}`);
    }
    // Without a search there is nothing to rank: relevance falls back to newest first.
    assert.deepEqual(ids((await list(ann, { sort: 'relevance' })).tasks), [...byCreation].reverse());
    // With a search and no sort, the whole-word title match comes first.
    const ranked = await list(ann, { search: 'milk' });
    assert.deepEqual(ids(ranked.tasks).sort(), idOf('a', 'k').sort());
    assert.deepEqual(ids((await list(ann, { search: 'milk', sort: 'relevance', order: 'desc' })).tasks), ids(ranked.tasks));
  });

  test('relevance order=asc is the exact reverse of desc', async () => {
    for (const search of ['re', 'e', 'milk', 'report']) {
      const desc = ids((await list(ann, { search, sort: 'relevance', order: 'desc' })).tasks);
      const asc = ids((await list(ann, { search, sort: 'relevance', order: 'asc' })).tasks);
      assert.ok(desc.length > 0);
      assert.deepEqual(asc, [...desc].reverse(), `search=${search}`);
    }
  });

  test('limit: default 50 and at most 200; a short first page has a cursor', async () => {
    const page = await list(ann, { limit: '5' });
    assert.equal(page.tasks.length, 5);
    assert.equal(page.total, 16);
    assert.equal(typeof page.next_cursor, 'string');
    assert.equal((await list(ann, { limit: '200' })).tasks.length, 16);
    assert.equal((await list(ann, { limit: '16' })).next_cursor, null, 'no cursor when nothing follows');
    assert.equal((await list(ann, { limit: '1' })).tasks.length, 1);
  });

  test('cursor pages: every sort and order, limit 2 or 3, equal a single big page', async () => {
    const cases: Params[] = [];
    for (const sort of [...SORTS, 'relevance']) for (const order of ORDERS) cases.push({ sort, order });
    cases.push({}, { sort: 'due_date' }, { sort: 'priority' });
    // Limit 2 and 3 alternate across the cases: both page sizes meet every sort, in one order or the other.
    await Promise.all(
      cases.flatMap((p, i) =>
        [i % 2 === 0 ? 2 : 3].map(async (limit) => {
          const single = await list(ann, { ...p, limit: '200' });
          const walked = await walk(ann, p, limit);
          assert.deepEqual(walked.ids, ids(single.tasks), `${qs(p)} limit=${limit}`);
          assert.equal(walked.total, 16);
          assert.equal(new Set(walked.ids).size, 16, 'each task exactly once');
          assert.equal(walked.pages, Math.ceil(16 / limit));
        }),
      ),
    );
  });

  test('cursor pages combined with filters and search', async () => {
    const filtered = FILTERS.filter((f) => ['status=pending', 'priority=high,low', 'tags=home', 'due_after+due_before range', 'has_due_date=true', 'search+status+priority', 'search+has_due_date=false', 'overdue=true'].includes(f.name));
    assert.equal(filtered.length, 8);
    await Promise.all(
      filtered.flatMap((f) => {
        const expected = matching(f.expect);
        const keyset = SORTS.flatMap((sort) =>
          ORDERS.map(async (order) => {
            const walked = await walk(ann, { ...f.params, sort, order }, 3);
            assert.deepEqual(walked.ids, sorted(expected, sort, order), `${f.name} sort=${sort} order=${order}`);
            assert.equal(walked.total, expected.length);
          }),
        );
        const ranked = (f.params.search ? ORDERS : []).map(async (order) => {
          const single = await list(ann, { ...f.params, sort: 'relevance', order, limit: '200' });
          const walked = await walk(ann, { ...f.params, sort: 'relevance', order }, 3);
          assert.deepEqual(walked.ids, ids(single.tasks));
          sameSet(walked.ids, ids(expected));
        });
        return [...keyset, ...ranked];
      }),
    );
  });

  test('a page after a null due date continues among the nulls', async () => {
    // Limit 13 ends the first page on the first task without a due date.
    const first = await list(ann, { sort: 'due_date', order: 'asc', limit: '13' });
    assert.equal(first.tasks.at(-1)!.due_date, null);
    const rest = await list(ann, { sort: 'due_date', order: 'asc', limit: '13', cursor: first.next_cursor! });
    assert.deepEqual(ids(rest.tasks), idOf('g', 'l', 'o'));
    assert.equal(rest.next_cursor, null);
  });

  test("user isolation: another user's tasks never appear in lists, totals or tag counts", async () => {
    const bobIds = new Set([...bobTasks.values()].map((t) => t.id));
    for (const p of [{}, { search: 'milk' }, { search: 'report' }, { tags: 'work' }, { tags: 'bobonly' }, { overdue: 'true' }, { priority: 'high' }, { sort: 'title' }, { status: 'completed' }] as Params[]) {
      const page = await list(ann, { ...p, limit: '200' });
      assert.ok(!page.tasks.some((t) => bobIds.has(t.id)), `no leak for ${qs(p)}`);
      assert.equal(page.total, page.tasks.length);
    }
    assert.equal((await list(ann, { tags: 'bobonly' })).total, 0);
    assert.equal((await list(ann, { search: 'aaa' })).total, 0);
    const bobList = await list(bob, { sort: 'title' });
    assert.deepEqual(ids(bobList.tasks), [bobTasks.get('z')!.id, bobTasks.get('x')!.id, bobTasks.get('y')!.id]);
    assert.equal(bobList.total, 3);
    assert.deepEqual(ids((await list(bob, { search: 'report' })).tasks).sort(), [bobTasks.get('x')!.id, bobTasks.get('y')!.id].sort());
    // A cursor only positions a page; it cannot reach another user's rows.
    const annCursor = (await list(ann, { sort: 'title', limit: '1' })).next_cursor!;
    const bobPage = await list(bob, { sort: 'title', limit: '200', cursor: annCursor });
    assert.ok(bobPage.tasks.every((t) => bobIds.has(t.id)));
  });

  test('GET /api/v1/tags counts the caller’s tags only, by count desc then tag asc', async () => {
    const expected = (tasks: readonly TaskJson[]) => {
      const counts = new Map<string, number>();
      for (const t of tasks) for (const tag of t.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      return [...counts]
        .map(([tag, count]) => ({ tag, count }))
        .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    };
    const annTags = await ann.get<{ tag: string; count: number }[]>('/api/v1/tags');
    assert.equal(annTags.status, 200);
    assert.deepEqual(annTags.body, expected(all));
    assert.deepEqual(annTags.body.slice(0, 3), [
      { tag: 'work', count: 6 },
      { tag: 'home', count: 4 },
      { tag: 'errands', count: 2 },
    ]);
    const bobTags = await bob.get<{ tag: string; count: number }[]>('/api/v1/tags');
    assert.deepEqual(bobTags.body, [
      { tag: 'home', count: 2 },
      { tag: 'work', count: 2 },
      { tag: 'bobonly', count: 1 },
      { tag: 'errands', count: 1 },
      { tag: 'writing', count: 1 },
    ]);
    const carol = await signUp(ts.url);
    assert.deepEqual((await carol.get('/api/v1/tags')).body, []);
    assert.deepEqual(await list(carol, {}), { tasks: [], next_cursor: null, total: 0 });
  });

  test('bad queries are a 400 with a code', async () => {
    for (const p of [
      { sort: 'due' },
      { sort: 'DUE_DATE' },
      { order: 'up' },
      { priority: 'urgent' },
      { priority: 'high,urgent' },
      { status: 'done' },
      { limit: '0' },
      { limit: '201' },
      { limit: '-1' },
      { limit: 'ten' },
      { limit: '2.5' },
      { limit: '' },
      { overdue: 'yes' },
      { has_due_date: '1' },
      { tags: 'a b!' },
      { colour: 'red' },
      { search: 'x'.repeat(201) },
    ] as Params[]) {
      await expectError(ann, p, 'VALIDATION_FAILED');
    }
    await expectError(ann, '/api/v1/tasks?status=pending&status=completed', 'VALIDATION_FAILED');
    for (const p of [{ due_before: 'tomorrow' }, { due_after: '2027-02-30' }, { due_before: '2027-13-01' }, { due_after: '2027-01-01T25:00' }] as Params[]) {
      await expectError(ann, p, 'INVALID_DATE');
    }
  });

  test('bad cursors are a 400 INVALID_CURSOR', async () => {
    const titleCursor = (await list(ann, { sort: 'title', order: 'asc', limit: '2' })).next_cursor!;
    const relevanceCursor = (await list(ann, { search: 'e', limit: '2' })).next_cursor!;
    assert.ok(titleCursor && relevanceCursor);
    const bad: Params[] = [
      { cursor: 'not a cursor!' },
      { cursor: 'e30' }, // {}
      { cursor: Buffer.from('[1,2]').toString('base64url') },
      { cursor: titleCursor.slice(0, -3) },
      // a cursor from one sort or order used with another
      { cursor: titleCursor, sort: 'due_date' },
      { cursor: titleCursor, sort: 'title', order: 'desc' },
      { cursor: titleCursor },
      { cursor: relevanceCursor, sort: 'due_date' },
      { cursor: relevanceCursor },
      { cursor: relevanceCursor, search: 'e', order: 'asc' },
      // well-formed JSON whose value does not fit the sort
      { cursor: cursorOf({ kind: 'key', sort: 'due_date', order: 'asc', isNull: false, value: 'not-a-date', id: '1' }), sort: 'due_date' },
      { cursor: cursorOf({ kind: 'key', sort: 'created_at', order: 'desc', isNull: false, value: '2027-13-45 99:00:00+00', id: '1' }) },
      { cursor: cursorOf({ kind: 'key', sort: 'priority', order: 'desc', isNull: false, value: 'high; drop', id: '1' }), sort: 'priority' },
      { cursor: cursorOf({ kind: 'key', sort: 'priority', order: 'desc', isNull: false, value: '99999999', id: '1' }), sort: 'priority' },
      { cursor: cursorOf({ kind: 'key', sort: 'title', order: 'asc', isNull: false, value: 'x', id: '-1' }), sort: 'title' },
      { cursor: cursorOf({ kind: 'key', sort: 'title', order: 'asc', isNull: false, value: 'x', id: 'abc' }), sort: 'title' },
      { cursor: cursorOf({ kind: 'key', sort: 'title', order: 'asc', isNull: false, value: 'x', id: '99999999999999999999' }), sort: 'title' },
      { cursor: cursorOf({ kind: 'key', sort: 'title', order: 'asc', isNull: false, value: 'x', id: '9999999999999999999' }), sort: 'title' },
      { cursor: cursorOf({ kind: 'key', sort: 'title', order: 'asc', isNull: false, value: null, id: '1' }), sort: 'title' },
      { cursor: cursorOf({ kind: 'offset', offset: -1 }), search: 'e' },
    ];
    for (const p of bad) await expectError(ann, p, 'INVALID_CURSOR');
  });

  test('a cursor after a long non-ASCII title still works', async () => {
    const c = await signUp(ts.url);
    const long = 'é'.repeat(199) + '"';
    for (const title of [long, `${long.slice(0, -1)}z`, 'b']) {
      assert.equal((await c.post('/api/v1/tasks', { title })).status, 201);
    }
    const walked = await walk(c, { sort: 'title', order: 'desc' }, 1);
    assert.equal(walked.ids.length, 3);
    const asc = await walk(c, { sort: 'title', order: 'asc' }, 1);
    assert.deepEqual(asc.ids, [...walked.ids].reverse());
  });

  test('sort=completed_at: most recently completed first by default, open tasks last, pages walk it', async () => {
    const c = await signUp(ts.url);
    const made: number[] = [];
    for (const title of ['first done', 'open one', 'second done', 'third done', 'open two']) {
      made.push((await c.post<TaskJson>('/api/v1/tasks', { title })).body.id);
    }
    const [first, open1, second, third, open2] = made as [number, number, number, number, number];
    // Completed in this order, a moment apart.
    for (const id of [first, second, third]) {
      assert.equal((await c.patch(`/api/v1/tasks/${id}/complete`, { completed: true })).status, 200);
      await new Promise((r) => setTimeout(r, 5));
    }
    const done = await list(c, { status: 'completed', sort: 'completed_at' });
    assert.deepEqual(ids(done.tasks), [third, second, first]);
    const everything = await walk(c, { sort: 'completed_at', order: 'desc' }, 2);
    assert.deepEqual(everything.ids, [third, second, first, open2, open1], 'open tasks (no completion) last, ties by id');
    const asc = await walk(c, { sort: 'completed_at', order: 'asc' }, 2);
    assert.deepEqual(asc.ids, [first, second, third, open1, open2]);
  });
});

describe('GET /api/v1/tasks: search', () => {
  let u: Client;
  const id: Record<string, number> = {};
  const search = async (s: string, extra: Params = {}) => ids((await list(u, { search: s, ...extra })).tasks);
  const setOf = async (s: string) => (await search(s)).sort((a, b) => a - b);
  const these = (...keys: string[]) => keys.map((k) => id[k]!).sort((a, b) => a - b);

  before(async () => {
    u = await signUp(ts.url);
    const specs: [string, string, string][] = [
      ['recipe', 'Smoothie recipe', 'blend a milkshake with banana'], // partial match in the description
      ['milk', 'Buy milk', 'and bread'], // whole word in the title
      ['oat', 'Oat drink', 'instead of milk'], // whole word in the description
      ['percent', '100% done', 'finish it'],
      ['thousand', '1000 items', 'count them'],
      ['under', 'snake_case naming', 'style guide'],
      ['nounder', 'snakeXcase naming', 'style guide'],
      ['backslash', 'Clean C:\\temp folder', ''],
      ['ecole', 'École inscription', 'Rentrée scolaire'],
      ['bread', 'Bake bread', 'buy flour'],
      ['many', 'one two three four five six', 'seven eight nine ten'],
    ];
    for (const [key, title, description] of specs) {
      const res = await u.post<TaskJson>('/api/v1/tasks', { title, description });
      assert.equal(res.status, 201);
      id[key] = res.body.id;
    }
  });

  test('partial words match in title and description, case-insensitively', async () => {
    assert.deepEqual(await setOf('mil'), these('recipe', 'milk', 'oat'));
    assert.deepEqual(await setOf('MILK'), these('recipe', 'milk', 'oat'));
    assert.deepEqual(await setOf('shake'), these('recipe'));
    assert.deepEqual(await setOf('banana'), these('recipe'));
    assert.deepEqual(await setOf('école'), these('ecole'));
    assert.deepEqual(await setOf('ÉCOLE'), these('ecole'));
    assert.deepEqual(await setOf('RENTRÉE'), these('ecole'));
    assert.deepEqual(await setOf('nothing-like-this'), []);
  });

  test('all words must match (AND), in any field and order', async () => {
    assert.deepEqual(await setOf('buy bread'), these('milk', 'bread'));
    assert.deepEqual(await setOf('bread buy'), these('milk', 'bread'));
    assert.deepEqual(await setOf('milk bread'), these('milk'));
    assert.deepEqual(await setOf('  milk   banana '), these('recipe'));
    assert.deepEqual(await setOf('milk banana zzz'), []);
    assert.deepEqual(await setOf('bake flour'), these('bread'));
    // Every word counts, not just the first few.
    assert.deepEqual(await setOf('one two three four five six seven eight nine ten'), these('many'));
    assert.deepEqual(await setOf('one two three four five six seven eight nine ten eleven'), []);
    assert.deepEqual(await setOf('one two three four five six seven eight nine ten on tw th'), these('many'));
  });

  test('a whole-word title match ranks above a partial match in the description', async () => {
    const ranked = await search('milk');
    assert.equal(ranked.length, 3);
    assert.equal(ranked[0], id['milk']);
    assert.ok(ranked.indexOf(id['oat']!) < ranked.indexOf(id['recipe']!), 'whole word in description above partial');
    const page = await list(u, { search: 'milk' });
    assert.equal(page.total, 3);
  });

  test('LIKE metacharacters match literally', async () => {
    assert.deepEqual(await setOf('%'), these('percent'));
    assert.deepEqual(await setOf('100%'), these('percent'));
    assert.deepEqual(await setOf('e_c'), these('under'));
    assert.deepEqual(await setOf('_'), these('under'));
    assert.deepEqual(await setOf('c:\\temp'), these('backslash'));
    assert.deepEqual(await setOf('\\'), these('backslash'));
    assert.deepEqual(await setOf('%%'), []);
  });

  test('an empty or blank search means no search', async () => {
    const everything = ids((await list(u, {})).tasks);
    assert.equal(everything.length, 11);
    assert.deepEqual(await search(''), everything);
    assert.deepEqual(await search('   '), everything);
  });

  test('search with an explicit sort, and relevance pages', async () => {
    assert.deepEqual(await search('mil', { sort: 'title' }), [id['milk'], id['oat'], id['recipe']]);
    assert.deepEqual(await search('mil', { sort: 'created_at', order: 'asc' }), [id['recipe'], id['milk'], id['oat']]);
    const single = await search('e');
    const walked = await walk(u, { search: 'e' }, 2);
    assert.deepEqual(walked.ids, single);
    assert.equal(walked.total, single.length);
  });
});

describe('GET /api/v1/tasks: due date filters in the user time zone', () => {
  let india: Client;
  let utc: Client;
  // Asia/Kolkata is UTC+05:30 all year: its 2035-06-15 runs from 2035-06-14T18:30Z to 2035-06-15T18:29:59Z.
  const DUES: [string, string][] = [
    ['t1', '2035-06-14T18:29:59Z'], // 14th, 23:59:59 local
    ['t2', '2035-06-14T18:30:00Z'], // 15th, 00:00 local
    ['t3', '2035-06-15T12:00:00Z'], // 15th, 17:30 local
    ['t4', '2035-06-15T18:29:59Z'], // 15th, 23:59:59 local
    ['t5', '2035-06-15T18:30:00Z'], // 16th, 00:00 local
    ['t6', '2035-06-15'], // date only: end of the 15th, local
  ];
  const ind: Record<string, number> = {};
  const utcIds: Record<string, number> = {};
  const get = async (c: Client, p: Params) => ids((await list(c, { ...p, sort: 'created_at', order: 'asc' })).tasks);
  const I = (...k: string[]) => k.map((x) => ind[x]!);
  const U = (...k: string[]) => k.map((x) => utcIds[x]!);

  before(async () => {
    india = await signUp(ts.url, { timezone: 'Asia/Kolkata' });
    utc = await signUp(ts.url, { timezone: 'UTC' });
    for (const [c, out] of [[india, ind], [utc, utcIds]] as const) {
      for (const [key, due] of DUES) {
        const res = await c.post<TaskJson>('/api/v1/tasks', { title: key, due_date: due });
        assert.equal(res.status, 201);
        out[key] = res.body.id;
      }
      out['none'] = (await c.post<TaskJson>('/api/v1/tasks', { title: 'none' })).body.id;
    }
  });

  test('date-only input for a due date is the end of that local day', async () => {
    const india6 = await india.get<TaskJson>(`/api/v1/tasks/${ind['t6']}`);
    assert.equal(india6.body.due_date, '2035-06-15T18:29:59.000Z');
  });

  test('date-only bounds: due_after is the start, due_before the end of the local day, both inclusive', async () => {
    assert.deepEqual(await get(india, { due_after: '2035-06-15' }), I('t2', 't3', 't4', 't5', 't6'));
    assert.deepEqual(await get(india, { due_before: '2035-06-15' }), I('t1', 't2', 't3', 't4', 't6'));
    assert.deepEqual(await get(india, { due_after: '2035-06-15', due_before: '2035-06-15' }), I('t2', 't3', 't4', 't6'));
    assert.deepEqual(await get(india, { due_after: '2035-06-16', due_before: '2035-06-16' }), I('t5'));
    assert.deepEqual(await get(india, { due_after: '2035-06-16', due_before: '2035-06-15' }), []);
  });

  test('the same day in UTC covers other instants', async () => {
    // t6 was "2035-06-15" for this user too, so it is 23:59:59Z.
    assert.deepEqual(await get(utc, { due_after: '2035-06-15', due_before: '2035-06-15' }), U('t3', 't4', 't5', 't6'));
    assert.deepEqual(await get(utc, { due_before: '2035-06-14' }), U('t1', 't2'));
  });

  test('local date-times are wall time; instants with an offset are taken as is', async () => {
    // 17:30 local = 12:00Z; inclusive.
    assert.deepEqual(await get(india, { due_before: '2035-06-15T17:30' }), I('t1', 't2', 't3'));
    assert.deepEqual(await get(india, { due_after: '2035-06-15T17:30' }), I('t3', 't4', 't5', 't6'));
    assert.deepEqual(await get(india, { due_before: '2035-06-15T17:29:59' }), I('t1', 't2'));
    assert.deepEqual(await get(india, { due_before: '2035-06-15T12:00:00Z' }), I('t1', 't2', 't3'));
    assert.deepEqual(await get(india, { due_after: '2035-06-15T20:00:00+02:00', due_before: '2035-06-15T18:29:59.000Z' }), I('t4', 't6'));
  });

  test('date filters combine with sort and pages', async () => {
    const p = { due_after: '2035-06-15', due_before: '2035-06-16', sort: 'due_date', order: 'desc' };
    const walked = await walk(india, p, 2);
    // t4 and t6 share a due date: id desc among them.
    assert.deepEqual(walked.ids, I('t5', 't6', 't4', 't3', 't2'));
    assert.equal(walked.total, 5);
  });
});
