import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ASSISTANT_HELP, isPronounRef, parseMessage, parseQuickAdd, type ParseContext, type ParsedMessage } from '../src/assistant/parser.ts';
import { toolInputSchemas, type ToolCall, type ToolName } from '../src/assistant/tools.ts';

// Wednesday 2026-11-25, 15:30 on the Berlin wall clock.
const BERLIN: ParseContext = { now: new Date('2026-11-25T14:30:00Z'), timezone: 'Europe/Berlin' };
// 03:00 UTC on Thursday is still Wednesday 2026-11-25, 22:00 in New York.
const NEW_YORK: ParseContext = { now: new Date('2026-11-26T03:00:00Z'), timezone: 'America/New_York' };

type Case = readonly [text: string, name: ToolName, args: Record<string, unknown>];

function describeResult(r: ParsedMessage): string {
  return r.kind === 'tool' ? `${r.call.name} ${JSON.stringify(r.call.arguments)}` : `reply: ${r.text}`;
}

/** Parses `text`, insists on a tool call the tool schema accepts, and returns it. */
function callOf(text: string, ctx: ParseContext = BERLIN): ToolCall {
  const result = parseMessage(text, ctx);
  assert.equal(result.kind, 'tool', `"${text}" gave ${describeResult(result)}`);
  assert.ok(result.kind === 'tool');
  const parsed = toolInputSchemas[result.call.name].safeParse(result.call.arguments);
  assert.ok(parsed.success, `"${text}" → ${describeResult(result)} fails its schema: ${parsed.error?.message ?? ''}`);
  return result.call;
}

function replyOf(text: string, ctx: ParseContext = BERLIN): string {
  const result = parseMessage(text, ctx);
  assert.equal(result.kind, 'reply', `"${text}" gave ${describeResult(result)}`);
  return result.kind === 'reply' ? result.text : '';
}

function cases(title: string, table: readonly Case[], ctx: ParseContext = BERLIN): void {
  describe(title, () => {
    for (const [text, name, args] of table) {
      test(`"${text}" → ${name}`, () => {
        assert.deepEqual(callOf(text, ctx), { name, arguments: args });
      });
    }
  });
}

cases('adding tasks: titles and due dates (Berlin, Wed 15:30)', [
  ['add buy milk', 'add_task', { title: 'buy milk' }],
  ['Please add a task to buy milk tomorrow at 5pm.', 'add_task', { title: 'buy milk', due_date: '2026-11-26T17:00' }],
  ['new task: call Anna', 'add_task', { title: 'call Anna' }],
  ['todo: renew passport', 'add_task', { title: 'renew passport' }],
  ['create task Pay rent on the 1st', 'add_task', { title: 'Pay rent', due_date: '2026-12-01' }],
  ['add water plants today', 'add_task', { title: 'water plants', due_date: '2026-11-25' }],
  ['add take out trash tonight', 'add_task', { title: 'take out trash', due_date: '2026-11-25T20:00' }],
  ['add visit grandma day after tomorrow', 'add_task', { title: 'visit grandma', due_date: '2026-11-27' }],
  ['add gym on friday', 'add_task', { title: 'gym', due_date: '2026-11-27' }],
  // "next friday" is the Friday of next week (the coming one is "friday" or "this friday").
  ['add gym next friday', 'add_task', { title: 'gym', due_date: '2026-12-04' }],
  ['add laundry saturday', 'add_task', { title: 'laundry', due_date: '2026-11-28' }],
  ['add report by wednesday', 'add_task', { title: 'report', due_date: '2026-12-02' }],
  ['add call bank in 3 days', 'add_task', { title: 'call bank', due_date: '2026-11-28' }],
  ['add dentist in 2 weeks', 'add_task', { title: 'dentist', due_date: '2026-12-09' }],
  ['add check oven in 2 hours', 'add_task', { title: 'check oven', due_date: '2026-11-25T17:30' }],
  ['add stretch in 30 minutes', 'add_task', { title: 'stretch', due_date: '2026-11-25T16:00' }],
  ['add pay invoice 2026-12-03', 'add_task', { title: 'pay invoice', due_date: '2026-12-03' }],
  ['add pay invoice dec 3', 'add_task', { title: 'pay invoice', due_date: '2026-12-03' }],
  ['add pay invoice 3 december', 'add_task', { title: 'pay invoice', due_date: '2026-12-03' }],
  ['add pay invoice on December 3rd at 5pm', 'add_task', { title: 'pay invoice', due_date: '2026-12-03T17:00' }],
  ['add lunch with Bo friday at 5:30 pm', 'add_task', { title: 'lunch with Bo', due_date: '2026-11-27T17:30' }],
  ['add standup tomorrow at 17:00', 'add_task', { title: 'standup', due_date: '2026-11-26T17:00' }],
  ['add lunch tomorrow noon', 'add_task', { title: 'lunch', due_date: '2026-11-26T12:00' }],
  ['add call Bo dec 3 5pm', 'add_task', { title: 'call Bo', due_date: '2026-12-03T17:00' }],
  ['add call Bo at 4pm', 'add_task', { title: 'call Bo', due_date: '2026-11-25T16:00' }], // still ahead today
  ['add call Bo at 9am', 'add_task', { title: 'call Bo', due_date: '2026-11-26T09:00' }], // passed: tomorrow
  ['add call mom on sunday at 10', 'add_task', { title: 'call mom', due_date: '2026-11-29T10:00' }],
  ['add gym tomorrow at 5', 'add_task', { title: 'gym', due_date: '2026-11-26T17:00' }], // 1-7 without am/pm: afternoon
  ['add "meet at 5pm" tomorrow', 'add_task', { title: 'meet at 5pm', due_date: '2026-11-26' }],
]);

