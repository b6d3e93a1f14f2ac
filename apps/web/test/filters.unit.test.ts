import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  clearFilters,
  compareTasks,
  DEFAULT_FILTERS,
  hasActiveFilters,
  matchesFilters,
  parseFilters,
  serializeFilters,
  toApiQuery,
  type TaskFilters,
} from '../lib/filters.ts';
import type { Task } from '../lib/types.ts';

const parse = (query: string): TaskFilters => parseFilters(new URLSearchParams(query));

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 1,
    title: 'Pay rent',
    description: '',
    completed: false,
    completed_at: null,
    priority: 'medium',
    tags: [],
    due_date: null,
    reminder_at: null,
    remind_before_minutes: null,
    recurring: null,
    recurrence: null,
    recurring_parent_id: null,
    version: 1,
    created_at: '2026-03-01T10:00:00.000Z',
    updated_at: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('filters in the URL', () => {
  test('an empty query is the default view and serialises to nothing', () => {
    assert.deepEqual(parse(''), DEFAULT_FILTERS);
    assert.equal(serializeFilters(DEFAULT_FILTERS).toString(), '');
    assert.equal(hasActiveFilters(DEFAULT_FILTERS), false);
  });

  test('every filter survives a round trip', () => {
    const query = 'q=rent+march&status=all&priority=high%2Clow&tags=home%2Cbills&due_after=2026-03-01&due_before=2026-03-31&overdue=true&sort=due_date&order=desc';
    const filters = parse(query);
    assert.deepEqual(filters, {
      q: 'rent march',
      status: 'all',
      priorities: ['high', 'low'],
      tags: ['home', 'bills'],
      dueAfter: '2026-03-01',
      dueBefore: '2026-03-31',
      overdue: true,
      sort: 'due_date',
      order: 'desc',
    });
    assert.equal(serializeFilters(filters).toString(), query);
    assert.deepEqual(parse(serializeFilters(filters).toString()), filters);
  });

  test('unknown or malformed values fall back to defaults', () => {
    const filters = parse('status=done&priority=urgent,high,HIGH&tags=a%20b,ok,,OK&due_after=2026-02-30&due_before=tomorrow&overdue=yes&sort=colour&order=up');
    assert.equal(filters.status, 'pending', 'open tasks unless asked otherwise');
    assert.deepEqual(filters.priorities, ['high']);
    assert.deepEqual(filters.tags, ['ok']);
    assert.equal(filters.dueAfter, '');
    assert.equal(filters.dueBefore, '');
    assert.equal(filters.overdue, false);
    assert.equal(filters.sort, 'created_at');
    assert.equal(filters.order, 'desc');
    assert.equal(serializeFilters(filters).toString(), 'priority=high&tags=ok');
  });

  test("a sort's own default order is left out; the other order is kept", () => {
    assert.equal(serializeFilters({ ...DEFAULT_FILTERS, sort: 'priority', order: 'desc' }).toString(), 'sort=priority');
    assert.equal(serializeFilters({ ...DEFAULT_FILTERS, sort: 'priority', order: 'asc' }).toString(), 'sort=priority&order=asc');
    assert.deepEqual(parse('sort=title'), { ...DEFAULT_FILTERS, sort: 'title', order: 'asc' });
  });

  test('searching sorts by relevance unless another sort is chosen; relevance needs a search', () => {
    assert.equal(parse('q=milk').sort, 'relevance');
    assert.equal(serializeFilters(parse('q=milk')).toString(), 'q=milk');
    assert.equal(parse('q=milk&sort=title').sort, 'title');
    assert.equal(parse('sort=relevance').sort, 'created_at');
    assert.equal(serializeFilters({ ...DEFAULT_FILTERS, sort: 'relevance' }).toString(), '');
  });

  test('clearing keeps the chosen sort', () => {
    const cleared = clearFilters(parse('status=completed&priority=low&sort=due_date&order=desc'));
    assert.deepEqual(cleared, { ...DEFAULT_FILTERS, sort: 'due_date', order: 'desc' });
  });
});

