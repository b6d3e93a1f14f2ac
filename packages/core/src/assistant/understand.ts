// The built-in assistant's reading of a message: an action (add, complete, reopen, delete, update, query)
// on a target (an id, a name, "it", or a set such as "my morning meetings") with changes (title, notes,
// priority, tags, due date or time, reminder, repetition, or clearing one of them). Deterministic, no I/O:
// the clock and the user's zone come in with the context.
import type { Priority } from '../task.ts';
import { addDays, type LocalDate } from '../time/zoned.ts';
import type { Changes, Command, DayWindow, DueChange, TaskAction, TaskSet, Target, TimeWindow } from './command.ts';
import { IRREGULAR_PAST, lemma } from './lemma.ts';
import { contentWords } from './match.ts';
import { clockAt, cutRepeat, cutWhen, nextWeekday, type Clock, type When } from './parse-dates.ts';
import {
  cleanMessage, cutFirst, cutPriority, cutStatus, cutTags, DURATION, durationMinutes, freeText, normalizeTags, plainWords, priorityOf,
  PRIORITY_VALUE, squeeze, tagWords,
} from './parse-words.ts';
import { ASSISTANT_HELP, parseMessage, type ParseContext } from './parser.ts';
import { DESCRIPTION_MAX, TITLE_MAX } from '../task.ts';

const re = (source: string): RegExp => new RegExp(source, 'iu');
const g = (m: RegExpExecArray, name: string): string => m.groups?.[name] ?? '';

// ---------------------------------------------------------------------------------------------
// Conversation words

const YES = /^(?:y|yes|yeah|yea|yep|yup|sure|ok|okay|ok do it|okay do it|confirm(?:ed)?|go ahead|do it|please do|yes please|yes do it|correct|right|affirmative|absolutely|of course|definitely)$/;
const NO = /^(?:n|no|nope|nah|cancel|never ?mind|don'?t|do not|stop|no thanks|no thank you|forget it|abort|leave it|keep (?:them|it)|don'?t do it)$/;
const UNDO = /^(?:(?:undo|revert|roll ?back|reverse|cancel)(?: (?:that|it|this|the last (?:change|one|thing|step|action)|my last (?:change|action|message)|last (?:change|action)|what you (?:just )?did|the change|that change))?(?: please| pls)?|take (?:that|it) back|(?:bring|put|get) (?:it|that|them) back|restore (?:it|that|them)|undelete (?:it|that|them))$/;
const ORDINALS: Readonly<Record<string, number>> = {
  first: 1, '1st': 1, one: 1, second: 2, '2nd': 2, two: 2, third: 3, '3rd': 3, three: 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5, last: -1,
};

