// Typed dates and times in the user's own way of writing them: the locale's order of day, month and
// year ("25/11/2026" in en-GB, "11/25/2026" in en-US), the 12- or 24-hour clock, and the words quick
// add knows ("tomorrow", "next fri", "dec 3", "5pm"). Pure (tested in date-input.unit.test.ts).
import { isValidDate, type LocalDate, readDatePhrase, readTimePhrase, type TimeOfDay } from '@dueflow/core/browser';
import { displayPrefs, formatTime } from './format';

type Field = 'day' | 'month' | 'year';

/** The locale's numeric date: the order of its fields and its separator. */
export function datePattern(locale: string = displayPrefs().locale): { order: Field[]; separator: string; placeholder: string } {
  let parts: Intl.DateTimeFormatPart[] = [];
  try {
    parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2026, 10, 25)));
  } catch {
    /* fall back below */
  }
  const order = parts.filter((p): p is Intl.DateTimeFormatPart & { type: Field } => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => p.type);
  const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '/';
  const fields: Field[] = order.length === 3 ? order : ['day', 'month', 'year'];
  const names: Record<Field, string> = { day: 'dd', month: 'mm', year: 'yyyy' };
  return { order: fields, separator, placeholder: fields.map((f) => names[f]).join(separator) };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "25/11/2026" (en-GB), "11/25/2026" (en-US), "25.11.2026" (de-DE). */
export function formatDateInput(d: LocalDate, locale?: string): string {
  const { order, separator } = datePattern(locale);
  const value: Record<Field, string> = { day: pad(d.day), month: pad(d.month), year: String(d.year) };
  return order.map((f) => value[f]).join(separator);
}

/**
 * A typed date: the locale's numeric form (any of / . - as separator; a two-digit year is 20xx),
 * ISO "2026-11-25", or words ("tomorrow", "fri", "next week", "dec 3"). Null when it is none of them.
 */
export function parseDateInput(text: string, now: Date, timeZone: string, locale?: string): LocalDate | null {
  const s = text.trim();
  if (!s) return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return checked(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,4})[/.\-\s](\d{1,2})[/.\-\s](\d{1,4})\.?$/.exec(s);
  if (numeric) {
    const { order } = datePattern(locale);
    const value: Partial<Record<Field, number>> = {};
    order.forEach((f, i) => (value[f] = Number(numeric[i + 1])));
    let year = value.year ?? NaN;
    if (year < 100) year += 2000;
    return checked(year, value.month ?? NaN, value.day ?? NaN);
  }
  return readDatePhrase(s, { now, timezone: timeZone });
}

function checked(year: number, month: number, day: number): LocalDate | null {
  return Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) && isValidDate(year, month, day) ? { year, month, day } : null;
}

/** A typed time: "17:00", "5pm", "5:30 PM", "9.45", "noon". Null when it is none. */
export function parseTimeInput(text: string): TimeOfDay | null {
  return text.trim() ? readTimePhrase(text) : null;
}

/** The time as the user's clock writes it ("17:00" or "5:00 pm"). */
export const formatTimeInput = (t: TimeOfDay): string => formatTime(t);

/** The placeholder of a time field on the user's clock. */
export const timePlaceholder = (): string => (displayPrefs().hour12 ? 'e.g. 5:00 pm' : 'e.g. 17:00');
