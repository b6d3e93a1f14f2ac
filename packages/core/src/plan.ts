import type { CreateTaskRequest, PatchTaskRequest, RecurrenceRequest } from './api/task-requests.ts';
import { parseUserDate } from './dates.ts';
import { unprocessable, validationError } from './errors.ts';
import { buildRecurrence, type Recurrence, type RecurrenceInput } from './recurrence/index.ts';
import { WEEKDAY_CODES } from './recurrence/rrule.ts';
import type { EditableTaskFields } from './task-model.ts';
import { fromLocal, toLocal, weekday } from './time/zoned.ts';

export interface PlanContext {
  timezone: string;
  now: Date;
}

/** The editable fields of a request, snake_case as received; `undefined` means "not given". */
export type FieldChanges = Omit<PatchTaskRequest, 'completed' | 'version'>;

export const DEFAULT_FIELDS: EditableTaskFields = {
  title: '',
  description: '',
  priority: 'medium',
  tags: [],
  dueDate: null,
  reminderAt: null,
  remindBeforeMinutes: null,
  recurrence: null,
};

/** Fields of a new task (also what PUT replaces the task with). */
export function planCreate(req: CreateTaskRequest, ctx: PlanContext): EditableTaskFields {
  return applyChanges(DEFAULT_FIELDS, req, ctx);
}

/**
 * Merges `changes` into `base` and re-derives what depends on them: the reminder time from the
 * offset, the recurrence anchor from the due date. Throws typed errors on contradictions.
 */
export function applyChanges(base: EditableTaskFields, changes: FieldChanges, ctx: PlanContext): EditableTaskFields {
  const next: EditableTaskFields = { ...base, tags: [...base.tags] };
  if (changes.title !== undefined) next.title = changes.title;
  if (changes.description !== undefined) next.description = changes.description;
  if (changes.priority !== undefined) next.priority = changes.priority;
  if (changes.tags !== undefined) next.tags = changes.tags;

  const dueChanged = changes.due_date !== undefined;
  if (changes.due_date !== undefined) {
    next.dueDate = changes.due_date === null ? null : parseUserDate(changes.due_date, ctx.timezone, 'due_date');
  }
  if (changes.due_date === null && changes.remind_before_minutes === undefined && next.remindBeforeMinutes !== null) {
    // Clearing the due date drops the reminder that was relative to it.
    next.remindBeforeMinutes = null;
    next.reminderAt = null;
  }

  // Reminder: an offset before the due date, or an absolute time; never both.
  const before = changes.remind_before_minutes;
  const at = changes.reminder_at;
  if (before !== undefined && before !== null && at !== undefined && at !== null) {
    throw validationError('REMINDER_CONFLICT', 'give either remind_before_minutes or reminder_at, not both');
  }
  if (before !== undefined) {
    next.remindBeforeMinutes = before;
    if (before === null && (at === undefined || at === null)) next.reminderAt = null;
  }
  if (at !== undefined) {
    if (at === null) {
      if (before === undefined || before === null) {
        next.reminderAt = null;
        next.remindBeforeMinutes = before === undefined ? null : before;
      }
    } else {
      const reminderAt = parseUserDate(at, ctx.timezone, 'reminder_at', 'end', 'millisecond');
      if (reminderAt.getTime() <= ctx.now.getTime()) {
        throw unprocessable('REMINDER_IN_PAST', 'reminder_at must be in the future');
      }
      next.reminderAt = reminderAt;
      next.remindBeforeMinutes = null;
    }
  }

  // Recurrence: `recurring` is the shorthand for a plain pattern.
  let recurrenceInput: RecurrenceRequest | null | undefined = changes.recurrence;
  if (changes.recurring !== undefined) {
    if (changes.recurrence !== undefined) {
      throw validationError('RECURRENCE_CONFLICT', 'give either recurring or recurrence, not both');
    }
    recurrenceInput = changes.recurring === null ? null : { pattern: changes.recurring };
  }
  if (recurrenceInput !== undefined && recurrenceInput !== null && next.dueDate === null) {
    // A series needs a phase: without a due date it starts at the end of today.
    next.dueDate = endOfLocalDay(ctx.now, ctx.timezone);
  }
  if (recurrenceInput === null) next.recurrence = null;
  else if (recurrenceInput !== undefined) next.recurrence = build(recurrenceInput, next.dueDate, ctx);
  else if (dueChanged && next.recurrence !== null) {
    if (next.dueDate === null) {
      throw unprocessable('RECURRENCE_NEEDS_DUE_DATE', 'a recurring task needs a due date; clear the recurrence first');
    }
    const input = recurrenceToInput(next.recurrence);
    if (weekdayOfAnchor(next.recurrence) && 'by_weekday' in input) delete input.by_weekday;
    next.recurrence = build(input, next.dueDate, ctx);
  }

  if (next.remindBeforeMinutes !== null) {
    if (next.dueDate === null) {
      throw unprocessable('REMINDER_NEEDS_DUE_DATE', 'remind_before_minutes needs a due date');
    }
    next.reminderAt = new Date(next.dueDate.getTime() - next.remindBeforeMinutes * 60_000);
    // An offset longer than the time left to a future due date would set a reminder that never fires.
    const offsetSet = (before !== undefined && before !== null) || dueChanged;
    if (offsetSet && next.dueDate.getTime() > ctx.now.getTime() && next.reminderAt.getTime() <= ctx.now.getTime()) {
      const left = Math.floor((next.dueDate.getTime() - ctx.now.getTime()) / 60_000);
      throw unprocessable('REMINDER_IN_PAST', `remind_before_minutes (${next.remindBeforeMinutes}) is more than the ${left} minutes left until the due date`, {
        remind_before_minutes: next.remindBeforeMinutes,
        minutes_until_due: left,
      });
    }
  } else if (next.reminderAt !== null && next.dueDate !== null && Math.floor(next.reminderAt.getTime() / 1000) * 1000 > next.dueDate.getTime()) {
    // Within the due date's second is not after it: due dates are whole seconds, reminders milliseconds.
    throw unprocessable('REMINDER_AFTER_DUE', 'reminder_at must not be after due_date');
  }
  return next;
}

