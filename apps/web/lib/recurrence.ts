// The recurrence editor's model, its conversion to and from the API, and the rule in words
// ("Every 2 weeks on Mon, Thu until 31 Dec 2026").
import { formatLocalDate, localDateKey } from './format';
import type { Recurrence, RecurrenceInput, Weekday } from './types';

export type Repeats = 'never' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type Pattern = Exclude<Repeats, 'never'>;
export type RepeatFrom = 'due' | 'completion';
export type Ends = 'never' | 'on' | 'after';

export interface RecurrenceModel {
  /** 'custom': a raw RRULE the editor cannot express; kept as is until the user picks another rule. */
  repeats: Repeats | 'custom';
  interval: number;
  /** Weekly only; empty means the due date's weekday. Kept in Mon..Sun order. */
  weekdays: Weekday[];
  from: RepeatFrom;
  ends: Ends;
  /** Local date "YYYY-MM-DD" (the series ends after that whole day), used when ends = 'on'. */
  endDate: string;
  /** Number of occurrences, used when ends = 'after'. */
  count: number;
  /** The raw rule of a custom recurrence. */
  rrule: string | null;
}

export const WEEKDAY_CODES: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };
export const INTERVAL_MAX = 365;
export const COUNT_MAX = 1000;

const UNITS: Readonly<Record<Pattern, string>> = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' };

export const EMPTY_RECURRENCE: RecurrenceModel = {
  repeats: 'never',
  interval: 1,
  weekdays: [],
  from: 'due',
  ends: 'never',
  endDate: '',
  count: 5,
  rrule: null,
};

const clampInt = (n: number, min: number, max: number, fallback: number): number =>
  Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;

const sortWeekdays = (days: readonly Weekday[]): Weekday[] => WEEKDAY_CODES.filter((d) => days.includes(d));

/** The editor's state for a task's recurrence (`timeZone` places `until` on a local date). */
export function modelFromApi(rec: Recurrence | null, timeZone: string): RecurrenceModel {
  if (!rec) return { ...EMPTY_RECURRENCE };
  const until = rec.until ? new Date(rec.until) : null;
  return {
    repeats: rec.pattern,
    interval: rec.interval,
    weekdays: rec.pattern === 'custom' ? [] : sortWeekdays(rec.by_weekday ?? []),
    from: rec.from,
    ends: until && !Number.isNaN(until.getTime()) ? 'on' : rec.count !== null ? 'after' : 'never',
    endDate: until && !Number.isNaN(until.getTime()) ? localDateKey(until, rec.timezone || timeZone) : '',
    count: rec.count ?? EMPTY_RECURRENCE.count,
    rrule: rec.pattern === 'custom' ? rec.rrule : null,
  };
}

/** The `recurrence` field to send: null for "never", a pattern input, or the kept raw rule. */
export function modelToApi(model: RecurrenceModel): RecurrenceInput | null {
  if (model.repeats === 'never') return null;
  if (model.repeats === 'custom') {
    return model.rrule ? { rrule: model.rrule, ...(model.from === 'completion' ? { from: 'completion' as const } : {}) } : null;
  }
  const input: Extract<RecurrenceInput, { pattern: string }> = { pattern: model.repeats };
  const interval = clampInt(model.interval, 1, INTERVAL_MAX, 1);
  if (interval !== 1) input.interval = interval;
  if (model.repeats === 'weekly' && model.weekdays.length > 0) input.by_weekday = sortWeekdays(model.weekdays);
  if (model.from === 'completion') input.from = 'completion';
  if (model.ends === 'on' && model.endDate) input.until = model.endDate;
  if (model.ends === 'after') input.count = clampInt(model.count, 1, COUNT_MAX, 1);
  return input;
}

/** Whether saving `model` would change the task's stored recurrence `original`. */
export function recurrenceChanged(model: RecurrenceModel, original: Recurrence | null, timeZone: string): boolean {
  return JSON.stringify(modelToApi(model)) !== JSON.stringify(modelToApi(modelFromApi(original, timeZone)));
}

/** What is wrong with the editor's input, in words, or null. */
export function validateModel(model: RecurrenceModel): string | null {
  if (model.repeats === 'never' || model.repeats === 'custom') return null;
  if (!Number.isInteger(model.interval) || model.interval < 1 || model.interval > INTERVAL_MAX) return `"Every" must be a whole number from 1 to ${INTERVAL_MAX}.`;
  if (model.ends === 'on' && !/^\d{4}-\d{2}-\d{2}$/.test(model.endDate)) return 'Choose an end date.';
  if (model.ends === 'after' && (!Number.isInteger(model.count) || model.count < 1 || model.count > COUNT_MAX)) return `Occurrences must be a whole number from 1 to ${COUNT_MAX}.`;
  return null;
}

interface RuleWords {
  freq: Pattern;
  interval: number;
  weekdays: Weekday[];
  from: RepeatFrom;
  /** Local date "YYYY-MM-DD". */
  until: string | null;
  count: number | null;
}

function everyPhrase(freq: Pattern, interval: number): string {
  const unit = UNITS[freq];
  return interval === 1 ? `Every ${unit}` : `Every ${interval} ${unit}s`;
}

function isWorkWeek(days: readonly Weekday[]): boolean {
  return days.length === 5 && WEEKDAY_CODES.slice(0, 5).every((d) => days.includes(d));
}

