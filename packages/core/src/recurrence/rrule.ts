// RFC 5545 RRULE value: the typed model, parsing, validation and canonical formatting.
// Supported: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH,
// BYSETPOS, BYHOUR, BYMINUTE, WKST. Anything else (BYSECOND, BYYEARDAY, BYWEEKNO, sub-daily
// frequencies, X- parts) is rejected with INVALID_RECURRENCE rather than silently ignored.
import { validationError } from '../errors.ts';
import { isValidDate, type LocalDateTime } from '../time/zoned.ts';

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** ISO order: index 0 = Monday, matching `weekday()` in time/zoned.ts. */
export const WEEKDAY_CODES: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const FREQUENCIES: readonly Frequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

export interface ByDay {
  weekday: Weekday;
  /** Ordinal within the month/year (1 = first, -1 = last); null = every such weekday. */
  n: number | null;
}

/** A floating UNTIL (no "Z"), resolved in the series' time zone when evaluated. */
export interface FloatingUntil extends LocalDateTime {
  /** UNTIL was a DATE (YYYYMMDD): the whole day is included (stored as 23:59:59). */
  dateOnly: boolean;
}

export interface RRule {
  freq: Frequency;
  interval: number;
  count: number | null;
  /** UNTIL as a UTC instant (inclusive). At most one of `until` / `untilLocal` is set. */
  until: Date | null;
  /** UNTIL given as a DATE or floating DATE-TIME; see `FloatingUntil`. */
  untilLocal: FloatingUntil | null;
  byDay: ByDay[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  byHour: number[];
  byMinute: number[];
  wkst: Weekday;
}

function invalid(message: string, details?: unknown): never {
  throw validationError('INVALID_RECURRENCE', message, details);
}

const KNOWN_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'BYSETPOS',
  'BYHOUR',
  'BYMINUTE',
  'WKST',
]);
const UNSUPPORTED_PARTS = new Set(['BYSECOND', 'BYYEARDAY', 'BYWEEKNO', 'RSCALE', 'SKIP']);

function parseInteger(name: string, raw: string, signed: boolean): number {
  const re = signed ? /^[+-]?\d{1,9}$/ : /^\+?\d{1,9}$/;
  if (!re.test(raw)) invalid(`${name} must be ${signed ? 'an' : 'a non-negative'} integer, got "${raw}"`);
  return Number(raw);
}

function parseList(name: string, raw: string): string[] {
  const items = raw.split(',');
  if (items.some((s) => s.length === 0)) invalid(`${name} has an empty list item`);
  return items;
}

function intList(name: string, raw: string, min: number, max: number, allowNegative: boolean): number[] {
  const values = parseList(name, raw).map((s) => parseInteger(name, s, allowNegative));
  for (const v of values) {
    const abs = Math.abs(v);
    const ok = allowNegative ? v !== 0 && abs >= min && abs <= max : v >= min && v <= max;
    if (!ok) {
      const range = allowNegative ? `${min}..${max} or -${max}..-${min}` : `${min}..${max}`;
      invalid(`${name} value ${v} is out of range (${range})`);
    }
  }
  return values;
}

function parseWeekday(name: string, raw: string): Weekday {
  const w = WEEKDAY_CODES.find((c) => c === raw);
  if (!w) invalid(`${name}: "${raw}" is not a weekday (MO, TU, WE, TH, FR, SA, SU)`);
  return w;
}

function parseByDay(raw: string): ByDay[] {
  return parseList('BYDAY', raw).map((item) => {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    if (!m) invalid(`BYDAY: "${item}" is not a weekday with an optional ordinal (e.g. MO, 1MO, -1FR)`);
    const weekday = parseWeekday('BYDAY', m[2] ?? '');
    if (m[1] === undefined) return { weekday, n: null };
    const n = Number(m[1]);
    if (n === 0 || Math.abs(n) > 53) invalid(`BYDAY ordinal ${m[1]} is out of range (1..53 or -53..-1)`);
    return { weekday, n };
  });
}

