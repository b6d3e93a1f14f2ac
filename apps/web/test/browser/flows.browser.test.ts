// The web UI in a real Chromium against a real Dueflow (`npm start`): sign-up, tasks with every field,
// search/filter/sort with the state in the URL, recurrence, live sync between pages, reminders,
// isolation between users, keyboard shortcuts, a phone viewport, accessibility (axe-core) and the
// screenshots the README shows. Elements are found by role and accessible name (see the UI contract).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Task } from '../../lib/types.ts';
import {
  type AxeSummary,
  buildAndStartDueflow,
  cspViolations,
  describeViolations,
  type Dueflow,
  launchChromium,
  newContext,
  runAxe,
  screenshotDir,
  settle,
  writeReport,
} from './harness.ts';

const TIME_ZONE = 'Europe/Berlin';
const PASSWORD = 'correct horse battery';

let dueflow: Dueflow;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const axeResults: Record<string, { violations: number; serious_or_critical: number; passes: number; incomplete: number; inapplicable: number; ids: string[]; incomplete_ids: string[] }> = {};
const userA = { name: 'Ada Lovelace', email: `ada-${Date.now()}@example.com` };

// ---- dates in the browser's (and the user's) time zone ----

function zonedParts(date: Date): { y: number; m: number; d: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}
/** The calendar day `offset` days from today in TIME_ZONE, as YYYY-MM-DD. */
function localDay(offset: number): string {
  const { y, m, d } = zonedParts(new Date());
  return new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
}

// ---- page helpers ----

/** Every row of the view: the region holds the view's lists (one per group in Today and Upcoming). */
const taskList = (p: Page) => p.getByRole('region', { name: 'Tasks', exact: true });
const completeBox = (scope: Page | Locator, title: string) => scope.getByRole('checkbox', { name: `Complete "${title}"`, exact: true });
const rowsOf = (p: Page, title: string) => taskList(p).locator('li[data-task-id]').filter({ has: completeBox(p, title) });
const detailPanel = (p: Page) => p.getByRole('dialog', { name: 'Task details' });
const newTaskBox = (p: Page) => p.getByRole('textbox', { name: 'New task', exact: true });
const searchBox = (p: Page) => p.getByRole('searchbox', { name: 'Search tasks', exact: true });

async function apiTasks(p: Page): Promise<Task[]> {
  const res = await p.request.get('/api/v1/tasks?status=all&limit=200');
  assert.equal(res.status(), 200, `GET /api/v1/tasks with the session cookie: ${res.status()}`);
  return ((await res.json()) as { tasks: Task[] }).tasks;
}
async function apiTask(p: Page, title: string): Promise<Task> {
  const matches = (await apiTasks(p)).filter((t) => t.title === title);
  assert.equal(matches.length, 1, `exactly one task titled "${title}" in the API, found ${matches.length}`);
  return matches[0] as Task;
}

/** Task ids of the list rows, top to bottom. */
async function rowIds(p: Page): Promise<number[]> {
  return taskList(p)
    .locator('li[data-task-id]')
    .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-task-id'))));
}

/** Titles of the rows in order (ids from the DOM, titles from the API so the order is what is tested). */
async function rowTitles(p: Page, byId: Map<number, Task>): Promise<string[]> {
  return (await rowIds(p)).map((id) => byId.get(id)?.title ?? `<unknown task ${id}>`);
}

async function tasksById(p: Page): Promise<Map<number, Task>> {
  return new Map((await apiTasks(p)).map((t) => [t.id, t]));
}

/** Waits for the rows to become `expected` (debounced search, refetch) and asserts it. */
async function expectRows(p: Page, expected: string[], what: string): Promise<void> {
  const byId = await tasksById(p);
  const actual = await settle(
    () => rowTitles(p, byId),
    (titles) => JSON.stringify(titles) === JSON.stringify(expected),
  );
  assert.deepEqual(actual, expected, `${what}: rows (top to bottom)`);
}

async function expectFocused(locator: Locator, what: string): Promise<void> {
  const focused = await settle(
    () => locator.evaluate((el) => el === document.activeElement),
    (v) => v,
    2000,
  );
  assert.ok(focused, `${what}: expected focus on it, but document.activeElement is elsewhere`);
}

async function selectByLabel(select: Locator, label: string): Promise<void> {
  await select.selectOption({ label });
}

async function selectedLabel(select: Locator): Promise<string> {
  return select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? '');
}

