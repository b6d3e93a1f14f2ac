import type { Recurrence } from './recurrence/recurrence.ts';
import type { Priority } from './vocabulary.ts';

/**
 * Task ids are the database's bigint identities. The domain keeps them as the exact decimal text the
 * driver returns; the API and events show them as JSON numbers (idToJson). Identities stay far below
 * 2^53, and no id beyond it is accepted or shown, so the two always name the same task.
 */
export function idToJson(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || String(n) !== id) throw new Error(`id ${id} has no exact JSON number`);
  return n;
}

/** A task as the domain sees it (dates as Date, ids as decimal strings: see idToJson). */
export interface Task {
  id: string;
  userId: string;
  title: string;
  description: string;
  completed: boolean;
  completedAt: Date | null;
  priority: Priority;
  tags: string[];
  dueDate: Date | null;
  reminderAt: Date | null;
  remindBeforeMinutes: number | null;
  recurrence: Recurrence | null;
  recurringParentId: string | null;
  seriesId: string | null;
  /** The position of this task in its series (1 = first). */
  seriesIndex: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a user can edit; what PUT replaces and PATCH merges. */
export interface EditableTaskFields {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  dueDate: Date | null;
  reminderAt: Date | null;
  remindBeforeMinutes: number | null;
  recurrence: Recurrence | null;
}

/** The editable fields in JSON (snake_case, instants as ISO strings; the recurrence keeps its anchor). */
export interface EditableFieldsJson {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  due_date: string | null;
  reminder_at: string | null;
  remind_before_minutes: number | null;
  recurrence: Recurrence | null;
}

/**
 * Each editable field and its name in JSON (the public API, the events and service calls use the same
 * names). Every copy or conversion of the editable fields goes through this table.
 */
export const EDITABLE_JSON_NAMES = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  tags: 'tags',
  dueDate: 'due_date',
  reminderAt: 'reminder_at',
  remindBeforeMinutes: 'remind_before_minutes',
  recurrence: 'recurrence',
} as const satisfies { [K in keyof EditableTaskFields]: keyof EditableFieldsJson };

/** The editable fields, in the API's order. */
export const EDITABLE_FIELDS = Object.keys(EDITABLE_JSON_NAMES) as readonly (keyof EditableTaskFields)[];

/** The editable fields of `source` (a task, or anything that has them), tags copied. */
export function pickEditable(source: EditableTaskFields): EditableTaskFields {
  const out = {} as Record<keyof EditableTaskFields, unknown>;
  for (const key of EDITABLE_FIELDS) out[key] = source[key];
  const fields = out as EditableTaskFields;
  fields.tags = [...source.tags];
  return fields;
}

const isDateField = (key: keyof EditableTaskFields): key is 'dueDate' | 'reminderAt' => key === 'dueDate' || key === 'reminderAt';

export function editableToJson(f: EditableTaskFields): EditableFieldsJson {
  const out = {} as Record<keyof EditableFieldsJson, unknown>;
  for (const key of EDITABLE_FIELDS) {
    const value = f[key];
    out[EDITABLE_JSON_NAMES[key]] = value instanceof Date ? value.toISOString() : Array.isArray(value) ? [...value] : value;
  }
  return out as EditableFieldsJson;
}

/** The inverse of `editableToJson` (the JSON is trusted to have the right shape: validate it first). */
export function editableFromJson(j: EditableFieldsJson): EditableTaskFields {
  const out = {} as Record<keyof EditableTaskFields, unknown>;
  for (const key of EDITABLE_FIELDS) {
    const value = j[EDITABLE_JSON_NAMES[key]];
    out[key] = isDateField(key) ? (typeof value === 'string' ? new Date(value) : null) : Array.isArray(value) ? [...(value as string[])] : value;
  }
  return out as EditableTaskFields;
}

/** Task JSON of the public API (snake_case). */
export interface TaskDto {
  id: number;
  title: string;
  description: string;
  completed: boolean;
  completed_at: string | null;
  priority: Priority;
  tags: string[];
  due_date: string | null;
  reminder_at: string | null;
  remind_before_minutes: number | null;
  recurring: Recurrence['pattern'] | null;
  recurrence: Omit<Recurrence, 'anchor'> | null;
  recurring_parent_id: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTaskDto(t: Task): TaskDto {
  let recurrence: TaskDto['recurrence'] = null;
  if (t.recurrence) {
    const { anchor: _anchor, ...rest } = t.recurrence;
    recurrence = rest;
  }
  return {
    id: idToJson(t.id),
    title: t.title,
    description: t.description,
    completed: t.completed,
    completed_at: iso(t.completedAt),
    priority: t.priority,
    tags: t.tags,
    due_date: iso(t.dueDate),
    reminder_at: iso(t.reminderAt),
    remind_before_minutes: t.remindBeforeMinutes,
    recurring: t.recurrence?.pattern ?? null,
    recurrence,
    recurring_parent_id: t.recurringParentId === null ? null : idToJson(t.recurringParentId),
    version: t.version,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}
