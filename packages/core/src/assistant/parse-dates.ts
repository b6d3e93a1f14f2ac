// Date, time and repetition phrases of the built-in assistant parser ("tomorrow at 5pm", "in 2 hours",
// "dec 3", "every monday and thursday"). The clock is passed in; calendar maths uses time/zoned.ts.
import { WEEKDAYS } from '../vocabulary.ts';
import { addDays, daysInMonth, epochDay, isValidDate, toLocal, weekday, type LocalDate, type LocalDateTime } from '../time/zoned.ts';
import { cutFirst, DURATION, durationMinutes, NUM, numberValue, parseTaskRef, type Cut } from './parse-words.ts';

/** The moment a message is read, in the user's zone. */
export interface Clock {
  now: Date;
  timezone: string;
  local: LocalDateTime;
  today: LocalDate;
}

export function clockAt(now: Date, timezone: string): Clock {
  const local = toLocal(now, timezone);
  return { now, timezone, local, today: { year: local.year, month: local.month, day: local.day } };
}

export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** Dates and times named in a message, before defaults are filled in. */
export interface When {
  date?: LocalDate;
  time?: TimeOfDay;
  /** Used when no time is named: "tonight" is 20:00 unless "tonight at 9pm". */
  defaultTime?: TimeOfDay;
  /** Relative to the current instant ("in 2 hours"): date and time at once. */
  exact?: LocalDateTime;
}

export type Weekday = (typeof WEEKDAYS)[number];
const DAY = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const DAY_SHORT = '(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)';
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const MONTH_PREFIXES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Words that only join a date to the sentence: "due on friday", "by tomorrow".
const LEAD = String.raw`(?:\b(?:due(?:\s+on|\s+by)?|by|on|for)\s+)?`;

const pad = (n: number): string => String(n).padStart(2, '0');
export const formatDate = (d: LocalDate): string => `${String(d.year).padStart(4, '0')}-${pad(d.month)}-${pad(d.day)}`;
const formatDateTime = (d: LocalDate, t: TimeOfDay): string => `${formatDate(d)}T${pad(t.hour)}:${pad(t.minute)}`;

const weekdayOf = (d: LocalDate): number => weekday(d.year, d.month, d.day);
const dayIndex = (name: string): number => ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(name.slice(0, 3).toLowerCase());
const monthIndex = (name: string): number => MONTH_PREFIXES.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** The next date with ISO weekday `target` (0 = Monday), after today or from today on. */
export function nextWeekday(today: LocalDate, target: number, includeToday: boolean): LocalDate {
  const ahead = (target - weekdayOf(today) + 7) % 7;
  return addDays(today, ahead === 0 && !includeToday ? 7 : ahead);
}

/** "friday" (after today), "this friday" (today on), "next friday" (in next week, which starts on Monday). */
function weekdayNamed(c: Clock, target: number, qualifier: string | undefined): LocalDate {
  const q = (qualifier ?? '').toLowerCase();
  if (q === 'next') return nextWeekday(nextWeekday(c.today, 0, false), target, true);
  return nextWeekday(c.today, target, q === 'this');
}

