// How each view groups its rows: Today into Overdue and Today, Upcoming into one group per day
// (empty days too: they are where a task can be dragged), Completed by the day of completion.
// Pure (tested in groups.unit.test.ts).
import type { LocalDate } from '@dueflow/core/browser';
import { formatDayHeading, wallTime } from './format';
import type { Task } from './types';
import { dateKey, plusDays } from './views';

export interface TaskGroup {
  /** Stable key: "overdue", "no-date", or a local date "2026-11-25". */
  key: string;
  label: string;
  /** The day the group stands for (a drop target in Upcoming). */
  date: LocalDate | null;
  tasks: Task[];
  tone?: 'overdue';
}

const localDateOf = (iso: string, timeZone: string): LocalDate => {
  const w = wallTime(new Date(iso), timeZone);
  return { year: w.year, month: w.month, day: w.day };
};

/** Overdue (due before today) first, then today's tasks; one just added for another day first of all. */
export function groupToday(tasks: readonly Task[], timeZone: string, today: LocalDate): TaskGroup[] {
  const todayKey = dateKey(today);
  const overdue: Task[] = [];
  const due: Task[] = [];
  const added: Task[] = [];
  for (const t of tasks) {
    const key = t.due_date ? dateKey(localDateOf(t.due_date, timeZone)) : null;
    if (key !== null && key < todayKey) overdue.push(t);
    else if (key === todayKey) due.push(t);
    else if (t.id > 0) added.push(t);
  }
  const groups: TaskGroup[] = [];
  if (added.length > 0) groups.push({ key: 'added', label: 'Just added', date: null, tasks: added });
  if (overdue.length > 0) groups.push({ key: 'overdue', label: 'Overdue', date: null, tasks: overdue, tone: 'overdue' });
  groups.push({ key: todayKey, label: formatDayHeading(today, today), date: today, tasks: due });
  return groups;
}

/**
 * One group per day from today for `span` days, each with its tasks (in the list's order). A task
 * just added here that belongs to no day (no date, or later) shows first, under "Just added".
 */
export function groupByDay(tasks: readonly Task[], timeZone: string, today: LocalDate, span: number): TaskGroup[] {
  const groups: TaskGroup[] = [];
  const byKey = new Map<string, TaskGroup>();
  for (let i = 0; i < span; i++) {
    const date = plusDays(today, i);
    const group: TaskGroup = { key: dateKey(date), label: formatDayHeading(date, today), date, tasks: [] };
    groups.push(group);
    byKey.set(group.key, group);
  }
  const added: Task[] = [];
  for (const t of tasks) {
    const group = t.due_date ? byKey.get(dateKey(localDateOf(t.due_date, timeZone))) : undefined;
    if (group) group.tasks.push(t);
    else if (t.id > 0) added.push(t);
  }
  return added.length > 0 ? [{ key: 'added', label: 'Just added', date: null, tasks: added }, ...groups] : groups;
}

/** By the local day each task was completed, most recent first (the list's order). */
export function groupByCompletion(tasks: readonly Task[], timeZone: string, today: LocalDate): TaskGroup[] {
  const groups: TaskGroup[] = [];
  for (const t of tasks) {
    const date = t.completed_at ? localDateOf(t.completed_at, timeZone) : null;
    const key = date ? dateKey(date) : 'no-date';
    let group = groups[groups.length - 1];
    if (!group || group.key !== key) {
      group = { key, label: date ? `Completed ${formatDayHeading(date, today).replace(/^(Today|Tomorrow|Yesterday)$/, (w) => w.toLowerCase())}` : 'Completed', date, tasks: [] };
      groups.push(group);
    }
    group.tasks.push(t);
  }
  return groups;
}
