// The task-level recurrence: what is stored on a task (JSON), how it is built from user input,
// and how the next due date is computed when an occurrence is completed.
import { validationError } from '../errors.ts';
import { assertTimeZone, fromLocal, isValidDate, toLocal, weekday, type LocalDateTime } from '../time/zoned.ts';
import { occurrencesAfter, occurrencesWithLocal } from './expand.ts';
import { formatRRule, parseRRule, WEEKDAY_CODES, type RRule, type Weekday } from './rrule.ts';

export type Pattern = 'daily' | 'weekly' | 'monthly' | 'yearly';
export type RecurrenceFrom = 'due' | 'completion';

export interface Recurrence {
  /** Canonical RRULE text (see formatRRule); UNTIL, if any, is a UTC instant. */
  rrule: string;
  pattern: Pattern | 'custom';
  interval: number;
  by_weekday: Weekday[] | null;
  from: RecurrenceFrom;
  /** ISO 8601 instant, inclusive. */
  until: string | null;
  count: number | null;
  /** IANA time zone the rule is evaluated in. */
  timezone: string;
  /** ISO 8601 instant: DTSTART of the series (the first due date). */
  anchor: string;
}

export type RecurrenceInput =
  | {
      pattern: Pattern;
      interval?: number;
      by_weekday?: Weekday[];
      from?: RecurrenceFrom;
      /** ISO date (the whole local day is included) or date-time (offset-less = local time in the zone). */
      until?: string;
      count?: number;
    }
  | { rrule: string; from?: RecurrenceFrom };

export interface NextOccurrenceContext {
  /** Due date of the occurrence being completed (null: use the anchor). */
  currentDue: Date | null;
  completedAt: Date;
  now: Date;
  /** 1-based number of the completed occurrence in its series, when the caller tracks it. */
  occurrenceNumber?: number;
}

export const INTERVAL_MAX = 365;
export const COUNT_MAX = 1000;

const PATTERN_NAMES: readonly Pattern[] = ['daily', 'weekly', 'monthly', 'yearly'];

function invalid(message: string, details?: unknown): never {
  throw validationError('INVALID_RECURRENCE', message, details);
}

function assertDate(value: unknown, name: string): Date {
  if (!(value instanceof Date) || !Number.isFinite(value.getTime())) invalid(`${name} is not a valid date`);
  return value;
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

const UNTIL_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * `until` of a pattern input: a date means the end of that local day (23:59:59) in `tz`;
 * a date-time with Z/offset is that instant; without offset it is a wall time in `tz`.
 */
function parseUntilInput(raw: unknown, tz: string): Date {
  if (typeof raw !== 'string') invalid('until must be an ISO 8601 date or date-time string');
  const m = UNTIL_RE.exec(raw.trim());
  if (!m) invalid(`until is not an ISO 8601 date or date-time: "${raw}"`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const dateOnly = m[4] === undefined;
  const hour = dateOnly ? 23 : Number(m[4]);
  const minute = dateOnly ? 59 : Number(m[5]);
  const second = dateOnly ? 59 : Number(m[6] ?? 0);
  if (year < 1 || !isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    invalid(`until is not a valid date: "${raw}"`);
  }
  const local: LocalDateTime = { year, month, day, hour, minute, second };
  const zone = m[7];
  if (zone === undefined) return fromLocal(local, tz);
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    const oh = Number(om?.[2] ?? 0);
    const omin = Number(om?.[3] ?? 0);
    if (!om || oh > 23 || omin > 59) invalid(`until has an invalid UTC offset: "${raw}"`);
    offsetMinutes = (om[1] === '-' ? -1 : 1) * (oh * 60 + omin);
  }
  return new Date(fromLocal(local, 'UTC').getTime() - offsetMinutes * 60_000);
}

function checkInterval(interval: unknown): number {
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1 || interval > INTERVAL_MAX) {
    invalid(`interval must be an integer from 1 to ${INTERVAL_MAX}`);
  }
  return interval;
}

function checkCount(count: unknown): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > COUNT_MAX) {
    invalid(`count must be an integer from 1 to ${COUNT_MAX}`);
  }
  return count;
}