function parseUntil(raw: string): { until: Date | null; untilLocal: FloatingUntil | null } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(raw);
  if (!m) invalid(`UNTIL must be YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ, got "${raw}"`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const dateOnly = m[4] === undefined;
  const hour = dateOnly ? 23 : Number(m[4]);
  const minute = dateOnly ? 59 : Number(m[5]);
  const second = dateOnly ? 59 : Number(m[6]);
  if (year < 1 || !isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    invalid(`UNTIL "${raw}" is not a valid date-time`);
  }
  if (m[7] === 'Z') {
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    d.setUTCHours(hour, minute, second, 0);
    return { until: d, untilLocal: null };
  }
  return { until: null, untilLocal: { year, month, day, hour, minute, second, dateOnly } };
}

function sortedUnique(values: number[], key: (v: number) => number = (v) => v): number[] {
  return [...new Set(values)].sort((a, b) => key(a) - key(b));
}

/** Positive values first ascending, then negative ones from -1 downwards: 1,2,15,-1,-2. */
function signedOrder(v: number): number {
  return v > 0 ? v : 1000 - v;
}

function normalizeByDay(list: ByDay[]): ByDay[] {
  const seen = new Map<string, ByDay>();
  for (const d of list) seen.set(`${d.n ?? ''}${d.weekday}`, { weekday: d.weekday, n: d.n });
  return [...seen.values()].sort(
    (a, b) =>
      WEEKDAY_CODES.indexOf(a.weekday) - WEEKDAY_CODES.indexOf(b.weekday) ||
      (a.n === null ? -1 : signedOrder(a.n)) - (b.n === null ? -1 : signedOrder(b.n)),
  );
}

/**
 * Parses an RRULE value, with or without the leading "RRULE:". Names and values are case-insensitive.
 * List values are de-duplicated and sorted into a canonical order. Throws INVALID_RECURRENCE.
 */
export function parseRRule(text: string): RRule {
  if (typeof text !== 'string') invalid('RRULE must be a string');
  let body = text.trim().toUpperCase();
  if (body.startsWith('RRULE:')) body = body.slice('RRULE:'.length);
  if (body.endsWith(';')) body = body.slice(0, -1);
  if (body.length === 0) invalid('RRULE is empty');
  if (body.length > 1000) invalid('RRULE is too long');

  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) invalid(`RRULE part "${part}" is not NAME=VALUE`);
    const name = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (UNSUPPORTED_PARTS.has(name)) invalid(`RRULE part ${name} is not supported`);
    if (!KNOWN_PARTS.has(name)) invalid(`unknown RRULE part ${name}`);
    if (parts.has(name)) invalid(`RRULE part ${name} is given more than once`);
    if (value.length === 0) invalid(`RRULE part ${name} has no value`);
    parts.set(name, value);
  }

  const freqRaw = parts.get('FREQ');
  if (freqRaw === undefined) invalid('RRULE needs a FREQ');
  const freq = FREQUENCIES.find((f) => f === freqRaw);
  if (!freq) {
    if (freqRaw === 'SECONDLY' || freqRaw === 'MINUTELY' || freqRaw === 'HOURLY') {
      invalid(`FREQ=${freqRaw} is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY`);
    }
    invalid(`FREQ "${freqRaw}" is not one of DAILY, WEEKLY, MONTHLY, YEARLY`);
  }

  const get = (name: string): string | undefined => parts.get(name);
  const intervalRaw = get('INTERVAL');
  const countRaw = get('COUNT');
  const untilRaw = get('UNTIL');
  const byDayRaw = get('BYDAY');
  const byMonthDayRaw = get('BYMONTHDAY');
  const byMonthRaw = get('BYMONTH');
  const bySetPosRaw = get('BYSETPOS');
  const byHourRaw = get('BYHOUR');
  const byMinuteRaw = get('BYMINUTE');
  const wkstRaw = get('WKST');

  const interval = intervalRaw === undefined ? 1 : parseInteger('INTERVAL', intervalRaw, false);
  const count = countRaw === undefined ? null : parseInteger('COUNT', countRaw, false);
  const untilParts = untilRaw === undefined ? { until: null, untilLocal: null } : parseUntil(untilRaw);

  const rule: RRule = {
    freq,
    interval,
    count,
    until: untilParts.until,
    untilLocal: untilParts.untilLocal,
    byDay: byDayRaw === undefined ? [] : parseByDay(byDayRaw),
    byMonthDay: byMonthDayRaw === undefined ? [] : intList('BYMONTHDAY', byMonthDayRaw, 1, 31, true),
    byMonth: byMonthRaw === undefined ? [] : intList('BYMONTH', byMonthRaw, 1, 12, false),
    bySetPos: bySetPosRaw === undefined ? [] : intList('BYSETPOS', bySetPosRaw, 1, 366, true),
    byHour: byHourRaw === undefined ? [] : intList('BYHOUR', byHourRaw, 0, 23, false),
    byMinute: byMinuteRaw === undefined ? [] : intList('BYMINUTE', byMinuteRaw, 0, 59, false),
    wkst: wkstRaw === undefined ? 'MO' : parseWeekday('WKST', wkstRaw),
  };
  return normalizeRRule(rule);
}