function tail(words: Pick<RuleWords, 'from' | 'until' | 'count'>): string {
  let text = '';
  if (words.from === 'completion') text += ' from completion';
  if (words.until) text += ` until ${formatLocalDate(words.until)}`;
  if (words.count !== null) text += words.count === 1 ? ', once' : `, ${words.count} times`;
  return text;
}

function describeWords(words: RuleWords): string {
  let text: string;
  if (words.freq === 'weekly' && words.interval === 1 && isWorkWeek(words.weekdays)) text = 'Every weekday';
  else {
    text = everyPhrase(words.freq, words.interval);
    if (words.freq === 'weekly' && words.weekdays.length > 0) text += ` on ${sortWeekdays(words.weekdays).map((d) => WEEKDAY_NAMES[d]).join(', ')}`;
  }
  return text + tail(words);
}

const FREQS: Readonly<Record<string, Pattern>> = { DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', YEARLY: 'yearly' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function ordinal(n: number): string {
  if (n === -1) return 'last';
  if (n < 0) return `${ordinal(-n)} to last`;
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function intList(value: string): number[] | null {
  const out = value.split(',').map(Number);
  return out.every((n) => Number.isInteger(n) && n !== 0) ? out : null;
}

/**
 * A raw RRULE in words, for the common shapes (frequency, interval, weekdays, nth weekday, month
 * days, months). Null when the rule has parts this does not put into words.
 */
function describeRRule(rrule: string): string | null {
  const parts = new Map<string, string>();
  for (const piece of rrule.replace(/^RRULE:/i, '').split(';')) {
    const [key, value] = piece.split('=');
    if (!key || value === undefined) return null;
    parts.set(key.toUpperCase(), value.toUpperCase());
  }
  const freq = FREQS[parts.get('FREQ') ?? ''];
  if (!freq) return null;
  const interval = parts.has('INTERVAL') ? Number(parts.get('INTERVAL')) : 1;
  if (!Number.isInteger(interval) || interval < 1) return null;
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL', 'WKST']);
  if ([...parts.keys()].some((k) => !known.has(k))) return null;

  const byDay: { n: number | null; day: Weekday }[] = [];
  for (const item of (parts.get('BYDAY') ?? '').split(',').filter(Boolean)) {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!m) return null;
    byDay.push({ n: m[1] ? Number(m[1]) : null, day: m[2] as Weekday });
  }
  const monthDays = parts.has('BYMONTHDAY') ? intList(parts.get('BYMONTHDAY') ?? '') : [];
  const months = parts.has('BYMONTH') ? intList(parts.get('BYMONTH') ?? '') : [];
  if (!monthDays || !months || months.some((m) => m < 1 || m > 12)) return null;

  const plainDays = byDay.every((d) => d.n === null);
  let text: string;
  if ((freq === 'weekly' || freq === 'daily') && interval === 1 && plainDays && isWorkWeek(byDay.map((d) => d.day)) && monthDays.length === 0 && months.length === 0) {
    text = 'Every weekday';
  } else {
    text = everyPhrase(freq, interval);
    if (months.length > 0) text += ` in ${months.map((m) => MONTHS[m - 1]).join(', ')}`;
    if (monthDays.length > 0) text += ` on the ${monthDays.map((d) => (d < 0 ? `${ordinal(d)} day` : ordinal(d))).join(', ')}`;
    if (byDay.length > 0) {
      const days = byDay.map((d) => (d.n === null ? WEEKDAY_NAMES[d.day] : `the ${ordinal(d.n)} ${WEEKDAY_NAMES[d.day]}`));
      text += `${monthDays.length > 0 ? ' if a' : ' on'} ${days.join(', ')}`;
    }
  }
  return text;
}

/**
 * The rule in words: "Every day", "Every 2 weeks on Mon, Thu", "Every month", "Every year",
 * "… from completion", "… until 31 Dec 2026", "…, 5 times".
 */
export function describeRecurrence(rec: Recurrence): string {
  const until = rec.until && !Number.isNaN(Date.parse(rec.until)) ? localDateKey(new Date(rec.until), rec.timezone || 'UTC') : null;
  if (rec.pattern === 'custom') {
    const words = describeRRule(rec.rrule);
    if (!words) return `Custom rule (${rec.rrule})`;
    return words + tail({ from: rec.from, until, count: rec.count });
  }
  return describeWords({ freq: rec.pattern, interval: rec.interval, weekdays: rec.by_weekday ?? [], from: rec.from, until, count: rec.count });
}

/** The editor's current rule in words ("Does not repeat" for never); `original` describes a kept custom rule. */
export function describeModel(model: RecurrenceModel, original: Recurrence | null): string {
  if (model.repeats === 'never') return 'Does not repeat';
  if (model.repeats === 'custom') return original ? describeRecurrence(original) : 'Custom rule';
  return describeWords({
    freq: model.repeats,
    interval: clampInt(model.interval, 1, INTERVAL_MAX, 1),
    weekdays: model.repeats === 'weekly' ? model.weekdays : [],
    from: model.from,
    until: model.ends === 'on' && model.endDate ? model.endDate : null,
    count: model.ends === 'after' ? clampInt(model.count, 1, COUNT_MAX, 1) : null,
  });
}

