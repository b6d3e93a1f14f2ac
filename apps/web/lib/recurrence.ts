// The recurrence editor's model and its conversion to and from the API. The rule in words and the
// series' dates come from the domain's recurrence engine (the server's own code, zod-free).
import {
  buildRecurrence,
  COUNT_MAX,
  describeRecurrence as describeRule,
  fromLocal,
  INTERVAL_MAX,
  type LocalDateTime,
  occurrences,
  parseRRule,
  type Recurrence as CoreRecurrence,
  toLocal,
  WEEKDAY_CODES,
} from '@dueflow/core/browser';
import { formatLocalDate, localDateKey } from './format';
import type { Recurrence, RecurrenceInput, Weekday } from './types';

export { COUNT_MAX, INTERVAL_MAX, WEEKDAY_CODES };

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

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };

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

/** "31 Dec 2026" (and the time when a series ends mid-day), as the list writes dates. */
function formatUntil(l: LocalDateTime, wholeDay: boolean): string {
  const date = formatLocalDate(`${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`);
  return wholeDay ? date : `${date}, ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A task's rule in words, as the server says it ("Every 2 weeks on Mon, Thu until 31 Dec 2026"). */
export function describeRecurrence(rec: Recurrence): string {
  try {
    return capitalise(describeRule(rec, { formatUntil }));
  } catch {
    return `Custom rule (${rec.rrule})`;
  }
}

/**
 * The series the editor's `model` stands for, anchored at `due` (an ISO instant; the end of today
 * without one, as the server does), or null for "never" or input the server would refuse.
 */
export function recurrenceOfModel(model: RecurrenceModel, original: Recurrence | null, due: string | null, timeZone: string, now: Date = new Date(), rethrow = false): CoreRecurrence | null {
  const input = modelToApi(model);
  if (!input) return null;
  const anchor = due ? new Date(due) : endOfLocalDay(now, timeZone);
  try {
    return buildRecurrence(input, { anchor, timezone: original?.timezone || timeZone });
  } catch (err) {
    if (rethrow) throw err;
    return null;
  }
}

/** The editor's current rule in words ("Does not repeat" for never); `original` describes a kept custom rule. */
export function describeModel(model: RecurrenceModel, original: Recurrence | null, due: string | null, timeZone: string): string {
  if (model.repeats === 'never') return 'Does not repeat';
  if (model.repeats === 'custom') return original ? describeRecurrence(original) : 'Custom rule';
  const rec = recurrenceOfModel(model, original, due, timeZone);
  return rec ? describeRecurrence(rec) : 'Check the repeat settings';
}

/**
 * The next `count` due dates of a series repeating from its due date, after `after` (the first due
 * date included when it is still ahead). Empty for a rule the engine refuses.
 */
export function upcomingDates(rec: CoreRecurrence, count: number, after: Date): Date[] {
  // The first due date counts even when the rule would not pick it (weekly on Mon, Wed, Fri from a Tuesday).
  const first = new Date(rec.anchor);
  const out: Date[] = first.getTime() > after.getTime() ? [first] : [];
  try {
    let seen = 0;
    for (const d of occurrences(parseRRule(rec.rrule), toLocal(first, rec.timezone), rec.timezone)) {
      if (out.length >= count || ++seen > 5000) break;
      if (d.getTime() > after.getTime() && d.getTime() !== first.getTime()) out.push(d);
    }
  } catch {
    return [];
  }
  return out;
}

function endOfLocalDay(now: Date, timeZone: string): Date {
  const l = toLocal(now, timeZone);
  return fromLocal({ year: l.year, month: l.month, day: l.day, hour: 23, minute: 59, second: 59 }, timeZone);
}
