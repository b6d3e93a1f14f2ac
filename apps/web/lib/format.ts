// Dates in the user's time zone (their profile's, not the browser's): wall-clock conversion with
// the domain's Intl-based zone maths (DST-correct, zod-free entry point), relative due labels,
// overdue detection. No date library.
import { fromLocal, isValidTimeZone, type LocalDateTime, toLocal } from '@dueflow/core/browser';
import type { Task } from './types';

export type WallTime = LocalDateTime;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The wall-clock time `instant` shows in `timeZone` (the server's zone math; UTC if the zone is unknown). */
export function wallTime(instant: Date, timeZone: string): WallTime {
  return toLocal(instant, isValidTimeZone(timeZone) ? timeZone : 'UTC');
}

/**
 * The instant at which the clock in `timeZone` shows `w`. A time skipped by a DST change moves
 * forward by the gap (02:30 → 03:30); a repeated one takes the earlier instant. Same code as the server.
 */
export function instantFromWall(w: WallTime, timeZone: string): Date {
  return fromLocal(w, isValidTimeZone(timeZone) ? timeZone : 'UTC');
}

/** ISO instant → value of an `<input type="datetime-local">` ("2026-03-12T17:00") in `timeZone`. */
export function isoToLocalInput(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallTime(d, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `<input type="datetime-local">` value, read as wall time in `timeZone` → ISO instant (UTC), or null. */
export function localInputToIso(value: string, timeZone: string): string | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  return instantFromWall({ year, month, day, hour, minute, second }, timeZone).toISOString();
}

/** "2026-03-12" of `instant` in `timeZone`. */
export function localDateKey(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Days from `now`'s local date to `instant`'s local date (0 today, 1 tomorrow, -1 yesterday). */
function dayDifference(instant: Date, now: Date, timeZone: string): number {
  const a = wallTime(instant, timeZone);
  const b = wallTime(now, timeZone);
  return Math.round((Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day)) / DAY);
}

function weekdayIndex(w: WallTime): number {
  return (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
}

/** A date given without a time is stored as 23:59:59 local: its time of day says nothing. */
function isEndOfDay(w: WallTime): boolean {
  return w.hour === 23 && w.minute === 59 && w.second === 59;
}

/**
 * Short due label relative to `now`: "Today 17:00", "Tomorrow 09:30", "Yesterday 09:30", "Fri 17:00"
 * (within the coming week), else "12 Mar" (this year) or "12 Mar 2027".
 */
export function formatDue(iso: string, timeZone: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallTime(d, timeZone);
  const time = isEndOfDay(w) ? '' : ` ${pad(w.hour)}:${pad(w.minute)}`;
  const diff = dayDifference(d, now, timeZone);
  if (diff === 0) return `Today${time}`;
  if (diff === 1) return `Tomorrow${time}`;
  if (diff === -1) return `Yesterday${time}`;
  if (diff > 1 && diff < 7) return `${WEEKDAYS_SHORT[weekdayIndex(w)]}${time}`;
  const sameYear = w.year === wallTime(now, timeZone).year;
  return `${w.day} ${MONTHS_SHORT[w.month - 1]}${sameYear ? '' : ` ${w.year}`}`;
}

/** Full date for a title/tooltip: "Fri, 12 Mar 2027, 17:00". */
export function formatAbsolute(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallTime(d, timeZone);
  return `${WEEKDAYS_SHORT[weekdayIndex(w)]}, ${w.day} ${MONTHS_SHORT[w.month - 1]} ${w.year}, ${pad(w.hour)}:${pad(w.minute)}`;
}

/** "31 Dec 2026" of an instant in `timeZone`. */
export function formatDate(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallTime(d, timeZone);
  return `${w.day} ${MONTHS_SHORT[w.month - 1]} ${w.year}`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** How long ago (or until) `iso` is, in words ("5 minutes ago", "yesterday"); beyond a week, the date. */
export function formatRelative(iso: string, now: Date, timeZone: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const diff = at - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  if (abs < HOUR) return relative.format(Math.round(diff / MINUTE), 'minute');
  if (abs < DAY) return relative.format(Math.round(diff / HOUR), 'hour');
  if (abs < 7 * DAY) return relative.format(Math.round(diff / DAY), 'day');
  return formatDate(iso, timeZone);
}

/** "31 Dec 2026" of a local date "2026-12-31" (no zone involved). */
export function formatLocalDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${Number(m[3])} ${MONTHS_SHORT[Number(m[2]) - 1] ?? ''} ${m[1]}`;
}

/** A pending task whose due time has passed. */
export function isOverdue(task: Pick<Task, 'completed' | 'due_date'>, now: Date = new Date()): boolean {
  if (task.completed || !task.due_date) return false;
  const due = Date.parse(task.due_date);
  return Number.isFinite(due) && due < now.getTime();
}

/** "10 minutes before", "1 hour before", "1 day before", "At due time", "90 minutes before". */
export function describeReminderOffset(minutes: number): string {
  if (minutes === 0) return 'At due time';
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day before' : `${minutes / 1440} days before`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour before' : `${minutes / 60} hours before`;
  return minutes === 1 ? '1 minute before' : `${minutes} minutes before`;
}

/** Minutes between two ISO instants, rounded (for showing an absolute reminder as an offset). */
export function minutesBetween(earlierIso: string, laterIso: string): number {
  return Math.round((Date.parse(laterIso) - Date.parse(earlierIso)) / MINUTE);
}

/** The browser's zone, the default for a profile without one. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