const GREETING = 'Hi! I can add, find, complete, reschedule and organise your tasks. Say "help" to see examples.';
const SMALL_TALK: readonly [RegExp, string][] = [
  [/^(?:help|help me|what can you do|what can i say|what do you do|how does this work|commands|menu|examples)$/, ASSISTANT_HELP],
  [/^(?:hi|hello|hey|hiya|howdy|yo|good (?:morning|afternoon|evening)|greetings|hi there|hello there|hey there)$/, GREETING],
  [/^(?:thanks?|thank you|thx|ty|cheers|great|perfect|cool|nice|awesome|lol|haha|you'?re (?:great|the best|awesome)|good job|well done|nice one)(?: (?:a lot|so much|very much|again))?$/, 'You\'re welcome!'],
  [/^(?:how are you|how are you doing|how's it going|what's up|sup)$/, 'All good here, ready to help with your tasks. What should I do?'],
  [/^(?:who are you|what are you|are you (?:a bot|human|real))$/, 'I\'m the Dueflow assistant: I add, find, change and complete your tasks. Say "help" for examples.'],
  [/^(?:tell me a joke|joke|sing|tell me a story)$/, 'I\'m better at tasks than jokes. Want me to add one, or show what\'s due today?'],
];

const NOT_UNDERSTOOD = [
  'Sorry, I did not understand that. You could say for example:',
  '• "add buy milk tomorrow at 5pm"',
  '• "what is due today?"',
  '• "I finished calling mom"',
  '• "move task 3 to friday"',
  'Say "help" to see more.',
].join('\n');
export const NOT_UNDERSTOOD_TEXT = NOT_UNDERSTOOD;

// ---------------------------------------------------------------------------------------------
// Time windows and day windows for sets

const TIME_WINDOWS: readonly [RegExp, TimeWindow][] = [
  [/\b(?:early\s+)?mornings?\b/i, { from: 5 * 60, to: 12 * 60 }],
  [/\b(?:afternoons?|after\s+lunch)\b/i, { from: 12 * 60, to: 17 * 60 }],
  [/\b(?:evenings?|tonight|tonite)\b/i, { from: 17 * 60, to: 24 * 60 }],
  [/\bnights?\b/i, { from: 21 * 60, to: 5 * 60 }],
  [/\blunch(?:time)?\b/i, { from: 11 * 60 + 30, to: 14 * 60 }],
];

const DAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const DAY_INDEX = (name: string) => ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(name.slice(0, 3).toLowerCase());

/** Cuts one day window ("today", "tomorrow's", "this week", "before friday", "on friday", "overdue") out of a text. */
function cutDays(text: string, c: Clock): { days?: DayWindow; overdue?: boolean; tonight?: boolean; rest: string } {
  const rules: [RegExp, (m: RegExpExecArray) => DayWindow | null][] = [
    [/\b(?:due\s+|for\s+|from\s+)?(?:today|tonight|tonite)(?:'s)?\b/i, () => ({ from: c.today, to: c.today })],
    [/\b(?:due\s+|for\s+)?(?:the\s+)?day\s+after\s+tomorrow(?:'s)?\b/i, () => one(addDays(c.today, 2))],
    [/\b(?:due\s+|for\s+)?(?:tomorrow|tmrw|tmr)(?:'s)?\b/i, () => one(addDays(c.today, 1))],
    [/\b(?:due\s+|for\s+)?yesterday(?:'s)?\b/i, () => one(addDays(c.today, -1))],
    [/\b(?:due\s+|for\s+)?(?:this|the\s+rest\s+of\s+the)\s+week(?:'s)?\b/i, () => ({ from: c.today, to: nextWeekday(c.today, 6, true) })],
    [/\b(?:due\s+|for\s+)?next\s+week(?:'s)?\b/i, () => ({ from: nextWeekday(c.today, 0, false), to: addDays(nextWeekday(c.today, 0, false), 6) })],
    [/\b(?:due\s+|for\s+)?(?:this|the)\s+weekend(?:'s)?\b/i, () => ({ from: nextWeekday(c.today, 5, true), to: addDays(nextWeekday(c.today, 5, true), 1) })],
    [/\b(?:due\s+|for\s+)?this\s+month(?:'s)?\b/i, () => ({ from: c.today, to: endOfMonth(c.today) })],
    [new RegExp(String.raw`\b(?:due\s+)?(?:before|by|until|till)\s+(?:next\s+|this\s+)?(${DAY})\b`, 'i'), (m) => ({ to: addDays(nextWeekday(c.today, DAY_INDEX(m[1] ?? ''), false), -1) })],
    [new RegExp(String.raw`\b(?:due\s+)?(?:on\s+|for\s+|this\s+)?(${DAY})(?:'s)?\b`, 'i'), (m) => one(nextWeekday(c.today, DAY_INDEX(m[1] ?? ''), false))],
  ];
  let rest = text;
  let overdue: boolean | undefined;
  const late = cutFirst(rest, /\b(?:overdue|late|past\s+due|behind(?:\s+schedule)?|missed)\b/i);
  if (late) [overdue, rest] = [true, late.rest];
  for (const [rule, read] of rules) {
    const cut = cutFirst(rest, rule);
    const days = cut && read(cut.match);
    if (cut && days) return { days, overdue, tonight: /\bton(?:i|igh)te?\b/i.test(cut.match[0]), rest: cut.rest };
  }
  // "before the 20th", "due june 20": through the general date reader.
  const dated = cutFirst(rest, /\b(?:due\s+)?(before|by|until|after|on|due)\s+/i);
  if (dated) {
    const when = cutWhen(dated.rest, c);
    const day = when?.value.date;
    if (when && day && when.value.time === undefined) {
      const word = (dated.match[1] ?? '').toLowerCase();
      const days = word === 'before' ? { to: addDays(day, -1) } : word === 'by' || word === 'until' ? { to: day } : word === 'after' ? { from: addDays(day, 1) } : one(day);
      return { days, overdue, rest: when.rest };
    }
  }
  return { overdue, rest };
}

const one = (d: LocalDate): DayWindow => ({ from: d, to: d });
const endOfMonth = (d: LocalDate): LocalDate => {
  let e = d;
  while (addDays(e, 1).month === d.month) e = addDays(e, 1);
  return e;
};

function cutTimes(text: string): { times?: TimeWindow; rest: string } {
  for (const [rule, times] of TIME_WINDOWS) {
    const cut = cutFirst(text, rule);
    if (cut) return { times, rest: cut.rest };
  }
  return { rest: text };
}

/** Words that say "several tasks" without naming any. */
const QUANTIFIER = /\b(?:all|every|everything|each|any|anything|whatever)\b/i;
const GENERIC_PLURAL = /\b(?:tasks|todos|to-dos|items|things|stuff|ones|entries|reminders)\b/i;
const SET_FILLER = new Set(
  ('all of every everything each any anything the my our a an that thats that\'s which who is are were due with and or in on for ' +
    'tasks task todos todo to-dos items item things thing stuff ones one entries i i\'ve i\'m have got do need to left still ' +
    'currently now right scheduled planned set there me what whats what\'s whatever list show').split(' '),
);

interface SetParse {
  set: TaskSet;
  /** A quantifier, a plural or a filter made it a set. */
  isSet: boolean;
  /** What is left once filters are cut: a name, if anything. */
  rest: string;
}

/** Reads the filters of a set ("high priority tasks tagged work due this week", "my morning meetings"). */
export function readSet(text: string, c: Clock, defaultStatus: TaskSet['status'] = 'pending'): SetParse {
  let rest = ` ${text} `;
  const set: TaskSet = {};
  const quantified = QUANTIFIER.test(rest);
  const generic = GENERIC_PLURAL.test(rest);
  const noDue = cutFirst(rest, /\b(?:without|with\s+no|no|missing|lacking)\s+(?:a\s+)?(?:due\s+dates?|deadlines?|dates?)\b|\bundated\b|\bunscheduled\b/i);
  if (noDue) [set.hasDue, rest] = [false, noDue.rest];
  const withDue = cutFirst(rest, /\bwith\s+(?:a\s+)?(?:due\s+dates?|deadlines?)\b/i);
  if (withDue) [set.hasDue, rest] = [true, withDue.rest];
  const tags = cutTags(rest);
  if (tags.value.length > 0) [set.tags, rest] = [tags.value, tags.rest];
  const inTag = cutFirst(rest, /\bin\s+(?:the\s+)?#?([\p{L}\p{N}_-]+)\s+(?:tag|label|list|category|project)\b/iu);
  if (inTag) [set.tags, rest] = [normalizeTags([...(set.tags ?? []), inTag.match[1] ?? '']), inTag.rest];
  const priorities: Priority[] = [];
  for (let cut = cutPriority(rest); cut; cut = cutPriority(rest)) {
    priorities.push(cut.value);
    rest = cut.rest;
  }
  const lowWords = cutFirst(rest, /\b(?:unimportant|not\s+(?:urgent|important))\b/i);
  if (lowWords) [rest] = [lowWords.rest, priorities.push('low')];
  if (priorities.length) set.priorities = [...new Set(priorities)];
  const status = cutStatus(rest);
  if (status.value) [set.status, rest] = [status.value, status.rest];
  const days = cutDays(rest, c);
  rest = days.rest;
  if (days.days) set.days = days.days;
  if (days.overdue) set.overdue = true;
  const times = cutTimes(rest);
  if (times.times) [set.times, rest] = [times.times, times.rest];
  else if (days.tonight) set.times = { from: 17 * 60, to: 24 * 60 };
  set.status ??= defaultStatus;
  const words = contentWords(rest).filter((w) => !SET_FILLER.has(w));
  const plural = words.some((w) => /[^s]s$/.test(w) && !/(?:ss|us|is)$/.test(w));
  const filtered = Boolean(set.tags || set.priorities || set.days || set.times || set.overdue || set.hasDue !== undefined || status.value);
  const isSet = quantified || generic || (filtered && (plural || words.length === 0));
  if (words.length > 0) set.words = words;
  return { set, isSet, rest: squeeze(rest) };
}

// ---------------------------------------------------------------------------------------------
// Targets

const PRONOUN = /^(?:it|this|that|this\s+one|that\s+one|the\s+same\s+(?:one|task)|the\s+one\s+i\s+(?:just\s+)?(?:added|made|created|mentioned)|them|those|these|both(?:\s+of\s+them)?)$/i;
const ID_LIST = /^(?:(?:tasks?|todos?|items?|numbers?|nos?\.?|ids?)\s*)?#?\s*(\d{1,18})((?:\s*(?:,|and|&|\s)\s*(?:(?:task|number|no\.?|id)\s*)?#?\s*\d{1,18})*)$/i;
const EDGE_START = /^(?:the|my|a|an|this|that|task|todo|to-do|item|called|named|titled|entry|for|about|of|on|from|to)\s+/i;
const EDGE_END = /\s+(?:task|todo|to-do|item|one|entry|thing|from\s+my\s+list|off\s+my\s+list|on\s+my\s+list|from\s+the\s+list|please|for\s+me|now|today's|again|too|as\s+well)$/i;

/** The target named by the words left of a command. */
export function readTarget(raw: string, c: Clock): Target | null {
  let s = squeeze(raw.replace(/[\s.,;:!?]+$/, '').replace(/^[\s,;:]+/, ''));
  if (s === '') return null;
  const quoted = /^(["'])(.+)\1$/.exec(s);
  if (quoted?.[2]) return { kind: 'title', text: quoted[2] };
  if (PRONOUN.test(s)) return { kind: 'it' };
  for (let before = ''; before !== s; ) {
    before = s;
    s = s.replace(EDGE_START, '').replace(EDGE_END, '').trim();
    if (PRONOUN.test(s)) return { kind: 'it' };
    const inner = /^(["'])(.+)\1$/.exec(s);
    if (inner?.[2]) return { kind: 'title', text: inner[2] };
  }
  const place = /^(?<o>first|second|third|fourth|fifth|last|1st|2nd|3rd|[4-9]th|\d{2}th)(?:\s+(?:one|task|item|entry))?$/i.exec(s);
  if (place) {
    const o = g(place, 'o').toLowerCase();
    return { kind: 'position', n: ORDINALS[o] ?? Number.parseInt(o, 10) };
  }
  const ids = ID_LIST.exec(s);
  if (ids) {
    const all = [ids[1] ?? '', ...[...(ids[2] ?? '').matchAll(/\d{1,18}/g)].map((m) => m[0])].filter((id) => id !== '' && Number(id) > 0);
    return all.length > 0 ? { kind: 'ids', ids: [...new Set(all.map((id) => String(BigInt(id))))] } : null;
  }
  const parsed = readSet(s, c, 'all');
  if (parsed.isSet) return { kind: 'set', set: { ...parsed.set, status: parsed.set.status === 'all' ? 'pending' : parsed.set.status } };
  if (contentWords(s).length === 0) return null;
  // A name with a day or time in it ("tomorrow's meeting", "the 9am call") is looked for among those tasks.
  const { words: _w, status: _s, ...filters } = parsed.set;
  const nameLeft = parsed.rest.replace(/^(?:'s\s+)/, '');
  if (Object.keys(filters).length > 0 && contentWords(nameLeft).length > 0) return { kind: 'title', text: nameLeft, within: filters };
  return { kind: 'title', text: s };
}

// ---------------------------------------------------------------------------------------------
// Values

/** The whole text is a day and/or time ("friday", "2 PM", "tomorrow 9am", "the afternoon", "next week", "end of day"). */
export function readWhen(text: string, c: Clock): DueChange | null {
  let s = squeeze(text.replace(/[.,;!?]+$/, ''));
  s = s.replace(/\b(?:end\s+of\s+(?:the\s+)?day|eod|close\s+of\s+business|cob)\b/i, 'today');
  s = s.replace(/\b(?:end\s+of\s+(?:the\s+)?week)\b/i, 'friday');
  const cut = cutWhen(s, c);
  if (!cut) return null;
  if (!/^(?:(?:on|at|the|due|to|for|by|until|till|instead|then|please|again|around|about|just|same\s+time|at\s+the\s+same\s+time|in\s+the)\s*)*$/i.test(cut.rest)) return null;
  return whenToChange(cut.value);
}

function whenToChange(w: When): DueChange {
  if (w.exact) return { exact: w.exact };
  const change: DueChange = {};
  if (w.date) change.date = w.date;
  const time = w.time ?? w.defaultTime;
  if (time) change.time = time;
  return change;
}

const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, min: 1, hour: 60, hr: 60, day: 1440, week: 10_080 };
const SHIFT = re(String.raw`\s+(?<dir>back|forward|ahead|later|earlier)?\s*(?:by\s+)?(?<n>an?|one|two|three|four|five|six|seven|\d{1,3}|half\s+an?|a\s+couple\s+of|a\s+few)\s+(?<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)(?:\s+(?<dir2>later|earlier|back|forward))?$`);
const SMALL_NUMBERS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, 'a couple of': 2, 'a few': 3 };

// ---------------------------------------------------------------------------------------------
// Task actions

interface Act {
  action: TaskAction;
  targetText: string;
  changes: Changes;
}

const TITLE_VALUE = String.raw`(?<value>.+)`;
const T = String.raw`(?<t>.+?)`;
const QUOTED_OR_T = String.raw`(?<t>"[^"]+"|'[^']+'|.+?)`;

type Rule = { re: RegExp; read: (m: RegExpExecArray, c: Clock) => Act | null };
const update = (t: string, changes: Changes): Act => ({ action: 'update', targetText: t, changes });

const value = (s: string, max: number): string => freeText(s.replace(/[.!]+$/, ''), max);

const RULES: readonly Rule[] = [
  // ---- title
  { re: re(String.raw`^(?:rename|retitle|re-?name)\s+${QUOTED_OR_T}\s+(?:to|as|into|->|=>)\s*:?\s*${TITLE_VALUE}$`), read: (m) => titleChange(m) },
  { re: re(String.raw`^(?:change|set|update|edit|fix)\s+(?:the\s+)?(?:title|name|wording)\s+(?:of|for|on)\s+${QUOTED_OR_T}(?:\s+(?:to|as|->)|\s*:)\s*:?\s*${TITLE_VALUE}$`), read: (m) => titleChange(m) },
  { re: re(String.raw`^(?:change|set|update|edit|fix)\s+${QUOTED_OR_T}(?:'s)?\s+(?:title|name)(?:\s+(?:to|as|->)|\s*:)\s*:?\s*${TITLE_VALUE}$`), read: (m) => titleChange(m) },
  { re: re(String.raw`^${QUOTED_OR_T}\s+should\s+be\s+(?:called|named|titled|renamed(?:\s+to)?)\s+${TITLE_VALUE}$`), read: (m) => titleChange(m) },
  { re: re(String.raw`^call\s+${QUOTED_OR_T}\s+(?<value>"[^"]+"|'[^']+')$`), read: (m) => titleChange(m) },
  // ---- description
  { re: re(String.raw`^(?:add|set|put|write|attach|leave)\s+(?:a\s+|the\s+|some\s+|this\s+)?(?:notes?|description|details|comment|memo)\s+(?:to|for|on|in)\s+${QUOTED_OR_T}\s*:\s*(?<value>.+)$`), read: (m) => descChange(m) },
  { re: re(String.raw`^(?:add|set|put|write|attach)\s+(?:a\s+|the\s+)?(?:notes?|description|details|comment)\s+(?<value>"[^"]+"|'[^']+')\s+(?:to|for|on)\s+${T}$`), read: (m) => descChange(m) },
  { re: re(String.raw`^(?:notes?|description|details|comment|memo)\s+(?:for|on|to|of)\s+${QUOTED_OR_T}\s*:\s*(?<value>.+)$`), read: (m) => descChange(m) },
  { re: re(String.raw`^(?:change|set|update|edit|replace)\s+(?:the\s+)?(?:notes?|description|details|comment)\s+(?:of|for|on|in)\s+${QUOTED_OR_T}\s+(?:to|with|:)\s*:?\s*(?<value>.+)$`), read: (m) => descChange(m) },
  { re: re(String.raw`^(?:change|set|update|edit)\s+${QUOTED_OR_T}(?:'s)?\s+(?:notes?|description|details)\s+(?:to|:)\s*:?\s*(?<value>.+)$`), read: (m) => descChange(m) },
  { re: re(String.raw`^(?:clear|remove|delete|erase|drop|reset|wipe|empty)\s+(?:the\s+|all\s+(?:the\s+)?)?(?:notes?|description|details|comments?)\s+(?:of|on|from|for|in)\s+${T}$`), read: (m) => update(g(m, 't'), { description: '' }) },
  // ---- reminder cleared
  { re: re(String.raw`^(?:clear|remove|delete|cancel|unset|drop|disable|turn\s+off|switch\s+off|stop|mute|kill)\s+(?:the\s+|my\s+|all\s+|any\s+)?(?:reminders?|alerts?|notifications?|alarms?)\s+(?:of|from|on|for|about)\s+${T}$`), read: (m) => update(g(m, 't'), { remindBefore: null }) },
  { re: re(String.raw`^(?:no|without)\s+(?:more\s+)?(?:reminders?|alerts?|notifications?)\s+(?:for|on|about|from)\s+${T}$`), read: (m) => update(g(m, 't'), { remindBefore: null }) },
  { re: re(String.raw`^(?:don'?t|do\s+not|never|stop)\s+(?:remind(?:ing)?|alert(?:ing)?|notify(?:ing)?|ping(?:ing)?)\s+me\s+(?:about|of|for)\s+${T}(?:\s+any\s*more)?$`), read: (m) => update(g(m, 't'), { remindBefore: null }) },
  // ---- due date cleared
  { re: re(String.raw`^(?:clear|remove|delete|unset|drop|erase|reset|take\s+off|get\s+rid\s+of)\s+(?:the\s+)?(?:due\s+dates?|due|deadlines?|dates?|due\s+times?|schedule)\s+(?:of|from|on|for|off)\s+${T}$`), read: (m) => update(g(m, 't'), { due: { clear: true } }) },
  { re: re(String.raw`^(?:no|without)\s+(?:a\s+)?(?:due\s+dates?|deadlines?|dates?)\s+(?:for|on)\s+${T}(?:\s+any\s*more)?$`), read: (m) => update(g(m, 't'), { due: { clear: true } }) },
  { re: re(String.raw`^${T}\s+(?:doesn'?t|does\s+not|don'?t|won'?t)\s+(?:have|need)\s+a\s+(?:due\s+date|deadline|date)(?:\s+any\s*more)?$`), read: (m) => update(g(m, 't'), { due: { clear: true } }) },
  { re: re(String.raw`^${T}\s+has\s+no\s+(?:due\s+date|deadline)(?:\s+any\s*more)?$`), read: (m) => update(g(m, 't'), { due: { clear: true } }) },
  { re: re(String.raw`^(?:unschedule|undate)\s+${T}$`), read: (m) => update(g(m, 't'), { due: { clear: true } }) },
  // ---- repetition stopped
  { re: re(String.raw`^(?:stop|don'?t|do\s+not|no\s+longer|quit)\s+(?:repeating|recurring|repeat|recur)\s+${T}(?:\s+any\s*more)?$`), read: (m) => update(g(m, 't'), { repeat: null }) },
  { re: re(String.raw`^stop\s+${T}\s+from\s+(?:repeating|recurring)$`), read: (m) => update(g(m, 't'), { repeat: null }) },
  { re: re(String.raw`^(?:make\s+)?${T}\s+(?:should(?:\s+not|n'?t)|must(?:\s+not|n'?t))\s+(?:repeat|recur)(?:\s+any\s*more)?$`), read: (m) => update(g(m, 't'), { repeat: null }) },
  { re: re(String.raw`^make\s+${T}\s+(?:a\s+)?(?:one[\s-]?off|one[\s-]time|non[\s-]?recurring|not\s+repeat(?:ing)?)$`), read: (m) => update(g(m, 't'), { repeat: null }) },
  { re: re(String.raw`^(?:remove|clear|delete|cancel)\s+(?:the\s+)?(?:repeat|repetition|recurrence|schedule)\s+(?:of|from|on|for)\s+${T}$`), read: (m) => update(g(m, 't'), { repeat: null }) },
  // ---- tags
  { re: re(String.raw`^(?:remove|clear|delete|drop|strip)\s+(?:all\s+)?(?:the\s+)?(?:tags|labels)\s+(?:from|of|on|off)\s+${T}$`), read: (m) => update(g(m, 't'), { clearTags: true }) },
  { re: re(String.raw`^(?:remove|delete|drop|detach|take\s+off|take|strip)\s+(?:the\s+)?(?:tags?|labels?)\s+(?<tags>.+?)\s+(?:from|off(?:\s+of)?|of|on)\s+${T}$`), read: (m) => tagChange(m, 'remove') },
  { re: re(String.raw`^(?:remove|delete|drop|detach|take|strip)\s+(?:the\s+)?(?<tags>#?[\p{L}\p{N}_-]+(?:\s*(?:,|and|&)\s*#?[\p{L}\p{N}_-]+)*)\s+(?:tags?|labels?)\s+(?:from|off(?:\s+of)?|of|on)\s+${T}$`), read: (m) => tagChange(m, 'remove') },
  { re: re(String.raw`^(?:remove|delete|drop|take|strip)\s+(?<tags>(?:#[\p{L}\p{N}_-]+[\s,]*(?:and\s+)?)+)\s*(?:from|off)\s+${T}$`), read: (m) => tagChange(m, 'remove') },
  { re: re(String.raw`^(?:untag|unlabel)\s+(?<tags>#?[\p{L}\p{N}_-]+)\s+from\s+${T}$`), read: (m) => tagChange(m, 'remove') },
  { re: re(String.raw`^(?:untag|unlabel)\s+${T}\s+(?<tags>#?[\p{L}\p{N}_-]+)$`), read: (m) => tagChange(m, 'remove') },
  { re: re(String.raw`^(?:add|put|attach|apply|stick)\s+(?:the\s+|a\s+)?(?:tags?|labels?)\s+(?<tags>.+?)\s+(?:to|on|onto)\s+${T}$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:add|put|attach|apply|stick)\s+(?:the\s+|a\s+)?(?<tags>#?[\p{L}\p{N}_-]+)\s+(?:tag|label)\s+(?:to|on|onto)\s+${T}$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:add|put|attach)\s+(?<tags>(?:#[\p{L}\p{N}_-]+[\s,]*(?:and\s+)?)+)\s*(?:to|on)\s+${T}$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:tag|label)\s+${T}\s+(?:with|as|under)\s+(?:the\s+)?(?:tags?\s+|labels?\s+)?(?<tags>.+)$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:tag|label)\s+${T}(?<tags>(?:\s+#[\p{L}\p{N}_-]+)+)$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:tag|label)\s+(?<t>(?:task\s+)?#?\d+)\s+(?<tags>.+)$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:tag|label)\s+${T}\s+(?<tags>#?[\p{L}\p{N}_-]+)$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?:file|put|move)\s+${T}\s+under\s+(?:the\s+)?(?<tags>#?[\p{L}\p{N}_-]+)(?:\s+(?:tag|label))?$`), read: (m) => tagChange(m, 'add') },
  { re: re(String.raw`^(?<t>(?:task\s+)?#?\d+)(?<tags>(?:\s+#[\p{L}\p{N}_-]+)+)$`), read: (m) => tagChange(m, 'add') },
  // ---- reminders set ("remind me about X 30 minutes before", "add a 15 minute reminder to X")
  { re: re(String.raw`^(?:remind\s+me|alert\s+me|ping\s+me|notify\s+me|warn\s+me|nudge\s+me|give\s+me\s+a\s+(?:heads[\s-]?up|reminder|nudge|ping))\b(?<body>.*)$`), read: (m, c) => reminderChange(g(m, 'body'), c) },
  { re: re(String.raw`^(?:set|add|create|put|schedule|change|update|move|make)\s+(?:a\s+|an\s+|the\s+|my\s+)?(?:(?<n>${DURATION})\s+)?(?:reminders?|alerts?|notifications?|alarms?)\b(?<body>.*)$`), read: (m, c) => reminderChange(`${g(m, 'body')} ${g(m, 'n') ? `${g(m, 'n')} before` : ''}`, c) },
];

function titleChange(m: RegExpExecArray): Act | null {
  const title = value(g(m, 'value'), TITLE_MAX);
  return title === '' ? null : update(g(m, 't'), { title });
}

function descChange(m: RegExpExecArray): Act | null {
  const description = value(g(m, 'value'), DESCRIPTION_MAX);
  return description === '' ? null : update(g(m, 't'), { description });
}

function tagChange(m: RegExpExecArray, how: 'add' | 'remove'): Act | null {
  const tags = normalizeTags(tagWords(g(m, 'tags').replace(/\b(?:tags?|labels?)\b/gi, ' ')));
  if (tags.length === 0) return null;
  return update(g(m, 't'), how === 'add' ? { addTags: tags } : { removeTags: tags });
}

const REMIND_OFFSET = re(String.raw`(?<n>${DURATION}|a\s+day|a\s+week|one\s+day|one\s+week)\s+(?:before(?:hand)?|ahead(?:\s+of\s+time)?|earlier|in\s+advance|prior)\b(?:\s+(?:of|to))?`);
const AT_DUE = /\b(?:when\s+(?:it'?s|it\s+is|(?:it|they)\s+(?:are|is|gets?|becomes?))\s+due|at\s+the\s+(?:due\s+)?time(?:\s+it'?s\s+due)?|on\s+time|when\s+due|at\s+due\s+time)\b/i;
const REMINDER_FILLER = /^(?:(?:about|of|for|on|to|regarding|before|that|me|a|an|the|reminder|i\s+(?:need|have)\s+to|i\s+should|i\s+must|it'?s|it\s+is|is|are|set|add|change|move|update)\s+)+|(?:\s+(?:is|are|it'?s|it\s+is)\s+due|\s+to|\s+for|\s+of|\s+about|\s+please|\s+due)+$/gi;

/** "about task 3 30 minutes before it's due", "an hour before I need to call mom", "the report when it is due". */
function reminderChange(body: string, c: Clock): Act | null {
  const offset = cutFirst(body, REMIND_OFFSET);
  let minutes: number | null = null;
  let rest = body;
  if (offset) {
    const n = g(offset.match, 'n').replace(/^(?:a|one)\s+(day|week)$/i, '1 $1');
    minutes = durationMinutes(n);
    rest = offset.rest;
  } else {
    const atDue = cutFirst(body, AT_DUE);
    if (atDue) [minutes, rest] = [0, atDue.rest];
  }
  if (minutes === null) {
    // "remind me about X at 4pm tomorrow": an exact time. "remind me to X" is a new task, not this.
    if (/^\s*to\b/i.test(body)) return null;
    const when = cutWhen(body, c);
    if (!when || !/^\s*(?:about|of|for)\b/i.test(body)) return null;
    const w = whenToChange(when.value);
    const time = w.time ?? { hour: 9, minute: 0 };
    const date = w.date ?? (time.hour * 60 + time.minute > c.local.hour * 60 + c.local.minute ? c.today : addDays(c.today, 1));
    const at = w.exact ? w.exact : { ...date, ...time };
    const pad = (n: number) => String(n).padStart(2, '0');
    return update(cleanReminderTarget(when.rest), { remindAt: `${at.year}-${pad(at.month)}-${pad(at.day)}T${pad(at.hour)}:${pad(at.minute)}` });
  }
  return update(cleanReminderTarget(rest), { remindBefore: minutes });
}

function cleanReminderTarget(s: string): string {
  let t = squeeze(s);
  for (let before = ''; before !== t; ) {
    before = t;
    t = squeeze(t.replace(REMINDER_FILLER, ' '));
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Priority, due date and repetition, read from a verb and what follows it

const PRIORITY_VERB = /^(?:make|set|mark|change|update|bump|flag|put|move|raise|lower|switch|turn)\b/i;
const LOW_PHRASES = /\b(?:(?:is|are)\s*n[o']t\s+(?:very\s+)?(?:important|urgent)|(?:is|are)\s+not\s+(?:very\s+)?(?:important|urgent)|can\s+wait|not\s+(?:important|urgent)|unimportant|low(?:[\s-]+prio(?:rity)?)?(?:\s+priority)?)\b/i;

function priorityAct(s: string): Act | null {
  let m = /^(?<p>prioriti[sz]e|de-?prioriti[sz]e|unprioriti[sz]e)\s+(?<t>.+)$/i.exec(s);
  if (m) return update(g(m, 't'), { priority: /^(?:de|un)/i.test(g(m, 'p')) ? 'low' : 'high' });
  m = /^(?<dir>raise|increase|bump(?:\s+up)?|up|boost|lower|decrease|reduce|drop|downgrade|reset)\s+(?:the\s+)?(?:priority|importance|urgency)\s+(?:of|for|on)\s+(?<t>.+)$/i.exec(s);
  if (m) {
    const dir = g(m, 'dir').toLowerCase();
    if (dir === 'reset') return update(g(m, 't'), { priority: 'medium' });
    return update(g(m, 't'), { priorityStep: /^(?:lower|decrease|reduce|drop|downgrade)/.test(dir) ? -1 : 1 });
  }
  m = new RegExp(String.raw`^(?:set|make|change|put)\s+(?:the\s+)?(?:priority|prio)\s+(?:to\s+|as\s+|at\s+)?(?<p>${PRIORITY_VALUE})\s+(?:for|on|of)\s+(?<t>.+)$`, 'i').exec(s);
  if (m && priorityOf(g(m, 'p'))) return update(g(m, 't'), { priority: priorityOf(g(m, 'p')) ?? 'medium' });
  m = new RegExp(String.raw`^(?<t>.+?)(?:'s)?\s+(?:priority|prio)\s*(?::|=|to|is|->|should\s+be)?\s*(?<p>${PRIORITY_VALUE})$`, 'i').exec(s);
  if (m && priorityOf(g(m, 'p')) && !/^(?:set|make|change|what|show|list)\b/i.test(g(m, 't'))) return update(g(m, 't'), { priority: priorityOf(g(m, 'p')) ?? 'medium' });
  m = /^(?:make|mark|set)\s+(?<t>.+?)\s+(?<dir>less|more|a\s+(?:bit|little)\s+(?:less|more))\s+(?:important|urgent|pressing|of\s+a\s+priority)$/i.exec(s);
  if (m) return update(g(m, 't'), { priorityStep: /less/i.test(g(m, 'dir')) ? -1 : 1 });
  m = /^(?:reset|clear|remove)\s+(?<t>.+?)(?:'s)?\s+priority$/i.exec(s);
  if (m) return update(g(m, 't'), { priority: 'medium' });
  // "set all high priority tasks to medium": the value is after the last "to"/"as"; the rest is the target.
  const split = /^(?<verb>make|set|change|update|switch|turn|move|bump|put|mark)\s+(?:the\s+)?(?:priority\s+(?:of|for|on)\s+)?(?<t>.+)\s+(?:to|as|at|into)\s+(?:an?\s+)?(?<p>.+?)$/i.exec(s);
  if (split) {
    const p = priorityOf(g(split, 'p').replace(/\s+(?:one|task|priority|prio)$/i, ' priority'));
    if (p) return update(g(split, 't').replace(/(?:'s)?\s+priority$/i, ''), { priority: p });
  }
  const low = /^(?<t>.+?)[\s,]+(?:is|are)?\s*(?:n[o']t|not)\s+(?:very\s+)?(?:important|urgent)(?:\s+any\s*more)?$|^(?<t2>.+?)[\s,]+can\s+wait(?:[\s,]+low(?:\s+priority)?)?$/i.exec(s);
  if (low) return update(g(low, 't') || g(low, 't2'), { priority: 'low' });
  const value = new RegExp(String.raw`(?:^|\s|,)(?:as\s+|to\s+)?(?:an?\s+)?(?<p>${PRIORITY_VALUE})(?:\s+(?:one|task|priority))?$`, 'i').exec(s);
  if (value && value.index > 0) {
    const p = priorityOf(g(value, 'p'));
    let head = s.slice(0, value.index);
    const verb = PRIORITY_VERB.exec(head);
    const stated = /^(?<t>.+?)\s+(?:is|are|'s|should\s+be|has|needs\s+to\s+be|must\s+be)(?:\s+(?:now|still|also|really|very|super|quite))?\s*$/i.exec(head.replace(/'s$/, ' is'));
    if (p && (verb || stated || /[,:]\s*$/.test(head))) {
      if (verb) head = head.slice(verb[0].length);
      if (stated) head = g(stated, 't');
      head = head.replace(/\s+(?:as|to|priority(?:\s+to)?|is|:|,)\s*$/i, '').replace(/[,:]\s*$/, '');
      return update(head, { priority: p });
    }
  }
  void LOW_PHRASES;
  return null;
}

const DUE_VERB = String.raw`(?:move|reschedule|re-schedule|postpone|push(?:\s+back)?|delay|defer|shift|bump|bring(?:\s+forward)?|change|set|update|put|make|plan|switch|pull(?:\s+forward)?)`;
const DUE_SPLIT = String.raw`\s+(?:to|until|till|til|for|on|into|at|back\s+to|forward\s+to|over\s+to|by)\s+`;

function dueAct(s: string, c: Clock): Act | null {
  // "set a due date of tomorrow for task 82", "give pay rent a deadline of friday"
  let m = re(String.raw`^(?:set|add|give|put|make)\s+(?:a\s+|the\s+)?(?:due\s+date|deadline|date|due)\s+(?:(?:of|to|for|as|on|at)\s+)?(?<w>.+?)\s+(?:for|to|on|of)\s+${T}$`).exec(s);
  if (m) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^(?:set|change|update|make|move|push|put)\s+(?:the\s+)?(?:due\s+date|due|deadline|due\s+time|date|time)\s+(?:of|for|on)\s+${T}\s+(?:to|for|as|:)\s*(?<w>.+)$`).exec(s);
  if (m) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^(?:set|change|update|make|move)\s+${T}(?:'s)?\s+(?:due\s+date|deadline|due\s+time|date|time)\s+(?:to|for|as|:)\s*(?<w>.+)$`).exec(s);
  if (m) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^(?:due\s+date|deadline|due)\s+(?:for|of|on)\s+${T}\s*(?::|is|to|=)\s*(?<w>.+)$`).exec(s);
  if (m) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^${T}\s+(?:is\s+(?:now\s+|actually\s+)?|will\s+be\s+|should\s+be\s+)?due\s+(?:on\s+|by\s+|at\s+)?(?<w>.+)$`).exec(s);
  if (m && !/^(?:what|when|which|is|anything|something|make|set|move|change|update|put|push|reschedule|get)\b/i.test(g(m, 't'))) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^${T}\s+(?:is|'s|will\s+be|happens)\s+(?:now\s+|actually\s+)?(?<w>(?:at|on)\s+.+?)(?:\s+now|\s+instead)?$`).exec(s);
  if (m && !/^(?:what|when|which|who|where|how|anything|something|make|set|move|change)\b/i.test(g(m, 't'))) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^(?:make|set)\s+${T}\s+due\s+(?<w>.+)$`).exec(s);
  if (m) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  m = re(String.raw`^${T}\s+(?:should|must|needs?\s+to|has\s+to|have\s+to|is\s+to|will)\s+(?:be\s+)?(?:\p{L}+\s+)?(?:by|before|on|until|no\s+later\s+than)\s+(?<w>.+)$`).exec(s);
  if (m) {
    const due = readWhen(g(m, 'w'), c);
    if (due) return update(g(m, 't'), { due });
  }
  // "postpone X by a day", "push X back an hour", "move X an hour later"
  m = re(String.raw`^${DUE_VERB}\s+(?<rest>.+)$`).exec(s);
  if (m) {
    const rest = g(m, 'rest');
    const shift = SHIFT.exec(rest);
    if (shift) {
      const unit = g(shift, 'unit').toLowerCase().replace(/s$/, '');
      const nWord = g(shift, 'n').toLowerCase().replace(/\s+/g, ' ');
      const n = /^half/.test(nWord) ? 0.5 : SMALL_NUMBERS[nWord] ?? Number(nWord);
      const dir = `${g(shift, 'dir')} ${g(shift, 'dir2')}`.toLowerCase();
      const verb = s.slice(0, s.length - rest.length).toLowerCase();
      const back = /earlier|forward|ahead/.test(dir) || /bring|pull/.test(verb);
      const minutes = Math.round(n * (UNIT_MINUTES[unit] ?? UNIT_MINUTES[unit.slice(0, 3)] ?? 0)) * (back ? -1 : 1);
      if (minutes !== 0) return update(rest.slice(0, shift.index), { due: { shiftMinutes: minutes } });
    }
    // Each "to"/"for"/"until" in turn: the words after it must be a day or time, the words before name the task.
    for (const sep of rest.matchAll(new RegExp(DUE_SPLIT, 'giu'))) {
      const due = readWhen(rest.slice((sep.index ?? 0) + sep[0].length), c);
      const target = rest.slice(0, sep.index);
      if (due && contentWords(target).length + (/\b(?:it|that|this|them)\b/i.test(target) ? 1 : 0) > 0) return update(target, { due });
    }
    // "make that tomorrow", "reschedule call mom tomorrow 9am": the day or time at the end.
    const split = tailSplit(rest, c);
    if (split) return update(split.target, { due: split.due });
  }
  return null;
}

/** The longest ending of `text` that is a whole day/time phrase, and what comes before it. */
function tailSplit(text: string, c: Clock): { target: string; due: DueChange } | null {
  const words = text.split(' ');
  for (let i = 1; i < words.length; i++) {
    const due = readWhen(words.slice(i).join(' '), c);
    const target = words.slice(0, i).join(' ');
    if (due && contentWords(target).length + (/\b(?:it|that|this|them)\b/i.test(target) ? 1 : 0) > 0) return { target, due };
  }
  return null;
}

/** "make the gym task repeat every week", "water the plants should repeat daily", "make pay rent monthly". */
function repeatAct(s: string, c: Clock): Act | null {
  const cut = cutRepeat(s, c);
  if (!cut) return null;
  let rest = squeeze(cut.rest.replace(/\s+instead(?:\s+of\s+(?:\w+(?:\s+\w+)?))?$/i, '').replace(/\s+from\s+now\s+on$/i, ''));
  const verb = /^(?:make|set|change|switch|turn|have|repeat|schedule|update)\s+/i.exec(rest);
  const stated = /\s+(?:(?:should|must|will|needs?\s+to|has\s+to|is\s+to|shall)\s+(?:(?:repeat|recur|happen|be\s+done|be)\s*)?|repeats|recurs|happens|is\s+repeated|is\s+every|now\s+repeats)(?:\s+on|\s+to)?\s*$/i.exec(rest);
  const fromNow = /from\s+now\s+on|instead/i.test(s);
  if (!verb && !stated && !fromNow) return null;
  if (verb) rest = rest.slice(verb[0].length);
  if (stated) rest = rest.slice(0, stated.index);
  rest = squeeze(rest.replace(/\s+(?:to\s+)?(?:repeat|recur|repeating|recurring|happen)(?:\s+on)?$/i, '').replace(/\s+(?:to|on|as)$/i, ''));
  return contentWords(rest).length > 0 || /\b(?:it|that|this)\b/i.test(rest) ? update(rest, { repeat: cut.value }) : null;
}

// ---------------------------------------------------------------------------------------------
// Completing, reopening, deleting

const COMPLETE_VERB = /^(?:(?:completed|finished|did|closed)\s*:\s*|(?:complete|finish|close|done|check\s+off|tick\s+off|cross\s+off|mark\s+off|tick|check|cross|strike(?:\s+off|\s+out)?|wrap\s+up|knock\s+out)\b\s*(?:with\s+)?:?\s*)/i;
const REOPEN_VERB = /^(?:reopen|re-open|uncomplete|un-?complete|unfinish|un-?check|unmark|un-?tick|resume|revive|reactivate|restart)\b\s*:?\s*/i;
const DELETE_VERB = /^(?:delete|remove|trash|erase|discard|scrap|scratch|ditch|axe|drop|bin|nuke|kill|cancel|get\s+rid\s+of|throw\s+(?:away|out)|toss|forget\s+about|purge|clear\s+out|clear)\b\s*:?\s*/i;
const DONE_WORD = String.raw`(?:done|complete|completed|finished|over|sorted|taken\s+care\s+of|handled|dealt\s+with|checked\s+off|ticked\s+off|out\s+of\s+the\s+way|crossed\s+off)`;
const NOT_DONE_WORD = String.raw`(?:not\s+(?:yet\s+|actually\s+|really\s+)?(?:done|complete|completed|finished)|undone|incomplete|unfinished|open(?:\s+again)?|pending|still\s+(?:open|pending|to\s+do|todo|on)|not\s+over|to\s*-?\s*do)`;

function completionAct(s: string): Act | null {
  let m: RegExpExecArray | null;
  // mark X as done / not done
  m = re(String.raw`^(?:mark|set|flag|put)\s+${T}\s+(?:as\s+|to\s+)?(?:being\s+)?${NOT_DONE_WORD}(?:\s+again)?$`).exec(s);
  if (m) return { action: 'reopen', targetText: g(m, 't'), changes: {} };
  m = re(String.raw`^(?:mark|set|flag)\s+${T}\s+(?:as\s+|to\s+)?${DONE_WORD}$`).exec(s);
  if (m) return { action: 'complete', targetText: g(m, 't'), changes: {} };
  m = re(String.raw`^(?:put|add|move)\s+${T}\s+back(?:\s+(?:on|to|in)(?:\s+my|\s+the)?\s+(?:list|tasks|todos?))?$`).exec(s);
  if (m) return { action: 'reopen', targetText: g(m, 't'), changes: {} };
  m = re(String.raw`^${T}\s+(?:isn'?t|is\s+not|aren'?t|are\s+not|wasn'?t|was\s+not|hasn'?t\s+been|has\s+not\s+been)\s+(?:actually\s+|really\s+|yet\s+)?(?:done|finished|complete|completed|over)(?:\s+yet)?$`).exec(s);
  if (m) return { action: 'reopen', targetText: g(m, 't'), changes: {} };
  m = re(String.raw`^${T}\s+(?:is|are|was|has\s+been|have\s+been)\s+(?:still\s+|actually\s+)?${NOT_DONE_WORD}(?:\s+again)?$`).exec(s);
  if (m) return { action: 'reopen', targetText: g(m, 't'), changes: {} };
  m = re(String.raw`^${T}\s+(?:is|are|was|were|has\s+been|have\s+been|got|get)?\s*(?:now\s+|all\s+|finally\s+|already\s+)?${DONE_WORD}(?:\s+now|\s+already|\s+today)?$`).exec(s);
  if (m && !/^(?:what|which|is|are|anything|nothing|how|clear|delete|remove|show|list|hide|archive|purge|get\s+rid|trash)\b/i.test(g(m, 't'))) return { action: 'complete', targetText: g(m, 't'), changes: {} };
  m = re(String.raw`^(?:i(?:'m|\s+am)\s+)?(?:all\s+)?(?:done|finished|through)\s+with\s+${T}$`).exec(s);
  if (m) return { action: 'complete', targetText: g(m, 't'), changes: {} };
  const reopen = REOPEN_VERB.exec(s);
  if (reopen) return { action: 'reopen', targetText: s.slice(reopen[0].length), changes: {} };
  m = re(String.raw`^(?:check|tick|cross|mark)\s+${T}\s+off(?:\s+(?:my|the)\s+list)?$`).exec(s);
  if (m) return { action: 'complete', targetText: g(m, 't'), changes: {} };
  const complete = COMPLETE_VERB.exec(s);
  if (complete) return { action: 'complete', targetText: s.slice(complete[0].length).replace(/\s+(?:off(?:\s+(?:my|the)\s+list)?|as\s+done)$/i, ''), changes: {} };
  return null;
}

/** "I paid the rent", "called mom!", "just booked the dentist", "I've done the groceries". */
function pastTenseAct(s: string): Act | null {
  const m = /^(?:(?:i|we)(?:'ve|\s+have|\s+had)?\s+)?(?:just\s+|already\s+|finally\s+|now\s+)?(?<verb>[\p{L}'-]+)\s+(?<rest>.+)$/iu.exec(s);
  if (!m) return null;
  const verb = g(m, 'verb').toLowerCase();
  const rest = g(m, 'rest').replace(/\s+(?:already|just\s+now|now|today|finally|earlier|yesterday)$/i, '');
  if (/^(?:finished|completed|done|did|wrapped\s+up|sorted|handled|ticked\s+off|checked\s+off)$/.test(verb)) return { action: 'complete', targetText: rest, changes: {} };
  const base = IRREGULAR_PAST[verb] ?? (/^[\p{L}-]{3,}ed$/u.test(verb) ? lemma(verb) : null);
  if (!base || base === verb || NOT_PAST.has(verb)) return null;
  return { action: 'complete', targetText: `${base} ${rest}`, changes: {} };
}
/** Words ending in "-ed" that are not things someone has done. */
const NOT_PAST = new Set(['need', 'needed', 'red', 'bed', 'shed', 'feed', 'seed', 'speed', 'wed', 'led', 'fed', 'scheduled', 'planned', 'supposed', 'used', 'interested', 'tired', 'based', 'tagged', 'labeled', 'labelled', 'named', 'titled']);

/** "actually I didn't call mom yet", "I haven't paid the rent". */
function negatedPastAct(s: string): Act | null {
  const m = /^(?:(?:actually|oops|wait)[\s,]+)?(?:i|we)\s+(?:didn'?t|did\s+not|haven'?t|have\s+not|hadn'?t|never)\s+(?:actually\s+|really\s+|yet\s+)?(?<verb>[\p{L}'-]+)\s+(?<rest>.+?)(?:\s+yet|\s+after\s+all|\s+actually)?$/iu.exec(s);
  if (!m) return null;
  const verb = g(m, 'verb').toLowerCase();
  const rest = g(m, 'rest');
  if (/^(?:finish|finished|complete|completed|done|do)$/.test(verb)) return { action: 'reopen', targetText: rest, changes: {} };
  return { action: 'reopen', targetText: `${lemma(verb)} ${rest}`, changes: {} };
}

/** "I don't need to call mom anymore", "forget about the groceries". */
function noLongerAct(s: string): Act | null {
  const m = /^(?:i|we)\s+(?:don'?t|do\s+not|no\s+longer)\s+(?:need|have|want|plan)\s+to\s+(?<rest>.+?)(?:\s+any\s*more|\s+after\s+all)?(?:[\s,]+(?:delete|remove)\s+(?:it|that))?$/i.exec(s);
  return m ? { action: 'delete', targetText: g(m, 'rest'), changes: {} } : null;
}

// ---------------------------------------------------------------------------------------------
// Questions

const QUESTION_LEAD =
  /^(?:what(?:'s|\s+is|\s+are|\s+do|\s+does|\s+did|\s+have|\s+else|\s+should)?|whats|which|when(?:'s|\s+is|\s+are|\s+do)?|how\s+many|how\s+much|do\s+i|did\s+i|have\s+i|am\s+i|is\s+there|are\s+there|any|anything|show|list|display|view|see|give\s+me|tell\s+me|find|search(?:\s+for)?|look\s+(?:for|up)|lookup|where(?:'s|\s+is|\s+are)?|pull\s+up|bring\s+up|get\s+me|can\s+i\s+see|let\s+me\s+see|check)\b/i;

const ASKING =
  /^(?:what(?:'s|\s+is|\s+are|\s+do|\s+does|\s+did|\s+have|\s+else|\s+should)?|whats|which|when(?:'s|\s+is|\s+are|\s+do)?|how\s+many|how\s+much|do\s+i\s+have|have\s+i\s+got|is\s+there|are\s+there|anything|show|list|display|view|give\s+me(?!\s+an?\s+(?:heads|reminder|nudge|ping|shout|alert))|tell\s+me|find|search|look\s+(?:for|up)|lookup|where(?:'s|\s+is|\s+are)?|pull\s+up|bring\s+up|get\s+me|can\s+i\s+see|let\s+me\s+see)\b/i;

function questionOf(s: string, c: Clock, asked: boolean): Command | null {
  const lead = QUESTION_LEAD.exec(s);
  if (!lead && !asked) return null;
  let rest = lead ? s.slice(lead[0].length) : s;
  const count = /^how\s+many\b/i.test(s);
  // "is call mom done?", "did I pay the rent?": about one task, whatever its state.
  const isDone = /^(?:is|are|was|has|have|did\s+i)\s+(?<t>.+?)(?:\s+(?:been\s+)?(?:done|finished|complete|completed|due|overdue|late))?$/i.exec(s);
  if (!lead && isDone) return { kind: 'query', set: { status: 'all' }, count: false, title: g(isDone, 't') };
  rest = rest.replace(/^\s*(?:me|for|up|on|at|in|to)\b/i, '');
  const named = readTarget(rest.replace(/\s+(?:about|due|done|for)$/i, ''), c);
  if (named?.kind === 'ids') return { kind: 'query', set: { status: 'all' }, count: false, ids: named.ids };
  const parsed = readSet(rest, c);
  const set = parsed.set;
  const everything = /\b(?:everything|all(?:\s+(?:my|of\s+my|the))?\s+tasks|every\s+task)\b/i.test(rest) && !set.status;
  if (everything && set.status === 'pending' && !/\b(?:pending|open|left|remaining)\b/i.test(rest)) set.status = 'all';
  if (/^(?:did\s+i|have\s+i)\b/i.test(s) && /\b(?:finish|complete|do|done|check\s+off)\b/i.test(s)) set.status = 'completed';
  if (/\bwhat\s+(?:did|have)\s+i\s+(?:finish|complete|do|done)/i.test(s)) set.status = 'completed';
  if (/\b(?:complete|completed|finish|finished|did|done)\b/i.test(rest) && /^how\s+many/i.test(s) && /\bdid\s+i\b/i.test(s)) set.status = 'completed';
  const words = (set.words ?? []).filter((w) => !QUESTION_FILLER.has(w));
  if (words.length > 0) {
    set.words = words;
    return { kind: 'query', set: { ...set, words: undefined }, count, title: words.join(' ') };
  }
  delete set.words;
  return { kind: 'query', set, count };
}
const QUESTION_FILLER = new Set(
  ('plate agenda schedule calendar today tomorrow due left remaining open upcoming coming next soon first should could would ' +
    'can will be been being got gotten going go finish finished complete completed done did make ones plan planned priority prioriti ' +
    'important urgent tagged tag tags label labels up does happen about regarding related mentioning happening else exist existing ready see let look pending outstanding ' +
    'sort sorted order ordered by how many much number count total overdue late week weekend month date dates time times lists').split(' '),
);

// ---------------------------------------------------------------------------------------------
// The reader

const LEAD_IN = /^(?:(?:oops|oh|ah|um+|uh+|hmm+|so|and|also|then|actually|wait|hey|please|pls|plz|kindly|sorry)[\s,!.]+|(?:no|well|ok(?:ay)?|alright|right|now|sure)\s*[,!.]\s*|(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+)?|(?:i\s+(?:want|need|would\s+like|'d\s+like)\s+you\s+to|(?:please\s+)?go\s+ahead\s+and|let'?s|lets|i\s+want\s+to|i'?d\s+like\s+to)\s+(?=(?:delete|remove|complete|finish|mark|move|rename|change|set|tag|untag|update|reschedule|postpone|push|add|clear|make|reopen|uncheck|edit)\b))+/i;

export interface UnderstandContext extends ParseContext {}

/** Reads a message into a command. */
export function understand(text: string, ctx: UnderstandContext): Command {
  if (text.length > 1000) return { kind: 'reply', text: 'That message is too long for me. Please say one thing at a time.' };
  const words = plainWords(text).replace(/^(?:oh|oops|ok|okay|hmm|um|well)\s+/, '').replace(/\s+(?:please|pls|thanks|thank you)$/, '');
  if (YES.test(words)) return { kind: 'confirm' };
  if (NO.test(words)) return { kind: 'cancel' };
  if (UNDO.test(words.replace(/^(?:oops|whoops|actually|no|wait|sorry)\s+/, '').replace(/^(?:please|pls|can you|could you)\s+/, ''))) return { kind: 'undo' };
  for (const [rule, answer] of SMALL_TALK) if (rule.test(words) || (words === '' && rule === SMALL_TALK[0]?.[0])) return { kind: 'reply', text: answer };
  const clock = clockAt(ctx.now, ctx.timezone);
  const choice = chooseOf(words, clock);
  if (choice) return choice;

  const asked = /\?\s*$/.test(text);
  let s = squeeze(cleanMessage(text.replace(/[\p{Extended_Pictographic}\u{FE0F}\u200D]+/gu, ' ')));
  for (let before = ''; before !== s; ) {
    before = s;
    s = squeeze(s.replace(LEAD_IN, ''));
  }
  s = s.replace(/^(?:the\s+)?(?:task|todo)\s*:\s*(?=\S)/i, (m) => m); // "task: x" stays an add
  if (s === '') return { kind: 'reply', text: ASSISTANT_HELP };

  const restore = /^(?:restore|undelete|recover|un-?delete|bring\s+back|get\s+back)\s+(?<t>.+?)(?:\s+back)?$/i.exec(s);
  if (restore) {
    const target = readTarget(g(restore, 't'), clock);
    if (target && target.kind !== 'set') return { kind: 'restore', target };
  }
  const add = addOf(s, text, ctx);
  if (add) return add;
  // "show me tasks due next week", "how many are due today": a question, whatever verbs follow.
  if (ASKING.test(s)) {
    const question = questionOf(s, clock, asked);
    if (question) return question;
  }
  const act = readAct(s, clock);
  if (act) return act;
  const question = questionOf(s, clock, asked);
  if (question) return question;
  // The old reader still knows the rest: quick-add lines ("dentist tomorrow 3pm"), sorting, and its replies.
  const legacy = parseMessage(text, ctx);
  if (legacy.kind === 'reply') return { kind: 'reply', text: legacy.text === '' ? NOT_UNDERSTOOD : legacy.text };
  if (legacy.call.name === 'add_task' || legacy.call.name === 'create_recurring') return { kind: 'add', call: legacy.call };
  if (legacy.call.name === 'sort_tasks' || legacy.call.name === 'list_tasks' || legacy.call.name === 'filter_tasks' || legacy.call.name === 'search_tasks') {
    return { kind: 'add', call: legacy.call };
  }
  return { kind: 'reply', text: NOT_UNDERSTOOD };
}

function chooseOf(words: string, c: Clock): Command | null {
  const ord = /^(?:(?:it'?s|i\s+mean|i\s+meant)\s+)?(?:the\s+|number\s+|no\s+|#)?(?<o>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|\d{1,3})(?:\s+one)?$/.exec(words);
  if (ord) {
    const o = g(ord, 'o');
    const n = ORDINALS[o] ?? Number(o);
    return Number.isFinite(n) ? { kind: 'choose', ordinal: n } : null;
  }
  const one = /^(?:(?:it'?s|i\s+mean|i\s+meant)\s+)?the\s+(?:one\s+(?:on|due|for|at|from|with|about|called|tagged|that'?s?)?\s*(?<a>.+)|(?<b>.+?)\s+one)$/.exec(words);
  if (!one) return null;
  const phrase = g(one, 'a') || g(one, 'b');
  const when = cutWhen(phrase, c);
  return when?.value.date ? { kind: 'choose', text: when.rest, when: when.value.date } : { kind: 'choose', text: phrase };
}

const ADD_LEAD = re(
  [
    String.raw`^(?:`,
    String.raw`(?:i\s+|we\s+)?(?:really\s+)?(?:need|want|have|got)\s+to\s+remember\s+to`,
    String.raw`|remember\s+to`,
    String.raw`|(?:please\s+)?don'?t\s+(?:let\s+me\s+)?forget\s+(?:to|about)`,
    String.raw`|note\s+to\s+self\s*:?|make\s+(?:a\s+)?note\s+to|(?:jot|write|note|put)\s+down(?:\s+(?:to|that))?`,
    String.raw`|(?:can\s+you\s+)?remind\s+me\s+to|it'?s\s+time\s+to`,
    String.raw`|(?:i|we)\s+(?:really\s+|still\s+|also\s+|just\s+)?(?:need|have|want|must|gotta|got|ought|plan|am\s+going|'m\s+going|will\s+have|'ll\s+have|have\s+got|'ll\s+need|'d\s+better|should(?:\s+really)?)\s+to`,
    String.raw`|(?:i|we)\s+(?:must|should(?:\s+really)?|gotta|'d\s+better|better)`,
    String.raw`|(?:really\s+)?(?:need|have|gotta|got)\s+to|gotta|must`,
    String.raw`)\s+(?<body>.+)$`,
  ].join(''),
);
const ADD_TO_LIST = re(String.raw`^(?:add|put|stick|throw|pop)\s+(?<body>.+?)\s+(?:to|on|onto|in)\s+(?:(?:my|the|our)\s+)?(?:to-?do\s+|task\s+|shopping\s+|grocery\s+)?(?:list|tasks|todos?|to-dos)(?<tail>.*)$`);
const SCHEDULE = re(String.raw`^(?:schedule|plan|book\s+in)\s+(?:a\s+|an\s+)?(?<body>.+)$`);
const NOT_A_TASK_START = /^(?:(?:the|a|an)\s+)?(?:tags?|labels?|notes?|description|details|comment|reminders?|alerts?|\d+[\s-]*(?:minutes?|mins?|hours?|hrs?|days?)[\s-]+reminder|#)/i;

function addOf(s: string, original: string, ctx: ParseContext): Command | null {
  const intent = ADD_LEAD.exec(s);
  if (intent && !/^(?:delete|remove|complete|finish|reschedule|move|rename)\b/i.test(g(intent, 'body'))) return quick(g(intent, 'body'), ctx, /^(?:can\s+you\s+)?remind/i.test(s));
  const toList = ADD_TO_LIST.exec(s);
  if (toList && !/\bback$/i.test(g(toList, 'body'))) return quick(`${g(toList, 'body')} ${g(toList, 'tail')}`, ctx, false);
  const sched = SCHEDULE.exec(s);
  if (sched) return quick(g(sched, 'body'), ctx, false);
  // "add …", "new task …", "todo: …", "remind me to …": the old reader's add, unless it edits a task ("add a note to …").
  if (/^(?:add|create|new|insert)\b|^(?:todo|to-do|task|reminder)\s*:|^todo\s/i.test(s) && !NOT_A_TASK_START.test(s.replace(/^(?:add|create|new|insert)\s+/i, ''))) {
    if (/^(?:add|put)\s+.+\s+(?:to|on)\s+(?:task\s+)?#?\d+$/i.test(s)) return null;
    const legacy = parseMessage(/^(?:add|create|new|insert)\b/i.test(original.trim()) ? original : s, ctx);
    if (legacy.kind === 'tool' && (legacy.call.name === 'add_task' || legacy.call.name === 'create_recurring')) return { kind: 'add', call: legacy.call };
    if (legacy.kind === 'reply' && /called\?/.test(legacy.text)) return { kind: 'reply', text: legacy.text };
  }
  return null;
}

function quick(body: string, ctx: ParseContext, reminder: boolean): Command {
  const legacy = parseMessage(`${reminder ? 'remind me to' : 'add'} ${body.replace(/^(?:a\s+task\s+(?:to\s+)?)/i, '')}`, ctx);
  if (legacy.kind === 'tool') return { kind: 'add', call: legacy.call };
  return { kind: 'reply', text: legacy.text };
}

/** A command on tasks, if the message is one. */
function readAct(s: string, c: Clock): Command | null {
  const candidates: (Act | null)[] = [];
  for (const rule of RULES) {
    const m = rule.re.exec(s);
    if (m) {
      const act = rule.read(m, c);
      if (act) {
        candidates.push(act);
        break;
      }
    }
  }
  if (candidates.length === 0) {
    candidates.push(
      noLongerAct(s) ??
        negatedPastAct(s) ??
        repeatAct(s, c) ??
        dueAct(s, c) ??
        priorityAct(s) ??
        completionAct(s) ??
        deleteAct(s) ??
        changeToAct(s, c) ??
        pastTenseAct(s),
    );
  }
  const act = candidates[0];
  if (!act) return null;
  // "and make it urgent" after a due change: one message may carry a second change for the same task.
  const target = readTarget(stripTargetEdges(act.targetText), c);
  if (!target) return null;
  return { kind: 'act', action: act.action, target, changes: act.changes };
}

function deleteAct(s: string): Act | null {
  const m = DELETE_VERB.exec(s);
  if (!m) return null;
  const rest = s.slice(m[0].length).replace(/\s+(?:from|off)\s+(?:my|the)\s+(?:list|tasks|todos?)$/i, '').replace(/\s+(?:for\s+good|permanently|please)$/i, '');
  return rest === '' ? null : { action: 'delete', targetText: rest, changes: {} };
}

/** "change task 4 to 'Call mom tonight'", "change call mom to 6:30pm", "change the gym to every 2 weeks". */
function changeToAct(s: string, c: Clock): Act | null {
  const m = /^(?:change|update|edit|switch|turn|make)\s+(?<rest>.+)$/i.exec(s);
  if (!m) return null;
  const rest = g(m, 'rest');
  for (const sep of rest.matchAll(/\s+(?:to|into|as)\s*:?\s+/gi)) {
    const target = rest.slice(0, sep.index);
    const value = rest.slice((sep.index ?? 0) + sep[0].length);
    if (contentWords(target).length === 0 && !/\b(?:it|that|this)\b/i.test(target)) continue;
    const due = readWhen(value, c);
    if (due) return update(target, { due });
    const p = priorityOf(value.replace(/\s+priority$/i, ''));
    if (p) return update(target, { priority: p });
    const repeat = cutRepeat(value, c);
    if (repeat && contentWords(repeat.rest).length === 0) return update(target, { repeat: repeat.value });
    const title = value.replace(/[.!]+$/, '');
    if (/^(["']).+\1$/.test(title) || /^(?:change|update|edit)$/i.test(s.split(' ')[0] ?? '')) {
      const t = freeText(title, TITLE_MAX);
      if (t !== '') return update(target, { title: t });
    }
  }
  return null;
}

function stripTargetEdges(t: string): string {
  return squeeze(t.replace(/^(?:the\s+)?(?:task|todo)\s+(?:called|named|titled)\s+/i, '').replace(/\s+(?:as\s+well|too|again|for\s+me|please|now|already)$/i, ''));
}

export type { TaskAction };
