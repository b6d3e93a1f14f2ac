// The task panel's form as values per field, and the rules that keep concurrent edits: a save sends
// only the fields the user changed; when the task changed elsewhere meanwhile, the form is rebased
// field by field (three-way: what the form started from, what the user has, what the server has
// now). A field changed on one side only takes that side; only a field changed differently on both
// sides is a conflict, shown next to the field. Pure (tested in task-form.unit.test.ts).
import { DESCRIPTION_MAX, DomainError, type Priority, REMIND_BEFORE_MAX_MINUTES, TITLE_MAX } from '@dueflow/core/browser';
import { ApiError } from './api';
import { instantFromWall, minutesBetween, wallTime } from './format';
import { modelFromApi, modelToApi, recurrenceOfModel, type RecurrenceModel, validateModel } from './recurrence';
import type { PatchTaskInput, Task } from './types';

export type FieldKey = 'title' | 'description' | 'priority' | 'tags' | 'due' | 'reminder' | 'recurrence';
export const FIELDS: readonly FieldKey[] = ['title', 'description', 'priority', 'tags', 'due', 'reminder', 'recurrence'];
export const FIELD_LABEL: Readonly<Record<FieldKey, string>> = {
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
  tags: 'Tags',
  due: 'Due date',
  reminder: 'Reminder',
  recurrence: 'Repeat',
};

/** A due date in the user's zone: "2026-11-25" and "17:00" ('' for none / all day). */
export interface DueValue {
  date: string;
  time: string;
}

export interface FormValues {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  due: DueValue;
  /** Minutes before the due date, or no reminder. */
  reminder: number | null;
  recurrence: RecurrenceModel;
}

export type FieldErrors = Partial<Record<FieldKey, string>>;

const pad = (n: number): string => String(n).padStart(2, '0');

export function dueValueOf(iso: string | null, timeZone: string): DueValue {
  if (!iso) return { date: '', time: '' };
  const w = wallTime(new Date(iso), timeZone);
  const allDay = w.hour === 23 && w.minute === 59 && w.second === 59;
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: allDay ? '' : `${pad(w.hour)}:${pad(w.minute)}` };
}

/** The due date as an instant (a day without a time is its last second), or null for none. */
export function dueIso(due: DueValue, timeZone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(due.date);
  if (!d) return null;
  const t = /^(\d{2}):(\d{2})$/.exec(due.time);
  const [hour, minute, second] = t ? [Number(t[1]), Number(t[2]), 0] : [23, 59, 59];
  return instantFromWall({ year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour, minute, second }, timeZone).toISOString();
}

export function formFromTask(task: Task, timeZone: string): FormValues {
  // An absolute reminder is shown as its distance before the due date.
  let reminder = task.remind_before_minutes;
  if (reminder === null && task.reminder_at && task.due_date) reminder = Math.max(0, minutesBetween(task.reminder_at, task.due_date));
  return {
    title: task.title,
    description: task.description,
    priority: task.priority,
    tags: [...task.tags],
    due: dueValueOf(task.due_date, timeZone),
    reminder,
    recurrence: modelFromApi(task.recurrence, timeZone),
  };
}

/** A field's value in a form that compares equal exactly when the server would store the same. */
function canonical(key: FieldKey, v: FormValues): string {
  switch (key) {
    case 'title':
      return v.title.trim();
    case 'recurrence':
      return JSON.stringify(modelToApi(v.recurrence));
    case 'reminder':
      return JSON.stringify(v.due.date ? v.reminder : null);
    default:
      return JSON.stringify(v[key]);
  }
}

export const sameField = (key: FieldKey, a: FormValues, b: FormValues): boolean => canonical(key, a) === canonical(key, b);

export function changedFields(base: FormValues, values: FormValues): FieldKey[] {
  return FIELDS.filter((key) => !sameField(key, base, values));
}

/** What is wrong with the form, per field, in the form's own words. */
export function validate(values: FormValues, timeZone: string): FieldErrors {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Give the task a title.';
  else if (title.length > TITLE_MAX) errors.title = `A title has at most ${TITLE_MAX} characters (this one has ${title.length}).`;
  if (values.description.length > DESCRIPTION_MAX) errors.description = `A description has at most ${DESCRIPTION_MAX} characters.`;
  if (values.reminder !== null && values.due.date && (!Number.isInteger(values.reminder) || values.reminder < 0 || values.reminder > REMIND_BEFORE_MAX_MINUTES)) {
    errors.reminder = `Minutes before must be a whole number from 0 to ${REMIND_BEFORE_MAX_MINUTES}.`;
  }
  if (values.recurrence.repeats !== 'never') {
    if (!values.due.date) errors.due = 'A repeating task needs a due date: set one, or choose Repeats: Never.';
    const problem = validateModel(values.recurrence) ?? recurrenceProblem(values, timeZone);
    if (problem) errors.recurrence = problem;
  }
  return errors;
}

/** The recurrence engine's objection to the series, in the form's words ("End date", not "until"). */
function recurrenceProblem(values: FormValues, timeZone: string): string | null {
  const due = dueIso(values.due, timeZone);
  if (!due || values.recurrence.repeats === 'custom') return null;
  if (recurrenceOfModel(values.recurrence, null, due, timeZone)) return null;
  // Build it once more to hear why (recurrenceOfModel swallows the reason).
  return inFormWords(reasonOfModel(values.recurrence, due, timeZone));
}

