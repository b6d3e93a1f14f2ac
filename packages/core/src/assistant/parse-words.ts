// Word-level pieces of the built-in assistant parser: cutting phrases out of a message, numbers and
// durations, task references, priorities, tags and titles. Pure string functions, no clock.
import { normalizeTag, type Priority, REMIND_BEFORE_MAX_MINUTES, TAG_LENGTH_MAX, TAG_PATTERN, TAGS_MAX, TITLE_MAX } from '../vocabulary.ts';

/** A value read from a message, and the message with the phrase that named it cut out. */
export interface Cut<T> {
  value: T;
  rest: string;
}

export const squeeze = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Cuts the first match of `re` (never global) out of `text`; a space keeps the neighbours apart. */
export function cutFirst(text: string, re: RegExp): { match: RegExpExecArray; rest: string } | null {
  const match = re.exec(text);
  if (!match) return null;
  return { match, rest: squeeze(`${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`) };
}

// ---------------------------------------------------------------------------------------------
// Message clean-up

const QUOTES: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u201B\u2032`]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"'],
];
// Politeness around a request carries no meaning for the parser.
const POLITE_START =
  /^(?:(?:ok(?:ay)?|so|hey|hi|hello|please|pls|plz|kindly|(?:can|could|would|will)\s+you(?:\s+please)?|i\s+(?:want|need|would\s+like|'d\s+like)\s+you\s+to|let'?s)\b[\s,!]*)+/i;
const POLITE_END = /(?:[\s,]+(?:please|pls|plz|thanks|thank\s+you|thx))+$/i;

/** Straight quotes, single spaces, no politeness, no closing "." or "?" (a final "!!" is kept: it means urgent). */
export function cleanMessage(text: string): string {
  let s = text.normalize('NFC');
  for (const [re, to] of QUOTES) s = s.replace(re, to);
  s = squeeze(s).replace(/[\s.?]+$/, '').replace(/(?<!!)!$/, '');
  for (let before = ''; before !== s; ) {
    before = s;
    s = s.replace(POLITE_START, '').replace(POLITE_END, '').replace(/[\s.?,]+$/, '').trim();
  }
  return s;
}

/** Lower case, letters, digits and apostrophes only: for matching whole short messages like "thank you!". */
export const plainWords = (text: string): string => squeeze(text.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, ' '));

// ---------------------------------------------------------------------------------------------
// Numbers and durations

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, 'forty-five': 45, ninety: 90,
};
/** A count in digits or words (regex source, no capture group). */
export const NUM = String.raw`(?:\d{1,4}|${Object.keys(NUMBER_WORDS).join('|')})`;

export function numberValue(word: string): number | null {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  return NUMBER_WORDS[w] ?? null;
}

const UNIT_MINUTES: readonly [RegExp, number][] = [
  [/^(?:minutes?|mins?|m)$/i, 1],
  [/^(?:hours?|hrs?|h)$/i, 60],
  [/^(?:days?|d)$/i, 1440],
  [/^(?:weeks?|wks?|w)$/i, 10_080],
];
/** "30 minutes", "2h", "an hour", "half an hour" (regex source, no capture group). */
export const DURATION = String.raw`(?:half\s+an\s+hour|${NUM}\s*(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w))(?![\p{L}\p{N}])`;

export function durationMinutes(phrase: string): number | null {
  const s = squeeze(phrase);
  if (/^half\s+an\s+hour$/i.test(s)) return 30;
  const m = /^(\S+?)\s*([a-z]+)$/i.exec(s);
  const count = m?.[1] === undefined ? null : numberValue(m[1]);
  const unit = UNIT_MINUTES.find(([re]) => re.test(m?.[2] ?? ''));
  return count === null || unit === undefined ? null : count * unit[1];
}

// ---------------------------------------------------------------------------------------------
// Task references

export type TaskRef = { task_id: number | string } | { task_title: string };

const EDGE_START = /^(?:the|my|a|an|this|that|task|todo|to-do|item|one|called|named|titled)\s+/i;
const EDGE_END = /\s+(?:task|todo|to-do|item|one)$/i;
const QUOTED = /^(["'])(.+)\1$/s;
const TASK_ID = /^(?:(?:number|no\.?|id)\s*)?#?\s*(\d{1,18})$/i;
/** Words that name many tasks: a one-task tool must not guess one of them. */
const NOT_ONE_TASK = /^(?:all|everything|every(?:\s+task)?|all\s+(?:my\s+|the\s+)?(?:tasks|todos)|tasks|them)$/i;
/** "it", "that one", "the last one": the task the conversation was just about. */
const PRONOUN = /^(?:it|this|that|this\s+one|that\s+one|the\s+(?:last|same)\s+one|the\s+(?:last|same)\s+task)$/i;

/** Whether a task title given to a tool is a pronoun, for the conversation to resolve. */
export const isPronounRef = (title: string): boolean => PRONOUN.test(title.trim());

/** "task 3", "#3", "3" → an id; "it", "that one" → that pronoun as the title; a quoted text or the remaining words → a title. */
export function parseTaskRef(raw: string): TaskRef | null {
  let s = raw.trim().replace(/[\s.,;:!?]+$/, '');
  if (PRONOUN.test(s)) return { task_title: s.toLowerCase() };
  for (let before = ''; before !== s; ) {
    before = s;
    const quoted = QUOTED.exec(s);
    if (quoted?.[2] !== undefined) return titleRef(quoted[2]);
    s = s.replace(EDGE_START, '').replace(EDGE_END, '').trim();
  }
  if (s === '' || NOT_ONE_TASK.test(s)) return null;
  const id = TASK_ID.exec(s)?.[1];
  if (id === undefined) return titleRef(s);
  const n = Number(id);
  if (n === 0) return null;
  // Ids beyond 2^53 stay exact as digit strings, which the tools accept too.
  return { task_id: Number.isSafeInteger(n) ? n : id };
}

function titleRef(title: string): TaskRef | null {
  const t = title.trim().slice(0, TITLE_MAX).trim();
  return t === '' ? null : { task_title: t };
}

/** Text the user gave as a new title or description: quotes dropped, length capped. */
export function freeText(raw: string, max: number): string {
  const s = raw.trim();
  const inner = QUOTED.exec(s)?.[2] ?? s;
  return inner.trim().slice(0, max).trim();
}

// ---------------------------------------------------------------------------------------------
// Priorities

export const PRIORITY_WORDS: Readonly<Record<string, Priority>> = {
  high: 'high', top: 'high', urgent: 'high', important: 'high', asap: 'high', p1: 'high',
  medium: 'medium', normal: 'medium', p2: 'medium',
  low: 'low', p3: 'low', unimportant: 'low', 'not urgent': 'low', 'not important': 'low',
};
/** A priority word as used after "is", "to" or "as" (regex source, no capture group). */
export const PRIORITY_VALUE = String.raw`(?:(?:high|top|medium|normal|low)(?:[\s-]+prio(?:rity)?)?|(?:priority\s+)?(?:high|medium|normal|low)|not\s+(?:urgent|important)|urgent|important|unimportant|asap|p[123])`;

/** Reads a PRIORITY_VALUE match: "high priority", "priority low", "urgent", "p2". */
export function priorityOf(phrase: string): Priority | null {
  const words = squeeze(phrase.toLowerCase().replace(/-/g, ' ').replace(/\bprio(?:rity)?\b/g, ''));
  return PRIORITY_WORDS[words] ?? null;
}

export const PRIORITY_IN_TEXT: readonly RegExp[] = [
  /(?:\bwith\s+)?(?:\ba\s+)?\b(high|top|medium|normal|low)[\s-]+prio(?:rity)?\b/i,
  /(?:\bwith\s+)?\bprio(?:rity)?\s*[:=]?\s*(high|medium|normal|low)\b/i,
  /(?:^|\s)!(high|medium|normal|low)\b/i,
  /(?:^|\s)(!!!?)(?=\s|$)/,
  /\b(urgent|important|asap)\b/i,
  /\b(p[123])\b/i,
];

/** Finds a priority anywhere in a new task's text ("high priority", "!low", "!!", "urgent", "p1"). */
export function cutPriority(text: string): Cut<Priority> | null {
  for (const re of PRIORITY_IN_TEXT) {
    const cut = cutFirst(text, re);
    const word = cut?.match[1];
    if (!cut || word === undefined) continue;
    const priority = word.startsWith('!') ? 'high' : PRIORITY_WORDS[word.toLowerCase()];
    if (priority) return { value: priority, rest: cut.rest };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Tags

const TAG_WORD = String.raw`#?[\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.:/]*`;
export const HASH_TAG = /(?:^|\s)#(\p{L}[\p{L}\p{M}\p{N}_\-.:/]*)/u;
export const NAMED_TAGS = new RegExp(
  String.raw`\b(?:tagged(?:\s+(?:as|with))?|with\s+(?:the\s+)?tags?|labell?ed(?:\s+as)?|tags?\s*:)\s*(${TAG_WORD}(?:\s*(?:,|&|\band\b)\s*(?!(?:high|medium|normal|low|top)[\s-]+prio|(?:urgent|important|due|every|remind)\b)${TAG_WORD})*)`,
  'iu',
);

