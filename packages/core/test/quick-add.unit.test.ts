import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readQuickAdd } from '../src/assistant/quick-add.ts';

// Wednesday 25 Nov 2026, 18:30 in Berlin.
const ctx = { now: new Date('2026-11-25T17:30:00Z'), timezone: 'Europe/Berlin' };
const read = (text: string, options = {}) => readQuickAdd(text, ctx, options);

describe('quick add keeps every word of the title', () => {
  test('quoted text is always title, and the words around it stay', () => {
    assert.deepEqual(read('Read "Dune" by Frank Herbert').request, { title: 'Read "Dune" by Frank Herbert' });
    assert.deepEqual(read('say "hi" now').request, { title: 'say "hi" now' });
    // A date word inside quotes is title; one outside is read.
    const r = read('Buy "tomorrow" magazine friday');
    assert.equal(r.title, 'Buy "tomorrow" magazine');
    assert.equal(r.request.due_date, '2026-11-27');
    // Curly quotes count; an apostrophe is no quote.
    assert.equal(read('Watch \u201cNext Monday\u201d pilot').request.due_date, undefined);
    assert.equal(read("Don't forget milk tomorrow").title, "Don't forget milk");
  });

  test('a describing word at the start is title: "Monthly report", "Daily standup notes", "Weekly review"', () => {
    for (const title of ['Monthly report', 'Daily standup notes', 'Weekly review', 'Morning run', 'Evening class', 'Important documents to shred', 'Urgent care appointment']) {
      assert.deepEqual(read(title).request, { title }, title);
    }
  });

  test('the same words are fields where they describe the task', () => {
    assert.deepEqual(read('Pay rent monthly').request, { title: 'Pay rent', recurrence: { pattern: 'monthly' } });
    assert.deepEqual(read('Review weekly #work').request, { title: 'Review', tags: ['work'], recurrence: { pattern: 'weekly' } });
    assert.deepEqual(read('Run tomorrow morning').request, { title: 'Run', due_date: '2026-11-26T09:00' });
    assert.deepEqual(read('Call mom asap').request, { title: 'Call mom', priority: 'high' });
    assert.deepEqual(read('Weekly review every friday').request, { title: 'Weekly review', due_date: '2026-11-27', recurrence: { pattern: 'weekly', by_weekday: ['FR'] } });
  });

  test('a long title is reported in full, never cut', () => {
    const long = 'x'.repeat(250);
    const r = read(`${long} tomorrow`);
    assert.equal(r.problem, 'TITLE_TOO_LONG');
    assert.equal(r.title.length, 250);
  });

  test('nothing left for a title: the line is the title, nothing else is read', () => {
    const r = read('tomorrow');
    assert.equal(r.problem, 'TITLE_EMPTY');
    assert.deepEqual(r.request, { title: 'tomorrow' });
    assert.deepEqual(r.parts, []);
  });
});