function addMonths(d: LocalDate, months: number): LocalDate {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** "dec 3": this year unless that day is past, then the next year having that date. */
function monthDayAhead(today: LocalDate, month: number, day: number, year: number | null): LocalDate | null {
  if (year !== null) return isValidDate(year, month, day) ? { year, month, day } : null;
  for (let y = today.year; y <= today.year + 8; y++) {
    if (isValidDate(y, month, day) && epochDay({ year: y, month, day }) >= epochDay(today)) return { year: y, month, day };
  }
  return null;
}

/** "the 1st": the next month (this one included) whose such day is today or later. */
function dayOfMonthAhead(today: LocalDate, day: number): LocalDate | null {
  for (let i = 0; i < 12; i++) {
    const { year, month } = addMonths({ ...today, day: 1 }, i);
    if (isValidDate(year, month, day) && epochDay({ year, month, day }) >= epochDay(today)) return { year, month, day };
  }
  return null;
}

function inDays(c: Clock, count: number, unit: string): LocalDate {
  const u = unit.toLowerCase();
  if (u.startsWith('month')) return addMonths(c.today, count);
  if (u.startsWith('year')) return addMonths(c.today, count * 12);
  return addDays(c.today, u.startsWith('week') ? count * 7 : count);
}

export type Rule<T> = { re: RegExp; read: (m: RegExpExecArray, c: Clock) => T | null };
const num = (s: string | undefined): number => Number(s ?? Number.NaN);

export const DATE_RULES: readonly Rule<When>[] = [
  {
    re: new RegExp(String.raw`${LEAD}\b(\d{4})-(\d{2})-(\d{2})(?:[t\s](\d{2}):(\d{2}))?\b`, 'i'),
    read: (m) => {
      const [year, month, day] = [num(m[1]), num(m[2]), num(m[3])];
      if (!isValidDate(year, month, day)) return null;
      const time = m[4] === undefined ? undefined : { hour: num(m[4]), minute: num(m[5]) };
      return time && (time.hour > 23 || time.minute > 59) ? null : { date: { year, month, day }, time };
    },
  },
  { re: new RegExp(String.raw`${LEAD}\b(?:the\s+)?day\s+after\s+tomorrow\b`, 'i'), read: (_m, c) => ({ date: addDays(c.today, 2) }) },
  { re: new RegExp(String.raw`${LEAD}\b(?:tomorrow|tmrw|tmr)\b`, 'i'), read: (_m, c) => ({ date: addDays(c.today, 1) }) },
  { re: new RegExp(String.raw`${LEAD}\btoday\b`, 'i'), read: (_m, c) => ({ date: c.today }) },
  { re: /\b(?:by\s+|before\s+|at\s+)?(?:the\s+)?(?:end\s+of\s+(?:the\s+)?day|eod|close\s+of\s+business|cob)\b/i, read: (_m, c) => ({ date: c.today }) },
  {
    // "before july": the last day before that month; "by july": its first day.
    re: new RegExp(String.raw`\b(before|by)\s+(${MONTH})\b(?!\s*\d)`, 'i'),
    read: (m, c) => {
      const month = monthIndex(m[2] ?? '');
      const first = monthDayAhead(c.today, month, 1, null);
      if (!first) return null;
      return { date: (m[1] ?? '').toLowerCase() === 'before' ? addDays(first, -1) : first };
    },
  },
  // A date that has passed is read as said (quick add asks about it; nothing moves it forward).
  { re: new RegExp(String.raw`${LEAD}\byesterday\b`, 'i'), read: (_m, c) => ({ date: addDays(c.today, -1) }) },
  {
    re: new RegExp(String.raw`${LEAD}\b(?:tonight|this\s+evening)\b`, 'i'),
    read: (_m, c) => ({ date: c.today, defaultTime: { hour: 20, minute: 0 } }),
  },
  {
    re: new RegExp(String.raw`\bin\s+(${NUM})\s+(days?|weeks?|months?|years?)\b`, 'i'),
    read: (m, c) => {
      const count = numberValue(m[1] ?? '');
      return count === null ? null : { date: inDays(c, count, m[2] ?? '') };
    },
  },
  { re: new RegExp(String.raw`${LEAD}\bnext\s+week\b`, 'i'), read: (_m, c) => ({ date: nextWeekday(c.today, 0, false) }) },
  {
    // "this week", "by the end of the week": its Sunday.
    re: /\b(?:(?:by|before|until)\s+)?(?:(?:the\s+)?end\s+of\s+(?:the|this)\s+week|this\s+week)\b/i,
    read: (_m, c) => ({ date: nextWeekday(c.today, 6, true) }),
  },
  { re: new RegExp(String.raw`${LEAD}\bnext\s+month\b`, 'i'), read: (_m, c) => ({ date: addMonths({ ...c.today, day: 1 }, 1) }) },
  { re: new RegExp(String.raw`${LEAD}\b(?:this\s+|the\s+)?weekend\b`, 'i'), read: (_m, c) => ({ date: nextWeekday(c.today, 5, true) }) },
  {
    // A bare weekday is the next one after today; "this friday" may be today; "next friday" is the
    // Friday of next week (on a Monday, "next tuesday" is eight days away, not tomorrow).
    re: new RegExp(String.raw`${LEAD}\b(?:(next|this|coming|this\s+coming|the\s+coming)\s+)?(${DAY})\b`, 'i'),
    read: (m, c) => ({ date: weekdayNamed(c, dayIndex(m[2] ?? ''), m[1]) }),
  },
  {
    // "fri", "next tue", "on thu 9am": short names only where they cannot be a word of the title
    // (after next/this/on/by/due, or right before a time), so "sun cream" stays a title.
    re: new RegExp(String.raw`\b(?:(?:(next|this)|on|by|due(?:\s+on)?)\s+(${DAY_SHORT})\b\.?|(${DAY_SHORT})\b\.?(?=\s+(?:at\s+)?\d))`, 'i'),
    read: (m, c) => ({ date: weekdayNamed(c, dayIndex(m[2] ?? m[3] ?? ''), m[1]) }),
  },
  {
    re: new RegExp(String.raw`${LEAD}\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTH})\b\.?(?:,?\s+(\d{4})\b)?`, 'i'),
    read: (m, c) => optionalDate(monthDayAhead(c.today, monthIndex(m[2] ?? ''), num(m[1]), m[3] === undefined ? null : num(m[3]))),
  },
  {
    re: new RegExp(String.raw`${LEAD}\b(${MONTH})\b\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`, 'i'),
    read: (m, c) => optionalDate(monthDayAhead(c.today, monthIndex(m[1] ?? ''), num(m[2]), m[3] === undefined ? null : num(m[3]))),
  },
  {
    re: new RegExp(String.raw`${LEAD}\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b`, 'i'),
    read: (m, c) => optionalDate(dayOfMonthAhead(c.today, num(m[1]))),
  },
];
const optionalDate = (date: LocalDate | null): When | null => (date ? { date } : null);

const AT = String.raw`(?:\b(?:at|by|around)\s+|@\s*)?`;
export const TIME_RULES: readonly Rule<TimeOfDay>[] = [
  {
    re: new RegExp(String.raw`${AT}\b(\d{1,2})(?::([0-5]\d))?\s*([ap])\.?m\b\.?`, 'i'),
    read: (m) => {
      const hour = num(m[1]);
      if (hour < 1 || hour > 12) return null;
      return { hour: (hour % 12) + ((m[3] ?? '').toLowerCase() === 'p' ? 12 : 0), minute: m[2] === undefined ? 0 : num(m[2]) };
    },
  },
  { re: new RegExp(String.raw`${AT}\b([01]?\d|2[0-3]):([0-5]\d)\b`, 'i'), read: (m) => ({ hour: num(m[1]), minute: num(m[2]) }) },
  { re: new RegExp(String.raw`${AT}\b(?:noon|midday)\b`, 'i'), read: () => ({ hour: 12, minute: 0 }) },
  { re: /\b(?:at\s+)?midnight\b/i, read: () => ({ hour: 23, minute: 59 }) },
  { re: /\b(?:(?:right\s+)?after|past)\s+lunch(?:time)?\b/i, read: () => ({ hour: 13, minute: 0 }) },
  { re: /\b(?:in\s+the\s+|this\s+)?morning\b/i, read: () => ({ hour: 9, minute: 0 }) },
  { re: /\b(?:in\s+the\s+|this\s+)?afternoon\b/i, read: () => ({ hour: 15, minute: 0 }) },
  { re: /\b(?:in\s+the\s+)?evening\b/i, read: () => ({ hour: 19, minute: 0 }) },
  {
    // "at 5" without am/pm: 1-7 are read as afternoon or evening hours, 8-23 as on a 24-hour clock.
    re: /(?:\bat\s+|@\s*)([01]?\d|2[0-3])(?![\d:.]|\s*(?:%|percent|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b)/i,
    read: (m) => {
      const hour = num(m[1]);
      return hour === 0 ? null : { hour: hour <= 7 ? hour + 12 : hour, minute: 0 };
    },
  },
];

// Minutes and hours from now count on the real clock (a DST change in between is honoured).
export const FROM_NOW = new RegExp(String.raw`\bin\s+(half\s+an\s+hour|${NUM}\s*(?:minutes?|mins?|hours?|hrs?)\b)`, 'i');

function firstMatch<T>(text: string, rules: readonly Rule<T>[], c: Clock): Cut<T> | null {
  for (const rule of rules) {
    const cut = cutFirst(text, rule.re);
    const value = cut && rule.read(cut.match, c);
    if (cut && value) return { value, rest: cut.rest };
  }
  return null;
}

/** Cuts a date and a time phrase out of `text`; null when it names neither. */
export function cutWhen(text: string, c: Clock): Cut<When> | null {
  const relative = cutFirst(text, FROM_NOW);
  const minutes = relative && durationMinutes(relative.match[1] ?? '');
  if (relative && minutes !== null) {
    return { value: { exact: toLocal(new Date(c.now.getTime() + minutes * 60_000), c.timezone) }, rest: relative.rest };
  }
  const date = firstMatch(text, DATE_RULES, c);
  let rest = date?.rest ?? text;
  const when: When = { ...date?.value };
  if (when.time === undefined) {
    const time = firstMatch(rest, TIME_RULES, c);
    if (time) [when.time, rest] = [time.value, time.rest];
    // "tonight at 8" is 20:00, unless "am" was said.
    const evening = when.defaultTime && when.defaultTime.hour >= 17;
    if (evening && when.time && when.time.hour >= 1 && when.time.hour < 12 && !/\d\s*a\.?m\b/i.test(text)) when.time = { ...when.time, hour: when.time.hour + 12 };
  }
  return date || when.time ? { value: when, rest } : null;
}

/** The whole text is a date phrase ("friday 5pm", "next monday"): nothing but joining words is left. */
export function wholeWhen(text: string, clock: Clock): When | null {
  const cut = cutWhen(text, clock);
  return cut && /^(?:(?:on|at|the|due|to|for)\s*)*$/i.test(cut.rest) ? cut.value : null;
}

/** Tries each " to " (or other separator) in turn: "move go to gym to friday" → "go to gym" + "friday". */
export function refThenDate(body: string, separator: RegExp, clock: Clock): { ref: string; when: When } | null {
  for (const m of body.matchAll(new RegExp(separator.source, 'giu'))) {
    const ref = body.slice(0, m.index);
    const when = wholeWhen(body.slice(m.index + m[0].length), clock);
    if (when && parseTaskRef(ref)) return { ref, when };
  }
  return null;
}

const minuteOfDay = (t: TimeOfDay): number => t.hour * 60 + t.minute;
/** True when `time` today is still ahead of the clock (the current minute counts as gone). */
export const isAheadToday = (time: TimeOfDay, c: Clock): boolean => minuteOfDay(time) > minuteOfDay(c.local);

/** The ISO string for a When: a date-time when a time is known, else a date; a bare time is the next such time. */
export function whenToString(when: When, c: Clock): string {
  if (when.exact) return formatDateTime(when.exact, when.exact);
  const time = when.time ?? when.defaultTime;
  const date = when.date ?? (time && !isAheadToday(time, c) ? addDays(c.today, 1) : c.today);
  return time ? formatDateTime(date, time) : formatDate(date);
}

// ---------------------------------------------------------------------------------------------
// Repetition

export interface Repeat {
  pattern: 'daily' | 'weekly' | 'monthly' | 'yearly';
  interval?: number;
  by_weekday?: Weekday[];
}

const WORKDAYS: Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
const LIST_SEP = String.raw`\s*(?:,|&|\band\b)\s*(?:and\s+)?`;
const UNIT_PATTERN: Readonly<Record<string, Repeat['pattern']>> = { day: 'daily', week: 'weekly', month: 'monthly', year: 'yearly' };
const ADVERB_REPEAT: Readonly<Record<string, Repeat>> = {
  daily: { pattern: 'daily' },
  weekly: { pattern: 'weekly' },
  monthly: { pattern: 'monthly' },
  yearly: { pattern: 'yearly' },
  annually: { pattern: 'yearly' },
  fortnightly: { pattern: 'weekly', interval: 2 },
  biweekly: { pattern: 'weekly', interval: 2 },
};

/** Weekday codes named in a text, in week order. */
function weekdaysIn(text: string): Weekday[] {
  const found = new Set([...text.matchAll(new RegExp(DAY, 'gi'))].map((m) => dayIndex(m[0])));
  return WEEKDAYS.filter((_code, i) => found.has(i));
}

const withInterval = (repeat: Repeat, interval: number | null): Repeat | null => {
  if (interval === null || interval < 1 || interval > 365) return null;
  return interval === 1 ? repeat : { ...repeat, interval };
};

/** "daily", "weekly", …: also an adjective in a title ("Weekly review"), which quick add tells apart. */
export const ADVERB_REPEAT_RULE: Rule<Repeat> = {
  re: /\b(daily|weekly|monthly|yearly|annually|fortnightly|bi-?weekly)\b/i,
  read: (m) => ADVERB_REPEAT[(m[1] ?? '').toLowerCase().replace('-', '')] ?? null,
};

export const REPEAT_RULES: readonly Rule<Repeat>[] = [
  {
    re: /\b(?:(?:every|each)\s+(?:week\s*day|work\s*day|working\s+day|business\s+day)s?|on\s+weekdays|weekdays)\b/i,
    read: () => ({ pattern: 'weekly', by_weekday: WORKDAYS }),
  },
  { re: /\b(?:(?:every|each)\s+weekends?|on\s+weekends|weekends)\b/i, read: () => ({ pattern: 'weekly', by_weekday: ['SA', 'SU'] }) },
  {
    re: new RegExp(String.raw`\b(?:every|each)\s+(other\s+)?(${DAY}s?(?:${LIST_SEP}${DAY}s?)*)\b`, 'i'),
    read: (m) => withInterval({ pattern: 'weekly', by_weekday: weekdaysIn(m[2] ?? '') }, m[1] ? 2 : 1),
  },
  {
    re: new RegExp(String.raw`\bon\s+(${DAY}s(?:${LIST_SEP}${DAY}s)*)\b`, 'i'),
    read: (m) => ({ pattern: 'weekly', by_weekday: weekdaysIn(m[1] ?? '') }),
  },
  {
    re: new RegExp(String.raw`\b(?:every|each)\s+(?:(other)\s+|(${NUM})\s+)?(day|week|month|year)s?\b`, 'i'),
    read: (m) => {
      const pattern = UNIT_PATTERN[(m[3] ?? '').toLowerCase()];
      const interval = m[1] ? 2 : m[2] === undefined ? 1 : numberValue(m[2]);
      return pattern ? withInterval({ pattern }, interval) : null;
    },
  },
  ADVERB_REPEAT_RULE,
];

/** Cuts a repetition phrase ("every monday and thursday", "every 2 weeks", "daily") out of `text`. */
export const cutRepeat = (text: string, c: Clock): Cut<Repeat> | null => firstMatch(text, REPEAT_RULES, c);

/** The first day of a weekday rule: the first matching day from today on whose time is still ahead. */
export function firstRepeatDate(days: readonly Weekday[], c: Clock, time: TimeOfDay | undefined): LocalDate {
  for (let i = 0; i < 8; i++) {
    const date = addDays(c.today, i);
    const todayTooLate = i === 0 && time !== undefined && !isAheadToday(time, c);
    if (days.includes(WEEKDAYS[weekdayOf(date)] ?? 'MO') && !todayTooLate) return date;
  }
  return c.today;
}

// ---------------------------------------------------------------------------------------------
// Due ranges for filters

export interface DueRange {
  due_after: string;
  due_before: string;
}

const range = (from: LocalDate, to: LocalDate): DueRange => ({ due_after: formatDate(from), due_before: formatDate(to) });

/** "due today", "due this week" (today to Sunday), "due next week" (Monday to Sunday), "this month". */
const RANGE_RULES: readonly Rule<DueRange>[] = [
  { re: /\b(?:due\s+|for\s+)?today(?:'s)?\b/i, read: (_m, c) => range(c.today, c.today) },
  { re: /\b(?:due\s+|for\s+)?(?:tomorrow|tmrw)(?:'s)?\b/i, read: (_m, c) => range(addDays(c.today, 1), addDays(c.today, 1)) },
  { re: /\b(?:due\s+|for\s+)?this\s+week(?:'s)?\b/i, read: (_m, c) => range(c.today, nextWeekday(c.today, 6, true)) },
  {
    re: /\b(?:due\s+|for\s+)?next\s+week(?:'s)?\b/i,
    read: (_m, c) => range(nextWeekday(c.today, 0, false), addDays(nextWeekday(c.today, 0, false), 6)),
  },
  {
    re: /\b(?:due\s+|for\s+)?this\s+month(?:'s)?\b/i,
    read: (_m, c) => range(c.today, { ...c.today, day: daysInMonth(c.today.year, c.today.month) }),
  },
];

/** Cuts a due-date window out of a listing request; "due before friday" / "due by friday" / "due friday" too. */
export function cutDueRange(text: string, c: Clock): Cut<Partial<DueRange>> | null {
  const named = firstMatch(text, RANGE_RULES, c);
  if (named) return named;
  const lead = cutFirst(text, /\bdue\s+(before|by|until|till|after|since|from|on)?\b/i);
  const when = lead && cutWhen(lead.rest, c);
  const day = when?.value.date;
  if (!lead || !when || !day) return null;
  const word = (lead.match[1] ?? 'on').toLowerCase();
  const rest = when.rest;
  if (word === 'before') return { value: { due_before: formatDate(addDays(day, -1)) }, rest };
  if (word === 'after') return { value: { due_after: formatDate(addDays(day, 1)) }, rest };
  if (word === 'since' || word === 'from') return { value: { due_after: formatDate(day) }, rest };
  if (word === 'on') return { value: range(day, day), rest };
  return { value: { due_before: formatDate(day) }, rest };
}