describe('API query', () => {
  test('the default view asks for the first page of open tasks, newest first', () => {
    assert.equal(toApiQuery(DEFAULT_FILTERS).toString(), 'status=pending&sort=created_at&order=desc&limit=50');
  });

  test('filters become the exact query of GET /api/v1/tasks', () => {
    const filters = parse('q=+rent++&status=pending&priority=low,high&tags=home&due_after=2026-03-01&due_before=2026-03-31&overdue=true&sort=due_date');
    assert.equal(
      toApiQuery(filters, { cursor: 'abc_-1' }).toString(),
      'search=rent&status=pending&priority=high%2Clow&tags=home&due_after=2026-03-01&due_before=2026-03-31&overdue=true&sort=due_date&order=asc&limit=50&cursor=abc_-1',
    );
  });

  test('a search without a chosen sort asks for relevance', () => {
    assert.equal(toApiQuery(parse('q=milk')).toString(), 'search=milk&status=pending&sort=relevance&order=desc&limit=50');
  });
});

describe('matching live changes against the filters', () => {
  const tz = 'Europe/Berlin';
  const now = new Date('2026-03-10T12:00:00Z');

  test('status, priority, tags and search', () => {
    const t = task({ title: 'Pay Rent', description: 'March flat', priority: 'high', tags: ['home', 'bills'] });
    assert.equal(matchesFilters(t, parse('status=pending&priority=high&tags=bills'), tz, now), true);
    assert.equal(matchesFilters(t, parse('status=completed'), tz, now), false);
    assert.equal(matchesFilters(t, parse('priority=low'), tz, now), false);
    assert.equal(matchesFilters(t, parse('tags=bills,work'), tz, now), false);
    assert.equal(matchesFilters(t, parse('q=rent+flat'), tz, now), true);
    assert.equal(matchesFilters(t, parse('q=rent+car'), tz, now), false);
  });

  test("due dates are bounded by whole local days in the user's zone", () => {
    // 23:30 UTC on Mar 31 is already Apr 1 in Berlin.
    const lateUtc = task({ due_date: '2026-03-31T23:30:00Z' });
    assert.equal(matchesFilters(lateUtc, parse('due_before=2026-03-31'), tz, now), false);
    assert.equal(matchesFilters(lateUtc, parse('due_after=2026-04-01'), tz, now), true);
    assert.equal(matchesFilters(lateUtc, parse('due_before=2026-03-31'), 'UTC', now), true);
    assert.equal(matchesFilters(task(), parse('due_after=2026-01-01'), tz, now), false);
  });

  test('overdue means pending and due before now', () => {
    assert.equal(matchesFilters(task({ due_date: '2026-03-09T12:00:00Z' }), parse('overdue=true'), tz, now), true);
    assert.equal(matchesFilters(task({ due_date: '2026-03-09T12:00:00Z', completed: true }), parse('overdue=true'), tz, now), false);
    assert.equal(matchesFilters(task({ due_date: '2026-03-11T12:00:00Z' }), parse('overdue=true'), tz, now), false);
  });

  test('local order follows the API: no due date last in both orders, high first by priority', () => {
    const a = task({ id: 1, due_date: '2026-03-12T10:00:00Z', priority: 'low' });
    const b = task({ id: 2, due_date: null, priority: 'high' });
    const c = task({ id: 3, due_date: '2026-03-11T10:00:00Z', priority: 'medium' });
    const ids = (f: Pick<TaskFilters, 'sort' | 'order'>) => [a, b, c].sort((x, y) => compareTasks(x, y, f)).map((t) => t.id);
    assert.deepEqual(ids({ sort: 'due_date', order: 'asc' }), [3, 1, 2]);
    assert.deepEqual(ids({ sort: 'due_date', order: 'desc' }), [1, 3, 2]);
    assert.deepEqual(ids({ sort: 'priority', order: 'desc' }), [2, 3, 1]);
    assert.deepEqual(ids({ sort: 'created_at', order: 'desc' }), [3, 2, 1]);
  });
});
