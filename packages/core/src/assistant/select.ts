// Which tasks a command means, and what a due-date change makes of a task's due date. Pure: the
// user's tasks, clock and zone come in; tasks or a question ("which one?") go out.
import { WEEKDAYS } from '../api/task-requests.ts';
import type { Priority } from '../task.ts';
import type { Task } from '../task-model.ts';
import { addDays, epochDay, toLocal, weekday, type LocalDate } from '../time/zoned.ts';
import type { DueChange, TaskAction, TaskSet, Target, TimeWindow } from './command.ts';
import { bestMatches, contentWords, hasWords, type MatchStrength } from './match.ts';
import { formatDate, type Clock, type Repeat, type TimeOfDay } from './parse-dates.ts';

const pad = (n: number) => String(n).padStart(2, '0');
/** A due date stored for a whole day sits at 23:59 local. */
const isWholeDay = (hour: number, minute: number) => hour === 23 && minute === 59;

/** Whether a task belongs to a set, on the user's wall clock. */
export function inSet(task: Task, set: TaskSet, clock: Clock): boolean {
  const status = set.status ?? 'pending';
  if (status === 'pending' && task.completed) return false;
  if (status === 'completed' && !task.completed) return false;
  if (set.priorities?.length && !set.priorities.includes(task.priority)) return false;
  if (set.tags?.length && !set.tags.every((t) => task.tags.includes(t))) return false;
  if (set.words?.length && !hasWords(set.words, task.title, task.tags)) return false;
  if (set.hasDue !== undefined && (task.dueDate !== null) !== set.hasDue) return false;
  const needsDue = set.overdue || set.days || set.times;
  if (needsDue && !task.dueDate) return false;
  if (task.dueDate) {
    if (set.overdue && (task.completed || task.dueDate.getTime() >= clock.now.getTime())) return false;
    const local = toLocal(task.dueDate, clock.timezone);
    const day = epochDay(local);
    if (set.days?.from && day < epochDay(set.days.from)) return false;
    if (set.days?.to && day > epochDay(set.days.to)) return false;
    // A whole-day task has no time of day: it is in no morning or evening.
    if (set.times && (isWholeDay(local.hour, local.minute) || !inWindow(local.hour * 60 + local.minute, set.times))) return false;
  }
  return true;
}

const inWindow = (minute: number, w: TimeWindow) => (w.from <= w.to ? minute >= w.from && minute < w.to : minute >= w.from || minute < w.to);

/** Tasks of a set, soonest due first (no due date last), then oldest first. */
export function selectSet(tasks: readonly Task[], set: TaskSet, clock: Clock): Task[] {
  return sortForPeople(tasks.filter((t) => inSet(t, set, clock)));
}

export function sortForPeople(tasks: readonly Task[]): Task[] {
  const due = (t: Task) => t.dueDate?.getTime() ?? Number.POSITIVE_INFINITY;
  return [...tasks].sort((a, b) => due(a) - due(b) || Number(a.id) - Number(b.id));
}

export type Resolution =
  | { kind: 'tasks'; tasks: Task[]; strength: MatchStrength | 'id' | 'set' | 'it' }
  /** Several tasks fit equally well, or one fits only loosely: ask, listing these. */
  | { kind: 'ask'; candidates: Task[]; loose: boolean }
  | { kind: 'none'; text: string }
  /** "it" with nothing said before. */
  | { kind: 'no-context' };

/** The status a single-task action looks for first: completing looks at open tasks, reopening at done ones. */
const preferred = (action: TaskAction): ((t: Task) => boolean) =>
  action === 'complete' ? (t) => !t.completed : action === 'reopen' ? (t) => t.completed : () => true;

/**
 * The tasks a target names. A single name resolves to one task only when it fits clearly better than every
 * other; a tie or a loose fit asks. Names joined by "and" or commas ("call mom and pay rent") resolve one by one.
 */
export function resolveTarget(target: Target, tasks: readonly Task[], action: TaskAction, clock: Clock, lastIds: readonly string[] = [], listIds: readonly string[] = []): Resolution {
  switch (target.kind) {
    case 'ids': {
      const found = target.ids.map((id) => tasks.find((t) => t.id === id));
      const missing = target.ids.filter((_id, i) => !found[i]);
      if (missing.length > 0) return { kind: 'none', text: missing.map((id) => `#${id}`).join(', ') };
      return { kind: 'tasks', tasks: found.filter((t): t is Task => t !== undefined), strength: 'id' };
    }
    case 'it': {
      const found = lastIds.map((id) => tasks.find((t) => t.id === id)).filter((t): t is Task => t !== undefined);
      return found.length > 0 ? { kind: 'tasks', tasks: found, strength: 'it' } : { kind: 'no-context' };
    }
    case 'set':
      return { kind: 'tasks', tasks: selectSet(tasks, target.set, clock), strength: 'set' };
    case 'position': {
      // "the last one" with no list shown is the task the conversation was last about.
      if (listIds.length === 0 && target.n === -1) return resolveTarget({ kind: 'it' }, tasks, action, clock, lastIds);
      const id = target.n === -1 ? listIds.at(-1) : listIds[target.n - 1];
      const found = id === undefined ? undefined : tasks.find((t) => t.id === id);
      return found ? { kind: 'tasks', tasks: [found], strength: 'it' } : { kind: 'no-context' };
    }
    case 'title': {
      const pool = target.within ? tasks.filter((t) => inSet(t, { status: 'all', ...target.within }, clock)) : tasks;
      const whole = resolveName(target.text, pool, action);
      if (whole.kind === 'tasks' || (whole.kind === 'ask' && !whole.loose)) return whole;
      const parts = target.text.split(/\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)/i).filter((p) => contentWords(p).length > 0);
      if (parts.length < 2) return whole;
      const each = parts.map((p) => resolveName(p, pool, action));
      if (each.every((r) => r.kind === 'tasks' && r.tasks.length === 1)) {
        const picked = each.flatMap((r) => (r.kind === 'tasks' ? r.tasks : []));
        return { kind: 'tasks', tasks: [...new Map(picked.map((t) => [t.id, t])).values()], strength: 'full' };
      }
      return whole.kind === 'ask' ? whole : (each.find((r) => r.kind === 'ask') ?? whole);
    }
  }
}

