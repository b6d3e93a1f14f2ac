// The planner in a real Chromium against a real Dueflow (`npm start`): the views (Today, Upcoming,
// All, Completed) and their counts, quick add showing its reading, drag-to-reschedule by mouse and
// by keyboard, the task panel (deep link, beside the list, merge of two tabs' edits, unsaved
// changes, errors at their field, the user's date format and clock), recurring series (undo, skip,
// stop, preview), saved filters, one toast at a time, touch targets, the skip link, and axe on every
// view in light, dark and phone layouts. Screenshots of the new views for the README.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Task } from '../../lib/types.ts';
import { buildAndStartDueflow, cspViolations, describeViolations, type Dueflow, launchChromium, newContext, runAxe, screenshotDir, settle, writeReport } from './harness.ts';

const TIME_ZONE = 'Europe/Berlin';
const PASSWORD = 'correct horse battery';

let dueflow: Dueflow;
let browser: Browser;
const axeResults: Record<string, { violations: number; ids: string[] }> = {};

// ---- dates in the user's zone ----

function zoned(date: Date): { y: number; m: number; d: number; hh: number; mm: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), m: get('month'), d: get('day'), hh: get('hour'), mm: get('minute') };
}
/** YYYY-MM-DD of the day `offset` days from today in the user's zone. */
function localDay(offset: number): string {
  const { y, m, d } = zoned(new Date());
  return new Date(Date.UTC(y, m - 1, d + offset)).toISOString().slice(0, 10);
}
/** A local date-time the API reads in the user's zone ("2026-11-25T17:00"). */
const at = (offset: number, time: string) => `${localDay(offset)}T${time}`;
const dayOf = (iso: string | null) => (iso ? (({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)(zoned(new Date(iso))) : null);
const timeOf = (iso: string | null) => (iso ? (({ hh, mm }) => `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`)(zoned(new Date(iso))) : null);

// ---- a user of their own per test group, signed up through the API (the UI's sign-up is tested elsewhere) ----

interface User {
  context: BrowserContext;
  page: Page;
}

async function newUser(name: string, options: Parameters<typeof newContext>[2] = {}): Promise<User> {
  const context = await newContext(browser, dueflow.url, options);
  const res = await context.request.post('/api/auth/sign-up/email', {
    headers: { origin: dueflow.url },
    data: { name, email: `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}@example.com`, password: PASSWORD, timezone: TIME_ZONE },
  });
  assert.equal(res.status(), 200, `sign-up: ${await res.text()}`);
  return { context, page: await context.newPage() };
}

async function createTask(p: Page, data: Record<string, unknown>): Promise<Task> {
  const res = await p.request.post('/api/v1/tasks', { headers: { origin: dueflow.url }, data });
  assert.equal(res.status(), 201, `create ${JSON.stringify(data)}: ${await res.text()}`);
  return (await res.json()) as Task;
}
async function apiTasks(p: Page, query = 'status=all&limit=200'): Promise<Task[]> {
  const res = await p.request.get(`/api/v1/tasks?${query}`);
  assert.equal(res.status(), 200);
  return ((await res.json()) as { tasks: Task[] }).tasks;
}
async function apiTask(p: Page, id: number): Promise<Task> {
  const res = await p.request.get(`/api/v1/tasks/${id}`);
  assert.equal(res.status(), 200, `task ${id}: ${res.status()}`);
  return (await res.json()) as Task;
}

// ---- page helpers ----

const region = (p: Page) => p.getByRole('region', { name: 'Tasks', exact: true });
const rowOf = (p: Page, title: string) => region(p).locator('li[data-task-id]').filter({ has: p.getByRole('button', { name: title, exact: true }) });
const nav = (p: Page) => p.getByRole('navigation', { name: 'Views' });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A link of the navigation by its label (its name goes on with the count: "Today, 3 tasks"). */
const navLink = (p: Page, name: string) => nav(p).getByRole('link', { name: new RegExp(`^${escape(name)}\\b`) });
const panel = (p: Page) => p.getByRole('dialog', { name: 'Task details' });
const newTaskBox = (p: Page) => p.getByRole('textbox', { name: 'New task', exact: true });
const chips = (p: Page) => p.getByRole('group', { name: 'Read from the line' }).getByRole('button');
/** A group of rows by its heading ("Overdue", "Tomorrow…"); the heading ends with the count. */
const group = (p: Page, label: string | RegExp) => region(p).getByRole('region', { name: typeof label === 'string' ? new RegExp(`^${escape(label)}( \\d+)?$`) : label });

async function titlesIn(scope: Locator): Promise<string[]> {
  return scope.locator('li[data-task-id] button[data-role="title"]').allInnerTexts();
}

async function open(p: Page, url: string): Promise<void> {
  await p.goto(url);
  await p.getByRole('heading', { level: 1 }).waitFor();
  await settle(() => region(p).getAttribute('aria-busy'), (busy) => busy === null, 10_000);
}

async function expectFocused(locator: Locator, what: string): Promise<void> {
  const focused = await settle(() => locator.evaluate((el) => el === document.activeElement), (v) => v, 3000);
  assert.ok(focused, `${what}: expected focus on it`);
}

async function checkAxe(p: Page, screen: string): Promise<void> {
  const result = await runAxe(p);
  axeResults[screen] = { violations: result.violations.length, ids: result.violations.map((v) => `${v.id} (${v.impact ?? 'n/a'})`) };
  assert.equal(result.violations.length, 0, `axe on ${screen}:\n${describeViolations(result.violations)}`);
}

async function screenshot(p: Page, name: string): Promise<void> {
  await p.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await p.screenshot({ path: join(screenshotDir(), `${name}.png`), animations: 'disabled', caret: 'hide' });
}

async function setTheme(p: Page, theme: 'Light' | 'Dark'): Promise<void> {
  await p.getByRole('button', { name: 'Account', exact: true }).click();
  await p.getByRole('combobox', { name: 'Theme', exact: true }).selectOption({ label: theme });
  await p.keyboard.press('Escape');
}

describe('the planner in Chromium', { timeout: 900_000 }, () => {
  before(async () => {
    browser = await launchChromium();
    dueflow = await buildAndStartDueflow({ AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  }, { timeout: 400_000 });

  after(async () => {
    const path = writeReport('dueflow-planner-axe.json', axeResults);
    process.stdout.write(`# axe per view and layout (${path}):\n${Object.entries(axeResults).map(([s, r]) => `#   ${s}: ${r.violations} violations${r.ids.length ? ` — ${r.ids.join(', ')}` : ''}`).join('\n')}\n`);
    await browser?.close();
    await dueflow?.stop();
  });

  describe('views', () => {
    let u: User;
    before(async () => {
      u = await newUser('Views');
      const p = u.page;
      await createTask(p, { title: 'File taxes', due_date: at(-2, '10:00'), priority: 'high', tags: ['money'] });
      await createTask(p, { title: 'Call the bank', due_date: at(0, '23:00'), remind_before_minutes: 30 });
      await createTask(p, { title: 'Water plants', due_date: at(0, '23:30'), recurrence: { pattern: 'weekly' }, tags: ['home'] });
      await createTask(p, { title: 'Pay rent', due_date: at(1, '09:00'), priority: 'high', tags: ['home', 'money'] });
      await createTask(p, { title: 'Dentist', due_date: at(3, '10:30'), description: 'Bring the insurance card' });
      await createTask(p, { title: 'Read "Dune"', priority: 'low' });
      const done = await createTask(p, { title: 'Buy stamps' });
      const res = await p.request.patch(`/api/v1/tasks/${done.id}/complete`, { headers: { origin: dueflow.url }, data: { completed: true } });
      assert.equal(res.status(), 200);
    });
    after(async () => u.context.close());

    test('Today: overdue first, then today; counts per view in the navigation; completed tasks only in Completed', async () => {
      const p = u.page;
      await open(p, '/');
      assert.deepEqual(await titlesIn(group(p, 'Overdue')), ['File taxes']);
      assert.deepEqual(await titlesIn(group(p, 'Today')), ['Call the bank', 'Water plants']);
      const readCounts = () => Promise.all(['Today', 'Upcoming', 'All tasks', 'Completed'].map((n) => navLink(p, n).locator('[aria-hidden="true"]').last().innerText().catch(() => '')));
      assert.deepEqual(await settle(readCounts, (c) => c.join() === '3,4,6,1'), ['3', '4', '6', '1'], 'Today 3 (1 overdue), Upcoming 4, All 6 open, Completed 1');
      assert.equal(await navLink(p, 'Today').getAttribute('aria-current'), 'page');
      assert.match((await rowOf(p, 'File taxes').ariaSnapshot()), /Overdue/);
      assert.doesNotMatch(await region(p).ariaSnapshot(), /Buy stamps/, 'completed tasks are not in Today');
      await checkAxe(p, 'Today (light)');
      await screenshot(p, 'today');
    });

    test('Upcoming: every day of the week, empty ones too; 14 days on request', async () => {
      const p = u.page;
      await navLink(p, 'Upcoming').click();
      await p.waitForURL((url) => url.searchParams.get('view') === 'upcoming');
      await settle(() => region(p).getByRole('heading', { level: 2 }).count(), (n) => n === 7);
      const headings = await region(p).getByRole('heading', { level: 2 }).allInnerTexts();
      assert.equal(headings.length, 7, `7 day headings: ${headings.join(' | ')}`);
      assert.match(headings[0] ?? '', /^Today/);
      assert.match(headings[1] ?? '', /^Tomorrow/);
      assert.deepEqual(await titlesIn(group(p, /^Tomorrow/)), ['Pay rent']);
      assert.deepEqual(await titlesIn(region(p).locator(`section[data-day="${localDay(3)}"]`)), ['Dentist']);
      assert.equal(await region(p).getByText('No tasks').count(), 4, 'four empty days shown as such');
      await checkAxe(p, 'Upcoming (light)');
      await screenshot(p, 'upcoming');
      await p.getByRole('button', { name: '14 days' }).click();
      await settle(() => region(p).getByRole('heading', { level: 2 }).count(), (n) => n === 14);
      assert.equal(await p.getByRole('button', { name: '14 days' }).getAttribute('aria-pressed'), 'true');
    });

    test('All tasks: open tasks only by default, filters folded; Completed: grouped by the day they were done', async () => {
      const p = u.page;
      await navLink(p, 'All tasks').click();
      await p.waitForURL((url) => url.searchParams.get('view') === 'all');
      await settle(() => titlesIn(region(p)), (t) => t.length === 6);
      assert.ok(!(await titlesIn(region(p))).includes('Buy stamps'), 'completed tasks are hidden by default');
      assert.equal(await p.getByRole('combobox', { name: 'Status' }).isVisible(), false, 'the filter panel is folded');
      assert.equal(await p.getByRole('button', { name: /^Filters/ }).getAttribute('aria-expanded'), 'false');
      await checkAxe(p, 'All tasks (light)');
      await p.getByRole('button', { name: /^Filters/ }).click();
      await checkAxe(p, 'All tasks, filters open (light)');
      await navLink(p, 'Completed').click();
      await p.waitForURL((url) => url.searchParams.get('view') === 'completed');
      await group(p, 'Completed today').waitFor();
      assert.deepEqual(await titlesIn(group(p, 'Completed today')), ['Buy stamps']);
      assert.match(await rowOf(p, 'Buy stamps').innerText(), /Done \d{2}:\d{2}/, 'the time it was done');
      await checkAxe(p, 'Completed (light)');
      await screenshot(p, 'completed');
    });

    test('every view: zero axe violations in the dark theme and on a phone', async () => {
      const p = u.page;
      await open(p, '/');
      await setTheme(p, 'Dark');
      for (const [url, name] of [['/', 'Today'], ['/?view=upcoming', 'Upcoming'], ['/?view=all', 'All tasks'], ['/?view=completed', 'Completed']] as const) {
        await open(p, url);
        await checkAxe(p, `${name} (dark)`);
        if (name === 'Upcoming') await screenshot(p, 'upcoming-dark');
      }
      const phone = await u.context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      for (const [url, name] of [['/', 'Today'], ['/?view=upcoming', 'Upcoming'], ['/?view=all', 'All tasks'], ['/?view=completed', 'Completed']] as const) {
        await open(phone, url);
        const width = await phone.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${name} on a phone: no sideways scrolling (${width}px)`);
        await checkAxe(phone, `${name} (phone, dark)`);
      }
      await open(phone, '/');
      await screenshot(phone, 'phone-today');
      await setTheme(phone, 'Light');
      for (const [url, name] of [['/', 'Today'], ['/?view=upcoming', 'Upcoming'], ['/?view=all', 'All tasks'], ['/?view=completed', 'Completed']] as const) {
        await open(phone, url);
        await checkAxe(phone, `${name} (phone, light)`);
      }
      await phone.close();
    });
  });

  describe('quick add shows its reading', () => {
    let u: User;
    before(async () => {
      u = await newUser('Quick');
    });
    after(async () => u.context.close());

    test('as you type: phrases highlighted and listed; Backspace or a click gives one back to the title', async () => {
      const p = u.page;
      await open(p, '/?view=all');
      const box = newTaskBox(p);
      await box.click();
      await p.keyboard.type('Submit report tomorrow 9am #work !high');
      await settle(() => chips(p).allInnerTexts(), (c) => c.length === 4);
      assert.deepEqual((await chips(p).allInnerTexts()).map((c) => c.replace(/\s*×$/, '')), ['Tomorrow', '09:00', '#work', 'High priority']);
      assert.deepEqual(await p.locator('mark').allInnerTexts(), ['tomorrow', '9am', '#work', '!high'], 'the phrases are marked in the line');
      // Backspace right after "!high": it is title text again (nothing deleted).
      await p.keyboard.press('End');
      await p.keyboard.press('Backspace');
      await settle(() => chips(p).count(), (n) => n === 3);
      assert.equal(await box.inputValue(), 'Submit report tomorrow 9am #work !high');
      // A click on a chip does the same.
      await chips(p).filter({ hasText: '#work' }).click();
      await settle(() => chips(p).count(), (n) => n === 2);
      await box.press('Enter');
      const made = await settle(async () => (await apiTasks(p)).find((t) => t.title.startsWith('Submit report')), (t) => t !== undefined);
      assert.equal(made?.title, 'Submit report #work !high', 'what was given back is title');
      assert.deepEqual(made?.tags, []);
      assert.equal(made?.priority, 'medium');
      assert.equal(dayOf(made?.due_date ?? null), localDay(1));
      assert.equal(timeOf(made?.due_date ?? null), '09:00');
      await rowOf(p, 'Submit report #work !high').waitFor();
    });

    test('titles are never cut: quoted text, describing words, a long title kept in the box', async () => {
      const p = u.page;
      await open(p, '/?view=all');
      const box = newTaskBox(p);
      for (const title of ['Read "Dune" by Frank Herbert', 'say "hi" now', 'Monthly report', 'Daily standup notes', 'Weekly review']) {
        await box.fill(title);
        assert.equal(await chips(p).count(), 0, `nothing read from “${title}”`);
        await box.press('Enter');
        const made = await settle(async () => (await apiTasks(p)).find((t) => t.title === title), (t) => t !== undefined);
        assert.ok(made, `a task titled exactly “${title}”`);
        assert.equal(made.recurrence, null, `“${title}” does not repeat`);
      }
      const long = `Plan ${'the big move '.repeat(40)}`.trim();
      await box.fill(long);
      await p.getByRole('alert').filter({ hasText: /at most 200/ }).waitFor();
      assert.equal(await p.getByRole('button', { name: 'Add', exact: true }).isDisabled(), true);
      await box.press('Enter');
      assert.equal(await box.inputValue(), long, 'the text stays for the user to shorten');
      assert.ok(!(await apiTasks(p)).some((t) => t.title.startsWith('Plan the big move')), 'nothing was created');
      await box.fill('');
    });

    test('a date that has passed is asked about, then kept as said', async () => {
      const p = u.page;
      await open(p, '/?view=all');
      const box = newTaskBox(p);
      await box.fill('Pay taxes yesterday 5pm');
      await box.press('Enter');
      const question = p.getByRole('alert').filter({ hasText: 'has already passed' });
      await question.waitFor();
      assert.match(await question.innerText(), /Yesterday at 17:00/);
      assert.equal(await box.inputValue(), 'Pay taxes yesterday 5pm', 'not added yet');
      await box.press('Enter');
      const made = await settle(async () => (await apiTasks(p)).find((t) => t.title === 'Pay taxes'), (t) => t !== undefined);
      assert.equal(dayOf(made?.due_date ?? null), localDay(-1), 'yesterday, not moved to the future');
      assert.equal(timeOf(made?.due_date ?? null), '17:00');
    });

    test('in Today a task without a date is due today (shown, and removable)', async () => {
      const p = u.page;
      await open(p, '/');
      const box = newTaskBox(p);
      await box.fill('Buy milk');
      assert.deepEqual((await chips(p).allInnerTexts()).map((c) => c.replace(/\s*×$/, '')), ['Today']);
      await box.press('Enter');
      await rowOf(p, 'Buy milk').waitFor();
      const milk = await settle(async () => (await apiTasks(p)).find((t) => t.title === 'Buy milk'), (t) => t !== undefined);
      assert.equal(dayOf(milk?.due_date ?? null), localDay(0));
      await box.fill('Someday book');
      await chips(p).first().click();
      assert.equal(await chips(p).count(), 0);
      await box.press('Enter');
      const someday = await settle(async () => (await apiTasks(p)).find((t) => t.title === 'Someday book'), (t) => t !== undefined);
      assert.equal(someday?.due_date, null);
    });

    test('an error toast on a phone stays on the screen (one at a time)', async () => {
      const phone = await u.context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await open(phone, '/?view=all');
      for (const title of ['Toast one', 'Toast two']) {
        await newTaskBox(phone).fill(title);
        await newTaskBox(phone).press('Enter');
        await rowOf(phone, title).waitFor();
      }
      await rowOf(phone, 'Toast one').getByRole('checkbox').click();
      await rowOf(phone, 'Toast two').getByRole('checkbox').click();
      const toasts = phone.getByRole('status').locator('.toast');
      await settle(() => toasts.innerText(), (t) => t.includes('Toast two'));
      assert.equal(await toasts.count(), 1, 'one toast at a time');
      assert.match(await toasts.innerText(), /Completed "Toast two"/);
      const box = await toasts.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the toast fits the screen: ${JSON.stringify(box)}`);
      await phone.close();
    });
  });

  describe('Upcoming: reschedule by dragging or by keyboard', () => {
    let u: User;
    before(async () => {
      u = await newUser('Mover');
    });
    after(async () => u.context.close());

    test('drag a task to another day with the mouse: it keeps its time', async () => {
      const p = u.page;
      const task = await createTask(p, { title: 'Haircut', due_date: at(1, '15:30') });
      await open(p, '/?view=upcoming');
      const from = rowOf(p, 'Haircut');
      const target = region(p).locator(`section[data-day="${localDay(4)}"]`);
      await from.dragTo(target);
      await settle(() => titlesIn(target), (t) => t.includes('Haircut'));
      const moved = await settle(() => apiTask(p, task.id), (t) => dayOf(t.due_date) === localDay(4));
      assert.equal(dayOf(moved.due_date), localDay(4), 'moved to the day it was dropped on');
      assert.equal(timeOf(moved.due_date), '15:30', 'the same time of day');
      await p.getByRole('status').getByText(/Moved "Haircut"/).waitFor();
    });

    test('the same with the keyboard: pick up, arrows, Enter; announced', async () => {
      const p = u.page;
      const task = await createTask(p, { title: 'Car service', due_date: localDay(2) });
      await open(p, '/?view=upcoming');
      const handle = rowOf(p, 'Car service').getByRole('button', { name: 'Move “Car service” to another day' });
      await handle.focus();
      await p.keyboard.press('Enter');
      assert.equal(await handle.getAttribute('aria-pressed'), 'true');
      const live = p.locator('#move-status');
      await settle(() => live.innerText(), (t) => t.startsWith('Picked up “Car service”'));
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowUp');
      await p.keyboard.press('ArrowDown');
      assert.match(await live.innerText(), /tasks?$/, 'each day is announced with its count');
      assert.equal(await region(p).locator(`section[data-day="${localDay(4)}"]`).evaluate((el) => el.className.includes('dropTarget')), true, 'the chosen day is shown');
      await p.keyboard.press('Enter');
      const moved = await settle(() => apiTask(p, task.id), (t) => dayOf(t.due_date) === localDay(4));
      assert.equal(dayOf(moved.due_date), localDay(4));
      assert.equal(timeOf(moved.due_date), '23:59', 'a day without a time stays without one');
      await settle(() => live.innerText(), (t) => t.startsWith('Moved “Car service”'));
      await expectFocused(rowOf(p, 'Car service').getByRole('button', { name: /^Move/ }), 'focus follows the task to its new day');
      // Escape puts it down where it was.
      await p.keyboard.press('Enter');
      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('Escape');
      assert.equal(dayOf((await apiTask(p, task.id)).due_date), localDay(4));
    });
  });

  describe('the task panel', () => {
    let u: User;
    let rent: Task;
    before(async () => {
      u = await newUser('Panel');
      rent = await createTask(u.page, { title: 'Pay rent', due_date: at(2, '09:00'), tags: ['home'] });
      await createTask(u.page, { title: 'Buy paint', due_date: at(2, '10:00') });
    });
    after(async () => u.context.close());

    test('a link opens it (?task=); it sits beside the list, which stays usable; Escape closes it and focus returns', async () => {
      const p = u.page;
      await p.goto(`/?view=all&task=${rent.id}`);
      await panel(p).waitFor();
      assert.equal(await panel(p).getByRole('textbox', { name: 'Title', exact: true }).inputValue(), 'Pay rent');
      const panelBox = await panel(p).boundingBox();
      const rowBox = await rowOf(p, 'Buy paint').boundingBox();
      assert.ok(panelBox && rowBox && rowBox.x + rowBox.width <= panelBox.x + 1, `the list is beside the panel: row ${JSON.stringify(rowBox)}, panel ${JSON.stringify(panelBox)}`);
      await checkAxe(p, 'Task panel beside the list (light)');
      await screenshot(p, 'task-panel');
      // The list works while the panel is open: open another task from it.
      await rowOf(p, 'Buy paint').getByRole('button', { name: 'Buy paint', exact: true }).click();
      await settle(() => panel(p).getByRole('textbox', { name: 'Title', exact: true }).inputValue(), (v) => v === 'Buy paint');
      assert.equal(new URL(p.url()).searchParams.get('task'), String((await apiTasks(p)).find((t) => t.title === 'Buy paint')?.id));
      await p.goBack();
      await settle(() => panel(p).getByRole('textbox', { name: 'Title', exact: true }).inputValue(), (v) => v === 'Pay rent');
      await panel(p).getByRole('textbox', { name: 'Title', exact: true }).focus();
      await p.keyboard.press('Escape');
      await panel(p).waitFor({ state: 'hidden' });
      assert.equal(new URL(p.url()).searchParams.get('task'), null);
      await expectFocused(rowOf(p, 'Pay rent').getByRole('button', { name: 'Pay rent', exact: true }), 'focus returns to the task\'s row');
    });

    test('two tabs edit different fields of one task: both edits survive; the same field asks which to keep', async () => {
      const a = u.page;
      const b = await u.context.newPage();
      for (const p of [a, b]) await p.goto(`/?view=all&task=${rent.id}`);
      for (const p of [a, b]) await panel(p).waitFor();
      await panel(a).getByRole('textbox', { name: 'Title', exact: true }).fill('Pay the rent');
      await panel(b).getByRole('combobox', { name: 'Priority', exact: true }).selectOption('high');
      await panel(a).getByRole('button', { name: 'Save', exact: true }).click();
      await settle(() => apiTask(a, rent.id), (t) => t.title === 'Pay the rent');
      await panel(b).getByRole('button', { name: 'Save', exact: true }).click();
      const both = await settle(() => apiTask(a, rent.id), (t) => t.priority === 'high');
      assert.deepEqual([both.title, both.priority], ['Pay the rent', 'high'], 'neither edit was lost');
      assert.equal(await panel(b).getByRole('alert').count(), 0, 'no conflict was reported: nothing clashed');
      assert.equal(await panel(b).getByRole('textbox', { name: 'Title', exact: true }).inputValue(), 'Pay the rent', 'the other tab shows the first tab\'s title');

      // Now both change the title.
      await settle(() => panel(a).getByRole('combobox', { name: 'Priority', exact: true }).inputValue(), (v) => v === 'high');
      await panel(a).getByRole('textbox', { name: 'Title', exact: true }).fill('Rent (from A)');
      await panel(b).getByRole('textbox', { name: 'Title', exact: true }).fill('Rent (from B)');
      await panel(a).getByRole('button', { name: 'Save', exact: true }).click();
      await settle(() => apiTask(a, rent.id), (t) => t.title === 'Rent (from A)');
      await panel(b).getByRole('button', { name: 'Save', exact: true }).click();
      const conflict = panel(b).getByRole('alert').filter({ hasText: 'Changed elsewhere to “Rent (from A)”' });
      await conflict.waitFor();
      assert.equal((await apiTask(a, rent.id)).title, 'Rent (from A)', 'nothing was overwritten before choosing');
      await conflict.getByRole('button', { name: 'Keep mine' }).click();
      await panel(b).getByRole('button', { name: 'Save', exact: true }).click();
      const kept = await settle(() => apiTask(a, rent.id), (t) => t.title === 'Rent (from B)');
      assert.equal(kept.priority, 'high');
      await b.close();
    });

    test('unsaved changes are not lost: closing, opening another task or another view asks first', async () => {
      const p = u.page;
      await open(p, `/?view=all&task=${rent.id}`);
      await panel(p).waitFor();
      const title = panel(p).getByRole('textbox', { name: 'Title', exact: true });
      await title.fill('Half-typed title');
      await panel(p).getByRole('button', { name: 'Close', exact: true }).click();
      const ask = panel(p).getByRole('alert').filter({ hasText: 'You have unsaved changes' });
      await ask.waitFor();
      await ask.getByRole('button', { name: 'Keep editing' }).click();
      assert.equal(await title.inputValue(), 'Half-typed title');
      await rowOf(p, 'Buy paint').getByRole('button', { name: 'Buy paint', exact: true }).click();
      await ask.waitFor();
      await navLink(p, 'Today').click();
      await ask.waitFor();
      assert.equal(new URL(p.url()).searchParams.get('view'), 'all', 'still here until the user decides');
      await ask.getByRole('button', { name: 'Discard changes' }).click();
      await p.waitForURL((url) => url.searchParams.get('view') === null);
      assert.notEqual((await apiTask(p, rent.id)).title, 'Half-typed title');
    });

    test('a problem shows under its field, in the form\'s words, announced and in view', async () => {
      const p = u.page;
      await open(p, `/?view=all&task=${rent.id}`);
      const form = panel(p);
      await form.getByRole('combobox', { name: 'Repeats', exact: true }).selectOption({ label: 'Weekly' });
      await form.getByRole('combobox', { name: 'Ends', exact: true }).selectOption({ label: 'On date' });
      await form.getByLabel('End date', { exact: true }).fill(localDay(0));
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      const error = form.getByRole('group', { name: 'Repeat' }).getByRole('alert');
      await error.waitFor();
      assert.match(await error.innerText(), /end date is before the first due date/i, 'says "end date", as the form does');
      assert.doesNotMatch(await error.innerText(), /\buntil\b/);
      const box = await error.boundingBox();
      const panelBox = await form.boundingBox();
      assert.ok(box && panelBox && box.y >= panelBox.y && box.y + box.height <= panelBox.y + panelBox.height, 'the message is scrolled into view');
      assert.equal((await apiTask(p, rent.id)).recurrence, null, 'nothing was saved');
      await form.getByRole('combobox', { name: 'Repeats', exact: true }).selectOption({ label: 'Never' });
      await form.getByRole('button', { name: 'Close', exact: true }).click();
      const ask = form.getByRole('alert').filter({ hasText: 'You have unsaved changes' });
      if (await ask.isVisible()) await ask.getByRole('button', { name: 'Discard changes' }).click();
      await form.waitFor({ state: 'hidden' });
    });

    test('dates and times as the user writes them: their locale\'s order and their clock', async () => {
      const us = await newUser('Clock', { locale: 'en-US' });
      try {
        const p = us.page;
        const task = await createTask(p, { title: 'Concert' });
        await open(p, `/?view=all&task=${task.id}`);
        const date = panel(p).getByRole('textbox', { name: 'Due date', exact: true });
        const time = panel(p).getByRole('textbox', { name: 'Due time', exact: true });
        assert.equal(await date.getAttribute('placeholder'), 'mm/dd/yyyy');
        assert.match((await time.getAttribute('placeholder')) ?? '', /pm/i, 'a 12-hour clock in en-US');
        const [y, m, d] = localDay(3).split('-');
        await date.fill(`${m}/${d}/${y}`);
        await date.press('Tab');
        await time.fill('7:30 pm');
        await time.press('Tab');
        assert.match(await time.inputValue(), /^7:30 PM$/i);
        await panel(p).getByRole('button', { name: 'Save', exact: true }).click();
        const saved = await settle(() => apiTask(p, task.id), (t) => t.due_date !== null);
        assert.deepEqual([dayOf(saved.due_date), timeOf(saved.due_date)], [localDay(3), '19:30']);
        // The row re-renders when the saved task comes back: wait for it rather than read it at once.
        assert.match(await settle(() => rowOf(p, 'Concert').innerText(), (t) => /7:30 PM/i.test(t)), /7:30 PM/i, 'the list writes it the same way');
        // The 24-hour clock from the account menu: everywhere at once.
        await p.getByRole('button', { name: 'Account', exact: true }).click();
        await p.getByRole('combobox', { name: 'Time format', exact: true }).selectOption('24');
        await p.keyboard.press('Escape');
        assert.match(await settle(() => rowOf(p, 'Concert').innerText(), (t) => /19:30/.test(t)), /19:30/, 'the 24-hour clock everywhere');
      } finally {
        await us.context.close();
      }
    });
  });

  describe('recurring tasks', () => {
    let u: User;
    before(async () => {
      u = await newUser('Series');
    });
    after(async () => u.context.close());

    test('undoing a completion takes back the next occurrence it created', async () => {
      const p = u.page;
      const task = await createTask(p, { title: 'Stretch', due_date: at(0, '23:58'), recurrence: { pattern: 'daily' } });
      await open(p, '/');
      await rowOf(p, 'Stretch').getByRole('checkbox').click();
      await settle(async () => (await apiTasks(p)).filter((t) => t.title === 'Stretch').length, (n) => n === 2);
      await p.getByRole('status').getByRole('button', { name: /^Undo/ }).click();
      const stretches = await settle(async () => (await apiTasks(p)).filter((t) => t.title === 'Stretch'), (list) => list.length === 1);
      assert.deepEqual(stretches.map((t) => [t.id, t.completed]), [[task.id, false]], 'one open copy: the original');
    });

    test('the editor previews the next dates; skip this occurrence; stop repeating', async () => {
      const p = u.page;
      const task = await createTask(p, { title: 'Gym', due_date: at(1, '07:00'), recurrence: { pattern: 'weekly', by_weekday: ['MO', 'WE', 'FR'] } });
      await open(p, `/?view=upcoming&task=${task.id}`);
      const preview = panel(p).getByRole('list', { name: 'Next dates' });
      await preview.waitFor();
      const dates = await preview.locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
      assert.equal(dates.length, 5);
      assert.equal(dates[0], task.due_date, 'the task\'s own date first');
      for (const d of dates.slice(1)) assert.ok(['Mon', 'Wed', 'Fri'].includes(new Date(d ?? '').toLocaleDateString('en-GB', { weekday: 'short', timeZone: TIME_ZONE })), `${d} is a Mon, Wed or Fri`);
      assert.deepEqual([...dates].sort(), dates, 'in order');
      await checkAxe(p, 'Task panel with a series (light)');
      await panel(p).getByRole('button', { name: 'Skip this occurrence' }).click();
      const skipped = await settle(() => apiTask(p, task.id), (t) => t.due_date !== task.due_date);
      assert.equal(skipped.due_date, dates[1], 'moved to the series\' next date');
      assert.equal(skipped.completed, false);
      await panel(p).getByRole('button', { name: 'Stop repeating' }).click();
      const stopped = await settle(() => apiTask(p, task.id), (t) => t.recurrence === null);
      assert.equal(stopped.due_date, skipped.due_date, 'the task stays, without a repeat');
      await settle(() => panel(p).getByRole('combobox', { name: 'Repeats', exact: true }).inputValue(), (v) => v === 'never');
    });
  });

  describe('saved filters and the small things', () => {
    let u: User;
    before(async () => {
      u = await newUser('Filters');
      for (const [title, tags] of [['Fix the sink', ['home']], ['Paint the door', ['home']], ['Write report', ['work']]] as const) {
        await createTask(u.page, { title, tags: [...tags], due_date: at(0, '23:59') });
      }
    });
    after(async () => u.context.close());

    test('save the current filters under a name; it shows in the navigation with its count', async () => {
      const p = u.page;
      await open(p, '/?view=all&tags=home');
      await p.getByRole('button', { name: 'Save as filter' }).click();
      await p.getByRole('textbox', { name: 'Filter name' }).fill('Home jobs');
      await p.getByRole('button', { name: 'Save filter', exact: true }).click();
      const link = navLink(p, 'Home jobs');
      await link.waitFor();
      await settle(() => link.innerText(), (t) => /2/.test(t));
      assert.equal(await p.getByRole('heading', { level: 1 }).innerText(), 'Home jobs');
      await navLink(p, 'Today').click();
      await p.waitForURL((url) => url.searchParams.get('view') === null);
      await link.click();
      await p.waitForURL((url) => url.searchParams.get('tags') === 'home');
      assert.equal(await link.getAttribute('aria-current'), 'page');
      assert.deepEqual((await settle(() => titlesIn(region(p)), (t) => t.length === 2)).sort(), ['Fix the sink', 'Paint the door']);
      await checkAxe(p, 'Saved filter (light)');
      await p.getByRole('button', { name: 'Rename filter' }).click();
      await p.getByRole('textbox', { name: 'Filter name' }).fill('House');
      await p.getByRole('button', { name: 'Rename', exact: true }).click();
      await navLink(p, 'House').waitFor();
      // Kept on the server: another tab (or device) has it.
      const other = await u.context.newPage();
      await open(other, '/');
      await navLink(other, 'House').waitFor();
      await other.close();
      await p.getByRole('button', { name: 'Delete filter' }).click();
      await settle(() => nav(p).getByRole('link').count(), (n) => n === 4);
    });

    test('the skip link reaches the list in one step; every target on a phone is at least 44 px', async () => {
      const p = u.page;
      await open(p, '/');
      await p.keyboard.press('Tab');
      await expectFocused(p.getByRole('link', { name: 'Skip to tasks' }), 'the first tab stop');
      await p.keyboard.press('Enter');
      await expectFocused(region(p), 'Enter on the skip link');
      await p.keyboard.press('Tab');
      await expectFocused(region(p).getByRole('checkbox').first(), 'the next tab stop is the first task');

      const phone = await u.context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.emulateMedia({ reducedMotion: 'reduce' });
      await open(phone, '/');
      const small: string[] = [];
      // Checkboxes are reached through their label (44 px); the box drawn inside is smaller.
      const targets = phone.locator('main a, main button, main input:not([type=checkbox]), main select, main label:has(input[type=checkbox]), header button');
      for (const el of await targets.all()) {
        if (!(await el.isVisible())) continue;
        const box = await el.boundingBox();
        if (!box) continue;
        if (box.height < 43.5 || box.width < 43.5) small.push(`${await el.evaluate((e) => `${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 30)}"`)} ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
      assert.deepEqual(small, [], 'touch targets under 44 px');
      await phone.close();
    });
  });

  describe('installable and usable offline', () => {
    let u: User;
    before(async () => {
      u = await newUser('Offline');
    });
    after(async () => u.context.close());

    test('a web app manifest with PNG icons, and a service worker that controls the page', async () => {
      const p = u.page;
      const res = await p.request.get('/manifest.webmanifest');
      assert.equal(res.status(), 200);
      const manifest = (await res.json()) as { name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
      assert.deepEqual([manifest.name, manifest.start_url, manifest.display], ['Dueflow', '/', 'standalone']);
      for (const size of ['192x192', '512x512']) {
        const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
        assert.ok(icon, `a ${size} PNG icon`);
        const image = await p.request.get(icon.src);
        assert.equal(image.headers()['content-type'], 'image/png');
        const bytes = await image.body();
        assert.equal(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, size, `${icon.src} is ${size}`);
      }
      assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'), 'a maskable icon');
      await open(p, '/');
      await p.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await p.reload();
      await p.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await p.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the page is controlled by the worker');
    });

    test('offline: the list stays readable; changes are kept, then sent when back online by the same merge rules', async () => {
      const p = u.page;
      const rent = await createTask(p, { title: 'Pay rent', due_date: at(1, '09:00') });
      const stamps = await createTask(p, { title: 'Buy stamps' });
      // Two online visits: the worker controls the second and keeps what it reads.
      await open(p, '/?view=all');
      await p.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await open(p, '/?view=all');
      await settle(() => titlesIn(region(p)), (t) => t.includes('Pay rent') && t.includes('Buy stamps'));

      await u.context.setOffline(true);
      await p.reload();
      await p.getByRole('heading', { name: 'All tasks', level: 1 }).waitFor({ timeout: 15_000 });
      await settle(() => titlesIn(region(p)), (t) => t.includes('Pay rent') && t.includes('Buy stamps'), 15_000);
      await p.getByRole('status').filter({ hasText: 'Offline' }).first().waitFor();

      // Three changes while offline: complete one, add one, edit one in the panel.
      await rowOf(p, 'Buy stamps').getByRole('checkbox').click();
      await newTaskBox(p).fill('Written offline #later');
      await newTaskBox(p).press('Enter');
      await rowOf(p, 'Written offline').waitFor();
      await rowOf(p, 'Pay rent').getByRole('button', { name: 'Pay rent', exact: true }).click();
      await panel(p).getByRole('textbox', { name: 'Title', exact: true }).fill('Pay the rent');
      await panel(p).getByRole('button', { name: 'Save', exact: true }).click();
      await rowOf(p, 'Pay the rent').waitFor();
      await panel(p).getByRole('button', { name: 'Close', exact: true }).click();
      await p.getByText('3 changes are saved on this device').waitFor();

      // Meanwhile another device changes another field of the same task.
      const elsewhere = await newContext(browser, dueflow.url, { storageState: await u.context.storageState() });
      const other = await elsewhere.newPage();
      const res = await other.request.patch(`/api/v1/tasks/${rent.id}`, { headers: { origin: dueflow.url }, data: { priority: 'high' } });
      assert.equal(res.status(), 200);
      await elsewhere.close();
      

      // Still offline, a reload shows the kept changes on top of the kept list.
      await p.reload();
      await rowOf(p, 'Pay the rent').waitFor({ timeout: 15_000 });
      await rowOf(p, 'Written offline').waitFor();

      await u.context.setOffline(false);
      const told = await settle(() => p.locator('.toasts').innerText(), (t) => /3 changes made offline were sent/.test(t), 15_000, 50);
      assert.match(told, /3 changes made offline were sent/, 'the user is told');
      await settle(async () => (await apiTasks(p)).find((t) => t.id === rent.id)?.title, (t) => t === 'Pay the rent');
      const after = await apiTasks(p);
      const rentNow = after.find((t) => t.id === rent.id);
      assert.deepEqual([rentNow?.title, rentNow?.priority], ['Pay the rent', 'high'], 'the offline edit and the other device\'s edit both survive');
      assert.equal(after.find((t) => t.id === stamps.id)?.completed, true);
      const written = after.filter((t) => t.title === 'Written offline');
      assert.equal(written.length, 1, 'added exactly once');
      assert.deepEqual(written[0]?.tags, ['later']);
      await settle(() => p.getByText('saved on this device').count(), (n) => n === 0);
    });
  });

  test('no page of the planner broke its Content-Security-Policy (the service worker and the highlights included)', () => {
    assert.deepEqual(cspViolations, [], `CSP violations:\n${cspViolations.join('\n')}`);
  });
});