/** Sorted, de-duplicated copy of `rule`, validated. Throws INVALID_RECURRENCE. */
export function normalizeRRule(rule: RRule): RRule {
  validateRRule(rule);
  return {
    ...rule,
    until: rule.until === null ? null : new Date(rule.until.getTime()),
    untilLocal: rule.untilLocal === null ? null : { ...rule.untilLocal },
    byDay: normalizeByDay(rule.byDay),
    byMonthDay: sortedUnique(rule.byMonthDay, signedOrder),
    byMonth: sortedUnique(rule.byMonth),
    bySetPos: sortedUnique(rule.bySetPos, signedOrder),
    byHour: sortedUnique(rule.byHour),
    byMinute: sortedUnique(rule.byMinute),
  };
}

function checkInts(name: string, values: unknown, min: number, max: number, allowNegative: boolean): void {
  if (!Array.isArray(values)) invalid(`${name} must be a list`);
  for (const v of values as unknown[]) {
    const ok =
      typeof v === 'number' &&
      Number.isInteger(v) &&
      (allowNegative ? v !== 0 && Math.abs(v) >= min && Math.abs(v) <= max : v >= min && v <= max);
    if (!ok) invalid(`${name} value ${String(v)} is out of range`);
  }
}

/** Checks a rule built in code (parseRRule output always passes). Throws INVALID_RECURRENCE. */
export function validateRRule(rule: RRule): void {
  if (!FREQUENCIES.includes(rule.freq)) invalid(`FREQ "${String(rule.freq)}" is not one of DAILY, WEEKLY, MONTHLY, YEARLY`);
  if (!Number.isSafeInteger(rule.interval) || rule.interval < 1) invalid('INTERVAL must be a positive integer');
  if (rule.count !== null && (!Number.isSafeInteger(rule.count) || rule.count < 1)) {
    invalid('COUNT must be a positive integer');
  }
  if (rule.until !== null && !(rule.until instanceof Date && Number.isFinite(rule.until.getTime()))) {
    invalid('UNTIL is not a valid date');
  }
  if (rule.until !== null && rule.untilLocal !== null) invalid('UNTIL is given twice');
  const hasUntil = rule.until !== null || rule.untilLocal !== null;
  if (rule.count !== null && hasUntil) invalid('COUNT and UNTIL must not be used together');
  if (!WEEKDAY_CODES.includes(rule.wkst)) invalid(`WKST "${String(rule.wkst)}" is not a weekday`);

  checkInts('BYMONTHDAY', rule.byMonthDay, 1, 31, true);
  checkInts('BYMONTH', rule.byMonth, 1, 12, false);
  checkInts('BYSETPOS', rule.bySetPos, 1, 366, true);
  checkInts('BYHOUR', rule.byHour, 0, 23, false);
  checkInts('BYMINUTE', rule.byMinute, 0, 59, false);
  if (!Array.isArray(rule.byDay)) invalid('BYDAY must be a list');
  for (const d of rule.byDay) {
    if (!WEEKDAY_CODES.includes(d.weekday)) invalid(`BYDAY: "${String(d.weekday)}" is not a weekday`);
    if (d.n !== null && (!Number.isInteger(d.n) || d.n === 0 || Math.abs(d.n) > 53)) {
      invalid(`BYDAY ordinal ${String(d.n)} is out of range`);
    }
  }

  const ordinals = rule.byDay.filter((d) => d.n !== null);
  if (ordinals.length > 0) {
    if (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') {
      invalid(`BYDAY with an ordinal (e.g. 1MO) is only allowed with FREQ=MONTHLY or YEARLY`);
    }
    // Within a month (MONTHLY, or YEARLY with BYMONTH) no weekday occurs more than 5 times.
    const withinMonth = rule.freq === 'MONTHLY' || rule.byMonth.length > 0;
    if (withinMonth && ordinals.some((d) => Math.abs(d.n ?? 0) > 5)) {
      invalid('BYDAY ordinal must be within 1..5 or -5..-1 when counting within a month');
    }
  }
  if (rule.freq === 'WEEKLY' && rule.byMonthDay.length > 0) invalid('BYMONTHDAY must not be used with FREQ=WEEKLY');
  if (rule.bySetPos.length > 0) {
    const others =
      rule.byDay.length + rule.byMonthDay.length + rule.byMonth.length + rule.byHour.length + rule.byMinute.length;
    if (others === 0) invalid('BYSETPOS needs another BYxxx part (e.g. BYDAY or BYMONTHDAY)');
  }
  if (rule.untilLocal !== null) {
    const u = rule.untilLocal;
    if (!isValidDate(u.year, u.month, u.day) || u.hour > 23 || u.minute > 59 || u.second > 59) {
      invalid('UNTIL is not a valid date-time');
    }
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatUntil(rule: RRule): string | null {
  if (rule.until !== null) {
    const u = rule.until;
    return (
      `${pad(u.getUTCFullYear(), 4)}${pad(u.getUTCMonth() + 1)}${pad(u.getUTCDate())}` +
      `T${pad(u.getUTCHours())}${pad(u.getUTCMinutes())}${pad(u.getUTCSeconds())}Z`
    );
  }
  if (rule.untilLocal !== null) {
    const u = rule.untilLocal;
    const date = `${pad(u.year, 4)}${pad(u.month)}${pad(u.day)}`;
    return u.dateOnly ? date : `${date}T${pad(u.hour)}${pad(u.minute)}${pad(u.second)}`;
  }
  return null;
}

/**
 * Canonical RRULE text, without the "RRULE:" prefix, in a fixed part order:
 * FREQ;INTERVAL(>1);BYMONTH;BYMONTHDAY;BYDAY;BYSETPOS;BYHOUR;BYMINUTE;WKST(≠MO);COUNT;UNTIL.
 * A UTC UNTIL is written as YYYYMMDDTHHMMSSZ; a floating/date UNTIL keeps its form.
 */
export function formatRRule(rule: RRule): string {
  const r = normalizeRRule(rule);
  const out = [`FREQ=${r.freq}`];
  if (r.interval > 1) out.push(`INTERVAL=${r.interval}`);
  if (r.byMonth.length) out.push(`BYMONTH=${r.byMonth.join(',')}`);
  if (r.byMonthDay.length) out.push(`BYMONTHDAY=${r.byMonthDay.join(',')}`);
  if (r.byDay.length) out.push(`BYDAY=${r.byDay.map((d) => `${d.n ?? ''}${d.weekday}`).join(',')}`);
  if (r.bySetPos.length) out.push(`BYSETPOS=${r.bySetPos.join(',')}`);
  if (r.byHour.length) out.push(`BYHOUR=${r.byHour.join(',')}`);
  if (r.byMinute.length) out.push(`BYMINUTE=${r.byMinute.join(',')}`);
  if (r.wkst !== 'MO') out.push(`WKST=${r.wkst}`);
  if (r.count !== null) out.push(`COUNT=${r.count}`);
  const until = formatUntil(r);
  if (until !== null) out.push(`UNTIL=${until}`);
  return out.join(';');
}
