// Wall-clock arithmetic on IANA time zones, using only Intl. Pure: no I/O, no clock.
//
// Calendar math (days in month, weekdays, adding days) is done on a proleptic Gregorian
// "epoch day" count, so it is exact for any year and never goes through Date's local time.
import { validationError } from '../errors.ts';

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
}

export interface LocalDateTime extends LocalDate {
  hour: number; // 0-23
  minute: number; // 0-59
  second: number; // 0-59
}

const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Calendar math

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function epochDay(d: LocalDate): number {
  const y = d.year - (d.month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12; // March = 0 ... February = 11
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date `n` days after 1970-01-01 (inverse of `epochDay`). */
export function fromEpochDay(n: number): LocalDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** ISO weekday: 0 = Monday ... 6 = Sunday. */
export function weekday(year: number, month: number, day: number): number {
  // 1970-01-01 was a Thursday (3).
  return (((epochDay({ year, month, day }) + 3) % 7) + 7) % 7;
}

/** Plain calendar arithmetic: the date `n` days after `d` (n may be negative). */
export function addDays(d: LocalDate, n: number): LocalDate {
  return fromEpochDay(epochDay(d) + n);
}

/** True when the fields form a real calendar date (integers, month 1-12, day within the month). */
export function isValidDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Negative, zero or positive as `a` is before, equal to or after `b` (field-wise wall-clock order). */
export function compareLocal(a: LocalDateTime, b: LocalDateTime): number {
  return (
    a.year - b.year ||
    a.month - b.month ||
    a.day - b.day ||
    a.hour - b.hour ||
    a.minute - b.minute ||
    a.second - b.second
  );
}

/** The wall time read as if it were UTC, in milliseconds. */
function wallMs(l: LocalDateTime): number {
  return epochDay(l) * MS_PER_DAY + l.hour * 3_600_000 + l.minute * 60_000 + l.second * 1000;
}

function wallFromMs(ms: number): LocalDateTime {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = Math.floor((ms - days * MS_PER_DAY) / 1000);
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return { ...fromEpochDay(days), hour, minute, second };
}

// ---------------------------------------------------------------------------------------------
// Time zones

// Caches keyed by the zone string as given. Intl accepts names case-insensitively, so the number
// of distinct keys is unbounded in principle: both caches are simply reset when they grow large.
const CACHE_MAX = 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const invalidZones = new Set<string>();

function isUtc(tz: string): boolean {
  return tz === 'UTC' || tz === 'Etc/UTC';
}

function formatterFor(tz: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(tz);
  if (cached) return cached;
  if (invalidZones.has(tz)) return null;
  // IANA names only: Intl in recent engines also accepts raw offsets such as "+01:00".
  if (invalidZones.size >= CACHE_MAX) invalidZones.clear();
  if (tz.length === 0 || tz.length > 64 || /^[+-]/.test(tz)) {
    invalidZones.add(tz);
    return null;
  }
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size >= CACHE_MAX) formatters.clear();
    formatters.set(tz, f);
    return f;
  } catch {
    invalidZones.add(tz);
    return null;
  }
}

export function isValidTimeZone(tz: string): boolean {
  return typeof tz === 'string' && formatterFor(tz) !== null;
}

/** Returns `tz` unchanged when it names a time zone Intl knows; throws INVALID_TIMEZONE otherwise. */
export function assertTimeZone(tz: string): string {
  if (!isValidTimeZone(tz)) {
    throw validationError('INVALID_TIMEZONE', `unknown time zone: ${JSON.stringify(tz)}`, { timezone: tz });
  }
  return tz;
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  const f = formatterFor(tz);
  if (!f) throw validationError('INVALID_TIMEZONE', `unknown time zone: ${JSON.stringify(tz)}`, { timezone: tz });
  return f;
}

// en-US with h23 and a short era formats as "1/2/2026 AD, 09:05:00"; parsing that string is
// several times faster than formatToParts, which remains the fallback.
const FORMATTED = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/;

/** Wall time of the instant `ms` (milliseconds, whole seconds used) in `tz`. */
function localAt(ms: number, tz: string): LocalDateTime {
  if (isUtc(tz)) return wallFromMs(ms);
  const f = zoneFormatter(tz);
  const m = FORMATTED.exec(f.format(ms));
  if (m) {
    const year = Number(m[3]);
    return {
      year: m[4] === 'BC' ? 1 - year : year,
      month: Number(m[1]),
      day: Number(m[2]),
      hour: Number(m[5]) % 24, // some engines print midnight as 24 even with h23
      minute: Number(m[6]),
      second: Number(m[7]),
    };
  }
  return localFromParts(f.formatToParts(ms));
}

function localFromParts(parts: Intl.DateTimeFormatPart[]): LocalDateTime {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value) % 24;
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  return { year: bc ? 1 - year : year, month, day, hour, minute, second };
}

/** UTC offset of `tz` at the instant `ms`, in milliseconds (local = utc + offset). */
function offsetAt(ms: number, tz: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallMs(localAt(whole, tz)) - whole;
}

function assertInstant(instant: Date): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  return ms;
}

/** The wall-clock time of `instant` in `tz` (sub-second part dropped). */
export function toLocal(instant: Date, tz: string): LocalDateTime {
  return localAt(assertInstant(instant), tz);
}

function assertLocal(l: LocalDateTime): void {
  const ok =
    isValidDate(l.year, l.month, l.day) &&
    Number.isInteger(l.hour) &&
    Number.isInteger(l.minute) &&
    Number.isInteger(l.second) &&
    l.hour >= 0 &&
    l.hour <= 23 &&
    l.minute >= 0 &&
    l.minute <= 59 &&
    l.second >= 0 &&
    l.second <= 59;
  if (!ok) throw new RangeError(`invalid local date-time: ${JSON.stringify(l)}`);
}

/**
 * The instant at which the wall clock in `tz` shows `local`.
 * - A time in a DST gap (does not exist) moves forward by the length of the gap:
 *   02:30 on a spring-forward day in America/New_York is 03:30 EDT.
 * - An ambiguous time (fall back) resolves to the earlier instant (the pre-transition offset).
 * Throws RangeError for impossible fields (e.g. Feb 30) and INVALID_TIMEZONE for unknown zones.
 */
export function fromLocal(local: LocalDateTime, tz: string): Date {
  assertLocal(local);
  const wall = wallMs(local);
  if (isUtc(tz)) return new Date(wall);
  // Offsets a day either side of the wall time bracket any single transition near it.
  const before = offsetAt(wall - MS_PER_DAY, tz);
  const after = offsetAt(wall + MS_PER_DAY, tz);
  if (before === after) return new Date(wall - before);
  const early = wall - Math.max(before, after);
  const late = wall - Math.min(before, after);
  // Ambiguous or regular: the earliest candidate whose wall time reads back as `local`.
  if (wallMs(localAt(early, tz)) === wall) return new Date(early);
  if (wallMs(localAt(late, tz)) === wall) return new Date(late);
  // Gap: read the time with the pre-transition offset, i.e. shifted forward by the gap.
  return new Date(wall - before);
}
