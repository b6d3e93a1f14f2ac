import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_FILTERS, type TaskFilters } from '../lib/filters.ts';
import { draftTask, initialTaskList, mergeTask, taskListReducer, type TaskListAction, type TaskListState, withPatch } from '../lib/task-list.ts';
import type { Task } from '../lib/types.ts';

const now = new Date('2026-03-10T12:00:00.000Z');
const ZONE = 'Europe/Berlin';

function task(id: number, overrides: Partial<Task> = {}): Task {
  return {
    id,
    title: `Task ${id}`,
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
    created_at: new Date(now.getTime() + id * 1000).toISOString(),
    updated_at: now.toISOString(),
    ...overrides,
  };
}

const run = (state: TaskListState, ...actions: TaskListAction[]): TaskListState => actions.reduce(taskListReducer, state);
const ids = (s: TaskListState) => s.tasks.map((t) => t.id);
/** A ready list of `tasks` (newest first, the default sort). */
function ready(tasks: Task[], filters: TaskFilters = DEFAULT_FILTERS, nextCursor: string | null = null): TaskListState {
  return run(initialTaskList(filters, ZONE, 1), { type: 'page-loaded', request: 1, tasks, total: tasks.length + (nextCursor ? 10 : 0), nextCursor, now });
}

describe('pages', () => {
  test('only the latest first-page request counts', () => {
    let s = initialTaskList(DEFAULT_FILTERS, ZONE, 1);
    s = run(s, { type: 'reload', request: 2 });
    s = run(s, { type: 'page-loaded', request: 1, tasks: [task(1)], total: 1, nextCursor: null, now });
    assert.equal(s.phase, 'loading', 'the answer to request 1 arrived after request 2 started: dropped');
    s = run(s, { type: 'page-loaded', request: 2, tasks: [task(2)], total: 1, nextCursor: null, now });
    assert.deepEqual(ids(s), [2]);
    assert.equal(s.phase, 'ready');
  });

  test('a failed first load is an error; a failed refresh keeps the rows and is reported', () => {
    const failed = run(initialTaskList(DEFAULT_FILTERS, ZONE, 1), { type: 'load-failed', request: 1, message: 'offline' });
    assert.deepEqual([failed.phase, failed.error], ['error', 'offline']);
    const s = run(ready([task(1)]), { type: 'reload', request: 2 }, { type: 'load-failed', request: 2, message: 'offline' });
    assert.deepEqual([s.phase, ids(s), s.refreshing, s.refreshError?.message], ['ready', [1], false, 'offline']);
  });

  test('more pages append without duplicates; a stale one is dropped', () => {
    let s = ready([task(3), task(2)], DEFAULT_FILTERS, 'c1');
    s = run(s, { type: 'more-started' }, { type: 'more-loaded', request: 1, tasks: [task(2), task(1)], total: 3, nextCursor: null });
    assert.deepEqual(ids(s), [3, 2, 1]);
    assert.equal(s.loadingMore, false);
    const stale = run(s, { type: 'reload', request: 5 }, { type: 'more-loaded', request: 1, tasks: [task(0)], total: 4, nextCursor: null });
    assert.deepEqual(ids(stale), [3, 2, 1]);
  });
});