describe('quick add reads fields and says where they are', () => {
  test('date, time, priority, tags and reminder, each with its place in the line', () => {
    const text = 'Submit report tomorrow 5pm #work !high remind me 1 hour before';
    const r = read(text);
    assert.deepEqual(r.request, { title: 'Submit report', priority: 'high', tags: ['work'], due_date: '2026-11-26T17:00', remind_before_minutes: 60 });
    assert.deepEqual(
      r.parts.map((p) => [p.kind, p.text]),
      [['date', 'tomorrow'], ['time', '5pm'], ['tag', '#work'], ['priority', '!high'], ['reminder', 'remind me 1 hour before']],
    );
    for (const p of r.parts) assert.equal(text.slice(p.start, p.end), p.text);
    assert.equal(r.past, false);
  });

  test('a repetition on weekdays starts on its first day', () => {
    const r = read('Standup every weekday at 9:30');
    assert.deepEqual(r.request, { title: 'Standup', due_date: '2026-11-26T09:30', recurrence: { pattern: 'weekly', by_weekday: ['MO', 'TU', 'WE', 'TH', 'FR'] } });
    assert.deepEqual(r.parts.map((p) => p.kind), ['repeat', 'time']);
  });

  test('a phrase turned back into text is title, wherever it appears', () => {
    const r = read('Buy tomorrow magazine tomorrow', { literals: ['TOMORROW'] });
    assert.deepEqual(r.request, { title: 'Buy tomorrow magazine tomorrow' });
    assert.deepEqual(read('Pay rent monthly', { literals: ['monthly'] }).request, { title: 'Pay rent monthly' });
  });

  test('"next tuesday" is next week\'s Tuesday; "tuesday" the coming one', () => {
    const monday = { now: new Date('2026-11-23T09:00:00Z'), timezone: 'Europe/Berlin' };
    assert.equal(readQuickAdd('Dentist next tuesday', monday).request.due_date, '2026-12-01');
    assert.equal(readQuickAdd('Dentist tuesday', monday).request.due_date, '2026-11-24');
    assert.equal(readQuickAdd('Gym every monday', monday).request.due_date, '2026-11-23', 'a weekly rule on today\'s weekday starts today');
  });

  test('the view\'s default date applies only when the line names none', () => {
    const today = { year: 2026, month: 11, day: 25 };
    const r = read('Buy milk', { defaultDate: today });
    assert.deepEqual([r.request.due_date, r.due?.implicit], ['2026-11-25', true]);
    assert.equal(read('Buy milk friday', { defaultDate: today }).request.due_date, '2026-11-27');
    assert.equal(read('Buy milk every day', { defaultDate: today }).request.due_date, undefined, 'a series starts on its own');
  });
});

describe('past dates are kept and questioned, never moved', () => {
  test('"Pay taxes yesterday 5pm": yesterday at 17:00, flagged', () => {
    const r = read('Pay taxes yesterday 5pm');
    assert.deepEqual(r.request, { title: 'Pay taxes', due_date: '2026-11-24T17:00' });
    assert.equal(r.past, true);
  });

  test('a time earlier today stays today', () => {
    const r = read('Call mom 5pm');
    assert.equal(r.request.due_date, '2026-11-25T17:00');
    assert.equal(r.past, true);
    assert.equal(read('Call mom 9pm').past, false);
    assert.equal(read('Call mom today').past, false, 'today without a time is not past');
  });

  test('an explicit date in an earlier year is kept', () => {
    const r = read('File report 2025-03-01');
    assert.deepEqual([r.request.due_date, r.past], ['2025-03-01', true]);
  });
});

describe('typed dates and times (the task panel reads them with the same words)', () => {
  test('a whole date phrase, or nothing', async () => {
    const { readDatePhrase } = await import('../src/assistant/quick-add.ts');
    assert.deepEqual(readDatePhrase('tomorrow', ctx), { year: 2026, month: 11, day: 26 });
    assert.deepEqual(readDatePhrase('next fri', ctx), { year: 2026, month: 12, day: 4 });
    assert.deepEqual(readDatePhrase('Dec 3', ctx), { year: 2026, month: 12, day: 3 });
    assert.deepEqual(readDatePhrase('2027-02-28', ctx), { year: 2027, month: 2, day: 28 });
    assert.equal(readDatePhrase('tomorrow 5pm', ctx), null, 'a time is not a date');
    assert.equal(readDatePhrase('buy milk', ctx), null);
    assert.equal(readDatePhrase('2027-02-30', ctx), null);
  });

  test('a whole time of day, or nothing', async () => {
    const { readTimePhrase } = await import('../src/assistant/quick-add.ts');
    assert.deepEqual(readTimePhrase('17:30'), { hour: 17, minute: 30 });
    assert.deepEqual(readTimePhrase('5pm'), { hour: 17, minute: 0 });
    assert.deepEqual(readTimePhrase('5:30 PM'), { hour: 17, minute: 30 });
    assert.deepEqual(readTimePhrase('12:15 am'), { hour: 0, minute: 15 });
    assert.deepEqual(readTimePhrase('9.45'), { hour: 9, minute: 45 });
    assert.deepEqual(readTimePhrase('9'), { hour: 9, minute: 0 });
    assert.deepEqual(readTimePhrase('noon'), { hour: 12, minute: 0 });
    assert.equal(readTimePhrase('25:00'), null);
    assert.equal(readTimePhrase('later'), null);
  });
});