cases('adding tasks: priority, tags and reminders', [
  ['add buy milk high priority', 'add_task', { title: 'buy milk', priority: 'high' }],
  ['add buy milk priority low', 'add_task', { title: 'buy milk', priority: 'low' }],
  ['add buy milk !high', 'add_task', { title: 'buy milk', priority: 'high' }],
  ['add fix server !!', 'add_task', { title: 'fix server', priority: 'high' }],
  ['add urgent: fix server', 'add_task', { title: 'fix server', priority: 'high' }],
  ['add call boss, important', 'add_task', { title: 'call boss', priority: 'high' }],
  ['add sort photos !low', 'add_task', { title: 'sort photos', priority: 'low' }],
  ['add sort photos p2', 'add_task', { title: 'sort photos', priority: 'medium' }],
  ['add buy milk #home #Errands tomorrow', 'add_task', { title: 'buy milk', tags: ['home', 'errands'], due_date: '2026-11-26' }],
  ['add write report tagged work', 'add_task', { title: 'write report', tags: ['work'] }],
  ['add write report with tag work', 'add_task', { title: 'write report', tags: ['work'] }],
  ['remind me to call mom on friday at 10am', 'add_task', { title: 'call mom', due_date: '2026-11-27T10:00', remind_before_minutes: 0 }],
  ['remind me tomorrow at 9am to call the bank', 'add_task', { title: 'call the bank', due_date: '2026-11-26T09:00', remind_before_minutes: 0 }],
  ['remind me to water plants', 'add_task', { title: 'water plants' }], // no due date: nothing to remind before
  ['add dentist friday 3pm remind me 30 minutes before', 'add_task', { title: 'dentist', due_date: '2026-11-27T15:00', remind_before_minutes: 30 }],
  ['add dentist friday with a reminder 1 hour before', 'add_task', { title: 'dentist', due_date: '2026-11-27', remind_before_minutes: 60 }],
  ['add flight dec 3 reminder 2 days before', 'add_task', { title: 'flight', due_date: '2026-12-03', remind_before_minutes: 2880 }],
  ['add a reminder to call mom tomorrow', 'add_task', { title: 'call mom', due_date: '2026-11-26', remind_before_minutes: 0 }],
]);

