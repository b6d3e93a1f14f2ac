// The assistant panel in Chromium against a real Dueflow: completing several tasks waits for the Yes
// button, a choice between two tasks is a button per task, and Undo under an answer takes its change back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Task } from '../../lib/types.ts';
import { buildAndStartDueflow, type Dueflow, launchChromium, newContext, settle } from './harness.ts';

let dueflow: Dueflow;
let browser: Browser;

async function apiTasks(p: Page): Promise<Task[]> {
  const res = await p.request.get('/api/v1/tasks?status=all&limit=200');
  assert.equal(res.status(), 200);
  return ((await res.json()) as { tasks: Task[] }).tasks;
}
const completedOf = async (p: Page, title: string) => (await apiTasks(p)).filter((t) => t.title === title).map((t) => t.completed);

describe('assistant panel in Chromium: confirmation, choice and Undo', { timeout: 600_000 }, () => {
  before(async () => {
    browser = await launchChromium();
    dueflow = await buildAndStartDueflow({ AUTH_RATE_LIMIT_PER_MINUTE: '100' });
  }, { timeout: 400_000 });

  after(async () => {
    await browser?.close();
    await dueflow?.stop();
  });

  test('"complete all tasks tagged errands" waits for Yes; Undo reopens them; a tie offers one button per task', async () => {
    const context = await newContext(browser, dueflow.url);
    try {
      const p = await context.newPage();
      await p.goto('/sign-up');
      await p.getByRole('textbox', { name: 'Name', exact: true }).fill('Dorothy Vaughan');
      await p.getByRole('textbox', { name: 'Email', exact: true }).fill(`dorothy-${Date.now()}@example.com`);
      await p.getByLabel('Password', { exact: true }).fill('correct horse battery');
      await p.getByRole('button', { name: 'Create account', exact: true }).click();
      await p.waitForURL((url) => url.pathname === '/');
      for (const body of [{ title: 'Buy stamps', tags: ['errands'] }, { title: 'Return books', tags: ['errands'] }, { title: 'Write report' }, { title: 'Water plants' }, { title: 'Water plants' }]) {
        const res = await p.request.post('/api/v1/tasks', { data: body, headers: { origin: dueflow.url } });
        assert.equal(res.status(), 201);
      }

      await p.getByRole('button', { name: 'Assistant', exact: true }).click();
      const panel = p.getByRole('complementary', { name: 'Assistant', exact: true });
      const log = panel.getByRole('log', { name: 'Conversation', exact: true });
      const box = panel.getByRole('textbox', { name: 'Message the assistant', exact: true });
      const answers = log.locator('p').filter({ hasText: /^Assistant: / });

      await box.fill('complete all tasks tagged errands');
      await box.press('Enter');
      const yes = log.getByRole('group', { name: 'Answer' }).getByRole('button', { name: 'Yes', exact: true });
      await yes.waitFor({ timeout: 15_000 });
      assert.match((await answers.last().textContent()) ?? '', /Complete these 2 tasks\?/);
      assert.deepEqual(await completedOf(p, 'Buy stamps'), [false], 'nothing done before Yes');

      await yes.click();
      await settle(() => answers.count(), (n) => n === 2, 15_000);
      assert.match((await answers.last().textContent()) ?? '', /Completed 2 tasks/);
      assert.deepEqual([...(await completedOf(p, 'Buy stamps')), ...(await completedOf(p, 'Return books'))], [true, true]);
      assert.deepEqual(await completedOf(p, 'Write report'), [false]);
      assert.equal(await yes.count(), 0, 'the answered question loses its buttons');

      const undo = log.getByRole('button', { name: 'Undo', exact: true });
      await undo.waitFor();
      await undo.click();
      await settle(() => answers.count(), (n) => n === 3, 15_000);
      assert.match((await answers.last().textContent()) ?? '', /^Assistant: Undone: completed 2 tasks/);
      assert.deepEqual([...(await completedOf(p, 'Buy stamps')), ...(await completedOf(p, 'Return books'))], [false, false]);
      assert.equal(await undo.count(), 0, 'an undone change has no Undo any more');

      // Two tasks with the same name: the assistant asks, with a button per task.
      await box.fill('complete water plants');
      await box.press('Enter');
      const which = log.getByRole('group', { name: 'Which task' });
      await which.waitFor({ timeout: 15_000 });
      assert.equal(await which.getByRole('button', { name: 'Water plants', exact: true }).count(), 2);
      assert.deepEqual(await completedOf(p, 'Water plants'), [false, false]);
      await which.getByRole('button', { name: 'Water plants', exact: true }).first().click();
      await settle(async () => (await completedOf(p, 'Water plants')).filter(Boolean).length, (n) => n === 1, 15_000);
    } finally {
      await context.close();
    }
  });
});