function checkFrom(from: unknown): RecurrenceFrom {
  if (from === undefined) return 'due';
  if (from !== 'due' && from !== 'completion') invalid('from must be "due" or "completion"');
  return from;
}

const emptyRule = (freq: RRule['freq'], interval: number): RRule => ({
  freq,
  interval,
  count: null,
  until: null,
  untilLocal: null,
  byDay: [],
  byMonthDay: [],
  byMonth: [],
  bySetPos: [],
  byHour: [],
  byMinute: [],
  wkst: 'MO',
});

/** 28..d: the day of month `d`, or the month's last day when the month is shorter. */
function clampedMonthDays(d: number): number[] {
  const days: number[] = [];
  for (let v = 28; v <= d; v++) days.push(v);
  return days;
}

/** The RRULE a pattern produces for a series starting at wall time `start`. */
export function patternRule(pattern: Pattern, interval: number, byWeekday: Weekday[] | null, start: LocalDateTime): RRule {
  const startWeekday = WEEKDAY_CODES[weekday(start.year, start.month, start.day)] ?? 'MO';
  const plain = (list: Weekday[]) => list.map((w) => ({ weekday: w, n: null }));
  switch (pattern) {
    case 'daily':
      return emptyRule('DAILY', interval);
    case 'weekly':
      return { ...emptyRule('WEEKLY', interval), byDay: plain(byWeekday ?? [startWeekday]) };
    case 'monthly': {
      if (byWeekday) return { ...emptyRule('MONTHLY', interval), byDay: plain(byWeekday) };
      if (start.day <= 28) return { ...emptyRule('MONTHLY', interval), byMonthDay: [start.day] };
      return { ...emptyRule('MONTHLY', interval), byMonthDay: clampedMonthDays(start.day), bySetPos: [-1] };
    }
    case 'yearly': {
      const base = { ...emptyRule('YEARLY', interval), byMonth: [start.month] };
      if (start.month === 2 && start.day === 29) return { ...base, byMonthDay: [28, 29], bySetPos: [-1] };
      return { ...base, byMonthDay: [start.day] };
    }
  }
}

function checkWeekdays(pattern: Pattern, list: unknown): Weekday[] | null {
  if (list === undefined || list === null) return null;
  if (pattern !== 'weekly' && pattern !== 'monthly') invalid('by_weekday is only allowed with the weekly and monthly patterns');
  if (!Array.isArray(list) || list.length === 0) invalid('by_weekday must list at least one weekday');
  const out: Weekday[] = [];
  for (const w of list as unknown[]) {
    const code = WEEKDAY_CODES.find((c) => c === w);
    if (!code) invalid(`by_weekday: ${JSON.stringify(w)} is not one of MO, TU, WE, TH, FR, SA, SU`);
    if (out.includes(code)) invalid(`by_weekday lists ${code} more than once`);
    out.push(code);
  }
  return out.sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));
}

/** The pattern a raw rule is equivalent to, or 'custom'. */
function derivePattern(rule: RRule): Pattern | 'custom' {
  const noneBut = (...allowed: (keyof RRule)[]): boolean =>
    (['byDay', 'byMonthDay', 'byMonth', 'bySetPos', 'byHour', 'byMinute'] as const).every(
      (k) => allowed.includes(k) || rule[k].length === 0,
    ) && rule.wkst === 'MO';
  switch (rule.freq) {
    case 'DAILY':
      return noneBut() ? 'daily' : 'custom';
    case 'WEEKLY':
      return noneBut('byDay') && rule.byDay.every((d) => d.n === null) ? 'weekly' : 'custom';
    case 'MONTHLY':
      return noneBut() ? 'monthly' : 'custom';
    case 'YEARLY':
      return noneBut() ? 'yearly' : 'custom';
  }
}

/**
 * Builds the stored recurrence for a series whose first due date is `opts.anchor`.
 * Pattern inputs clamp month ends (monthly from Jan 31: Feb 28, Mar 31, Apr 30; yearly from
 * Feb 29: Feb 28 in common years). Raw `rrule` inputs follow RFC 5545 exactly. The same limits
 * apply to both (interval 1..365, count 1..1000, until not before the anchor, not both).
 * Throws INVALID_RECURRENCE, or INVALID_TIMEZONE for an unknown zone.
 */