cases('adding repeating tasks', [
  ['add water plants every day', 'create_recurring', { title: 'water plants', due_date: '2026-11-25', pattern: 'daily' }],
  ['add standup daily at 9am', 'create_recurring', { title: 'standup', due_date: '2026-11-26T09:00', pattern: 'daily' }],
  ['add gym every weekday', 'create_recurring', { title: 'gym', due_date: '2026-11-25', pattern: 'weekly', by_weekday: ['MO', 'TU', 'WE', 'TH', 'FR'] }],
  ['add review every week', 'create_recurring', { title: 'review', due_date: '2026-11-25', pattern: 'weekly' }],
  ['add review weekly', 'create_recurring', { title: 'review', due_date: '2026-11-25', pattern: 'weekly' }],
  ['add water plants every monday and thursday', 'create_recurring', { title: 'water plants', due_date: '2026-11-26', pattern: 'weekly', by_weekday: ['MO', 'TH'] }],
  ['add yoga every wednesday at 2pm', 'create_recurring', { title: 'yoga', due_date: '2026-12-02T14:00', pattern: 'weekly', by_weekday: ['WE'] }],
  ['add report every 2 weeks', 'create_recurring', { title: 'report', due_date: '2026-11-25', pattern: 'weekly', interval: 2 }],
  ['add pay rent every month on the 1st', 'create_recurring', { title: 'pay rent', due_date: '2026-12-01', pattern: 'monthly' }],
  ['add budget monthly', 'create_recurring', { title: 'budget', due_date: '2026-11-25', pattern: 'monthly' }],
  ['add renew insurance every year #home', 'create_recurring', { title: 'renew insurance', tags: ['home'], due_date: '2026-11-25', pattern: 'yearly' }],
  ['add birthday card yearly', 'create_recurring', { title: 'birthday card', due_date: '2026-11-25', pattern: 'yearly' }],
]);

cases('listing, completing, deleting, updating and searching', [
  ['list tasks', 'list_tasks', { status: 'pending' }],
  ['show my tasks', 'list_tasks', { status: 'pending' }],
  ["What's on my list?", 'list_tasks', { status: 'pending' }],
  ['what do I have to do', 'list_tasks', { status: 'pending' }],
  ['show completed tasks', 'list_tasks', { status: 'completed' }],
  ['show all tasks', 'list_tasks', { status: 'all' }],
  ['complete task 3', 'complete_task', { task_id: 3 }],
  ['mark 3 as done', 'complete_task', { task_id: 3 }],
  ['done #12', 'complete_task', { task_id: 12 }],
  ['finish buy milk', 'complete_task', { task_title: 'buy milk' }],
  ["check off 'call mom'", 'complete_task', { task_title: 'call mom' }],
  ['I finished buying milk', 'complete_task', { task_title: 'buying milk' }],
  ['reopen task 3', 'complete_task', { task_id: 3, completed: false }],
  ['mark 3 as not done', 'complete_task', { task_id: 3, completed: false }],
  ['uncomplete 3', 'complete_task', { task_id: 3, completed: false }],
  ['delete task 5', 'delete_task', { task_id: 5 }],
  ['remove buy milk', 'delete_task', { task_title: 'buy milk' }],
  ['cancel the dentist task', 'delete_task', { task_title: 'dentist' }],
  ['rename task 3 to Buy oat milk', 'update_task', { task_id: 3, title: 'Buy oat milk' }],
  ['change the title of 3 to Call Anna back', 'update_task', { task_id: 3, title: 'Call Anna back' }],
  ['change description of 3 to Bring the receipt', 'update_task', { task_id: 3, description: 'Bring the receipt' }],
  ['search milk', 'search_tasks', { query: 'milk' }],
  ['find tasks about milk', 'search_tasks', { query: 'milk' }],
  ['look for dentist', 'search_tasks', { query: 'dentist' }],
]);

cases('priority, tags, due dates and reminders of one task', [
  ['set priority of 3 to high', 'set_priority', { task_id: 3, priority: 'high' }],
  ['make buy milk high priority', 'set_priority', { task_title: 'buy milk', priority: 'high' }],
  ['task 3 is urgent', 'set_priority', { task_id: 3, priority: 'high' }],
  ['mark #4 as low priority', 'set_priority', { task_id: 4, priority: 'low' }],
  ['tag 3 with #home #errands', 'add_tag', { task_id: 3, tags: ['home', 'errands'] }],
  ['add tag work to task 3', 'add_tag', { task_id: 3, tags: ['work'] }],
  ['add #work to buy milk', 'add_tag', { task_title: 'buy milk', tags: ['work'] }],
  ['remove tag work from 3', 'remove_tag', { task_id: 3, tags: ['work'] }],
  ['untag 3 home', 'remove_tag', { task_id: 3, tags: ['home'] }],
  ['set due date of 3 to friday 5pm', 'set_due_date', { task_id: 3, due_date: '2026-11-27T17:00' }],
  ['move 3 to tomorrow', 'set_due_date', { task_id: 3, due_date: '2026-11-26' }],
  ['task 3 is due next monday', 'set_due_date', { task_id: 3, due_date: '2026-11-30' }],
  ['postpone buy milk to monday', 'set_due_date', { task_title: 'buy milk', due_date: '2026-11-30' }],
  ['move go to gym to friday', 'set_due_date', { task_title: 'go to gym', due_date: '2026-11-27' }],
  ['clear the due date of 3', 'set_due_date', { task_id: 3, due_date: null }],
  ['remove due date from 3', 'set_due_date', { task_id: 3, due_date: null }],
  ['remind me about task 3 30 minutes before', 'set_reminder', { task_id: 3, remind_before_minutes: 30 }],
  ['remind me about buy milk at 4pm tomorrow', 'set_reminder', { task_title: 'buy milk', reminder_at: '2026-11-26T16:00' }],
  ['remind me about 3 tomorrow', 'set_reminder', { task_id: 3, reminder_at: '2026-11-26T09:00' }], // a bare day: 09:00
  ['remove the reminder from 3', 'set_reminder', { task_id: 3, remind_before_minutes: null }],
]);

