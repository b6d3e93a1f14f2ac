// Expansion of an RRULE into instants, evaluated on the wall clock of an IANA time zone.
//
// Each period of the rule (a day, a week starting on WKST, a month or a year, every INTERVAL of
// them from DTSTART's period) yields its candidate dates per RFC 5545 (BYxxx parts expand or
// limit), times of day (BYHOUR/BYMINUTE or DTSTART's), then BYSETPOS picks from that set.
// Candidates are wall times converted with `fromLocal` (a DST gap moves forward, an ambiguous
// time takes the earlier instant), so a daily 09:00 stays 09:00 across DST changes.
import { validationError } from '../errors.ts';
import {
  addDays,
  assertTimeZone,
  compareLocal,
  daysInMonth,
  epochDay,
  fromEpochDay,
  fromLocal,
  isValidDate,
  toLocal,
  weekday,
  type LocalDate,
  type LocalDateTime,
} from '../time/zoned.ts';
import { normalizeRRule, WEEKDAY_CODES, type ByDay, type RRule } from './rrule.ts';

/** Periods in a row without an occurrence after which iteration stops (the rule can never match). */
const MAX_EMPTY_PERIODS: Record<RRule['freq'], number> = {
  // Enough to cover 400 years (a full Gregorian cycle) at INTERVAL=1.
  DAILY: 146_100,
  WEEKLY: 20_900,
  MONTHLY: 10_000,
  YEARLY: 10_000,
};
/** Nothing is generated past this year (keeps Date arithmetic in range). */
const MAX_YEAR = 9999;

export interface Occurrence {
  local: LocalDateTime;
  instant: Date;
}

interface Prepared {
  rule: RRule;
  start: LocalDateTime;
  tz: string;
  until: number | null;
  times: [number, number, number][];
  startEpochDay: number;
  startWeekday: number;
  /** Epoch day of the first day (WKST) of DTSTART's week. */
  startWeekEpochDay: number;
  byDayPlain: Set<number>;
  byDayOrdinal: ByDay[];
  byMonth: Set<number>;
}

function invalidStart(start: LocalDateTime): never {
  throw validationError('INVALID_RECURRENCE', 'the series start is not a valid local date-time', { start });
}

function prepare(ruleIn: RRule, start: LocalDateTime, tzIn: string): Prepared {
  const tz = assertTimeZone(tzIn);
  const rule = normalizeRRule(ruleIn);
  const okTime = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;
  if (
    !isValidDate(start.year, start.month, start.day) ||
    start.year < 1 ||
    start.year > MAX_YEAR ||
    !okTime(start.hour, 23) ||
    !okTime(start.minute, 59) ||
    !okTime(start.second, 59)
  ) {
    invalidStart(start);
  }
  let until: number | null = null;
  if (rule.until !== null) until = rule.until.getTime();
  else if (rule.untilLocal !== null) {
    const { dateOnly: _dateOnly, ...local } = rule.untilLocal;
    until = fromLocal(local, tz).getTime();
  }
  const hours = rule.byHour.length > 0 ? rule.byHour : [start.hour];
  const minutes = rule.byMinute.length > 0 ? rule.byMinute : [start.minute];
  const times: [number, number, number][] = [];
  for (const h of hours) for (const m of minutes) times.push([h, m, start.second]);

  const startEpochDay = epochDay(start);
  const wkst = WEEKDAY_CODES.indexOf(rule.wkst);
  const startWd = weekday(start.year, start.month, start.day);
  const startWeekEpochDay = startEpochDay - ((startWd - wkst + 7) % 7);
  return {
    rule,
    start: { ...start },
    tz,
    until,
    times,
    startEpochDay,
    startWeekday: startWd,
    startWeekEpochDay,
    byDayPlain: new Set(rule.byDay.filter((d) => d.n === null).map((d) => WEEKDAY_CODES.indexOf(d.weekday))),
    byDayOrdinal: rule.byDay.filter((d) => d.n !== null),
    byMonth: new Set(rule.byMonth),
  };
}

