import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chipsOf, createInput, readLine, runsOf, summaryText } from '../lib/quick-add.ts';

// Wednesday 25 Nov 2026, 18:30 in Berlin.
const now = new Date('2026-11-25T17:30:00Z');
const tz = 'Europe/Berlin';
const today = { year: 2026, month: 11, day: 25 };

test('the line in runs: plain text and marked phrases, nothing lost', () => {
  const text = 'Submit report tomorrow 5pm #work !high';
  const reading = readLine(text, now, tz, [], null);
  const runs = runsOf(text, reading.parts);
  assert.equal(runs.map((r) => r.text).join(''), text);
  assert.deepEqual(runs.filter((r) => r.kind).map((r) => [r.kind, r.text]), [['date', 'tomorrow'], ['time', '5pm'], ['tag', '#work'], ['priority', '!high']]);
});

test('chips say what each phrase was read as; the summary says it in one sentence', () => {
  const reading = readLine('Standup every weekday at 9:30 tagged work and office remind me 10 minutes before !low', now, tz, [], null);
  const chips = chipsOf(reading, tz, today);
  assert.deepEqual(
    chips.map((c) => [c.part.kind, c.label]),
    [['repeat', 'Every weekday'], ['time', '09:30'], ['tag', '#work #office'], ['reminder', 'Reminder 10 minutes before'], ['priority', 'Low priority']],
  );
  assert.equal(summaryText(reading, chips), 'Title “Standup”; Every weekday, 09:30, #work #office, Reminder 10 minutes before, Low priority');
});

test('the task to create carries the due date as an instant in the user\'s zone', () => {
  const input = createInput(readLine('Pay rent friday 9am #home', now, tz, [], null), tz);
  assert.deepEqual(input, { title: 'Pay rent', tags: ['home'], due_date: '2026-11-27T08:00:00.000Z' });
  // A day without a time is its last second; the view's default date counts.
  assert.equal(createInput(readLine('Buy milk', now, tz, [], today), tz).due_date, '2026-11-25T22:59:59.000Z');
  assert.equal(createInput(readLine('Buy milk', now, tz, [], null), tz).due_date, undefined);
});
