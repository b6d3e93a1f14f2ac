// Quick add: one line read into a new task, with where each recognised phrase sits in the line, so
// the web app can highlight them while the user types and turn one back into title text. Zod-free
// (the browser runs it through `@dueflow/core/browser`); POST /api/v1/tasks/quick-add runs it too.
//
// Rules that make it predictable:
// - quoted text is always title ("Read "Dune" by …" keeps every word), and so is any phrase the user
//   turned back into text (`literals`);
// - the title is never shortened: a title over the limit is reported, not cut;
// - a word that describes the next word is title, not a field: "Weekly review", "Morning run",
//   "Important documents" (but "review weekly", "run tomorrow morning", "call mom asap" are fields);
// - a date or time that has passed is kept as said and flagged (`past`), never moved forward.
import { fromLocal, type LocalDate } from '../time/zoned.ts';
import { type Priority, REMIND_BEFORE_MAX_MINUTES, TITLE_MAX } from '../vocabulary.ts';
import {
  ADVERB_REPEAT_RULE,
  clockAt,
  type Clock,
  DATE_RULES,
  firstRepeatDate,
  formatDate,
  FROM_NOW,
  REPEAT_RULES,
  type Repeat,
  type Rule,
  TIME_RULES,
  type TimeOfDay,
  type Weekday,
} from './parse-dates.ts';
import {
  durationMinutes,
  HASH_TAG,
  LOOSE_END,
  LOOSE_START,
  NAMED_TAGS,
  normalizeTags,
  PRIORITY_IN_TEXT,
  PRIORITY_WORDS,
  REMIND_BARE,
  REMIND_BEFORE,
  squeeze,
  tagWords,
} from './parse-words.ts';

export type QuickAddPartKind = 'date' | 'time' | 'repeat' | 'priority' | 'tag' | 'reminder';

/** A recognised phrase: `text` is `line.slice(start, end)`. */
export interface QuickAddPart {
  kind: QuickAddPartKind;
  start: number;
  end: number;
  text: string;
}

/** The fields of POST /api/v1/tasks; dates are local ("2026-12-01" or "2026-12-01T17:00") in the user's zone. */
export interface QuickAddRequest {
  title: string;
  priority?: Priority;
  tags?: string[];
  due_date?: string;
  remind_before_minutes?: number;
  recurrence?: { pattern: Repeat['pattern']; interval?: number; by_weekday?: Weekday[] };
}

export interface QuickAddReading {
  /** What is left for the title, never shortened ('' when nothing is). */
  title: string;
  parts: QuickAddPart[];
  /** The due date: named, or the first day of a weekday repetition, or the view's default (`implicit`). */
  due: { date: LocalDate; time: TimeOfDay | null; implicit: boolean } | null;
  /** The due date or time has already passed: the user is asked before the task is added. */
  past: boolean;
  priority: Priority | null;
  tags: string[];
  remindBeforeMinutes: number | null;
  repeat: Repeat | null;
  /** TITLE_EMPTY: nothing is left for a title (the line becomes the title as typed, without fields). */
  problem: 'TITLE_EMPTY' | 'TITLE_TOO_LONG' | null;
  request: QuickAddRequest;
}

export interface QuickAddOptions {
  /** Phrases the user turned back into title text (matched anywhere, ignoring case). */
  literals?: readonly string[];
  /** The due date when the line names none (the Today view adds to today). */
  defaultDate?: LocalDate;
}

