// "5 minutes ago" and "Mar 4, 2026, 09:30" for timestamps shown in the shell, activity and notifications.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** How long ago (or until) `iso` is, in words; beyond a week, the date itself. */
export function relativeTime(iso: string, now: Date, timeZone?: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const diff = at - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
  if (abs < HOUR) return relative.format(Math.round(diff / MINUTE), 'minute');
  if (abs < DAY) return relative.format(Math.round(diff / HOUR), 'hour');
  if (abs < 7 * DAY) return relative.format(Math.round(diff / DAY), 'day');
  return absoluteDate(iso, timeZone);
}

/** Date and time in the user's zone, e.g. "Mar 4, 2026, 9:30 AM". */
export function absoluteTime(iso: string, timeZone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return formatter({ dateStyle: 'medium', timeStyle: 'short' }, timeZone).format(at);
}

function absoluteDate(iso: string, timeZone?: string): string {
  return formatter({ dateStyle: 'medium' }, timeZone).format(new Date(iso));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions, timeZone?: string): Intl.DateTimeFormat {
  const key = `${options.dateStyle ?? ''}|${options.timeStyle ?? ''}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, ...(timeZone ? { timeZone } : {}) });
    } catch {
      f = new Intl.DateTimeFormat(undefined, options); // unknown zone: the browser's own
    }
    formatters.set(key, f);
  }
  return f;
}