cases('filtering and sorting', [
  ['show high priority tasks', 'filter_tasks', { priority: ['high'] }],
  ["what's overdue", 'filter_tasks', { overdue: true }],
  ['overdue tasks', 'filter_tasks', { overdue: true }],
  ['tasks tagged work', 'filter_tasks', { tags: ['work'] }],
  ['show tasks due this week', 'filter_tasks', { due_after: '2026-11-25', due_before: '2026-11-29' }],
  ['show tasks due today', 'filter_tasks', { due_after: '2026-11-25', due_before: '2026-11-25' }],
  ["what's due tomorrow", 'filter_tasks', { due_after: '2026-11-26', due_before: '2026-11-26' }],
  ['low priority pending tasks', 'filter_tasks', { status: 'pending', priority: ['low'] }],
  ['show high and medium priority tasks', 'filter_tasks', { priority: ['high', 'medium'] }],
  ['show tasks without a due date', 'filter_tasks', { has_due_date: false }],
  ['sort by due date', 'sort_tasks', { sort: 'due_date' }],
  ['sort tasks by priority', 'sort_tasks', { sort: 'priority' }],
  ['sort by title descending', 'sort_tasks', { sort: 'title', order: 'desc' }],
  ['sort completed tasks by creation date', 'sort_tasks', { sort: 'created_at', status: 'completed' }],
]);

cases(
  'New York, where it is still Wednesday evening while UTC is on Thursday',
  [
    ['add buy milk tomorrow', 'add_task', { title: 'buy milk', due_date: '2026-11-26' }],
    ['add buy milk today', 'add_task', { title: 'buy milk', due_date: '2026-11-25' }],
    ['add call Bo at 9am', 'add_task', { title: 'call Bo', due_date: '2026-11-26T09:00' }],
    ['add call Bo at 11pm', 'add_task', { title: 'call Bo', due_date: '2026-11-25T23:00' }],
    ['add stretch in 2 hours', 'add_task', { title: 'stretch', due_date: '2026-11-26T00:00' }],
    ['show tasks due today', 'filter_tasks', { due_after: '2026-11-25', due_before: '2026-11-25' }],
  ],
  NEW_YORK,
);

describe('calendar edge cases', () => {
  test('a bare weekday on that weekday is next week; "this friday" is today', () => {
    const friday: ParseContext = { now: new Date('2026-11-27T09:00:00Z'), timezone: 'Europe/Berlin' };
    assert.equal(callOf('add x friday', friday).arguments.due_date, '2026-12-04');
    assert.equal(callOf('add x this friday', friday).arguments.due_date, '2026-11-27');
  });

  test('"next <day>" is that day of next week, never tomorrow; "every monday" on a Monday starts today', () => {
    const monday: ParseContext = { now: new Date('2026-11-23T09:00:00Z'), timezone: 'Europe/Berlin' };
    assert.equal(callOf('add x next tuesday', monday).arguments.due_date, '2026-12-01');
    assert.equal(callOf('add x tuesday', monday).arguments.due_date, '2026-11-24');
    assert.equal(callOf('add x next tue', monday).arguments.due_date, '2026-12-01');
    assert.equal(callOf('add x next monday', monday).arguments.due_date, '2026-11-30');
    assert.equal(callOf('add x every monday', monday).arguments.due_date, '2026-11-23');
    const sunday: ParseContext = { now: new Date('2026-11-29T09:00:00Z'), timezone: 'Europe/Berlin' };
    assert.equal(callOf('add x next tuesday', sunday).arguments.due_date, '2026-12-01', 'from a Sunday, next week starts tomorrow');
  });

  test('a month and day already past this year means next year', () => {
    const december: ParseContext = { now: new Date('2026-12-10T12:00:00Z'), timezone: 'Europe/Berlin' };
    assert.equal(callOf('add x dec 3', december).arguments.due_date, '2027-12-03');
    assert.equal(callOf('add x jan 5', december).arguments.due_date, '2027-01-05');
  });

  test('"in 2 hours" counts real hours across a DST change', () => {
    // 01:30 EST on the spring-forward day: two hours later the clock shows 04:30 EDT.
    const springForward: ParseContext = { now: new Date('2026-03-08T06:30:00Z'), timezone: 'America/New_York' };
    assert.equal(callOf('add x in 2 hours', springForward).arguments.due_date, '2026-03-08T04:30');
  });

  test('impossible dates stay in the title rather than becoming another day', () => {
    assert.deepEqual(callOf('add x on 2026-02-30').arguments, { title: 'x on 2026-02-30' });
  });
});

