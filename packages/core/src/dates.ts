import { validationError } from './errors.ts';
import { fromLocal } from './time/zoned.ts';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses a user-supplied date in the caller's time zone:
 * - an instant with offset or Z is taken as is;
 * - a local date-time (no offset) is wall time in `timezone`;
 * - a date alone means the end of that day (23:59:59 local), so a task due "today" is not overdue until the
 *   day ends; range filters ask for the start of the day for their lower bound.
 * Whole seconds, truncated; with `precision: 'millisecond'` (reminders) the fraction is kept, rounded up.
 */
export function parseUserDate(
  input: string,
  timezone: string,
  field: string,
  dateOnly: 'start' | 'end' = 'end',
  precision: 'second' | 'millisecond' = 'second',
): Date {
  const s = input.trim();
  let result: Date | null = null;
  const om = WITH_OFFSET.exec(s);
  if (om) {
    // new Date() rolls impossible dates over (Feb 30 → Mar 2): check the calendar fields first.
    const [year, month, day, hour, minute, second] = [om[1], om[2], om[3], om[4], om[5], om[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
    if (isRealDate(year, month, day) && hour < 24 && minute < 60 && second < 60) {
      const whole = `${om[1]}-${om[2]}-${om[3]}T${om[4]}:${om[5]}:${om[6] ?? '00'}${om[8]}`;
      result = new Date(Date.parse(whole) + fractionMs(om[7]));
    }
  } else {
    const dm = DATE_ONLY.exec(s);
    const lm = dm ? null : LOCAL_DATETIME.exec(s);
    const m = dm ?? lm;
    if (m) {
      const year = Number(m[1]);
      const month = Number(m[2]);
      const day = Number(m[3]);
      const endOfDay = dateOnly === 'end';
      const hour = dm ? (endOfDay ? 23 : 0) : Number(m[4]);
      const minute = dm ? (endOfDay ? 59 : 0) : Number(m[5]);
      const second = dm ? (endOfDay ? 59 : 0) : Number(m[6] ?? 0);
      if (isRealDate(year, month, day) && hour < 24 && minute < 60 && second < 60) {
        const local = fromLocal({ year, month, day, hour, minute, second }, timezone);
        result = new Date(local.getTime() + (dm ? 0 : fractionMs(m[7])));
      }
    }
  }
  if (!result || Number.isNaN(result.getTime())) {
    throw validationError('INVALID_DATE', `${field} is not a valid date: use ISO 8601, e.g. 2026-12-01 or 2026-12-01T17:00`, {
      field,
    });
  }
  // Due dates and ranges are whole seconds (the recurrence engine's unit: a series keeps its phase).
  // A reminder keeps its milliseconds (a finer fraction rounds up): asked for at .500, it must not fire at .000.
  return precision === 'millisecond' ? result : new Date(Math.floor(result.getTime() / 1000) * 1000);
}

/**
 * Milliseconds of a fraction of a second, rounded up: a time given to the microsecond is never
 * taken as earlier than asked (a reminder must not fire before its time).
 */
function fractionMs(digits: string | undefined): number {
  if (!digits) return 0;
  const ms = Number((digits + '00').slice(0, 3));
  return /[1-9]/.test(digits.slice(3)) ? ms + 1 : ms;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
