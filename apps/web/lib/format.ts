// Dates in the user's time zone (their profile's, not the browser's): wall-clock conversion with
// the domain's Intl-based zone maths (DST-correct, zod-free entry point), and every date and time the
// page shows or reads, in the browser's locale and the user's 12/24-hour choice. No date library.
import { fromLocal, isValidTimeZone, type LocalDate, type LocalDateTime, toLocal } from '@dueflow/core/browser';
import type { Task } from './types';

export type WallTime = LocalDateTime;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const pad = (n: number): string => String(n).padStart(2, '0');

// ---- display preferences ----

export interface DisplayPrefs {
  /** BCP 47 locale for day and month names and the order of date fields. */
  locale: string;
  /** 12-hour clock ("5:00 pm") or 24-hour ("17:00"). */
  hour12: boolean;
}

export type ClockChoice = 'auto' | '12' | '24';
export const CLOCK_STORAGE_KEY = 'dueflow:clock';

let prefs: DisplayPrefs = { locale: 'en-GB', hour12: false };

/** The locale's own clock: whether it writes times with a 12-hour cycle. */
export function localeUses12Hour(locale: string): boolean {
  try {
    const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
    return cycle === 'h11' || cycle === 'h12';
  } catch {
    return false;
  }
}

/** The preferences for `locale` and the user's clock choice ("auto" follows the locale). */
export function displayPrefsFor(locale: string, clock: ClockChoice): DisplayPrefs {
  let valid = 'en-GB';
  try {
    valid = Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? 'en-GB';
  } catch {
    /* keep the default */
  }
  return { locale: valid, hour12: clock === 'auto' ? localeUses12Hour(valid) : clock === '12' };
}

/** Sets how every date and time is written and read on this page. */
export function setDisplayPrefs(next: DisplayPrefs): void {
  prefs = next;
  formatters.clear();
}

export function displayPrefs(): DisplayPrefs {
  return prefs;
}

export function parseClockChoice(value: unknown): ClockChoice {
  return value === '12' || value === '24' ? value : 'auto';
}

/** The user's clock choice on this device ("auto" when none, or storage is blocked). */
export function readClockChoice(): ClockChoice {
  try {
    return parseClockChoice(localStorage.getItem(CLOCK_STORAGE_KEY));
  } catch {
    return 'auto';
  }
}

export function writeClockChoice(choice: ClockChoice): void {
  try {
    if (choice === 'auto') localStorage.removeItem(CLOCK_STORAGE_KEY);
    else localStorage.setItem(CLOCK_STORAGE_KEY, choice);
  } catch {
    /* applied for this page only */
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Formats a wall time by its fields (as UTC), so the zone maths stays the domain's. */
function intl(w: LocalDate & Partial<LocalDateTime>, options: Intl.DateTimeFormatOptions): string {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(prefs.locale, { ...options, timeZone: 'UTC' });
    formatters.set(key, f);
  }
  const d = new Date(Date.UTC(2000, w.month - 1, w.day, w.hour ?? 12, w.minute ?? 0));
  d.setUTCFullYear(w.year);
  // Some locales put narrow or no-break spaces before "pm": plain spaces read and compare better.
  return f.format(d).replace(/[\u202f\u00a0]/g, ' ');
}

/** "17:00" or "5:00 pm", as the user's clock writes it. */
export function formatTime(w: Pick<LocalDateTime, 'hour' | 'minute'>): string {
  if (!prefs.hour12) return `${pad(w.hour)}:${pad(w.minute)}`;
  return intl({ year: 2000, month: 1, day: 1, hour: w.hour, minute: w.minute }, { hour: 'numeric', minute: '2-digit', hour12: true });
}

/** "Fri" */
export const formatWeekday = (d: LocalDate): string => intl(d, { weekday: 'short' });
/** "12 Mar" (en-GB) or "Mar 12" (en-US). */
export const formatDayMonth = (d: LocalDate): string => intl(d, { day: 'numeric', month: 'short' });
/** "12 Mar 2027" (en-GB) or "Mar 12, 2027" (en-US). */
export const formatDayMonthYear = (d: LocalDate): string => intl(d, { day: 'numeric', month: 'short', year: 'numeric' });

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
  const time = isEndOfDay(w) ? '' : ` ${formatTime(w)}`;
  const diff = dayDifference(d, now, timeZone);
  if (diff === 0) return `Today${time}`;
  if (diff === 1) return `Tomorrow${time}`;
  if (diff === -1) return `Yesterday${time}`;
  if (diff > 1 && diff < 7) return `${formatWeekday(w)}${time}`;
  const sameYear = w.year === wallTime(now, timeZone).year;
  return sameYear ? formatDayMonth(w) : formatDayMonthYear(w);
}

/** A day in words relative to `today`: "Today", "Tomorrow", "Yesterday", else "Fri 12 Mar" (with the year when another). */
export function formatDayHeading(d: LocalDate, today: LocalDate): string {
  const diff = Math.round((Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(today.year, today.month - 1, today.day)) / DAY);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Tomorrow';
  if (diff === -1) return 'Yesterday';
  return `${formatWeekday(d)} ${d.year === today.year ? formatDayMonth(d) : formatDayMonthYear(d)}`;
}

/** Full date for a title/tooltip: "Fri, 12 Mar 2027, 17:00". */
export function formatAbsolute(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const w = wallTime(d, timeZone);
  return `${formatWeekday(w)}, ${formatDayMonthYear(w)}, ${formatTime(w)}`;
}

/** "31 Dec 2026" of an instant in `timeZone`. */
export function formatDate(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return formatDayMonthYear(wallTime(d, timeZone));
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
  return formatDayMonthYear({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
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