/** Valid, normalised, distinct tags (at most TAGS_MAX) from words like "#Home", "work", "errands,". */
export function normalizeTags(words: readonly string[]): string[] {
  const tags: string[] = [];
  for (const word of words) {
    const tag = normalizeTag(word.replace(/[.:/-]+$/, ''));
    const valid = tag !== '' && tag.length <= TAG_LENGTH_MAX && TAG_PATTERN.test(tag);
    if (valid && !tags.includes(tag) && tags.length < TAGS_MAX) tags.push(tag);
  }
  return tags;
}

/** Splits "#home, #errands and work" into its words. */
export const tagWords = (list: string): string[] => list.split(/\s*(?:,|&|\band\b|\s)\s*/i).filter((w) => w !== '');

/** Cuts every "#tag" and "tagged a, b" / "with tag a" phrase out of a text. */
export function cutTags(text: string): Cut<string[]> {
  const words: string[] = [];
  let rest = text;
  for (let cut = cutFirst(rest, NAMED_TAGS); cut; cut = cutFirst(rest, NAMED_TAGS)) {
    words.push(...tagWords(cut.match[1] ?? ''));
    rest = cut.rest;
  }
  for (let cut = cutFirst(rest, HASH_TAG); cut; cut = cutFirst(rest, HASH_TAG)) {
    words.push(cut.match[1] ?? '');
    rest = cut.rest;
  }
  return { value: normalizeTags(words), rest };
}

