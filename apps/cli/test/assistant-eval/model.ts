// The assistant eval's vocabulary: a case seeds one user's tasks, says one or more messages in one
// conversation, and is judged by the tasks afterwards (and, for questions, by the titles the answer names).
import { addDays, fromLocal, toLocal, weekday, type LocalDate } from '@dueflow/core';

/** The instant every case is read at: Wednesday 10 June 2026, 10:00 in Berlin (08:00 UTC). */
export const EVAL_NOW = new Date('2026-06-10T08:00:00Z');

export type Priority = 'high' | 'medium' | 'low';

/**
 * When, in the user's zone, relative to EVAL_NOW: "today", "tomorrow", "yesterday", "+3" / "-2" (days),
 * a weekday ("fri": the next one after today), or an ISO date; then an optional "HH:MM". Without a time it
 * is a whole day (stored as 23:59).
 */
export type When = string;

export interface SeedTask {
  t: string;
  due?: When;
  p?: Priority;
  tags?: string[];
  done?: boolean;
  /** daily | weekly | monthly | yearly */
  rep?: string;
  /** minutes before the due date */
  rem?: number;
  desc?: string;
}

export interface TaskExpectation {
  done?: boolean;
  deleted?: true;
  title?: string;
  desc?: string;
  p?: Priority;
  tags?: string[];
  due?: When | null;
  rem?: number | null;
  rep?: string | null;
}

export interface AddedExpectation extends Omit<TaskExpectation, 'title' | 'deleted'> {
  /** Acceptable titles (compared without case and outer punctuation). */
  t: string | string[];
}

export interface EvalCase {
  id: string;
  cat: string;
  tz?: string;
  seed?: SeedTask[];
  /** Messages of one conversation; "{Title}" is replaced by that seeded task's id. */
  say: string | string[];
  /** Seeded tasks (by title) and how they must end up; every other seeded task must be unchanged. */
  ch?: Record<string, TaskExpectation>;
  /** New tasks that must exist afterwards (no others may appear). */
  add?: AddedExpectation[];
  /** Titles the last answer must name. */
  names?: string[];
  /** Titles the last answer must not name. */
  omits?: string[];
  /** A number the last answer must contain (counts). */
  count?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "tomorrow 14:00" → "2026-06-11T14:00"; "fri" → "2026-06-12" (local, in `tz`). */
export function resolveWhen(when: When, tz: string, now: Date = EVAL_NOW): string {
  const m = /^(\S+)(?:\s+(\d{1,2}):(\d{2}))?$/.exec(when.trim());
  if (!m) throw new Error(`bad when: ${when}`);
  const local = toLocal(now, tz);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  const word = (m[1] ?? '').toLowerCase();
  let date: LocalDate;
  if (word === 'today') date = today;
  else if (word === 'tomorrow') date = addDays(today, 1);
  else if (word === 'yesterday') date = addDays(today, -1);
  else if (/^[+-]\d+$/.test(word)) date = addDays(today, Number(word));
  else if (DAYS.includes(word)) {
    const ahead = (DAYS.indexOf(word) - weekday(today.year, today.month, today.day) + 7) % 7;
    date = addDays(today, ahead === 0 ? 7 : ahead);
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(word)) {
    const [y, mo, d] = word.split('-').map(Number) as [number, number, number];
    date = { year: y, month: mo, day: d };
  } else throw new Error(`bad when: ${when}`);
  const day = `${date.year}-${pad(date.month)}-${pad(date.day)}`;
  return m[2] === undefined ? day : `${day}T${pad(Number(m[2]))}:${m[3]}`;
}

/** The wall-clock minute of an instant in `tz`, "YYYY-MM-DDTHH:MM". */
export function localMinute(iso: string, tz: string): string {
  const l = toLocal(new Date(iso), tz);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`;
}

/** What a resolved When means as a stored due date's wall-clock minute (a whole day is 23:59). */
export function expectedMinute(when: When, tz: string): string {
  const r = resolveWhen(when, tz);
  return r.length === 10 ? `${r}T23:59` : r;
}

export const instantOf = (when: When, tz: string): Date => {
  const r = expectedMinute(when, tz);
  const [d, t] = r.split('T') as [string, string];
  const [year, month, day] = d.split('-').map(Number) as [number, number, number];
  const [hour, minute] = t.split(':').map(Number) as [number, number];
  return fromLocal({ year, month, day, hour, minute, second: 0 }, tz);
};
