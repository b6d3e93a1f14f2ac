// Short English descriptions of recurrences: "every 2 weeks on Mon, Thu", "every month on the last day".
import { fromLocal, type LocalDateTime, toLocal } from '../time/zoned.ts';
import type { Recurrence } from './recurrence.ts';
import { parseRRule, WEEKDAY_CODES, type ByDay, type RRule } from './rrule.ts';

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const UNITS: Record<RRule['freq'], string> = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year' };

function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  const suffix = n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** 1 → "1st", -1 → "last", -2 → "2nd to last". */
function position(n: number): string {
  if (n > 0) return ordinal(n);
  return n === -1 ? 'last' : `${ordinal(-n)} to last`;
}

const dayName = (code: string): string => DAY_NAMES[WEEKDAY_CODES.findIndex((c) => c === code)] ?? code;
const monthName = (m: number): string => MONTH_NAMES[m - 1] ?? String(m);
interface TimeOfDay {
  hour: number;
  minute: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function isWeekdaySet(byDay: ByDay[]): boolean {
  return byDay.length === 5 && byDay.every((d, i) => d.n === null && d.weekday === WEEKDAY_CODES[i]);
}

function byDayPhrase(d: ByDay): string {
  return d.n === null ? dayName(d.weekday) : `the ${position(d.n)} ${dayName(d.weekday)}`;
}

function monthDayPhrase(days: number[]): string {
  return `the ${days.map((d) => (d < 0 ? `${position(d)} day` : ordinal(d))).join(', ')}`;
}

/** BYMONTHDAY=28,...,d;BYSETPOS=-1: the pattern's "day d, or the last day of a shorter month". */
function clampDay(rule: RRule): number | null {
  if (rule.bySetPos.length !== 1 || rule.bySetPos[0] !== -1 || rule.byDay.length > 0) return null;
  const days = rule.byMonthDay;
  const last = days[days.length - 1];
  if (days[0] !== 28 || last === undefined || last < 29 || !days.every((d, i) => d === 28 + i)) return null;
  return last;
}

/** `at`: DTSTART's time of day, which fills in BYHOUR or BYMINUTE when only the other is given. */
function describeRule(rule: RRule, at: TimeOfDay): string {
  const unit = UNITS[rule.freq];
  const every = rule.interval === 1 ? `every ${unit}` : `every ${rule.interval} ${unit}s`;
  const onlyByDay =
    rule.byMonthDay.length === 0 && rule.byMonth.length === 0 && rule.bySetPos.length === 0;
  const times =
    rule.byHour.length > 0 || rule.byMinute.length > 0 ? ` at ${timesPhrase(rule, at)}` : '';

  // "every weekday"
  if ((rule.freq === 'WEEKLY' || rule.freq === 'DAILY') && onlyByDay && isWeekdaySet(rule.byDay)) {
    if (rule.interval === 1) return `every weekday${times}`;
    return rule.freq === 'WEEKLY' ? `${every} on weekdays${times}` : `${every} if a weekday${times}`;
  }

  const clamp = clampDay(rule);
  if (clamp !== null && rule.freq === 'MONTHLY' && rule.byMonth.length === 0) {
    const day = clamp === 31 ? 'the last day' : `the ${ordinal(clamp)} (or the last day of shorter months)`;
    return `${every} on ${day}${times}`;
  }
  if (clamp !== null && rule.freq === 'YEARLY' && rule.byMonth.length === 1 && rule.byMonth[0] === 2 && clamp === 29) {
    return `${every} on Feb 29 (Feb 28 in common years)${times}`;
  }

  // "every month on the last weekday"
  if (
    rule.freq !== 'DAILY' &&
    rule.freq !== 'WEEKLY' &&
    isWeekdaySet(rule.byDay) &&
    rule.byMonthDay.length === 0 &&
    rule.bySetPos.length > 0
  ) {
    const months = rule.byMonth.length > 0 ? ` in ${rule.byMonth.map(monthName).join(', ')}` : '';
    return `${every}${months} on the ${rule.bySetPos.map(position).join(', ')} weekday${times}`;
  }

  // "every year on Mar 15"
  const first = rule.byMonthDay[0];
  if (
    rule.freq === 'YEARLY' &&
    rule.byMonth.length === 1 &&
    rule.byMonthDay.length === 1 &&
    first !== undefined &&
    first > 0 &&
    rule.byDay.length === 0 &&
    rule.bySetPos.length === 0
  ) {
    return `${every} on ${monthName(rule.byMonth[0] ?? 1)} ${first}${times}`;
  }

  let text = every;
  if (rule.byMonth.length > 0) text += ` in ${rule.byMonth.map(monthName).join(', ')}`;
  if (rule.byMonthDay.length > 0) {
    text += ` on ${monthDayPhrase(rule.byMonthDay)}`;
    if (rule.byDay.length > 0) text += ` if a ${rule.byDay.map(byDayPhrase).join(', ')}`;
  } else if (rule.byDay.length > 0) {
    text += ` on ${rule.byDay.map(byDayPhrase).join(', ')}`;
  }
  if (rule.bySetPos.length > 0) {
    text += ` (only the ${rule.bySetPos.map(position).join(', ')} of each ${unit})`;
  }
  return text + times;
}

function timesPhrase(rule: RRule, at: TimeOfDay): string {
  const hours = rule.byHour.length > 0 ? rule.byHour : [at.hour];
  const minutes = rule.byMinute.length > 0 ? rule.byMinute : [at.minute];
  const out: string[] = [];
  for (const h of hours) for (const m of minutes) out.push(`${pad(h)}:${pad(m)}`);
  return out.join(', ');
}

export interface DescribeOptions {
  /** How the end of a series is written; `wholeDay` when it ends with its last day (23:59:59). Default "2027-01-31". */
  formatUntil?(local: LocalDateTime, wholeDay: boolean): string;
}

function isoUntil(l: LocalDateTime, wholeDay: boolean): string {
  const date = `${String(l.year).padStart(4, '0')}-${pad(l.month)}-${pad(l.day)}`;
  return wholeDay ? date : `${date} ${pad(l.hour)}:${pad(l.minute)}`;
}

function untilPhrase(until: Date, tz: string, options: DescribeOptions): string {
  const l = toLocal(until, tz);
  return (options.formatUntil ?? isoUntil)(l, l.hour === 23 && l.minute === 59 && l.second === 59);
}

/**
 * English description, e.g. "every day", "every 2 weeks on Mon, Thu", "every month on the last day",
 * "every weekday", "every 3 days after completion", "every week on Fri until 2027-01-31", "every day, 5 times".
 * The rule's BYHOUR/BYMINUTE are shown; otherwise the time of day (the anchor's) is not. Without an
 * anchor (the API's task JSON has none) a rule naming only one of BYHOUR/BYMINUTE takes 0 for the other.
 */
export function describeRecurrence(rec: Omit<Recurrence, 'anchor'> & { anchor?: string }, options: DescribeOptions = {}): string {
  const rule = parseRRule(rec.rrule);
  const anchor = new Date(rec.anchor ?? NaN);
  const at: TimeOfDay = Number.isFinite(anchor.getTime()) ? toLocal(anchor, rec.timezone) : { hour: 0, minute: 0 };
  let text = describeRule(rule, at);
  if (rec.from === 'completion') text += ' after completion';
  let until: Date | null = rule.until;
  if (until === null && rule.untilLocal !== null) {
    const { dateOnly: _dateOnly, ...local } = rule.untilLocal;
    until = fromLocal(local, rec.timezone);
  }
  if (until !== null) text += ` until ${untilPhrase(until, rec.timezone, options)}`;
  if (rule.count !== null) text += rule.count === 1 ? ', once' : `, ${rule.count} times`;
  return text;
}
