import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../src/errors.ts';
import { decodeCursor, encodeCursor, LIST_LIMIT_MAX, listTasksQuerySchema, type TaskCursor } from '../src/query.ts';

const ok = (q: Record<string, string>) => {
  const r = listTasksQuerySchema.safeParse(q);
  assert.ok(r.success, `expected ${JSON.stringify(q)} to parse: ${r.success ? '' : r.error.message}`);
  return r.data;
};
const rejects = (q: Record<string, string>, path: string): void => {
  const r = listTasksQuerySchema.safeParse(q);
  assert.ok(!r.success, `expected ${JSON.stringify(q)} to be rejected`);
  assert.ok(
    r.error.issues.some((i) => String(i.path[0] ?? (i.code === 'unrecognized_keys' ? i.keys[0] : '')) === path),
    `expected an issue at ${path}: ${JSON.stringify(r.error.issues)}`,
  );
};

function invalidCursor(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError);
    assert.equal(e.code, 'INVALID_CURSOR');
    assert.equal(e.kind, 'validation');
    return true;
  });
}

describe('listTasksQuerySchema', () => {
  test('everything is optional', () => {
    assert.deepEqual(ok({}), {});
  });

  test('csv lists are split, trimmed, emptied of blanks', () => {
    assert.deepEqual(ok({ priority: 'high,low' }).priority, ['high', 'low']);
    assert.deepEqual(ok({ priority: ' high , low ,' }).priority, ['high', 'low']);
    assert.deepEqual(ok({ priority: '' }).priority, []);
    assert.deepEqual(ok({ tags: 'Work,,#Home , deep work' }).tags, ['work', 'home', 'deep-work']);
    assert.deepEqual(ok({ tags: Array.from({ length: 20 }, (_, i) => `t${i}`).join(',') }).tags?.length, 20);
    rejects({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') }, 'tags');
    rejects({ tags: 'ok,not ok!' }, 'tags');
  });

  test('enums: unknown status, priority, sort or order is an error', () => {
    const q = ok({ status: 'pending', sort: 'due_date', order: 'desc', search: '  milk  ' });
    assert.equal(q.status, 'pending');
    assert.equal(q.sort, 'due_date');
    assert.equal(q.order, 'desc');
    assert.equal(q.search, 'milk');
    for (const sort of ['due_date', 'priority', 'title', 'created_at', 'relevance']) assert.equal(ok({ sort }).sort, sort);
    rejects({ status: 'done' }, 'status');
    rejects({ priority: 'high,urgent' }, 'priority');
    rejects({ priority: 'HIGH' }, 'priority');
    rejects({ sort: 'updated_at' }, 'sort');
    rejects({ order: 'up' }, 'order');
    rejects({ order: 'ASC' }, 'order');
  });

  test('booleans are "true" or "false" only', () => {
    assert.equal(ok({ overdue: 'true' }).overdue, true);
    assert.equal(ok({ overdue: 'false' }).overdue, false);
    assert.equal(ok({ has_due_date: 'false' }).has_due_date, false);
    rejects({ overdue: 'yes' }, 'overdue');
    rejects({ overdue: '1' }, 'overdue');
  });

  test(`limit is an integer from 1 to ${LIST_LIMIT_MAX}`, () => {
    assert.equal(ok({ limit: '1' }).limit, 1);
    assert.equal(ok({ limit: '200' }).limit, 200);
    for (const limit of ['0', '-1', '201', '1.5', 'abc', '']) rejects({ limit }, 'limit');
  });

  test('strict: unknown parameters are rejected; length limits', () => {
    rejects({ foo: 'bar' }, 'foo');
    rejects({ page: '2' }, 'page');
    rejects({ search: 'x'.repeat(201) }, 'search');
    assert.equal(ok({ search: 'x'.repeat(200) }).search?.length, 200);
    rejects({ due_before: 'x'.repeat(41) }, 'due_before');
    rejects({ cursor: 'x'.repeat(3001) }, 'cursor');
  });
});

describe('task cursors', () => {
  const key: TaskCursor = { kind: 'key', sort: 'due_date', order: 'asc', isNull: false, value: '2026-01-10 17:00:00+00', id: '42' };

  test('encode/decode round trip', () => {
    const raw = encodeCursor(key);
    assert.match(raw, /^[A-Za-z0-9_-]+$/); // url-safe
    assert.deepEqual(decodeCursor(raw, 'due_date', 'asc'), key);
    const nullKey: TaskCursor = { kind: 'key', sort: 'priority', order: 'desc', isNull: true, value: null, id: '9223372036854775807' };
    assert.deepEqual(decodeCursor(encodeCursor(nullKey), 'priority', 'desc'), nullKey);
    const numeric: TaskCursor = { kind: 'key', sort: 'priority', order: 'asc', isNull: false, value: 3, id: '7' };
    assert.deepEqual(decodeCursor(encodeCursor(numeric), 'priority', 'asc'), numeric);
    const offset: TaskCursor = { kind: 'offset', offset: 50 };
    assert.deepEqual(decodeCursor(encodeCursor(offset), 'relevance', 'desc'), offset);
  });

  test('garbage is INVALID_CURSOR', () => {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    for (const raw of [
      '',
      '!!!',
      'not a cursor',
      b64('not json'),
      b64('null'),
      b64('42'),
      b64('[]'),
      b64('{}'),
      b64(JSON.stringify({ ...key, kind: 'page' })),
      b64(JSON.stringify({ ...key, id: 'abc' })),
      b64(JSON.stringify({ ...key, id: '-1' })),
      b64(JSON.stringify({ ...key, id: '12345678901234567890' })),
      b64(JSON.stringify({ ...key, isNull: 'no' })),
      b64(JSON.stringify({ ...key, sort: 'updated_at' })),
      b64(JSON.stringify({ ...key, value: { $gt: 1 } })),
      b64(JSON.stringify({ ...key, value: 'x'.repeat(301) })),
      b64(JSON.stringify({ kind: 'offset', offset: -1 })),
      b64(JSON.stringify({ kind: 'offset', offset: 1.5 })),
      b64(JSON.stringify({ kind: 'offset', offset: 1_000_001 })),
    ]) {
      invalidCursor(() => decodeCursor(raw, 'due_date', 'asc'));
    }
  });

  test('a cursor of another sort or order is INVALID_CURSOR', () => {
    const raw = encodeCursor(key);
    invalidCursor(() => decodeCursor(raw, 'title', 'asc'));
    invalidCursor(() => decodeCursor(raw, 'due_date', 'desc'));
    invalidCursor(() => decodeCursor(raw, 'relevance', 'asc'));
  });

  test(
    'an offset cursor (relevance paging) used with a keyset sort is INVALID_CURSOR',
    () => {
      invalidCursor(() => decodeCursor(encodeCursor({ kind: 'offset', offset: 50 }), 'due_date', 'asc'));
    },
  );

  test(
    'a key cursor whose value does not fit the sort column is INVALID_CURSOR',
    () => {
      invalidCursor(() => decodeCursor(encodeCursor({ ...key, value: 'not a date' }), 'due_date', 'asc'));
      invalidCursor(() => decodeCursor(encodeCursor({ ...key, sort: 'priority', value: 'high' }), 'priority', 'asc'));
      invalidCursor(() => decodeCursor(encodeCursor({ ...key, isNull: true, value: '2026-01-10' }), 'due_date', 'asc'));
    },
  );
});