/** Days of month `m` named by BYMONTHDAY (negative counts from the end); invalid days are skipped. */
function monthDays(p: Prepared, year: number, month: number): number[] {
  const dim = daysInMonth(year, month);
  const days = new Set<number>();
  for (const v of p.rule.byMonthDay) {
    const d = v > 0 ? v : dim + v + 1;
    if (d >= 1 && d <= dim) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * Whether the date matches BYDAY. Ordinals count within the month (`scope` = 'month') or the
 * year ('year'): 1MO = first Monday, -1FR = last Friday.
 */
function matchesByDay(p: Prepared, d: LocalDate, scope: 'month' | 'year'): boolean {
  const wd = weekday(d.year, d.month, d.day);
  if (p.byDayPlain.has(wd)) return true;
  if (p.byDayOrdinal.length === 0) return false;
  let fromStart: number;
  let fromEnd: number;
  if (scope === 'month') {
    fromStart = Math.floor((d.day - 1) / 7) + 1;
    fromEnd = Math.floor((daysInMonth(d.year, d.month) - d.day) / 7) + 1;
  } else {
    const dayOfYear = epochDay(d) - epochDay({ year: d.year, month: 1, day: 1 });
    const daysInYear = epochDay({ year: d.year + 1, month: 1, day: 1 }) - epochDay({ year: d.year, month: 1, day: 1 });
    fromStart = Math.floor(dayOfYear / 7) + 1;
    fromEnd = Math.floor((daysInYear - 1 - dayOfYear) / 7) + 1;
  }
  return p.byDayOrdinal.some(
    (b) => WEEKDAY_CODES.indexOf(b.weekday) === wd && (b.n !== null && b.n > 0 ? b.n === fromStart : -(b.n ?? 0) === fromEnd),
  );
}

/** All days of a month (or of a year, month by month) matching BYDAY, in order. */
function expandByDay(p: Prepared, year: number, months: number[], scope: 'month' | 'year'): LocalDate[] {
  const out: LocalDate[] = [];
  for (const month of months) {
    const dim = daysInMonth(year, month);
    for (let day = 1; day <= dim; day++) {
      const d = { year, month, day };
      if (matchesByDay(p, d, scope)) out.push(d);
    }
  }
  return out;
}

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Candidate dates of period `k` (in order), before BYSETPOS and the DTSTART cut-off. */
function periodDates(p: Prepared, k: number): LocalDate[] | null {
  const { rule } = p;
  switch (rule.freq) {
    case 'DAILY': {
      const d = addDays(p.start, k * rule.interval);
      if (d.year > MAX_YEAR) return null;
      if (p.byMonth.size > 0 && !p.byMonth.has(d.month)) return [];
      if (rule.byMonthDay.length > 0 && !monthDays(p, d.year, d.month).includes(d.day)) return [];
      if (rule.byDay.length > 0 && !matchesByDay(p, d, 'month')) return [];
      return [d];
    }
    case 'WEEKLY': {
      const first = p.startWeekEpochDay + k * 7 * rule.interval;
      const out: LocalDate[] = [];
      for (let i = 0; i < 7; i++) {
        const d = fromEpochDay(first + i);
        if (i === 0 && d.year > MAX_YEAR) return null;
        const wd = weekday(d.year, d.month, d.day);
        const dayOk = rule.byDay.length > 0 ? p.byDayPlain.has(wd) : wd === p.startWeekday;
        if (!dayOk) continue;
        if (p.byMonth.size > 0 && !p.byMonth.has(d.month)) continue;
        out.push(d);
      }
      return out;
    }
    case 'MONTHLY': {
      const total = p.start.year * 12 + (p.start.month - 1) + k * rule.interval;
      const year = Math.floor(total / 12);
      const month = (total % 12) + 1;
      if (year > MAX_YEAR) return null;
      if (p.byMonth.size > 0 && !p.byMonth.has(month)) return [];
      if (rule.byMonthDay.length > 0) {
        const days = monthDays(p, year, month).map((day) => ({ year, month, day }));
        return rule.byDay.length > 0 ? days.filter((d) => matchesByDay(p, d, 'month')) : days;
      }
      if (rule.byDay.length > 0) return expandByDay(p, year, [month], 'month');
      return p.start.day <= daysInMonth(year, month) ? [{ year, month, day: p.start.day }] : [];
    }
    case 'YEARLY': {
      const year = p.start.year + k * rule.interval;
      if (year > MAX_YEAR) return null;
      const months = rule.byMonth.length > 0 ? rule.byMonth : null;
      if (rule.byMonthDay.length > 0) {
        const out: LocalDate[] = [];
        for (const month of months ?? ALL_MONTHS) {
          for (const day of monthDays(p, year, month)) {
            const d = { year, month, day };
            if (rule.byDay.length === 0 || matchesByDay(p, d, months ? 'month' : 'year')) out.push(d);
          }
        }
        return out;
      }
      if (rule.byDay.length > 0) return expandByDay(p, year, months ?? ALL_MONTHS, months ? 'month' : 'year');
      const out: LocalDate[] = [];
      for (const month of months ?? [p.start.month]) {
        if (p.start.day <= daysInMonth(year, month)) out.push({ year, month, day: p.start.day });
      }
      return out;
    }
  }
}

/** Date-times of period `k` after BYSETPOS, in wall-clock order; null once past MAX_YEAR. */
function periodSet(p: Prepared, k: number): LocalDateTime[] | null {
  const dates = periodDates(p, k);
  if (dates === null) return null;
  const set: LocalDateTime[] = [];
  for (const d of dates) {
    for (const [hour, minute, second] of p.times) set.push({ year: d.year, month: d.month, day: d.day, hour, minute, second });
  }
  if (p.rule.bySetPos.length === 0) return set;
  const picked = new Set<number>();
  for (const pos of p.rule.bySetPos) {
    const i = pos > 0 ? pos - 1 : set.length + pos;
    if (i >= 0 && i < set.length) picked.add(i);
  }
  return [...picked].sort((a, b) => a - b).flatMap((i) => set[i] ?? []);
}

/** Index of a period starting on or before `target` and no later than the first relevant one. */
function periodAtOrBefore(p: Prepared, target: LocalDate): number {
  const { rule } = p;
  let k: number;
  switch (rule.freq) {
    case 'DAILY':
      k = Math.floor((epochDay(target) - p.startEpochDay) / rule.interval);
      break;
    case 'WEEKLY':
      k = Math.floor((epochDay(target) - p.startWeekEpochDay) / (7 * rule.interval));
      break;
    case 'MONTHLY':
      k = Math.floor(((target.year - p.start.year) * 12 + (target.month - p.start.month)) / rule.interval);
      break;
    case 'YEARLY':
      k = Math.floor((target.year - p.start.year) / rule.interval);
      break;
  }
  return Math.max(0, k);
}

function* generate(p: Prepared, firstPeriod: number): Generator<Occurrence, void, undefined> {
  const count = p.rule.count;
  let emitted = 0;
  let last = Number.NEGATIVE_INFINITY;
  let empty = 0;
  const maxEmpty = MAX_EMPTY_PERIODS[p.rule.freq];
  for (let k = firstPeriod; ; k++) {
    const set = periodSet(p, k);
    if (set === null) return;
    const found: Occurrence[] = [];
    for (const local of set) {
      if (compareLocal(local, p.start) < 0) continue; // before DTSTART
      found.push({ local, instant: fromLocal(local, p.tz) });
    }
    // A DST gap can move a wall time past a later one: order by instant, drop duplicates.
    found.sort((a, b) => a.instant.getTime() - b.instant.getTime());
    let any = false;
    for (const occ of found) {
      const t = occ.instant.getTime();
      if (t <= last) continue;
      if (p.until !== null && t > p.until) return;
      last = t;
      any = true;
      yield occ;
      emitted++;
      if (count !== null && emitted >= count) return;
    }
    if (any) empty = 0;
    else if (++empty >= maxEmpty) return;
  }
}

/**
 * Occurrences (with their wall times) of `rule` with DTSTART = `start`, a wall time in `tz`,
 * in increasing order. DTSTART itself is produced only if it matches the rule; COUNT counts the
 * occurrences produced; UNTIL is inclusive. Validates eagerly, then iterates lazily; iteration
 * ends at UNTIL/COUNT, after the year 9999, or when the rule stops matching for hundreds of years.
 */
export function occurrencesWithLocal(rule: RRule, start: LocalDateTime, tz: string): Iterable<Occurrence> {
  const p = prepare(rule, start, tz);
  return { [Symbol.iterator]: () => generate(p, 0) };
}

/** Instants of `rule` with DTSTART = `start` (wall time in `tz`); see `occurrencesWithLocal`. */
export function occurrences(rule: RRule, start: LocalDateTime, tz: string): Iterable<Date> {
  const p = prepare(rule, start, tz);
  return {
    *[Symbol.iterator]() {
      for (const occ of generate(p, 0)) yield occ.instant;
    },
  };
}

/** First occurrence after `after` (or at it, when `inclusive`), or null when the series ends first. */
export function occurrencesAfter(
  rule: RRule,
  start: LocalDateTime,
  tz: string,
  after: Date,
  inclusive = false,
): Date | null {
  const p = prepare(rule, start, tz);
  const afterMs = after instanceof Date ? after.getTime() : Number.NaN;
  if (!Number.isFinite(afterMs)) throw validationError('INVALID_RECURRENCE', '`after` is not a valid date');
  if (p.until !== null && p.until < afterMs) return null;
  // Without COUNT, earlier periods cannot affect the result: start near `after` (two days of
  // slack cover any UTC offset or DST shift) instead of walking from DTSTART.
  let firstPeriod = 0;
  if (p.rule.count === null && afterMs > fromLocal(p.start, p.tz).getTime()) {
    const a = toLocal(after, p.tz);
    firstPeriod = periodAtOrBefore(p, addDays(a, -2));
  }
  for (const occ of generate(p, firstPeriod)) {
    const t = occ.instant.getTime();
    if (inclusive ? t >= afterMs : t > afterMs) return occ.instant;
  }
  return null;
}
