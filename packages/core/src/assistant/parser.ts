// The built-in assistant: reads one English message and proposes one tool call, or a reply.
// Deterministic and offline: no I/O and no clock of its own (ParseContext carries both the
// instant and the user's zone). Intents are tried in order; the first that matches wins, and a
// message no intent claims gets a "did not understand" reply rather than a guess.
import { DESCRIPTION_MAX, TITLE_MAX } from '../task.ts';
import {
  clockAt, cutDueRange, cutRepeat, cutWhen, firstRepeatDate, formatDate, refThenDate, wholeWhen, whenToString, type Clock, type Weekday,
  type When,
} from './parse-dates.ts';
import {
  cleanMessage, cleanTitle, cutFirst, cutLimit, cutPriorities, cutPriority, cutRemindBefore, cutStatus, cutTags, freeText, normalizeTags,
  onlyFiller, parseTaskRef, plainWords, priorityOf, PRIORITY_VALUE, REMIND_OFFSET, sortFieldIn, sortOrderIn, squeeze, tagWords,
} from './parse-words.ts';
import { toolInputSchemas, type ToolCall, type ToolName } from './tools.ts';

export interface ParseContext {
  now: Date;
  /** IANA zone of the user: "today", "5pm" and "friday" are read on their wall clock. */
  timezone: string;
}

export type ParsedMessage = { kind: 'tool'; call: ToolCall } | { kind: 'reply'; text: string };

export const ASSISTANT_HELP = [
  'I can manage your tasks. You can say for example:',
  '• "add buy milk tomorrow at 5pm #errands high priority"',
  '• "remind me to call mom on friday at 10am"',
  '• "add water plants every monday and thursday"',
  '• "show my tasks", "what\'s overdue", "show tasks due this week", "tasks tagged work"',
  '• "complete task 3", "reopen task 3", "delete buy milk", "rename task 3 to Buy oat milk"',
  '• "set priority of 3 to high", "tag 3 with #home", "move 3 to tomorrow"',
  '• "remind me about task 3 30 minutes before", "search dentist", "sort by due date"',
].join('\n');

const NOT_UNDERSTOOD = [
  'Sorry, I did not understand that. You could say:',
  '• "add buy milk tomorrow at 5pm"',
  '• "show my tasks"',
  '• "complete task 3"',
  '• "move buy milk to friday"',
  'Say "help" to see everything I understand.',
].join('\n');

const GREETING = 'Hi! I can add, list, complete and organise your tasks. Say "help" to see what I understand.';
const THANKS = 'You\'re welcome!';
const MESSAGE_MAX = 1000;

const reply = (text: string): ParsedMessage => ({ kind: 'reply', text });
const tool = (name: ToolName, args: Record<string, unknown>): ParsedMessage => ({
  kind: 'tool',
  call: { name, arguments: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) },
});

type Intent = (message: string, clock: Clock) => ParsedMessage | null;

/** Case-insensitive, Unicode-aware regex from a source string (named groups read the parts). */
const re = (source: string): RegExp => new RegExp(source, 'iu');
const group = (m: RegExpExecArray, name: string): string => m.groups?.[name] ?? '';

/** The first pattern that matches and whose handler accepts the parts. */
function firstOf(message: string, patterns: readonly RegExp[], handle: (m: RegExpExecArray) => ParsedMessage | null): ParsedMessage | null {
  for (const pattern of patterns) {
    const m = pattern.exec(message);
    const result = m && handle(m);
    if (result) return result;
  }
  return null;
}

/** A call on one task; no call when the words name no single task. */
function onTask(name: ToolName, refText: string, args: Record<string, unknown> = {}): ParsedMessage | null {
  const ref = parseTaskRef(refText);
  return ref ? tool(name, { ...ref, ...args }) : null;
}

// "what is urgent" asks a question; it does not name a task called "what".
const NOT_ONE_TASK = /^(?:all|every|everything)\b/i;
const QUESTION_WORD = /^(?:what|which|who|where|anything|something|nothing|everything)\b/i;

// ---------------------------------------------------------------------------------------------
// Small talk