export function buildRecurrence(input: RecurrenceInput, opts: { anchor: Date; timezone: string }): Recurrence {
  const timezone = assertTimeZone(opts.timezone);
  const anchor = wholeSeconds(assertDate(opts.anchor, 'anchor'));
  if (typeof input !== 'object' || input === null) invalid('recurrence must be an object');
  const start = toLocal(anchor, timezone);
  const from = checkFrom(input.from);

  let rule: RRule;
  let pattern: Pattern | 'custom';
  let byWeekday: Weekday[] | null;
  if ('rrule' in input) {
    if ('pattern' in input) invalid('give either pattern or rrule, not both');
    rule = parseRRule(input.rrule);
    // A task comes round at most once a day (HOURLY and MINUTELY are refused): one time of day.
    if (rule.byHour.length > 1 || rule.byMinute.length > 1) {
      invalid('BYHOUR and BYMINUTE take one value each (the time of day): a task repeats at most once a day');
    }
    if (rule.untilLocal !== null) {
      const { dateOnly: _dateOnly, ...local } = rule.untilLocal;
      rule = { ...rule, until: fromLocal(local, timezone), untilLocal: null };
    }
    checkInterval(rule.interval);
    if (rule.count !== null) checkCount(rule.count);
    pattern = derivePattern(rule);
    byWeekday = rule.byDay.length > 0 && rule.byDay.every((d) => d.n === null) ? rule.byDay.map((d) => d.weekday) : null;
  } else {
    const p = input.pattern;
    if (!PATTERN_NAMES.includes(p)) invalid(`pattern must be one of ${PATTERN_NAMES.join(', ')}`);
    const interval = checkInterval(input.interval ?? 1);
    byWeekday = checkWeekdays(p, input.by_weekday);
    rule = patternRule(p, interval, byWeekday, start);
    if (p === 'weekly') byWeekday = rule.byDay.map((d) => d.weekday);
    if (input.count !== undefined && input.until !== undefined) invalid('give either count or until, not both');
    if (input.count !== undefined) rule.count = checkCount(input.count);
    if (input.until !== undefined) rule.until = wholeSeconds(parseUntilInput(input.until, timezone));
    pattern = p;
  }
  if (rule.until !== null && rule.until.getTime() < anchor.getTime()) {
    invalid('until must not be before the first due date');
  }
  // A rule that never matches (e.g. Feb 30) would leave the task without a next date forever.
  if (occurrencesAfter(rule, start, timezone, anchor, true) === null) {
    invalid('the rule has no occurrence on or after the first due date');
  }
  const rrule = formatRRule(rule);
  return {
    rrule,
    pattern,
    interval: rule.interval,
    by_weekday: byWeekday,
    from,
    until: rule.until === null ? null : rule.until.toISOString(),
    count: rule.count,
    timezone,
    anchor: anchor.toISOString(),
  };
}

/** Negative, zero or positive as the calendar date of `a` is before, equal to or after that of `b`. */
function compareLocalDate(a: LocalDateTime, b: LocalDateTime): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function parseStoredInstant(value: string, name: string): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (!Number.isFinite(d.getTime())) invalid(`recurrence ${name} is not a valid ISO 8601 instant`);
  return d;
}

/** The stored rule, with a floating UNTIL (only possible in hand-written data) resolved in `tz`. */
function storedRule(rec: Recurrence, tz: string): RRule {
  const rule = parseRRule(rec.rrule);
  if (rule.untilLocal === null) return rule;
  const { dateOnly: _dateOnly, ...local } = rule.untilLocal;
  return { ...rule, until: fromLocal(local, tz), untilLocal: null };
}