// ---------------------------------------------------------------------------------------------
// Titles

export const LOOSE_START = /^(?:[-:,;]+|(?:to|that|and|then)\b)\s*/i;
export const LOOSE_END = /\s*(?:[-:,;]+|\b(?:and|with|on|at|by|due|for|to|in|from|starting|every)\b)$/i;

/** What is left of a new task's text once dates, tags and the rest were cut: the title. */
/** The title left over; a chat message is cut to `max`, quick add passes no limit so a long title is refused. */
export function cleanTitle(rest: string, max = TITLE_MAX): string {
  let s = squeeze(rest.replace(/\s+([,;:])/g, '$1'));
  for (let before = ''; before !== s; ) {
    before = s;
    s = s.replace(LOOSE_START, '').replace(LOOSE_END, '').trim();
  }
  return freeText(s, max);
}

// ---------------------------------------------------------------------------------------------
// Reminders of a new task

const REMIND_WORD = String.raw`(?:remind(?:\s+me)?|reminders?|alert(?:\s+me)?|notify(?:\s+me)?|notification|ping\s+me)`;
const BEFORE_WORD = String.raw`(?:before(?:hand)?|earlier|ahead(?:\s+of\s+time)?|in\s+advance|prior)\b`;
export const REMIND_BEFORE = new RegExp(String.raw`(?:\b(?:and|with)\s+)?(?:\ba\s+)?\b${REMIND_WORD}\s+(${DURATION})\s+${BEFORE_WORD}`, 'iu');
const BARE_BEFORE = new RegExp(String.raw`(?:\b(?:and|with)\s+)?\b(${DURATION})\s+${BEFORE_WORD}`, 'iu');
export const REMIND_BARE = /(?:\b(?:and|with)\s+)?(?:\ba\s+)?\b(?:remind\s+me|reminder)\b/i;

/**
 * "remind me 30 minutes before" / "with a reminder 1 hour before" → minutes; "and remind me" → 0.
 * `durationAlone` also accepts "15 minutes before" (the message already started with "remind me").
 */
export function cutRemindBefore(text: string, durationAlone: boolean): Cut<number> | null {
  for (const re of durationAlone ? [REMIND_BEFORE, BARE_BEFORE] : [REMIND_BEFORE]) {
    const cut = cutFirst(text, re);
    const minutes = cut && durationMinutes(cut.match[1] ?? '');
    if (cut && minutes !== null && minutes <= REMIND_BEFORE_MAX_MINUTES) return { value: minutes, rest: cut.rest };
  }
  const bare = cutFirst(text, REMIND_BARE);
  return bare ? { value: 0, rest: bare.rest } : null;
}