function smallTalk(text: string): ParsedMessage | null {
  const words = plainWords(text);
  if (words === '' || /^(?:help|help me|what can you do|what can i say|what do you do|how does this work|commands|menu)$/.test(words)) {
    return reply(ASSISTANT_HELP);
  }
  if (/^(?:hi|hello|hey|hiya|howdy|yo|good (?:morning|afternoon|evening)|greetings)(?: there)?$/.test(words)) return reply(GREETING);
  if (/^(?:thanks?|thank you|thx|ty|cheers|great|perfect|ok|okay|cool|nice|awesome)(?: (?:a lot|so much|very much))?$/.test(words)) {
    return reply(THANKS);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// One task: dates and reminders

const CLEAR_DUE = [
  re(String.raw`^(?:clear|remove|delete|unset|drop|erase|reset)\s+(?:the\s+)?(?:due\s+dates?|due|deadlines?)\s+(?:of|from|on|for)\s+(?<ref>.+)$`),
  re(String.raw`^(?:clear|remove|unset|drop)\s+(?<ref>.+?)(?:'s)?\s+(?:due\s+date|deadline)$`),
];
const CLEAR_REMINDER = [
  re(String.raw`^(?:clear|remove|delete|cancel|unset|drop|disable|turn\s+off|stop)\s+(?:the\s+|my\s+|all\s+)?(?:reminders?|alerts?|notifications?)\s+(?:of|from|on|for|about)\s+(?<ref>.+)$`),
  re(String.raw`^(?:don't|do\s+not|never)\s+remind\s+me\s+(?:about|of)\s+(?<ref>.+)$`),
];
const SET_REMINDER = [
  re(String.raw`^(?:remind\s+me\s+(?:about|of)|(?:set|add|create|put)\s+(?:a\s+|the\s+)?reminder\s+(?:for|on|of))\s+(?<body>.+)$`),
];
const SET_DUE_SPLIT = [
  re(String.raw`^(?:set|change|update|move|make)\s+(?:the\s+)?(?:due\s+date|due|deadline)\s+(?:of|for|on)\s+(?<body>.+)$`),
  re(String.raw`^(?:move|postpone|reschedule|push(?:\s+back)?|defer|delay|shift|bump|put\s+off)\s+(?<body>.+)$`),
];
const SET_DUE_DIRECT = [
  re(String.raw`^(?:set|change|update)\s+(?<ref>.+?)(?:'s)?\s+(?:due\s+date|deadline)\s+to\s+(?<date>.+)$`),
  re(String.raw`^(?<ref>.+?)\s+is\s+(?:now\s+)?due\s+(?<date>.+)$`),
  re(String.raw`^(?:make|set)\s+(?<ref>.+?)\s+due\s+(?<date>.+)$`),
];

const clearDue: Intent = (s) => firstOf(s, CLEAR_DUE, (m) => onTask('set_due_date', group(m, 'ref'), { due_date: null }));
const clearReminder: Intent = (s) => firstOf(s, CLEAR_REMINDER, (m) => onTask('set_reminder', group(m, 'ref'), { remind_before_minutes: null }));

/** "remind me about task 3 30 minutes before" → minutes; "... at 4pm tomorrow" → an exact time (09:00 on a bare date). */
const setReminder: Intent = (s, clock) =>
  firstOf(s, SET_REMINDER, (m) => {
    const body = group(m, 'body');
    const offset = cutFirst(body, REMIND_OFFSET);
    const minutes = offset ? cutRemindBefore(offset.match[0], true)?.value : undefined;
    if (offset && minutes !== undefined) return onTask('set_reminder', offset.rest, { remind_before_minutes: minutes });
    const when = cutWhen(body, clock);
    if (!when) return reply('When should I remind you? For example "remind me about task 3 30 minutes before" or "... at 4pm tomorrow".');
    const at = when.value.time || when.value.exact || when.value.defaultTime ? when.value : { ...when.value, time: { hour: 9, minute: 0 } };
    return onTask('set_reminder', when.rest, { reminder_at: whenToString(at, clock) });
  });

const setDue: Intent = (s, clock) =>
  firstOf(s, SET_DUE_SPLIT, (m) => {
    const found = refThenDate(group(m, 'body'), /\s+(?:to|until|till|til|for)\s+/, clock);
    return found && onTask('set_due_date', found.ref, { due_date: whenToString(found.when, clock) });
  }) ??
  firstOf(s, SET_DUE_DIRECT, (m) => {
    const when = wholeWhen(group(m, 'date'), clock);
    return when && onTask('set_due_date', group(m, 'ref'), { due_date: whenToString(when, clock) });
  });

// ---------------------------------------------------------------------------------------------
// One task: tags, priority, title, completion, deletion

const HASHTAGS = String.raw`(?:#\p{L}[^\s,]*(?:\s*(?:,|&|\band\b)\s*|\s+))+`;
const ADD_TAG = [
  re(String.raw`^(?:add|put|attach)\s+(?:the\s+)?(?:tags?|labels?)\s+(?<tags>.+?)\s+(?:to|on)\s+(?<ref>.+)$`),
  re(String.raw`^(?:add|put|attach)\s+(?<tags>${HASHTAGS})(?:to|on)\s+(?<ref>.+)$`),
  re(String.raw`^(?:tag|label)\s+(?<ref>.+?)\s+(?:with|as)\s+(?<tags>.+)$`),
  re(String.raw`^(?:tag|label)\s+(?<ref>.+?)(?<tags>(?:\s+#\p{L}\S*)+)$`),
  re(String.raw`^(?:tag|label)\s+(?<ref>(?:task\s+)?#?\d+)\s+(?<tags>.+)$`),
];
const REMOVE_TAG = [
  re(String.raw`^(?:remove|delete|drop|take\s+off|detach)\s+(?:the\s+)?(?:tags?|labels?)\s+(?<tags>.+?)\s+(?:from|off|of)\s+(?<ref>.+)$`),
  re(String.raw`^(?:remove|delete|drop|take)\s+(?<tags>${HASHTAGS})(?:from|off)\s+(?<ref>.+)$`),
  re(String.raw`^(?:untag|unlabel)\s+(?<tags>.+?)\s+from\s+(?<ref>.+)$`),
  re(String.raw`^(?:untag|unlabel)\s+(?<ref>(?:task\s+)?#?\d+)\s+(?<tags>.+)$`),
  re(String.raw`^(?:untag|unlabel)\s+(?<ref>.+?)(?<tags>(?:\s+#\p{L}\S*)+)$`),
];

function tagCall(name: 'add_tag' | 'remove_tag', m: RegExpExecArray): ParsedMessage | null {
  const tags = normalizeTags(tagWords(group(m, 'tags')));
  return tags.length > 0 ? onTask(name, group(m, 'ref'), { tags }) : null;
}
const editTags: Intent = (s) => firstOf(s, ADD_TAG, (m) => tagCall('add_tag', m)) ?? firstOf(s, REMOVE_TAG, (m) => tagCall('remove_tag', m));

const PRIORITY_SET = [
  re(String.raw`^(?:set|change|update|make)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(?<ref>.+?)\s+(?:to|as)\s+(?<p>${PRIORITY_VALUE})$`),
  re(String.raw`^(?:set|change|update)\s+(?<ref>.+?)(?:'s)?\s+priority\s+(?:to|as)\s+(?<p>${PRIORITY_VALUE})$`),
  re(String.raw`^(?:make|mark|set|flag)\s+(?<ref>.+?)\s+(?:as\s+|to\s+)?(?:an?\s+)?(?<p>${PRIORITY_VALUE})$`),
  re(String.raw`^(?<ref>.+?)\s+(?:is|has)\s+(?:now\s+)?(?:an?\s+)?(?<p>${PRIORITY_VALUE})$`),
  re(String.raw`^(?<p>prioriti[sz]e|de-?prioriti[sz]e)\s+(?<ref>.+)$`),
];
const setPriority: Intent = (s) =>
  firstOf(s, PRIORITY_SET, (m) => {
    const word = group(m, 'p').toLowerCase();
    const priority = word.endsWith('ize') || word.endsWith('ise') ? (word.startsWith('de') ? 'low' : 'high') : priorityOf(word);
    const ref = group(m, 'ref');
    return priority && !QUESTION_WORD.test(ref) ? onTask('set_priority', ref, { priority }) : null;
  });

const REF = String.raw`(?<ref>"[^"]+"|'[^']+'|.+?)`;
const UPDATE = [
  re(String.raw`^rename\s+${REF}\s+(?:to|as|into)\s*:?\s+(?<value>.+)$`),
  re(String.raw`^(?:change|set|update|edit)\s+(?:the\s+)?(?<field>title|name|description|notes?|details)\s+(?:of|for|on)\s+${REF}\s+to\s*:?\s+(?<value>.+)$`),
  re(String.raw`^(?:change|set|update|edit)\s+${REF}(?:'s)?\s+(?<field>title|name|description|notes?|details)\s+to\s*:?\s+(?<value>.+)$`),
  re(String.raw`^(?:add|set)\s+(?:a\s+|the\s+)?(?<field>description|notes?|details)\s+(?:to|for|on)\s+${REF}\s*:\s*(?<value>.+)$`),
];
const update: Intent = (s) =>
  firstOf(s, UPDATE, (m) => {
    const isTitle = /^(?:|title|name)$/i.test(group(m, 'field'));
    const value = freeText(group(m, 'value'), isTitle ? TITLE_MAX : DESCRIPTION_MAX);
    if (value === '') return null;
    return onTask('update_task', group(m, 'ref'), isTitle ? { title: value } : { description: value });
  });

const DONE = String.raw`(?:done|complete|completed|finished|checked(?:\s+off)?)`;
const NOT_DONE = String.raw`(?:not\s+(?:yet\s+)?(?:done|complete|completed|finished)|undone|incomplete|unfinished|open|pending|to\s*-?\s*do)`;
const REOPEN = [
  re(String.raw`^(?:reopen|re-open|uncomplete|un-complete|unfinish|uncheck|unmark|undo|restore)\s+(?<ref>.+)$`),
  re(String.raw`^(?:mark|set)\s+(?<ref>.+?)\s+(?:as\s+)?${NOT_DONE}$`),
  re(String.raw`^(?<ref>.+?)\s+is\s+(?:still\s+)?${NOT_DONE}$`),
];
const COMPLETE = [
  re(String.raw`^(?:mark|set)\s+(?<ref>.+?)\s+(?:as\s+)?${DONE}$`),
  re(String.raw`^(?:complete|finish|close|done|check\s+off|tick\s+off|cross\s+off|mark\s+off)\s*:?\s+(?<ref>.+)$`),
  re(String.raw`^(?:check|tick|cross)\s+(?<ref>.+?)\s+off$`),
  re(String.raw`^(?:i(?:'ve|\s+have)?\s+)?(?:just\s+|already\s+)?(?:finished|completed|did|done(?:\s+with)?)\s+(?<ref>.+)$`),
  re(String.raw`^(?<ref>.+?)\s+is\s+(?:now\s+)?${DONE}$`),
];
const complete: Intent = (s) => {
  const asked = (completed: boolean) => (m: RegExpExecArray) =>
    QUESTION_WORD.test(group(m, 'ref')) ? null : onTask('complete_task', group(m, 'ref'), completed ? {} : { completed: false });
  return firstOf(s, REOPEN, asked(false)) ?? firstOf(s, COMPLETE, asked(true));
};

const DELETE = [re(String.raw`^(?:delete|remove|cancel|drop|trash|erase|discard|scrap|get\s+rid\s+of|throw\s+away)\s+(?<ref>.+)$`)];
const ONE_AT_A_TIME = 'I delete one task at a time: name it by its number or title, for example "delete task 5".';
const remove: Intent = (s) =>
  firstOf(s, DELETE, (m) => onTask('delete_task', group(m, 'ref')) ?? (NOT_ONE_TASK.test(group(m, 'ref')) ? reply(ONE_AT_A_TIME) : null));

// ---------------------------------------------------------------------------------------------
// Searching, listing, sorting

const SEARCH = re(
  String.raw`^(?:search(?:\s+for)?|find(?:\s+me)?|look\s+(?:for|up)|lookup|where\s+is|where's)\s+(?:(?:my|the|all|any)\s+)?(?:(?:tasks?|todos?|items?)\s+)?(?:(?:about|with|for|containing|matching|mentioning|called|named|titled|on|that\s+mentions?|related\s+to)\s+)?(?<query>.+)$`,
);
const search: Intent = (s, clock) => {
  const m = SEARCH.exec(s);
  if (!m) return null;
  const query = freeText(group(m, 'query'), TITLE_MAX);
  // "find overdue tasks" is a listing, not a text search.
  const listing = /\b(?:tasks|todos)\b/i.test(query) ? list(`show ${query}`, clock) : null;
  return listing ?? (query === '' ? null : tool('search_tasks', { query }));
};

const LIST_LEAD = /^(?:(?:list|show|display|view|see|get|give|tell|pull\s+up|bring\s+up)(?:\s+me)?|what(?:'s|\s+is|\s+are|\s+do|\s+else)?|whats|which|do\s+i\s+have|are\s+there|any)\b/i;
const NO_DUE_DATE = /\b(?:without|with\s+no|no|missing)\s+(?:a\s+)?(?:due\s+dates?|deadlines?)\b|\bundated\b/i;
const WITH_DUE_DATE = /\bwith\s+(?:a\s+)?(?:due\s+dates?|deadlines?)\b/i;
const OVERDUE = /\b(?:overdue|late|past\s+due|behind)\b/i;
const TASK_NOUN = /\b(?:tasks?|todos?|to-dos?|list)\b/i;

/** Cuts one listing phrase (or leaves the text alone); `found` tells whether it was there. */
function cutFlag(text: string, pattern: RegExp): { found: boolean; rest: string } {
  const cut = cutFirst(text, pattern);
  return cut ? { found: true, rest: cut.rest } : { found: false, rest: text };
}

/** "show my tasks", "what's overdue", "high priority tasks tagged work due this week" → list or filter. */
function list(s: string, clock: Clock): ParsedMessage | null {
  const lead = LIST_LEAD.exec(s);
  let rest = lead ? s.slice(lead[0].length) : s;
  if (lead && rest.trim() === '') return null;
  const noDue = cutFlag(rest, NO_DUE_DATE);
  const withDue = cutFlag(noDue.rest, WITH_DUE_DATE);
  const overdue = cutFlag(withDue.rest, OVERDUE);
  const tags = cutTags(overdue.rest);
  const priorities = cutPriorities(tags.rest);
  const status = cutStatus(priorities.rest);
  const due = cutDueRange(status.rest, clock);
  const limit = cutLimit(due?.rest ?? status.rest);
  rest = limit?.rest ?? due?.rest ?? status.rest;
  const filters = {
    priority: priorities.value.length > 0 ? priorities.value : undefined,
    tags: tags.value.length > 0 ? tags.value : undefined,
    ...due?.value,
    overdue: overdue.found || undefined,
    has_due_date: noDue.found ? false : withDue.found || undefined,
  };
  const filtered = Object.values(filters).some((v) => v !== undefined);
  if (!onlyFiller(rest) || !(lead || filtered || status.value || TASK_NOUN.test(s))) return null;
  if (filtered) return tool('filter_tasks', { status: status.value ?? undefined, ...filters, limit: limit?.value });
  return tool('list_tasks', { status: status.value ?? 'pending', limit: limit?.value });
}

const SORT = /^(?:sort|order|arrange|rank)\b|\b(?:sorted|ordered|ranked)\s+by\b/i;
const sort: Intent = (s) => {
  if (!SORT.test(s)) return null;
  const field = sortFieldIn(s.replace(/^.*?\bby\b/i, ''));
  if (!field) return reply('I can sort by due date, priority, title or creation date: say for example "sort by due date".');
  const order = sortOrderIn(s) ?? undefined;
  return tool('sort_tasks', { sort: field, order, status: cutStatus(s).value ?? undefined });
};

// ---------------------------------------------------------------------------------------------
// New tasks

const ADD = re(
  String.raw`^(?<verb>add|create|new|make|put|insert)\b\s*(?:(?:a|an|new|another)\s+)*(?:(?<noun>tasks?|todos?|to-dos?|items?|reminders?|entry)\b)?\s*(?::|\b(?:to|called|named|titled|that\s+says|saying)\b)?\s*(?<body>.*)$`,
);
const TODO = re(String.raw`^(?:(?:todo|to-do|task|reminder)\s*:|todo\s)\s*(?<body>.+)$`);
const REMIND_ME = re(String.raw`^remind\s+me\b\s*(?<body>.*)$`);
const QUOTED_TITLE = /(?:^|\s)(["'])(?<title>.+?)\1(?=[\s,.;:!?]|$)/u;

const addTask: Intent = (s, clock) => {
  const remind = REMIND_ME.exec(s);
  if (remind) return newTask(group(remind, 'body'), clock, true);
  const todo = TODO.exec(s);
  if (todo) return newTask(group(todo, 'body'), clock, /^reminder/i.test(s));
  const add = ADD.exec(s);
  const noun = add ? group(add, 'noun') : '';
  if (!add || (/^(?:make|put|insert)$/i.test(group(add, 'verb')) && noun === '')) return null;
  return newTask(group(add, 'body'), clock, /^reminder/i.test(noun));
};

/** Reads a new task's title, due date, priority, tags, reminder and repetition out of its text. */
function newTask(body: string, clock: Clock, reminderWanted: boolean, titleMax = TITLE_MAX): ParsedMessage {
  const quoted = cutFirst(body, QUOTED_TITLE);
  let rest = quoted?.rest ?? body;
  const repeat = cutRepeat(rest, clock);
  rest = repeat?.rest ?? rest;
  const remindBefore = cutRemindBefore(rest, reminderWanted);
  rest = remindBefore?.rest ?? rest;
  const tags = cutTags(rest);
  const priority = cutPriority(tags.rest);
  rest = priority?.rest ?? tags.rest;
  const when = cutWhen(rest, clock);
  const title = quoted ? freeText(group(quoted.match, 'title'), titleMax) : cleanTitle(when?.rest ?? rest, titleMax);
  if (title === '') return reply('What should the task be called? For example "add buy milk tomorrow".');
  const due = dueOfNewTask(when?.value, repeat?.value.by_weekday, clock);
  const reminder = remindBefore?.value ?? (reminderWanted ? 0 : undefined);
  const fields = {
    title,
    priority: priority?.value,
    tags: tags.value.length > 0 ? tags.value : undefined,
    due_date: due,
    // The server refuses a reminder without a due date, so it is only set with one.
    remind_before_minutes: due === undefined ? undefined : reminder,
  };
  if (!repeat) return tool('add_task', fields);
  return tool('create_recurring', { ...fields, ...repeat.value, due_date: due ?? formatDate(clock.today) });
}

/** A weekday rule with no date starts on its first matching day; other tasks use the date named, if any. */
function dueOfNewTask(when: When | undefined, weekdays: readonly Weekday[] | undefined, clock: Clock): string | undefined {
  if (weekdays && !when?.date && !when?.exact) {
    const time = when?.time ?? when?.defaultTime;
    return whenToString({ ...when, date: firstRepeatDate(weekdays, clock, time) }, clock);
  }
  return when ? whenToString(when, clock) : undefined;
}

// ---------------------------------------------------------------------------------------------

// Order matters: specific phrasings ("remove tag x from 3", "mark 3 as high priority") before the
// general verbs that would also match them ("remove 3", "mark 3 as done").
const INTENTS: readonly Intent[] = [
  sort, clearDue, clearReminder, setReminder, editTags, setPriority, setDue, update, complete, remove, search, addTask, list,
];

const COMMAND_VERB =
  /^(?:make|move|set|mark|rename|change|tag|untag|remind|complete|finish|delete|remove|cancel|postpone|reschedule|push|update|edit|show|list|find|search|sort|order|clear|reopen|undo|check|close|done|give|tell|what|which|how|why|when|where|can|could|would|please)\b/i;

export { isPronounRef } from './parse-words.ts';

export function parseMessage(text: string, ctx: ParseContext): ParsedMessage {
  if (text.length > MESSAGE_MAX) return reply('That message is too long for me. Please say one thing at a time.');
  const small = smallTalk(text);
  if (small) return small;
  const message = squeeze(cleanMessage(text));
  const clock = clockAt(ctx.now, ctx.timezone);
  for (const intent of INTENTS) {
    const result = intent(message, clock);
    if (result) return isValidCall(result) ? result : reply(NOT_UNDERSTOOD);
  }
  // "water plants every monday", "dentist tomorrow 3pm": no verb, but a date, repetition, tag or
  // priority says it is a task to add. A bare title is not enough to guess that, and a command
  // this parser did not follow ("move it somewhere") is not a title.
  if (COMMAND_VERB.test(message)) return reply(NOT_UNDERSTOOD);
  const quick = parseQuickAdd(text, ctx);
  if (quick && Object.keys(quick.arguments).length > 1) return { kind: 'tool', call: quick };
  return reply(NOT_UNDERSTOOD);
}

/**
 * Quick add: the whole text is a new task ("buy milk tomorrow 5pm #errands !high", "standup every weekday
 * at 9:30"), read like the body of "add …". Null when nothing usable is left for a title.
 */
export function parseQuickAdd(text: string, ctx: ParseContext): ToolCall | null {
  if (text.length > MESSAGE_MAX) return null;
  const result = newTask(squeeze(cleanMessage(text)), clockAt(ctx.now, ctx.timezone), false, Infinity);
  return result.kind === 'tool' && isValidCall(result) ? result.call : null;
}

/** Last line of defence: a call the tools would reject is never proposed. */
function isValidCall(result: ParsedMessage): boolean {
  return result.kind === 'reply' || toolInputSchemas[result.call.name].safeParse(result.call.arguments).success;
}