function reasonOfModel(model: RecurrenceModel, due: string, timeZone: string): string {
  try {
    recurrenceOfModel(model, null, due, timeZone, new Date(), true);
    return 'Check the repeat settings.';
  } catch (err) {
    return err instanceof DomainError || err instanceof Error ? err.message : 'Check the repeat settings.';
  }
}

/** A server or engine message about a field, in the words the form uses. */
export function inFormWords(message: string): string {
  if (/until must not be before the first due date/i.test(message)) return 'The end date is before the first due date: choose a later end date.';
  return message
    .replace(/\buntil\b/gi, 'the end date')
    .replace(/\bremind_before_minutes\b/g, 'the reminder')
    .replace(/\bdue_date\b/g, 'the due date')
    .replace(/^./, (c) => c.toUpperCase());
}

/** The PATCH body for `fields` of `values` (the fields the user changed). */
export function patchFor(values: FormValues, fields: readonly FieldKey[], timeZone: string): PatchTaskInput {
  const patch: PatchTaskInput = {};
  for (const key of fields) {
    switch (key) {
      case 'title':
        patch.title = values.title.trim();
        break;
      case 'description':
        patch.description = values.description;
        break;
      case 'priority':
        patch.priority = values.priority;
        break;
      case 'tags':
        patch.tags = values.tags;
        break;
      case 'due':
        patch.due_date = dueIso(values.due, timeZone);
        // A reminder is an offset from the due date: it goes with it (and away with it).
        if (values.due.date && values.reminder !== null) patch.remind_before_minutes = values.reminder;
        if (!values.due.date) patch.remind_before_minutes = null;
        break;
      case 'reminder':
        patch.remind_before_minutes = values.due.date ? values.reminder : null;
        break;
      case 'recurrence':
        patch.recurrence = modelToApi(values.recurrence);
        break;
    }
  }
  return patch;
}

export interface Rebased {
  /** The form on top of the server's version: the user's changes kept, the rest the server's. */
  values: FormValues;
  /** Fields both sides changed, differently (the user's value is kept until they choose). */
  conflicts: FieldKey[];
}

/** Three-way, field by field: `base` is what the form started from, `theirs` the server's version now. */
export function rebase(base: FormValues, mine: FormValues, theirs: FormValues): Rebased {
  const values: FormValues = { ...theirs };
  const conflicts: FieldKey[] = [];
  const put = <K extends FieldKey>(key: K, from: FormValues) => {
    (values as unknown as Record<FieldKey, unknown>)[key] = (from as unknown as Record<FieldKey, unknown>)[key];
  };
  for (const key of FIELDS) {
    const mineChanged = !sameField(key, base, mine);
    if (!mineChanged) continue; // untouched here: the server's value
    put(key, mine);
    const theirsChanged = !sameField(key, base, theirs);
    if (theirsChanged && !sameField(key, mine, theirs)) conflicts.push(key);
  }
  return { values, conflicts };
}

/** The field a server refusal is about, and its message in the form's words. */
export function errorField(err: unknown): { field: FieldKey | null; message: string } {
  if (!(err instanceof ApiError)) return { field: null, message: err instanceof Error ? err.message : 'Something went wrong.' };
  const byCode: Record<string, FieldKey> = {
    INVALID_RECURRENCE: 'recurrence',
    RECURRENCE_NEEDS_DUE_DATE: 'due',
    REMINDER_NEEDS_DUE_DATE: 'reminder',
    REMINDER_AFTER_DUE: 'reminder',
    REMINDER_IN_PAST: 'reminder',
    TOO_MANY_TAGS: 'tags',
    INVALID_DATE: 'due',
  };
  let field: FieldKey | null = byCode[err.code] ?? null;
  // Schema issues come as [{path: "recurrence.until", message}, …].
  const first = Array.isArray(err.details) ? (err.details[0] as { path?: unknown; message?: unknown } | undefined) : undefined;
  const top = typeof first?.path === 'string' ? first.path.split('.')[0] : undefined;
  if (!field && top) {
    const byPath: Record<string, FieldKey> = { title: 'title', description: 'description', tags: 'tags', priority: 'priority', due_date: 'due', remind_before_minutes: 'reminder', reminder_at: 'reminder', recurrence: 'recurrence' };
    field = byPath[top] ?? null;
  }
  const message = field && typeof first?.message === 'string' ? first.message : err.message;
  return { field, message: inFormWords(message) };
}

/** `base` as it will look once `values` are saved (for showing an edit before the server has it). */
export function taskWithValues(base: Task, values: FormValues, timeZone: string): Task {
  const due = dueIso(values.due, timeZone);
  const reminder = due && values.reminder !== null ? values.reminder : null;
  return {
    ...base,
    title: values.title.trim(),
    description: values.description,
    priority: values.priority,
    tags: [...values.tags],
    due_date: due,
    remind_before_minutes: reminder,
    reminder_at: due && reminder !== null ? new Date(Date.parse(due) - reminder * 60_000).toISOString() : null,
  };
}