describe('rows being created carry a client id', () => {
  test('the answer replaces its draft by client id, not by title', () => {
    let s = ready([task(1, { title: 'Buy milk' })]);
    s = run(s, { type: 'draft-added', draft: draftTask(-1, { title: 'Buy milk' }, now) });
    assert.deepEqual(ids(s), [-1, 1]);
    // Another device adds a task with the same title meanwhile: it is not our draft's answer.
    s = run(s, { type: 'server-task', task: task(7, { title: 'Buy milk' }), live: true, now });
    assert.deepEqual(ids(s), [-1, 1], 'held while our create is pending: no row jumps in, none is taken over');
    s = run(s, { type: 'draft-created', clientId: -1, task: task(8, { title: 'Buy milk' }), now });
    assert.deepEqual(ids(s), [8, 7, 1], 'our task in the draft\'s place, the other device\'s merged in by its sort');
    assert.equal(s.total, 3);
    assert.deepEqual(s.held, []);
  });

  test('the live message of our own create can come first: one row, the newer version', () => {
    let s = ready([task(1)]);
    s = run(s, { type: 'draft-added', draft: draftTask(-1, { title: 'Call Ann' }, now) });
    s = run(s, { type: 'server-task', task: task(9, { title: 'Call Ann', version: 2 }), live: true, now });
    assert.deepEqual(ids(s), [-1, 1]);
    s = run(s, { type: 'draft-created', clientId: -1, task: task(9, { title: 'Call Ann', version: 1 }), now });
    assert.deepEqual(ids(s), [9, 1]);
    assert.equal(s.tasks[0]?.version, 2, 'the live copy was newer');
    assert.equal(s.total, 2);
  });

  test('two drafts with the same text each get their own task', () => {
    let s = ready([]);
    s = run(s, { type: 'draft-added', draft: draftTask(-1, { title: 'Same' }, now) }, { type: 'draft-added', draft: draftTask(-2, { title: 'Same' }, now) });
    s = run(s, { type: 'server-task', task: task(11, { title: 'Same' }), live: true, now }, { type: 'server-task', task: task(12, { title: 'Same' }), live: true, now });
    s = run(s, { type: 'draft-created', clientId: -2, task: task(12, { title: 'Same' }), now });
    assert.deepEqual(ids(s), [-1, 12], 'draft -1 still pending; 11 still held');
    s = run(s, { type: 'draft-created', clientId: -1, task: task(11, { title: 'Same' }), now });
    assert.deepEqual(ids(s).sort(), [11, 12]);
    assert.equal(s.total, 2);
  });

  test('a task created here stays in view though the view would leave it out, until the list reloads', () => {
    const today = { ...DEFAULT_FILTERS, dueBefore: '2026-03-10', sort: 'due_date' as const, order: 'asc' as const };
    let s = run(ready([], today), { type: 'draft-added', draft: draftTask(-1, { title: 'Later' }, now) });
    s = run(s, { type: 'draft-created', clientId: -1, task: task(4, { due_date: '2026-03-12T10:00:00.000Z' }), now });
    s = run(s, { type: 'server-task', task: task(4, { due_date: '2026-03-12T10:00:00.000Z', version: 1 }), live: true, now });
    assert.deepEqual(ids(s), [4], 'its own live echo does not take it away');
    s = run(s, { type: 'server-task', task: task(4, { due_date: '2026-03-12T10:00:00.000Z', version: 2, title: 'Renamed' }), live: true, now });
    assert.equal(s.tasks[0]?.title, 'Renamed');
    s = run(s, { type: 'server-task', task: task(4, { version: 3, completed: true }), live: true, now });
    assert.deepEqual(ids(s), [], 'completed: it goes');
    s = run(s, { type: 'reload', request: 2 }, { type: 'page-loaded', request: 2, tasks: [], total: 0, nextCursor: null, now });
    assert.deepEqual(s.pinned, []);
  });

  test('a failed create removes its draft and lets held arrivals in', () => {
    let s = ready([task(1)]);
    s = run(s, { type: 'draft-added', draft: draftTask(-1, { title: 'X' }, now) }, { type: 'server-task', task: task(5), live: true, now });
    s = run(s, { type: 'draft-failed', clientId: -1, now });
    assert.deepEqual(ids(s), [5, 1]);
    assert.equal(s.total, 2);
  });

  test('drafts survive a change of view; the rest of the rows do not', () => {
    let s = run(ready([task(1)]), { type: 'draft-added', draft: draftTask(-3, { title: 'Y' }, now) });
    s = run(s, { type: 'filters-changed', filters: { ...DEFAULT_FILTERS, status: 'completed' }, timeZone: ZONE, request: 9 });
    assert.deepEqual(ids(s), [-3]);
    assert.equal(s.phase, 'loading');
  });
});

describe('edits and live changes', () => {
  test('optimistic changes stay in place and roll back exactly', () => {
    const original = task(2, { title: 'Old' });
    let s = ready([task(3), original, task(1)]);
    s = run(s, { type: 'optimistic', task: withPatch(original, { title: 'New', priority: 'high' }) });
    assert.deepEqual([ids(s), s.tasks[1]?.title, s.tasks[1]?.priority], [[3, 2, 1], 'New', 'high']);
    s = run(s, { type: 'rolled-back', task: original });
    assert.deepEqual(s.tasks[1], original);
  });

  test('a stale version never replaces a newer one; a task leaving the filters leaves the list', () => {
    const pending = { ...DEFAULT_FILTERS, status: 'pending' as const };
    let s = ready([task(2, { version: 3 }), task(1)], pending);
    s = run(s, { type: 'server-task', task: task(2, { version: 2, title: 'stale' }), live: true, now });
    assert.equal(s.tasks[0]?.title, 'Task 2');
    s = run(s, { type: 'server-task', task: task(2, { version: 4, completed: true }), live: true, now });
    assert.deepEqual(ids(s), [1]);
    assert.equal(s.total, 1);
  });

  test('a new task sorting after the loaded rows waits for its page', () => {
    const byTitle = { ...DEFAULT_FILTERS, sort: 'title' as const, order: 'asc' as const };
    const s = ready([task(1, { title: 'a' }), task(2, { title: 'b' })], byTitle, 'more');
    assert.deepEqual(ids(mergeTask(s, task(3, { title: 'z' }), now)), [1, 2]);
    assert.deepEqual(ids(mergeTask(s, task(4, { title: 'aa' }), now)), [1, 4, 2]);
  });

  test('delete and put back where it was; a live delete removes a held arrival too', () => {
    let s = ready([task(3), task(2), task(1)]);
    s = run(s, { type: 'removed', id: 2 });
    assert.deepEqual(ids(s), [3, 1]);
    s = run(s, { type: 'reinserted', task: task(2), index: 1 });
    assert.deepEqual(ids(s), [3, 2, 1]);
    s = run(s, { type: 'draft-added', draft: draftTask(-1, { title: 'Z' }, now) }, { type: 'server-task', task: task(9), live: true, now }, { type: 'removed', id: 9 });
    assert.deepEqual(s.held, []);
  });

  test('the next occurrence of a task completed here is noticed once', () => {
    let s = run(ready([task(1)]), { type: 'awaiting-next', id: 1 });
    s = run(s, { type: 'server-task', task: task(2, { recurring_parent_id: 1 }), live: true, now });
    assert.equal(s.nextArrived?.id, 2);
    assert.deepEqual(s.awaitingNext, []);
    const again = run(s, { type: 'server-task', task: task(3, { recurring_parent_id: 5 }), live: true, now });
    assert.equal(again.nextArrived?.id, 2, 'an occurrence of a task not completed here is not announced');
  });
});