const CLAIMED = '\u0001';
const PROTECTED = '\u0002';
/** Quoted text: a quote that opens at a word start and closes at a word end ("don't" is no quote). */
const QUOTED = /(^|\s)(["'])(.+?)\2(?=[\s,.;:!?]|$)/gu;
const WORD_AFTER = /^\s*[\p{L}\p{N}]/u;
const BARE_TIME_WORD = /^(?:morning|afternoon|evening|noon|midday|midnight)$/i;
const BARE_PRIORITY_WORD = /^(?:urgent|important|asap|p[123])$/i;

/** Curly quotes as straight ones, one for one (positions stay). */
const straightQuotes = (s: string): string => s.replace(/[\u2018\u2019\u201A\u201B\u2032`]/g, "'").replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"');

class Line {
  readonly parts: QuickAddPart[] = [];
  private masked: string;

  constructor(
    readonly text: string,
    literals: readonly string[],
  ) {
    this.masked = straightQuotes(text);
    for (const m of this.masked.matchAll(QUOTED)) this.protect((m.index ?? 0) + (m[1]?.length ?? 0), (m.index ?? 0) + m[0].length);
    const lower = this.masked.toLowerCase();
    for (const literal of literals) {
      const needle = literal.trim().toLowerCase();
      if (!needle) continue;
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) this.protect(at, at + needle.length);
    }
  }

  private protect(start: number, end: number): void {
    this.masked = this.masked.slice(0, start) + PROTECTED.repeat(end - start) + this.masked.slice(end);
  }

  /** The first match of `re` in what is still unread. */
  find(re: RegExp): RegExpExecArray | null {
    return new RegExp(re.source, re.flags.replace('g', '')).exec(this.masked);
  }

  /** Whether a plain word follows the match (then a describing word belongs to the title). */
  wordAfter(m: RegExpExecArray): boolean {
    return WORD_AFTER.test(this.masked.slice(m.index + m[0].length));
  }

  /** Marks the match as read (surrounding spaces excluded) and notes it as a part. */
  claim(kind: QuickAddPartKind, m: RegExpExecArray): void {
    let start = m.index;
    let end = m.index + m[0].length;
    while (start < end && /\s/.test(this.text[start] ?? '')) start++;
    while (end > start && /\s/.test(this.text[end - 1] ?? '')) end--;
    this.masked = this.masked.slice(0, start) + CLAIMED.repeat(end - start) + this.masked.slice(end);
    this.parts.push({ kind, start, end, text: this.text.slice(start, end) });
  }

  /** The first rule whose match reads to a value: claimed, its value returned. */
  firstRule<T>(kind: QuickAddPartKind, rules: readonly Rule<T>[], clock: Clock, accept: (m: RegExpExecArray) => boolean = () => true): T | null {
    for (const rule of rules) {
      const m = this.find(rule.re);
      const value = m && accept(m) ? rule.read(m, clock) : null;
      if (m && value) {
        this.claim(kind, m);
        return value;
      }
    }
    return null;
  }

  /** The text without what was read: the title, never shortened. */
  title(): string {
    let out = '';
    for (let i = 0; i < this.text.length; i++) out += this.masked[i] === CLAIMED ? ' ' : this.text[i];
    let s = squeeze(straightQuotes(out).normalize('NFC').replace(/\s+([,;:])/g, '$1'));
    for (let before = ''; before !== s; ) {
      before = s;
      s = s.replace(LOOSE_START, '').replace(LOOSE_END, '').trim();
    }
    const whole = /^(["'])(.+)\1$/s.exec(s);
    return (whole?.[2] ?? s).trim();
  }
}

const sameDay = (a: LocalDate, b: LocalDate): boolean => a.year === b.year && a.month === b.month && a.day === b.day;
const pad = (n: number): string => String(n).padStart(2, '0');

/** Reads `text` at `now` in `timezone`. */
export function readQuickAdd(text: string, ctx: { now: Date; timezone: string }, options: QuickAddOptions = {}): QuickAddReading {
  const clock = clockAt(ctx.now, ctx.timezone);
  const line = new Line(text, options.literals ?? []);

  // Repetition first, so "every monday" is not read as a date; the adverbs ("weekly") last.
  const repeatRules = REPEAT_RULES.filter((r) => r !== ADVERB_REPEAT_RULE);
  let repeat = line.firstRule('repeat', repeatRules, clock);

  let remindBeforeMinutes: number | null = null;
  const remind = line.find(REMIND_BEFORE);
  const minutes = remind ? durationMinutes(remind[1] ?? '') : null;
  if (remind && minutes !== null && minutes <= REMIND_BEFORE_MAX_MINUTES) {
    line.claim('reminder', remind);
    remindBeforeMinutes = minutes;
  } else {
    const bare = line.find(REMIND_BARE);
    if (bare) {
      line.claim('reminder', bare);
      remindBeforeMinutes = 0;
    }
  }

  const tagWordsFound: string[] = [];
  for (let m = line.find(NAMED_TAGS); m; m = line.find(NAMED_TAGS)) {
    tagWordsFound.push(...tagWords(m[1] ?? ''));
    line.claim('tag', m);
  }
  for (let m = line.find(HASH_TAG); m; m = line.find(HASH_TAG)) {
    tagWordsFound.push(m[1] ?? '');
    line.claim('tag', m);
  }
  const tags = normalizeTags(tagWordsFound);

  let priority: Priority | null = null;
  for (const re of PRIORITY_IN_TEXT) {
    const m = line.find(re);
    const word = m?.[1];
    if (!m || word === undefined) continue;
    const value = word.startsWith('!') ? 'high' : PRIORITY_WORDS[word.toLowerCase()];
    if (!value) continue;
    // "Important documents": a describing word, not a priority.
    if (BARE_PRIORITY_WORD.test(m[0].trim()) && line.wordAfter(m)) continue;
    line.claim('priority', m);
    priority = value;
    break;
  }

  let exact: { date: LocalDate; time: TimeOfDay } | null = null;
  let date: LocalDate | null = null;
  let time: TimeOfDay | null = null;
  let defaultTime: TimeOfDay | null = null;
  const fromNow = line.find(FROM_NOW);
  const fromNowMinutes = fromNow ? durationMinutes(fromNow[1] ?? '') : null;
  if (fromNow && fromNowMinutes !== null) {
    line.claim('date', fromNow);
    const at = clockAt(new Date(ctx.now.getTime() + fromNowMinutes * 60_000), ctx.timezone).local;
    exact = { date: { year: at.year, month: at.month, day: at.day }, time: { hour: at.hour, minute: at.minute } };
  } else {
    const when = line.firstRule('date', DATE_RULES, clock);
    if (when) {
      date = when.date ?? null;
      time = when.time ?? null;
      defaultTime = when.defaultTime ?? null;
    }
    if (!time) {
      time = line.firstRule('time', TIME_RULES, clock, (m) => !(BARE_TIME_WORD.test(m[0].trim()) && line.wordAfter(m)));
    }
  }

  if (!repeat) {
    const adverb = line.find(ADVERB_REPEAT_RULE.re);
    const value = adverb && !line.wordAfter(adverb) ? ADVERB_REPEAT_RULE.read(adverb, clock) : null;
    if (adverb && value) {
      line.claim('repeat', adverb);
      repeat = value;
    }
  }

  // The due date, as said; a repetition on weekdays without a date starts on its first such day.
  let due: QuickAddReading['due'] = null;
  if (exact) due = { ...exact, implicit: false };
  else {
    const t = time ?? defaultTime;
    if (date) due = { date, time: t, implicit: false };
    else if (repeat?.by_weekday) due = { date: firstRepeatDate(repeat.by_weekday, clock, t ?? undefined), time: t, implicit: false };
    else if (t) due = { date: clock.today, time: t, implicit: false };
    else if (options.defaultDate && !repeat) due = { date: options.defaultDate, time: null, implicit: true };
  }
  let past = false;
  if (due) {
    const end = due.time ?? { hour: 23, minute: 59 };
    const instant = fromLocal({ ...due.date, hour: end.hour, minute: end.minute, second: due.time ? 0 : 59 }, ctx.timezone);
    past = due.time ? instant.getTime() <= ctx.now.getTime() : instant.getTime() < ctx.now.getTime() && !sameDay(due.date, clock.today);
  }

  const title = line.title();
  const problem = title === '' ? 'TITLE_EMPTY' : title.length > TITLE_MAX ? 'TITLE_TOO_LONG' : null;
  const parts = [...line.parts].sort((a, b) => a.start - b.start);
  const reading: QuickAddReading = { title, parts, due, past, priority, tags, remindBeforeMinutes, repeat, problem, request: { title } };
  if (problem === 'TITLE_EMPTY') {
    // Nothing left for a title ("tomorrow"): the line is the title as typed, and nothing else is read.
    return { ...reading, title: text.trim(), parts: [], due: null, past: false, priority: null, tags: [], remindBeforeMinutes: null, repeat: null, request: { title: text.trim() } };
  }
  const request: QuickAddRequest = { title };
  if (priority) request.priority = priority;
  if (tags.length > 0) request.tags = tags;
  if (due) request.due_date = due.time ? `${formatDate(due.date)}T${pad(due.time.hour)}:${pad(due.time.minute)}` : formatDate(due.date);
  // A reminder needs a due date; without one the phrase stays read but sets nothing.
  if (remindBeforeMinutes !== null && due) request.remind_before_minutes = remindBeforeMinutes;
  if (repeat) {
    request.recurrence = { pattern: repeat.pattern };
    if (repeat.interval !== undefined) request.recurrence.interval = repeat.interval;
    if (repeat.by_weekday) request.recurrence.by_weekday = repeat.by_weekday;
  }
  return { ...reading, request };
}

/** A whole text that is one date phrase ("tomorrow", "next fri", "dec 3", "2026-12-01"), or null. */
export function readDatePhrase(text: string, ctx: { now: Date; timezone: string }): LocalDate | null {
  const clock = clockAt(ctx.now, ctx.timezone);
  const line = new Line(text.trim(), []);
  const when = line.firstRule('date', DATE_RULES, clock);
  return when?.date && when.time === undefined && line.title() === '' ? when.date : null;
}

/** A whole text that is one time of day ("17:00", "5pm", "5:30 p.m.", "noon"), or null. */
export function readTimePhrase(text: string): TimeOfDay | null {
  const clock = clockAt(new Date(0), 'UTC');
  const line = new Line(text.trim().replace(/^(\d{1,2})[.h](\d{2})$/, '$1:$2'), []);
  const time = line.firstRule('time', TIME_RULES, clock);
  if (time && line.title() === '') return time;
  // "17" or "9": an hour on the 24-hour clock.
  const hour = /^([01]?\d|2[0-3])$/.exec(text.trim());
  return hour ? { hour: Number(hour[1]), minute: 0 } : null;
}