/** "30 minutes before" as the whole phrase of a reminder request. */
export const REMIND_OFFSET = new RegExp(String.raw`(?:\b${REMIND_WORD}\s+)?\b(${DURATION})\s+${BEFORE_WORD}`, 'iu');

// ---------------------------------------------------------------------------------------------
// Listing words: status, several priorities, limits, sort keys, filler

export type Status = 'all' | 'pending' | 'completed';
const STATUS_WORDS: readonly [RegExp, Status][] = [
  [/\b(?:completed|complete|done|finished|closed|checked\s+off)\b/i, 'completed'],
  [/\b(?:pending|open|incomplete|unfinished|outstanding|remaining|active|not\s+done|to\s*-?\s*dos?)\b/i, 'pending'],
  [/\b(?:all|every|everything)\b/i, 'all'],
];

/** Cuts every status word; the most specific one wins ("all completed tasks" → completed). */
export function cutStatus(text: string): Cut<Status | null> {
  let rest = text;
  let status: Status | null = null;
  for (const [re, value] of STATUS_WORDS) {
    for (let cut = cutFirst(rest, re); cut; cut = cutFirst(rest, re)) {
      status ??= value;
      rest = cut.rest;
    }
  }
  return { value: status, rest };
}

const PRIORITY_LIST = /\b((?:high|medium|normal|low)(?:\s*(?:,|\/|&|\bor\b|\band\b)\s*(?:high|medium|normal|low))+)[\s-]+prio(?:rity|rities)?\b/i;

/** Cuts every priority named in a listing request: "high and medium priority", "urgent", "p3". */
export function cutPriorities(text: string): Cut<Priority[]> {
  const found: Priority[] = [];
  let rest = text;
  const list = cutFirst(rest, PRIORITY_LIST);
  if (list) {
    found.push(...(list.match[1] ?? '').split(/[^a-z]+/i).map((w) => PRIORITY_WORDS[w.toLowerCase()]).filter((p) => p !== undefined));
    rest = list.rest;
  }
  for (let cut = cutPriority(rest); cut; cut = cutPriority(rest)) {
    found.push(cut.value);
    rest = cut.rest;
  }
  return { value: [...new Set(found)], rest };
}

/** "top 5", "first 10", a count right after the verb ("show 5 tasks"): capped at 100. */
export function cutLimit(text: string): Cut<number> | null {
  const cut = cutFirst(text, /(?:\b(?:top|first|next)\s+|^)(\d{1,3})\b/i);
  const n = Number(cut?.match[1] ?? 0);
  return cut && n >= 1 ? { value: Math.min(n, 100), rest: cut.rest } : null;
}

export type SortField = 'due_date' | 'priority' | 'title' | 'created_at';
const SORT_KEYS: readonly [RegExp, SortField][] = [
  [/\b(?:creation(?:\s+date|\s+time)?|created(?:\s+date|\s+at)?|date\s+(?:created|added)|when\s+(?:created|added)|age)\b/i, 'created_at'],
  [/\b(?:due(?:\s+dates?)?|deadlines?|dates?)\b/i, 'due_date'],
  [/\b(?:priority|priorities|importance|urgency)\b/i, 'priority'],
  [/\b(?:titles?|names?|alphabetical(?:ly)?)\b/i, 'title'],
];
export const sortFieldIn = (text: string): SortField | null => SORT_KEYS.find(([re]) => re.test(text))?.[1] ?? null;

const DESCENDING = /\b(?:desc(?:ending)?|reversed?|z\s*(?:-|to)\s*a|highest\s+first|newest\s+first|latest\s+first|most\s+recent\s+first)\b/i;
const ASCENDING = /\b(?:asc(?:ending)?|a\s*(?:-|to)\s*z|lowest\s+first|oldest\s+first|earliest\s+first|soonest\s+first)\b/i;
export function sortOrderIn(text: string): 'asc' | 'desc' | null {
  if (DESCENDING.test(text)) return 'desc';
  return ASCENDING.test(text) ? 'asc' : null;
}

const FILLER = new Set(
  ('my the a an tasks task todos todo to-dos to-do items item things thing list lists me on i i\'m have got to do is are ' +
    'there any what which that of in for currently right now still need should stuff anything left due with and or ' +
    'priority up coming').split(' '),
);
/** True when a listing request has nothing left but words that carry no filter. */
export const onlyFiller = (text: string): boolean => plainWords(text).split(' ').every((w) => w === '' || FILLER.has(w));