/**
 * The due date of the next occurrence after one is completed, or null when the series is over.
 *
 * - from 'due': the series keeps its phase from the anchor. The result is the first occurrence
 *   strictly after max(currentDue ?? anchor, now, completedAt): always in the future, skipping
 *   occurrences missed by a late completion. COUNT is counted from the anchor (catch-up skips
 *   consume it) and UNTIL ends the series.
 * - from 'completion', pattern series (pattern daily/weekly/monthly/yearly): the series counts
 *   from the completion. The pattern rule is rebuilt with DTSTART = the completion's local date
 *   at the anchor's local time of day, exactly as `buildRecurrence` would build it for that
 *   start: daily/weekly every `interval` days/weeks from the completion day (weekly keeps the
 *   stored by_weekday; a weekly rule without one falls on the completion's weekday), monthly on
 *   the completion's day of month (29..31 clamped to shorter months: completed Jan 31 → Feb 28),
 *   yearly on the completion's month and day (Feb 29 → Feb 28 in common years); monthly with
 *   by_weekday keeps those weekdays. The result is the first occurrence strictly after the
 *   completion instant and on a later local day than the completion: every 3 days at 09:00,
 *   completed Monday at 08:00 or at 15:00 → Thursday 09:00 (never Monday 09:00).
 *   A raw rule whose shape is a plain pattern (e.g. `FREQ=MONTHLY`) has that pattern and is
 *   treated the same way.
 * - from 'completion', 'custom' (raw RRULE that is no plain pattern): the raw rule is evaluated
 *   per RFC 5545 as if DTSTART were the completion's local date at the anchor's local time of
 *   day; the result is the first occurrence strictly after that DTSTART and strictly after
 *   completedAt, so a later occurrence on the completion day itself is possible
 *   (`FREQ=DAILY;BYHOUR=9,17` completed at 12:00 → 17:00 the same day).
 * - In both 'completion' cases UNTIL ends the series. COUNT cannot be counted from the anchor
 *   (the phase moves at every completion), so it is enforced only through `occurrenceNumber`.
 * - `occurrenceNumber` (1-based number of the completed occurrence), when given, ends the series
 *   once it reaches COUNT, in both modes ('due' additionally counts from the anchor).
 *
 * All occurrences are wall times in the recurrence's zone (DST gap → forward, ambiguous → first).
 */
export function nextOccurrence(rec: Recurrence, ctx: NextOccurrenceContext): Date | null {
  const tz = assertTimeZone(rec.timezone);
  const rule = storedRule(rec, tz);
  const anchor = parseStoredInstant(rec.anchor, 'anchor');
  const completedAt = assertDate(ctx.completedAt, 'completedAt');
  const now = assertDate(ctx.now, 'now');
  const currentDue = ctx.currentDue === null ? null : assertDate(ctx.currentDue, 'currentDue');
  if (ctx.occurrenceNumber !== undefined) {
    const n = ctx.occurrenceNumber;
    if (!Number.isInteger(n) || n < 1) invalid('occurrenceNumber must be a positive integer');
    if (rule.count !== null && n >= rule.count) return null;
  }
  const anchorLocal = toLocal(anchor, tz);

  if (rec.from === 'completion') {
    const c = toLocal(completedAt, tz);
    const start: LocalDateTime = {
      year: c.year,
      month: c.month,
      day: c.day,
      hour: anchorLocal.hour,
      minute: anchorLocal.minute,
      second: anchorLocal.second,
    };
    if (rec.pattern === 'custom') {
      const startAt = fromLocal(start, tz).getTime();
      const threshold = new Date(Math.max(startAt, completedAt.getTime()));
      return occurrencesAfter({ ...rule, count: null }, start, tz, threshold);
    }
    if (!PATTERN_NAMES.includes(rec.pattern)) invalid('recurrence pattern is not a known pattern');
    // The stored rule is the source of truth for interval and weekdays (a pattern's by_weekday).
    const byWeekday = rule.byDay.length > 0 ? rule.byDay.map((b) => b.weekday) : null;
    const fromCompletion: RRule = {
      ...patternRule(rec.pattern, rule.interval, byWeekday, start),
      until: rule.until,
      untilLocal: null,
    };
    const afterMs = completedAt.getTime();
    for (const occ of occurrencesWithLocal(fromCompletion, start, tz)) {
      if (occ.instant.getTime() > afterMs && compareLocalDate(occ.local, start) > 0) return occ.instant;
    }
    return null;
  }
  if (rec.from !== 'due') invalid('recurrence from must be "due" or "completion"');
  const threshold = new Date(Math.max((currentDue ?? anchor).getTime(), now.getTime(), completedAt.getTime()));
  return occurrencesAfter(rule, anchorLocal, tz, threshold);
}