/** True when both describe the same task (a write of `b` over `a` would change nothing). */
export function sameFields(a: EditableTaskFields, b: EditableTaskFields): boolean {
  const time = (d: Date | null) => (d === null ? null : d.getTime());
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.priority === b.priority &&
    a.tags.length === b.tags.length &&
    a.tags.every((t, i) => t === b.tags[i]) &&
    time(a.dueDate) === time(b.dueDate) &&
    time(a.reminderAt) === time(b.reminderAt) &&
    a.remindBeforeMinutes === b.remindBeforeMinutes &&
    sameRecurrence(a.recurrence, b.recurrence)
  );
}

function sameRecurrence(a: Recurrence | null, b: Recurrence | null): boolean {
  if (a === null || b === null) return a === b;
  // Stored recurrences come back from jsonb with their keys reordered: compare key by key.
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof Recurrence)[]);
  return [...keys].every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

function build(input: RecurrenceRequest, due: Date | null, ctx: PlanContext): Recurrence {
  if (due === null) throw unprocessable('RECURRENCE_NEEDS_DUE_DATE', 'a recurring task needs a due date');
  return buildRecurrence(input as RecurrenceInput, { anchor: due, timezone: ctx.timezone });
}

/** The input that rebuilds `r` around a new anchor (pattern rules clamp to the anchor's day). */
export function recurrenceToInput(r: Recurrence): RecurrenceRequest {
  if (r.pattern === 'custom') return { rrule: r.rrule, from: r.from };
  const input: RecurrenceRequest = { pattern: r.pattern, interval: r.interval, from: r.from };
  if (r.by_weekday !== null && (r.pattern === 'weekly' || r.pattern === 'monthly')) input.by_weekday = r.by_weekday;
  if (r.until !== null) input.until = r.until;
  if (r.count !== null) input.count = r.count;
  return input;
}

/**
 * A weekly rule on just the anchor's weekday is what `pattern: weekly` derives from the due date, so
 * it follows the due date when that moves (weekly on Monday, due moved to Wednesday → Wednesdays).
 */
function weekdayOfAnchor(r: Recurrence): boolean {
  if (r.pattern !== 'weekly' || r.by_weekday?.length !== 1) return false;
  const l = toLocal(new Date(r.anchor), r.timezone);
  return WEEKDAY_CODES[weekday(l.year, l.month, l.day)] === r.by_weekday[0];
}

export function endOfLocalDay(now: Date, timezone: string): Date {
  const l = toLocal(now, timezone);
  return fromLocal({ year: l.year, month: l.month, day: l.day, hour: 23, minute: 59, second: 59 }, timezone);
}