describe('task references', () => {
  test('"task 3", "#3" and "3" are ids; quoted and other words are titles', () => {
    assert.deepEqual(callOf('delete task 3').arguments, { task_id: 3 });
    assert.deepEqual(callOf('delete #3').arguments, { task_id: 3 });
    assert.deepEqual(callOf('delete 3').arguments, { task_id: 3 });
    assert.deepEqual(callOf("delete 'go to the gym'").arguments, { task_title: 'go to the gym' });
    assert.deepEqual(callOf('delete my weekly report task').arguments, { task_title: 'weekly report' });
  });

  test('"#home" with letters is a tag, "#3" with digits a task', () => {
    assert.deepEqual(callOf('add #home to #3').arguments, { task_id: 3, tags: ['home'] });
  });

  test('ids beyond 2^53 stay exact as digit strings', () => {
    assert.deepEqual(callOf('complete task 123456789012345678').arguments, { task_id: '123456789012345678' });
  });
});

describe('replies', () => {
  test('help and "what can you do" give the help text', () => {
    assert.equal(replyOf('help'), ASSISTANT_HELP);
    assert.equal(replyOf('What can you do?'), ASSISTANT_HELP);
    assert.match(ASSISTANT_HELP, /add buy milk/);
  });

  test('greetings and thanks get a short friendly answer', () => {
    for (const text of ['hi', 'Hello!', 'thanks', 'Thank you so much!']) assert.ok(replyOf(text).length < 120, text);
    assert.match(replyOf('hello'), /help/);
  });

  test('gibberish and unrelated messages are not guessed at: the reply gives examples', () => {
    for (const text of ['asdf qwerty', 'buy milk', 'what time is it', 'tell me a joke', 'show buy milk', '3', 'task 0 is done']) {
      const text_ = replyOf(text);
      assert.match(text_, /did not understand/, text);
      assert.ok((text_.match(/•/g) ?? []).length >= 3, 'at least three example phrasings');
    }
  });

  test('an add without a title, a reminder without a time and a delete of everything ask again', () => {
    assert.match(replyOf('add task'), /called/);
    assert.match(replyOf('remind me about task 3'), /When/);
    assert.match(replyOf('delete all tasks'), /one task at a time/);
  });

  test('very long messages are refused quickly', () => {
    assert.match(replyOf(`add ${'a '.repeat(600)}`), /too long/);
  });
});

describe('context and determinism', () => {
  test('an unknown time zone is refused, not guessed', () => {
    assert.throws(() => parseMessage('add x tomorrow', { now: BERLIN.now, timezone: 'Mars/Olympus' }), /time zone/);
  });

  test('the same message and context give the same result; the clock comes from the context only', () => {
    assert.deepEqual(parseMessage('add x tomorrow', BERLIN), parseMessage('add x tomorrow', BERLIN));
    const later: ParseContext = { now: new Date('2030-01-01T12:00:00Z'), timezone: 'UTC' };
    assert.equal(callOf('add x tomorrow', later).arguments.due_date, '2030-01-02');
  });
});

