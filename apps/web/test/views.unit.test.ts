import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FILTERS, parseFilters } from '../lib/filters.ts';
import { filterQuery, pageSearch, parsePage, sameFilters, viewFilters, viewHref } from '../lib/views.ts';

const today = { year: 2026, month: 11, day: 25 };

test('the page URL: Today by default, the view, the All view\'s filters, the open task', () => {
  assert.deepEqual(parsePage(''), { view: 'today', filters: DEFAULT_FILTERS, span: 7, taskId: null });
  assert.equal(pageSearch(parsePage('')), '');
  const all = parsePage('?view=all&status=all&tags=home&task=12');
  assert.deepEqual([all.view, all.filters.status, all.filters.tags, all.taskId], ['all', 'all', ['home'], 12]);
  assert.equal(pageSearch(all), '?view=all&status=all&tags=home&task=12');
  // Filters belong to All only; unknown views and ids fall back.
  assert.deepEqual(parsePage('?view=upcoming&tags=home&days=14&task=x'), { view: 'upcoming', filters: DEFAULT_FILTERS, span: 14, taskId: null });
  assert.equal(parsePage('?view=calendar').view, 'today');
  assert.equal(viewHref('completed'), '/?view=completed');
  assert.equal(viewHref('today'), '/');
});

test('each view\'s list query', () => {
  const state = parsePage('');
  assert.deepEqual(viewFilters(state, today), { ...DEFAULT_FILTERS, dueBefore: '2026-11-25', sort: 'due_date', order: 'asc' });
  assert.deepEqual(viewFilters({ ...state, view: 'upcoming', span: 14 }, today), { ...DEFAULT_FILTERS, dueAfter: '2026-11-25', dueBefore: '2026-12-08', sort: 'due_date', order: 'asc' });
  assert.deepEqual(viewFilters({ ...state, view: 'completed' }, today), { ...DEFAULT_FILTERS, status: 'completed', sort: 'completed_at', order: 'desc' });
});

test('saved filters: their query, and when one is the list on screen', () => {
  const filters = parseFilters(new URLSearchParams('tags=home&priority=high&sort=title'));
  assert.equal(filterQuery(filters), 'priority=high&tags=home&sort=title');
  assert.equal(sameFilters(filters, parseFilters(new URLSearchParams(filterQuery(filters)))), true);
  assert.equal(sameFilters(filters, DEFAULT_FILTERS), false);
});