/** The tag filter is a select or a group of chips named "Tag" (the contract allows either). */
async function chooseTagFilter(p: Page, tag: string): Promise<void> {
  const select = p.getByRole('combobox', { name: 'Tag', exact: true });
  if ((await select.count()) > 0) {
    // Options may read "#bills" or carry counts ("bills (2)"); the tag list can arrive after the tasks.
    const tagOf = (label: string) => label.replace(/^#/, '').split(/\s/)[0];
    const readOptions = () => select.evaluate((el) => Array.from((el as HTMLSelectElement).options).map((o) => ({ label: o.textContent?.trim() ?? '', value: o.value })));
    const options = await settle(readOptions, (opts) => opts.some((o) => tagOf(o.label) === tag), 3000);
    const option = options.find((o) => tagOf(o.label) === tag);
    assert.ok(option, `select "Tag" has an option for "${tag}"; its options: ${JSON.stringify(options.map((o) => o.label))}`);
    await select.selectOption(option.value);
    return;
  }
  const group = p.getByRole('group', { name: 'Tag', exact: true });
  await group.getByRole('checkbox', { name: tag }).or(group.getByRole('button', { name: tag })).first().click();
}

async function clearFilters(p: Page): Promise<void> {
  // Either the toolbar's or the empty state's button; both say "Clear filters".
  const emptyState = p.getByRole('button', { name: 'Clear filters', exact: true });
  if ((await emptyState.count()) === 0) await openFilters(p);
  await p.getByRole('button', { name: 'Clear filters', exact: true }).first().click();
}

/** The All view's filters fold behind a "Filters" button: open them when they are folded. */
async function openFilters(p: Page): Promise<void> {
  const toggle = p.getByRole('button', { name: /^Filters/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}
async function setStatus(p: Page, label: 'All' | 'Open' | 'Completed'): Promise<void> {
  await openFilters(p);
  await selectByLabel(p.getByRole('combobox', { name: 'Status', exact: true }), label);
}
async function setSort(p: Page, sort: 'Due date' | 'Priority' | 'Title' | 'Created', order: 'Ascending' | 'Descending'): Promise<void> {
  await openFilters(p);
  await selectByLabel(p.getByRole('combobox', { name: 'Sort by', exact: true }), sort);
  await selectByLabel(p.getByRole('combobox', { name: 'Order', exact: true }), order);
}
const priorityFilter = (p: Page, label: 'High' | 'Medium' | 'Low') =>
  p.getByRole('group', { name: 'Priority', exact: true }).getByRole('checkbox', { name: label, exact: true });

/** The All view with no filters in the URL (open tasks, newest first), so one test's leftovers do not change the next. */
async function openDefaultView(p: Page): Promise<void> {
  await p.goto('/?view=all');
  await taskList(p).waitFor();
}

async function quickAdd(p: Page, title: string): Promise<void> {
  const box = newTaskBox(p);
  await box.fill(title);
  await box.press('Enter');
  // "The new row appears at once" (optimistically): allow a little, not a refetch cycle.
  await rowsOf(p, title).first().waitFor({ state: 'visible', timeout: 3000 });
}

async function openDetails(p: Page, title: string): Promise<Locator> {
  await rowsOf(p, title).first().getByRole('button', { name: title, exact: true }).click();
  const panel = detailPanel(p);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

async function saveAndClose(p: Page): Promise<void> {
  const panel = detailPanel(p);
  await panel.getByRole('button', { name: 'Save', exact: true }).click();
  // Saving may close the panel itself; otherwise close it.
  await p.waitForTimeout(300);
  if (await panel.isVisible()) await panel.getByRole('button', { name: 'Close', exact: true }).click();
  await panel.waitFor({ state: 'hidden' });
}

/** Types the due date (as ISO, which every locale accepts) and time into the panel's fields. */
async function setDue(panel: Locator, dayOffset: number, time: string): Promise<void> {
  const date = panel.getByRole('textbox', { name: 'Due date', exact: true });
  await date.fill(localDay(dayOffset));
  await date.press('Tab');
  const clock = panel.getByRole('textbox', { name: 'Due time', exact: true });
  await clock.fill(time);
  await clock.press('Tab');
}

async function addTags(panel: Locator, tags: string[]): Promise<void> {
  const input = panel.getByLabel('Add tag', { exact: true });
  for (const tag of tags) {
    await input.fill(tag);
    await input.press('Enter');
    await panel.getByRole('button', { name: `Remove tag ${tag}`, exact: true }).waitFor({ state: 'visible', timeout: 3000 });
  }
}

async function checkAxe(p: Page, screen: string): Promise<AxeSummary> {
  const result = await runAxe(p);
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeResults[screen] = {
    violations: result.violations.length,
    serious_or_critical: serious.length,
    passes: result.passes,
    incomplete: result.incomplete,
    inapplicable: result.inapplicable,
    ids: result.violations.map((v) => `${v.id} (${v.impact ?? 'n/a'})`),
    incomplete_ids: result.incompleteIds,
  };
  assert.equal(serious.length, 0, `axe on ${screen}: serious or critical violations:\n${describeViolations(serious)}`);
  return result;
}

async function screenshot(p: Page, name: string, options: { top?: boolean } = {}): Promise<void> {
  if (options.top) {
    // The page from its top, nothing focused: a picture of the screen as one first sees it.
    await p.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
  }
  // No caret or animations in the pictures, so they only change when the UI does.
  await p.screenshot({ path: join(screenshotDir(), `${name}.png`), animations: 'disabled', caret: 'hide' });
}

async function signUpThroughUi(p: Page, user: { name: string; email: string }): Promise<void> {
  await p.goto('/sign-up');
  await p.getByRole('heading', { name: 'Create your account' }).waitFor();
  await p.getByRole('textbox', { name: 'Name', exact: true }).fill(user.name);
  await p.getByRole('textbox', { name: 'Email', exact: true }).fill(user.email);
  await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await p.getByRole('button', { name: 'Create account', exact: true }).click();
  await p.waitForURL((url) => url.pathname === '/');
  await newTaskBox(p).waitFor({ state: 'visible' });
}

// ---- the suite ----

describe('Dueflow web UI in Chromium', { timeout: 600_000 }, () => {
  before(async () => {
    // The browser first: without one the suite fails at once (it never skips).
    browser = await launchChromium();
    dueflow = await buildAndStartDueflow({ AUTH_RATE_LIMIT_PER_MINUTE: '100' });
    context = await newContext(browser, dueflow.url);
    page = await context.newPage();
  }, { timeout: 400_000 });

  after(async () => {
    const path = writeReport('dueflow-axe-results.json', axeResults);
    process.stdout.write(`# axe-core results per screen (${path}):\n${Object.entries(axeResults)
      .map(([screen, r]) => `#   ${screen}: ${r.violations} violations (${r.serious_or_critical} serious/critical), ${r.passes} passes, ${r.incomplete} incomplete${r.incomplete_ids.length ? ` (${r.incomplete_ids.join(', ')})` : ''}${r.ids.length ? ` — ${r.ids.join(', ')}` : ''}`)
      .join('\n')}\n`);
    await browser?.close();
    await dueflow?.stop();
  });

  test('signed out, / sends you to sign-in; sign-up page is accessible', async () => {
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/sign-in', { timeout: 10_000 });
    await page.goto('/sign-up');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    await checkAxe(page, 'sign-up');
  });

  test('sign up through the UI lands on an empty Today', async () => {
    await signUpThroughUi(page, userA);
    await page.getByText('Nothing due today').waitFor();
    await expectFocused(page.getByRole('heading', { name: 'Today', level: 1 }), 'after signing up, focus is on the view\'s heading, not the page body');
    const me = await page.request.get('/api/v1/me');
    assert.equal(me.status(), 200);
    const profile = (await me.json()) as { email: string; timezone: string };
    assert.equal(profile.email, userA.email);
    assert.equal(profile.timezone, TIME_ZONE, 'the browser time zone is sent on sign-up');
  });

  test('create tasks with priority, tags, due date, reminder and recurrence through the UI', async () => {
    await openDefaultView(page);
    for (const title of ['Pay rent', 'Water plants', 'File taxes', 'Read book', 'Stretch']) await quickAdd(page, title);

    let panel = await openDetails(page, 'Pay rent');
    await selectByLabel(panel.getByRole('combobox', { name: 'Priority', exact: true }), 'High');
    await addTags(panel, ['home', 'bills']);
    await setDue(panel, 1, '09:00');
    await selectByLabel(panel.getByRole('combobox', { name: 'Reminder', exact: true }), '1 hour before');
    await saveAndClose(page);

    panel = await openDetails(page, 'Water plants');
    await setDue(panel, 3, '18:00');
    await addTags(panel, ['home']);
    await selectByLabel(panel.getByRole('combobox', { name: 'Repeats', exact: true }), 'Weekly');
    await panel.getByRole('spinbutton', { name: 'Every', exact: true }).fill('2');
    await panel.getByRole('checkbox', { name: 'Mon', exact: true }).check();
    await panel.getByRole('checkbox', { name: 'Thu', exact: true }).check();
    await panel.getByText(/Every 2 weeks on Mon(day)?,? (and )?Thu/i).first().waitFor({ timeout: 3000 });
    await saveAndClose(page);

    panel = await openDetails(page, 'File taxes');
    await selectByLabel(panel.getByRole('combobox', { name: 'Priority', exact: true }), 'Low');
    await addTags(panel, ['bills']);
    await setDue(panel, -1, '12:00');
    await saveAndClose(page);

    panel = await openDetails(page, 'Stretch');
    await selectByLabel(panel.getByRole('combobox', { name: 'Priority', exact: true }), 'Low');
    await setDue(panel, 1, '07:30');
    await selectByLabel(panel.getByRole('combobox', { name: 'Repeats', exact: true }), 'Daily');
    await saveAndClose(page);

    // What the UI sent is what the API stored.
    const rent = await apiTask(page, 'Pay rent');
    assert.equal(rent.priority, 'high');
    assert.deepEqual([...rent.tags].sort(), ['bills', 'home']);
    assert.equal(rent.remind_before_minutes, 60);
    assert.ok(rent.due_date, 'Pay rent has a due date');
    assert.equal(zonedParts(new Date(rent.due_date)).d, Number(localDay(1).slice(8)), 'Pay rent is due tomorrow (user time zone)');
    const plants = await apiTask(page, 'Water plants');
    assert.equal(plants.recurrence?.pattern, 'weekly');
    assert.equal(plants.recurrence?.interval, 2);
    assert.deepEqual(plants.recurrence?.by_weekday, ['MO', 'TH']);
    const taxes = await apiTask(page, 'File taxes');
    assert.equal(taxes.priority, 'low');
    assert.deepEqual(taxes.tags, ['bills']);
    const stretch = await apiTask(page, 'Stretch');
    assert.equal(stretch.recurrence?.pattern, 'daily');

    // What the list shows for them.
    const rentRow = rowsOf(page, 'Pay rent').first();
    const rentText = await rentRow.ariaSnapshot();
    assert.match(rentText, /\bHigh\b/, 'priority as text in the row');
    assert.doesNotMatch(await rowsOf(page, 'Water plants').first().ariaSnapshot(), /Medium/, 'the usual priority is not shown');
    assert.match(rentText, /\bhome\b/, 'tag chip "home"');
    assert.match(rentText, /\bbills\b/, 'tag chip "bills"');
    assert.match(rentText, /Tomorrow,? 09:00/, 'relative due text');
    assert.match(rentText, /Reminder \S/, 'reminder indicator with accessible text "Reminder <when>"');
    const dateTime = await rentRow.locator('time[datetime]').first().getAttribute('datetime');
    assert.ok(dateTime, 'due shown in a <time dateTime>');
    assert.equal(Date.parse(dateTime), Date.parse(rent.due_date), '<time dateTime> is the due instant');
    assert.match(await rowsOf(page, 'Water plants').first().ariaSnapshot(), /Every 2 weeks on Mon(day)?,? (and )?Thu/i, 'recurring badge in words');
    assert.match(await rowsOf(page, 'File taxes').first().ariaSnapshot(), /Overdue/, 'overdue row marked with text');
    assert.doesNotMatch(rentText, /Overdue/, 'a task due tomorrow is not overdue');
  });

  test('completing a task from the list: it leaves the open tasks, with Undo', async () => {
    await completeBox(page, 'Read book').click();
    const done = await settle(() => apiTask(page, 'Read book'), (t) => t.completed);
    assert.equal(done.completed, true, 'the checkbox completes the task');
    assert.equal(await settle(() => rowsOf(page, 'Read book').count(), (n) => n === 0), 0, 'completed tasks are not in the default list');
    await page.getByRole('status').getByText('Completed "Read book"').waitFor();
    await page.goto('/?view=completed');
    await rowsOf(page, 'Read book').first().waitFor();
    assert.match(await page.getByRole('region', { name: 'Tasks' }).ariaSnapshot(), /Completed today/, 'grouped by the day it was completed');
  });

  test('search, filters and sort show the right rows in the right order', async () => {
    await openDefaultView(page);
    await clearFilters(page);
    await setStatus(page, 'Open');
    await setSort(page, 'Due date', 'Ascending');
    await expectRows(page, ['File taxes', 'Stretch', 'Pay rent', 'Water plants'], 'open by due date');

    await setStatus(page, 'Completed');
    await expectRows(page, ['Read book'], 'completed');

    await setStatus(page, 'All');
    await expectRows(page, ['File taxes', 'Stretch', 'Pay rent', 'Water plants', 'Read book'], 'all by due date, no due date last');

    await searchBox(page).fill('tax');
    await expectRows(page, ['File taxes'], 'search "tax"');
    await searchBox(page).fill('zzzz-nothing');
    await page.getByText('No tasks match these filters').waitFor();
    await clearFilters(page);
    assert.equal(await searchBox(page).inputValue(), '', 'Clear filters empties the search');

    await setStatus(page, 'Open');
    await priorityFilter(page, 'High').check();
    await priorityFilter(page, 'Low').check();
    await expectRows(page, ['File taxes', 'Stretch', 'Pay rent'], 'priority high + low');
    await clearFilters(page);

    await setStatus(page, 'All');
    await chooseTagFilter(page, 'bills');
    await expectRows(page, ['File taxes', 'Pay rent'], 'tag bills');
    await clearFilters(page);

    await openFilters(page);
    await page.getByRole('checkbox', { name: 'Overdue only', exact: true }).check();
    await expectRows(page, ['File taxes'], 'overdue only');
    await clearFilters(page);

    await openFilters(page);
    await page.getByLabel('Due after', { exact: true }).fill(localDay(0));
    await page.getByLabel('Due before', { exact: true }).fill(localDay(2));
    await expectRows(page, ['Stretch', 'Pay rent'], 'due between today and the day after tomorrow');
    await clearFilters(page);

    await setStatus(page, 'All');
    await setSort(page, 'Title', 'Ascending');
    await expectRows(page, ['File taxes', 'Pay rent', 'Read book', 'Stretch', 'Water plants'], 'title ascending');
    await setSort(page, 'Title', 'Descending');
    await expectRows(page, ['Water plants', 'Stretch', 'Read book', 'Pay rent', 'File taxes'], 'title descending');
    await setSort(page, 'Due date', 'Descending');
    await expectRows(page, ['Water plants', 'Pay rent', 'Stretch', 'File taxes', 'Read book'], 'due date descending, no due date still last');

    const byId = await tasksById(page);
    const priorities = async () => (await rowIds(page)).map((id) => byId.get(id)?.priority);
    await setSort(page, 'Priority', 'Descending');
    const desc = await settle(priorities, (v) => JSON.stringify(v) === JSON.stringify(['high', 'medium', 'medium', 'low', 'low']));
    assert.deepEqual(desc, ['high', 'medium', 'medium', 'low', 'low'], 'priority descending puts high first');
    await setSort(page, 'Priority', 'Ascending');
    const asc = await settle(priorities, (v) => JSON.stringify(v) === JSON.stringify(['low', 'low', 'medium', 'medium', 'high']));
    assert.deepEqual(asc, ['low', 'low', 'medium', 'medium', 'high'], 'priority ascending puts low first');
  });

  test('the URL carries the filters and reloading it reproduces the view', async () => {
    await openDefaultView(page);
    await clearFilters(page);
    await setStatus(page, 'All');
    await priorityFilter(page, 'High').check();
    await priorityFilter(page, 'Low').check();
    await setSort(page, 'Title', 'Descending');
    const expected = ['Stretch', 'Pay rent', 'File taxes'];
    await expectRows(page, expected, 'all, high + low, title descending');

    const url = new URL(await settle(async () => page.url(), (u) => new URL(u).searchParams.get('order') === 'desc'));
    assert.equal(url.searchParams.get('view'), 'all', `view in ${url.search}`);
    assert.equal(url.searchParams.get('status'), 'all', `status in ${url.search}`);
    assert.deepEqual((url.searchParams.get('priority') ?? '').split(',').sort(), ['high', 'low'], `priority in ${url.search}`);
    assert.equal(url.searchParams.get('sort'), 'title', `sort in ${url.search}`);
    assert.equal(url.searchParams.get('order'), 'desc', `order in ${url.search}`);

    await page.reload();
    await expectRows(page, expected, 'after reload');
    await openFilters(page);
    assert.equal(await selectedLabel(page.getByRole('combobox', { name: 'Sort by', exact: true })), 'Title');
    assert.equal(await selectedLabel(page.getByRole('combobox', { name: 'Order', exact: true })), 'Descending');
    assert.equal(await selectedLabel(page.getByRole('combobox', { name: 'Status', exact: true })), 'All');
    assert.equal(await priorityFilter(page, 'High').isChecked(), true);
    assert.equal(await priorityFilter(page, 'Medium').isChecked(), false);

    // A bookmark opened in another tab gives the same view, search included.
    const bookmark = await context.newPage();
    await bookmark.goto(`${url.pathname}?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), q: 'rent' }).toString()}`);
    await expectRows(bookmark, ['Pay rent'], 'bookmarked URL with q=rent');
    assert.equal(await searchBox(bookmark).inputValue(), 'rent');
    await bookmark.close();
    await clearFilters(page);
  });

  test('completing a recurring task shows its next occurrence', async () => {
    await openDefaultView(page);
    await setStatus(page, 'All');
    const before = await apiTask(page, 'Stretch');
    assert.equal(await settle(() => rowsOf(page, 'Stretch').count(), (n) => n === 1), 1);
    await completeBox(page, 'Stretch').first().check();
    const rows = await settle(() => rowsOf(page, 'Stretch').count(), (n) => n === 2);
    assert.equal(rows, 2, 'the next occurrence of "Stretch" appears in the list without reload');
    const stretches = (await apiTasks(page)).filter((t) => t.title === 'Stretch');
    const next = stretches.find((t) => t.id !== before.id);
    assert.ok(next, 'the API has a next occurrence');
    assert.equal(next.completed, false);
    assert.equal(Date.parse(next.due_date ?? '') - Date.parse(before.due_date ?? ''), 24 * 3600_000, 'due one day later');
    const nextRow = taskList(page).locator(`li[data-task-id="${next.id}"]`);
    assert.equal(await completeBox(nextRow, 'Stretch').isChecked(), false, 'the next occurrence is pending');
    const doneRow = taskList(page).locator(`li[data-task-id="${before.id}"]`);
    assert.equal(await completeBox(doneRow, 'Stretch').isChecked(), true, 'the completed occurrence is checked');
  });

  test('a second page of the same user sees changes live, without reload', async () => {
    await openDefaultView(page);
    const second = await context.newPage();
    await second.goto('/?view=all&status=all');
    await taskList(second).waitFor();
    await settle(() => rowIds(second), (ids) => ids.length > 0);
    const loads: string[] = [];
    second.on('framenavigated', (frame) => {
      if (frame === second.mainFrame()) loads.push(frame.url());
    });

    await quickAdd(page, 'Buy stamps');
    await rowsOf(second, 'Buy stamps').first().waitFor({ state: 'visible', timeout: 5000 });
    await completeBox(page, 'Buy stamps').click();
    const checked = await settle(() => completeBox(second, 'Buy stamps').isChecked(), (v) => v, 5000);
    assert.equal(checked, true, 'completion made on the first page shows on the second');
    assert.deepEqual(loads, [], 'the second page did not navigate or reload');
    await second.close();
  });

  test('delete from the detail panel, then Undo brings the same task back (id, fields, history)', async () => {
    await openDefaultView(page);
    const before = await apiTask(page, 'Pay rent');
    const panel = await openDetails(page, 'Pay rent');
    await panel.getByRole('button', { name: 'Delete task', exact: true }).click();
    await panel.waitFor({ state: 'hidden' });
    const gone = await settle(() => rowsOf(page, 'Pay rent').count(), (n) => n === 0);
    assert.equal(gone, 0, 'the deleted task leaves the list');
    // The toast region (role status) holds every toast; take the one that says "Task deleted".
    const toast = page
      .getByRole('status')
      .locator('div')
      .filter({ has: page.getByText('Task deleted', { exact: true }) })
      .filter({ has: page.getByRole('button', { name: 'Undo', exact: true }) })
      .last();
    await toast.waitFor();
    await toast.getByRole('button', { name: 'Undo', exact: true }).click();
    await rowsOf(page, 'Pay rent').first().waitFor({ state: 'visible', timeout: 5000 });
    const restored = await apiTask(page, 'Pay rent');
    assert.equal(restored.id, before.id, 'the same task, not a copy');
    assert.equal(restored.priority, before.priority);
    assert.deepEqual([...restored.tags].sort(), [...before.tags].sort());
    assert.equal(restored.due_date, before.due_date);
    assert.equal(restored.remind_before_minutes, before.remind_before_minutes);
    assert.equal(restored.created_at, before.created_at);
    assert.equal(await rowsOf(page, 'Pay rent').first().getAttribute('data-task-id'), String(before.id));
  });

  test('keyboard: n focuses New task, / focuses search, shortcuts never fire while typing', async () => {
    await openDefaultView(page);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('n');
    await expectFocused(newTaskBox(page), '"n" → textbox "New task"');
    assert.equal(await newTaskBox(page).inputValue(), '', 'the "n" that moved focus is not typed into the box');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/');
    await expectFocused(searchBox(page), '"/" → searchbox "Search tasks"');
    assert.equal(await searchBox(page).inputValue(), '', 'the "/" is not typed into the search');
    await page.keyboard.type('n');
    await expectFocused(searchBox(page), 'typing "n" inside the search keeps focus there');
    assert.equal(await searchBox(page).inputValue(), 'n');
    await searchBox(page).fill('');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  });

  test('a reminder a few seconds ahead arrives as a toast and in Notifications', async () => {
    await openDefaultView(page);
    // Nothing unread yet: the bell is named just "Notifications".
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor({ timeout: 5000 });
    const reminderAt = new Date(Date.now() + 4000).toISOString();
    const res = await page.request.post('/api/v1/tasks', {
      headers: { origin: dueflow.url },
      data: { title: 'Call the bank', due_date: new Date(Date.now() + 3600_000).toISOString(), reminder_at: reminderAt },
    });
    assert.equal(res.status(), 201, `create a task with a reminder: ${await res.text()}`);

    await page.getByText('Reminder: Call the bank', { exact: true }).waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByRole('button', { name: 'Notifications, 1 unread', exact: true }).waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Notifications, 1 unread', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Notifications', exact: true });
    await dialog.waitFor();
    await dialog.getByText('Call the bank').first().waitFor();
    await dialog.getByRole('button', { name: 'Mark as read' }).first().waitFor();
    await checkAxe(page, 'notifications dialog');
    await screenshot(page, 'notifications');
    await dialog.getByRole('button', { name: 'Mark as read' }).first().click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor({ timeout: 5000 });
    const list = await page.request.get('/api/v1/notifications');
    const items = (await list.json()) as unknown;
    const notifications = Array.isArray(items) ? items : ((items as { notifications?: unknown[] }).notifications ?? []);
    assert.equal(notifications.length, 1, 'one notification stored');
    assert.equal((notifications[0] as { read: boolean }).read, true, 'marked as read through the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  test('task list and detail panel: accessible, pictured', async () => {
    await page.goto('/?view=all');
    await taskList(page).waitFor();
    await settle(() => rowIds(page), (ids) => ids.length >= 5);
    await checkAxe(page, 'task list');
    await screenshot(page, 'tasks-light', { top: true });
    const panel = await openDetails(page, 'Water plants');
    assert.equal(await selectedLabel(panel.getByRole('combobox', { name: 'Repeats', exact: true })), 'Weekly');
    assert.equal(await panel.getByRole('spinbutton', { name: 'Every', exact: true }).inputValue(), '2');
    assert.equal(await panel.getByRole('checkbox', { name: 'Mon', exact: true }).isChecked(), true);
    assert.equal(await panel.getByRole('checkbox', { name: 'Tue', exact: true }).isChecked(), false);
    await panel.getByRole('heading', { name: 'Activity' }).waitFor();
    await checkAxe(page, 'detail panel');
    await screenshot(page, 'task-details');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
  });

  test('dark theme from the Account menu', async () => {
    await openDefaultView(page);
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await selectByLabel(page.getByRole('combobox', { name: 'Theme', exact: true }), 'Dark');
    await page.keyboard.press('Escape');
    const background = await settle(
      () => page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      (bg) => luminance(bg) < 0.2,
      3000,
    );
    assert.ok(luminance(background) < 0.2, `dark theme: body background is dark, got ${background}`);
    await checkAxe(page, 'task list (dark)');
    await screenshot(page, 'tasks-dark', { top: true });
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await selectByLabel(page.getByRole('combobox', { name: 'Theme', exact: true }), 'Light');
    await page.keyboard.press('Escape');
  });

  test('phone viewport (390×844): list and panel usable', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto('/?view=all');
    await rowsOf(phone, 'Pay rent').first().waitFor({ state: 'visible' });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 390, `no horizontal scrolling on a phone: page is ${overflow}px wide`);
    const box = await newTaskBox(phone).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `"New task" fits the screen: ${JSON.stringify(box)}`);
    await screenshot(phone, 'phone', { top: true });
    const panel = await openDetails(phone, 'Pay rent');
    const panelBox = await panel.boundingBox();
    assert.ok(panelBox && panelBox.width >= 380, `detail panel takes the phone's width: ${JSON.stringify(panelBox)}`);
    const save = panel.getByRole('button', { name: 'Save', exact: true });
    await save.scrollIntoViewIfNeeded();
    const saveBox = await save.boundingBox();
    assert.ok(saveBox && saveBox.x >= 0 && saveBox.x + saveBox.width <= 390 && saveBox.y >= 0 && saveBox.y + saveBox.height <= 844, `Save reachable on screen: ${JSON.stringify(saveBox)}`);
    await screenshot(phone, 'phone-details');
    await panel.getByRole('button', { name: 'Close', exact: true }).click();
    await panel.waitFor({ state: 'hidden' });
    await phone.close();
  });

  test('another user sees none of the first user\'s tasks', async () => {
    await openDefaultView(page);
    const other = await newContext(browser, dueflow.url);
    try {
      const p = await other.newPage();
      await signUpThroughUi(p, { name: 'Grace Hopper', email: `grace-${Date.now()}@example.com` });
      await p.goto('/?view=all');
      await p.getByText('No tasks yet').waitFor();
      assert.deepEqual(await rowIds(p), [], 'no rows for a new user');
      const rent = await apiTask(page, 'Pay rent');
      const res = await p.request.get(`/api/v1/tasks/${rent.id}`);
      assert.equal(res.status(), 404, "another user's task is not found");
      // A change by the first user does not reach the second user's open page.
      await quickAdd(page, 'Secret plan');
      await p.waitForTimeout(1000);
      assert.equal(await rowsOf(p, 'Secret plan').count(), 0, 'no live leak across users');
    } finally {
      await other.close();
    }
  });

  test('sign in: wrong password is an alert, right one opens the tasks; pictured and accessible', async () => {
    const fresh = await newContext(browser, dueflow.url);
    try {
      const p = await fresh.newPage();
      await p.goto('/sign-in');
      await p.getByRole('heading', { name: 'Sign in to Dueflow' }).waitFor();
      await p.getByRole('link', { name: 'Create an account', exact: true }).waitFor();
      await checkAxe(p, 'sign-in');
      await screenshot(p, 'sign-in');
      await p.getByRole('textbox', { name: 'Email', exact: true }).fill(userA.email);
      await p.getByLabel('Password', { exact: true }).fill('not the password');
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
      await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.waitForURL((url) => url.pathname === '/');
      await p.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      await p.goto('/?view=all');
      await rowsOf(p, 'Pay rent').first().waitFor({ state: 'visible' });
    } finally {
      await fresh.close();
    }
  });

  test('quick add reads due date, time, priority, tags and repetition from the line typed', async () => {
    const own = await newContext(browser, dueflow.url);
    try {
      const p = await own.newPage();
      await signUpThroughUi(p, { name: 'Mary Jackson', email: `mary-${Date.now()}@example.com` });
      // All tasks, not Today (where sign-up lands): a task due tomorrow leaves Today's list once it is saved.
      await p.goto('/?view=all');
      const box = newTaskBox(p);
      await box.waitFor();
      await box.fill('Call the bank tomorrow 9am #finance !high');
      await box.press('Enter');
      const row = rowsOf(p, 'Call the bank').first();
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await settle(() => row.ariaSnapshot(), (text) => /#finance/.test(text), 5000);
      const rowText = await row.ariaSnapshot();
      assert.match(rowText, /\bHigh\b/, 'priority in the row');
      assert.match(rowText, /Tomorrow,? 09:00/, 'due tomorrow at 09:00');
      assert.equal(await rowsOf(p, 'Call the bank tomorrow 9am #finance !high').count(), 0, 'the draft row gave way to the parsed task');
      const bank = await apiTask(p, 'Call the bank');
      assert.deepEqual([bank.priority, bank.tags], ['high', ['finance']]);

      await box.fill('Standup every weekday at 9:30');
      await box.press('Enter');
      const standup = rowsOf(p, 'Standup').first();
      await standup.waitFor({ state: 'visible', timeout: 5000 });
      await settle(() => standup.ariaSnapshot(), (text) => /Mon.*Fri|weekday/i.test(text), 5000);
      assert.equal((await apiTask(p, 'Standup')).recurring, 'weekly');
    } finally {
      await own.close();
    }
  });

  test('assistant: a task added by chatting shows in the list; restored after reload; Esc returns focus; accessible, pictured', async () => {
    const own = await newContext(browser, dueflow.url);
    try {
      const p = await own.newPage();
      await signUpThroughUi(p, { name: 'Katherine Johnson', email: `katherine-${Date.now()}@example.com` });
      // Tasks due tomorrow are not in Today: watch them arrive in All tasks.
      await p.goto('/?view=all');
      const button = p.getByRole('button', { name: 'Assistant', exact: true });
      const panel = p.getByRole('complementary', { name: 'Assistant', exact: true });
      const log = panel.getByRole('log', { name: 'Conversation', exact: true });
      const messageBox = panel.getByRole('textbox', { name: 'Message the assistant', exact: true });
      const answers = log.locator('p').filter({ hasText: /^Assistant: / });

      await button.click();
      await panel.waitFor({ state: 'visible' });
      assert.equal(await button.getAttribute('aria-expanded'), 'true');
      await expectFocused(messageBox, 'opening the assistant puts focus in the message box');
      assert.equal(await log.getAttribute('aria-live'), 'polite', 'answers are announced');
      await panel.getByRole('group', { name: 'Suggestions', exact: true }).getByRole('button', { name: 'Show my tasks', exact: true }).waitFor();

      await messageBox.fill('add buy milk tomorrow at 5pm #errands high priority');
      await messageBox.press('Enter');
      await answers.filter({ hasText: /buy milk/i }).first().waitFor({ timeout: 15_000 });
      assert.equal(await messageBox.inputValue(), '', 'the box empties once the message is sent');
      await log.getByText(/add_task/).first().waitFor();
      assert.match(await log.ariaSnapshot(), /Done:\s*add_task/, 'the tool call is listed under the answer');

      // The task arrives in the list over the live connection, beside the open panel.
      const row = rowsOf(p, 'buy milk').first();
      await row.waitFor({ state: 'visible', timeout: 5000 });
      const rowText = await row.ariaSnapshot();
      assert.match(rowText, /\bHigh\b/, 'priority in the row');
      assert.match(rowText, /#errands/, 'tag chip in the row');
      assert.match(rowText, /Tomorrow,? 17:00/, 'due tomorrow at 17:00');
      const milk = await apiTask(p, 'buy milk');
      assert.equal(milk.priority, 'high');
      assert.deepEqual(milk.tags, ['errands']);
      const [rowBox, panelBox] = [await row.boundingBox(), await panel.boundingBox()];
      assert.ok(rowBox && panelBox && rowBox.x + rowBox.width <= panelBox.x + 1, `the row is beside the panel, not under it: row ${JSON.stringify(rowBox)}, panel ${JSON.stringify(panelBox)}`);

      await messageBox.fill('show my tasks');
      await messageBox.press('Enter');
      await settle(() => answers.count(), (n) => n === 2, 15_000);
      assert.match((await answers.nth(1).textContent()) ?? '', /buy milk/, '"show my tasks" lists the new task');
      await log.getByText(/list_tasks/).first().waitFor();

      // A reload keeps the conversation (its id is in sessionStorage) and starts with the panel closed.
      await p.reload();
      await taskList(p).waitFor();
      assert.equal(await panel.isVisible(), false);
      await button.click();
      await settle(() => answers.count(), (n) => n === 2, 10_000);
      await log.getByText('show my tasks', { exact: false }).first().waitFor();
      await log.getByText('add buy milk tomorrow at 5pm #errands high priority', { exact: false }).first().waitFor();
      assert.match(await log.ariaSnapshot(), /Done:\s*list_tasks/, 'tool calls are restored too');

      const axe = await checkAxe(p, 'assistant panel');
      assert.equal(axe.violations.length, 0, `axe on the open assistant panel:\n${describeViolations(axe.violations)}`);
      await screenshot(p, 'assistant');

      await messageBox.focus();
      await p.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      assert.equal(await button.getAttribute('aria-expanded'), 'false');
      await expectFocused(button, 'Esc closes the panel and returns focus to the Assistant button');

      // "c" opens it again from the page (and is not typed into the box).
      await p.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await p.keyboard.press('c');
      await panel.waitFor({ state: 'visible' });
      await expectFocused(messageBox, '"c" → the message box');
      assert.equal(await messageBox.inputValue(), '');
      await p.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
    } finally {
      await own.close();
    }
  });

  test('access tokens from the Account menu: created (shown once), used by a script, revoked', async () => {
    await openDefaultView(page);
    await page.getByRole('button', { name: 'Account', exact: true }).click();
    await page.getByRole('button', { name: 'Access tokens…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Access tokens' });
    await dialog.getByRole('textbox', { name: 'Token name', exact: true }).fill('Browser-made script token');
    await selectByLabel(dialog.getByRole('combobox', { name: 'Access', exact: true }), 'Read only');
    await dialog.getByRole('button', { name: 'Create token', exact: true }).click();
    const secretBox = dialog.getByRole('textbox', { name: /copy it now/ });
    await secretBox.waitFor();
    const token = await secretBox.inputValue();
    assert.match(token, /^dfp_/);
    await dialog.getByRole('list', { name: 'Your access tokens' }).getByText('Browser-made script token').waitFor();
    await checkAxe(page, 'access tokens');
    // A program uses it (Node's fetch, no cookie): it reads, and cannot write with a read-only token.
    const read = await fetch(`${dueflow.url}/api/v1/tasks`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200);
    const write = await fetch(`${dueflow.url}/api/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"title":"x"}' });
    assert.equal(write.status, 403);
    await dialog.getByRole('button', { name: 'Revoke Browser-made script token', exact: true }).click();
    await dialog.getByRole('list', { name: 'Your access tokens' }).getByText('Browser-made script token').waitFor({ state: 'detached' });
    assert.equal((await fetch(`${dueflow.url}/api/v1/tasks`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  test('every page ran under a script-hash Content-Security-Policy with no violation', async () => {
    const res = await page.goto('/');
    const csp = (await res?.allHeaders())?.['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/, 'inline scripts are allowed by hash');
    assert.doesNotMatch(csp, /unsafe-inline'[^;]*;\s*style-src|script-src[^;]*unsafe/, 'no unsafe script sources');
    assert.match(csp, /frame-ancestors 'none'/);
    await taskList(page).waitFor();
    assert.deepEqual(cspViolations, [], `CSP violations:\n${cspViolations.join('\n')}`);
  });
});

/** Relative luminance (0 black … 1 white) of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) return 1;
  const [r, g, b] = [m[1], m[2], m[3]].map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