function resolveName(text: string, pool: readonly Task[], action: TaskAction): Resolution {
  const matches = bestMatches(text, pool);
  if (matches.length === 0) return { kind: 'none', text };
  const strength = matches[0]?.strength ?? 'partial';
  const wanted = preferred(action);
  const fits = matches.filter((m) => wanted(m.task)).map((m) => m.task);
  if (strength === 'partial') return { kind: 'ask', candidates: sortForPeople(matches.map((m) => m.task)), loose: true };
  if (fits.length === 1 && fits[0]) return { kind: 'tasks', tasks: [fits[0]], strength };
  if (fits.length > 1) return { kind: 'ask', candidates: sortForPeople(fits), loose: false };
  // The best matches are all in the other state (completing a done task): a weaker match in the wanted
  // state may be what was meant, so ask between them; with none, act on the best (the answer says so).
  const weaker = bestMatches(text, pool.filter((t) => wanted(t) && !matches.some((m) => m.task.id === t.id)));
  if (weaker.length > 0) return { kind: 'ask', candidates: sortForPeople([...matches.map((m) => m.task), ...weaker.map((m) => m.task)]), loose: false };
  if (matches.length === 1 && matches[0]) return { kind: 'tasks', tasks: [matches[0].task], strength };
  return { kind: 'ask', candidates: sortForPeople(matches.map((m) => m.task)), loose: false };
}

/**
 * The new due date as the tools take it (local "YYYY-MM-DD" for a whole day, "YYYY-MM-DDTHH:MM" with a time),
 * or null to clear. A new day keeps the task's time ("to friday"); a new time keeps its day ("to 2 PM").
 */
export function plannedDue(current: Date | null, change: DueChange, clock: Clock): string | null {
  if (change.clear) return null;
  if (change.exact) return `${formatDate(change.exact)}T${pad(change.exact.hour)}:${pad(change.exact.minute)}`;
  const local = current ? toLocal(current, clock.timezone) : null;
  const currentTime = local && !isWholeDay(local.hour, local.minute) ? { hour: local.hour, minute: local.minute } : undefined;
  const currentDay: LocalDate | undefined = local ? { year: local.year, month: local.month, day: local.day } : undefined;
  if (change.shiftMinutes !== undefined) {
    if (!current) return null;
    const shifted = toLocal(new Date(current.getTime() + change.shiftMinutes * 60_000), clock.timezone);
    if (!currentTime) return formatDate(shifted);
    return `${formatDate(shifted)}T${pad(shifted.hour)}:${pad(shifted.minute)}`;
  }
  const time: TimeOfDay | undefined = change.time ?? (change.date ? currentTime : undefined);
  let date = change.date ?? currentDay;
  if (!date) date = time && time.hour * 60 + time.minute <= clock.local.hour * 60 + clock.local.minute ? addDays(clock.today, 1) : clock.today;
  return time ? `${formatDate(date)}T${pad(time.hour)}:${pad(time.minute)}` : formatDate(date);
}

/** A weekday rule ("every monday") on a task due another day starts on the first such day, at the task's time. */
export function dueForWeekdays(current: Date | null, repeat: Repeat, clock: Clock): string | null {
  const days = repeat.by_weekday;
  if (!days?.length) return null;
  const local = current ? toLocal(current, clock.timezone) : null;
  if (local && days.includes(WEEKDAYS[weekday(local.year, local.month, local.day)] ?? 'MO')) return null;
  for (let i = 1; i <= 7; i++) {
    const d = addDays(clock.today, i);
    if (days.includes(WEEKDAYS[weekday(d.year, d.month, d.day)] ?? 'MO')) {
      const time = local && !isWholeDay(local.hour, local.minute) ? { hour: local.hour, minute: local.minute } : undefined;
      return time ? `${formatDate(d)}T${pad(time.hour)}:${pad(time.minute)}` : formatDate(d);
    }
  }
  return null;
}

const STEPS: readonly Priority[] = ['low', 'medium', 'high'];
export function steppedPriority(p: Priority, step: 1 | -1): Priority {
  return STEPS[Math.min(2, Math.max(0, STEPS.indexOf(p) + step))] ?? p;
}
