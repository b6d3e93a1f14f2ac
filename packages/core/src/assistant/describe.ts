// Short English lines about tasks for the assistant's answers: "#12 Buy milk (due Thu 26 Nov 17:00, high, #home)".
import { describeRecurrence } from '../recurrence/describe.ts';
import type { Task } from '../task-model.ts';
import { epochDay, toLocal } from '../time/zoned.ts';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "today 17:00", "tomorrow", "Thu 3 Dec 09:30", "Fri 1 Jan 2027": the instant on the user's wall clock. */
export function describeWhen(at: Date, timezone: string, now: Date): string {
  const local = toLocal(at, timezone);
  const today = epochDay(toLocal(now, timezone));
  const day = epochDay(local);
  // A due date given without a time is stored as the end of that day.
  const endOfDay = local.hour === 23 && local.minute === 59;
  const time = endOfDay ? '' : ` ${pad(local.hour)}:${pad(local.minute)}`;
  if (day === today) return `today${time}`;
  if (day === today + 1) return `tomorrow${time}`;
  if (day === today - 1) return `yesterday${time}`;
  const weekday = DAYS[(((day + 3) % 7) + 7) % 7] ?? '';
  const year = local.year === toLocal(now, timezone).year ? '' : ` ${local.year}`;
  return `${weekday} ${local.day} ${MONTHS[local.month - 1] ?? ''}${year}${time}`;
}

/** One line per task, with what a reader needs to tell tasks apart. */
export function describeTask(task: Task, timezone: string, now: Date): string {
  const facts: string[] = [];
  if (task.completed) facts.push('done');
  if (task.dueDate) {
    const overdue = !task.completed && task.dueDate.getTime() < now.getTime();
    facts.push(`${overdue ? 'overdue, was due' : 'due'} ${describeWhen(task.dueDate, timezone, now)}`);
  }
  if (task.priority !== 'medium') facts.push(`${task.priority} priority`);
  if (task.recurrence) facts.push(describeRecurrence(task.recurrence));
  if (task.reminderAt && !task.completed) facts.push(`reminder ${describeWhen(task.reminderAt, timezone, now)}`);
  for (const tag of task.tags) facts.push(`#${tag}`);
  return `#${task.id} ${task.title}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** A numbered list, or a sentence saying there is nothing. */
export function describeTaskList(tasks: readonly Task[], total: number, timezone: string, now: Date, empty: string): string {
  if (tasks.length === 0) return empty;
  const lines = tasks.map((t) => `- ${describeTask(t, timezone, now)}`);
  const more = total > tasks.length ? `\n…and ${total - tasks.length} more.` : '';
  return `${lines.join('\n')}${more}`;
}
