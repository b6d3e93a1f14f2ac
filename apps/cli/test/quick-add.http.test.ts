import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { toLocal } from '@dueflow/core';
import { type Client, type ErrorJson, signUp, startSystem, type TaskJson, type TaskListJson } from './harness.ts';

describe('quick add: one line of text becomes a task with its fields', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  before(async () => {
    ts = await startSystem();
    ann = await signUp(ts.url, { timezone: 'Asia/Tokyo' });
  });
  after(async () => ts.stop());

  const quickAdd = (text: string) => ann.post<TaskJson>('/api/v1/tasks/quick-add', { text });

  test('due date and time, priority, tags and reminder are read from the text, in the user\'s zone', async () => {
    const res = await quickAdd('Submit report tomorrow 5pm #work !high remind me 1 hour before');
    assert.equal(res.status, 201);
    assert.equal(res.body.title, 'Submit report');
    assert.equal(res.body.priority, 'high');
    assert.deepEqual(res.body.tags, ['work']);
    assert.equal(res.body.remind_before_minutes, 60);
    const due = toLocal(new Date(res.body.due_date ?? ''), 'Asia/Tokyo');
    const today = toLocal(new Date(), 'Asia/Tokyo');
    assert.deepEqual([due.hour, due.minute], [17, 0]);
    assert.equal(Date.UTC(due.year, due.month - 1, due.day) - Date.UTC(today.year, today.month - 1, today.day), 86_400_000);
  });

  test('a repetition makes a recurring task', async () => {
    const res = await quickAdd('Standup every weekday at 9:30');
    assert.equal(res.status, 201);
    assert.equal(res.body.title, 'Standup');
    assert.equal(res.body.recurring, 'weekly');
    assert.deepEqual(res.body.recurrence?.['by_weekday'], ['MO', 'TU', 'WE', 'TH', 'FR']);
  });

  test('plain text stays the title as typed', async () => {
    const res = await quickAdd('  Call Anna about the flat  ');
    assert.equal(res.status, 201);
    assert.equal(res.body.title, 'Call Anna about the flat');
    assert.equal(res.body.due_date, null);
  });

  test('bad input is a 400 and creates nothing', async () => {
    const before = (await ann.get<TaskListJson>('/api/v1/tasks')).body.total;
    for (const body of [{}, { text: '   ' }, { text: 'x'.repeat(1001) }, { text: 'a', title: 'b' }, { text: 'y'.repeat(300) }]) {
      const res = await ann.post<ErrorJson>('/api/v1/tasks/quick-add', body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 40));
      assert.equal(res.body.error.code, 'VALIDATION_FAILED');
    }
    assert.equal((await ann.get<TaskListJson>('/api/v1/tasks')).body.total, before);
  });
});