describe('quick add', () => {
  const ctx = { now: new Date('2026-11-25T14:30:00Z'), timezone: 'Europe/Berlin' };
  test('the whole line is a new task: fields are read, the rest is the title', () => {
    assert.deepEqual(parseQuickAdd('Pay rent friday !high #home', ctx), {
      name: 'add_task',
      arguments: { title: 'Pay rent', priority: 'high', tags: ['home'], due_date: '2026-11-27' },
    });
    assert.deepEqual(parseQuickAdd('Water plants every monday', ctx)?.name, 'create_recurring');
    assert.deepEqual(parseQuickAdd('Call Anna', ctx), { name: 'add_task', arguments: { title: 'Call Anna' } });
  });
  test('no verb is needed, and a title over the limit is refused rather than cut', () => {
    assert.equal(parseQuickAdd('add milk', ctx)?.arguments['title'], 'add milk');
    assert.equal(parseQuickAdd(`${'x'.repeat(201)} tomorrow`, ctx), null);
    assert.equal(parseQuickAdd('tomorrow', ctx), null);
  });
});

describe('a message with no verb', () => {
  const ctx = { now: new Date('2026-11-25T14:30:00Z'), timezone: 'Europe/Berlin' };
  test('is a new task when it carries a date, repetition, tag or priority', () => {
    assert.deepEqual(parseMessage('water plants every monday', ctx), {
      kind: 'tool',
      call: { name: 'create_recurring', arguments: { title: 'water plants', pattern: 'weekly', by_weekday: ['MO'], due_date: '2026-11-30' } },
    });
    assert.deepEqual(parseMessage('dentist tomorrow 3pm', ctx), { kind: 'tool', call: { name: 'add_task', arguments: { title: 'dentist', due_date: '2026-11-26T15:00' } } });
  });
  test('is not guessed to be one when it is only words', () => {
    assert.equal(parseMessage('buy milk', ctx).kind, 'reply');
    assert.equal(parseMessage('qwzx plorf', ctx).kind, 'reply');
  });
});

describe('pronouns', () => {
  const ctx = { now: new Date('2026-11-25T14:30:00Z'), timezone: 'Europe/Berlin' };
  test('"it", "that", "that one" stay a pronoun title for the conversation to resolve', () => {
    assert.deepEqual(parseMessage('make it high priority', ctx), { kind: 'tool', call: { name: 'set_priority', arguments: { task_title: 'it', priority: 'high' } } });
    assert.deepEqual(parseMessage('complete that one', ctx), { kind: 'tool', call: { name: 'complete_task', arguments: { task_title: 'that one' } } });
    assert.deepEqual(parseMessage('move it to friday', ctx), { kind: 'tool', call: { name: 'set_due_date', arguments: { task_title: 'it', due_date: '2026-11-27' } } });
    assert.equal(isPronounRef('That one'), true);
    assert.equal(isPronounRef('it works'), false);
  });
  test('a command it cannot follow is not guessed to be a new task', () => {
    assert.equal(parseMessage('move everything somewhere nice tomorrow', ctx).kind, 'reply');
  });
});

describe('short weekday names and times of day', () => {
  // Wednesday 2026-11-25, 15:30 in Berlin.
  const ctx = { now: new Date('2026-11-25T14:30:00Z'), timezone: 'Europe/Berlin' };
  const due = (text: string) => parseQuickAdd(text, ctx)?.arguments;
  test('a short weekday name counts where it cannot be part of the title', () => {
    assert.deepEqual(due('Pay rent fri 9am'), { title: 'Pay rent', due_date: '2026-11-27T09:00' });
    assert.deepEqual(due('Dentist next tue'), { title: 'Dentist', due_date: '2026-12-01' });
    assert.deepEqual(due('Call Anna on thu'), { title: 'Call Anna', due_date: '2026-11-26' });
    assert.deepEqual(due('Buy sun cream'), { title: 'Buy sun cream' });
    assert.deepEqual(due('Sat exam prep'), { title: 'Sat exam prep' });
  });
  test('morning, afternoon, evening and midnight are times', () => {
    assert.deepEqual(due('Report tomorrow morning'), { title: 'Report', due_date: '2026-11-26T09:00' });
    assert.deepEqual(due('Gym tomorrow evening'), { title: 'Gym', due_date: '2026-11-26T19:00' });
    assert.deepEqual(due('Submit by midnight'), { title: 'Submit', due_date: '2026-11-25T23:59' });
    // 15:00 has passed at 15:30: the next afternoon.
    assert.deepEqual(due('Call mom this afternoon'), { title: 'Call mom', due_date: '2026-11-26T15:00' });
  });
});
