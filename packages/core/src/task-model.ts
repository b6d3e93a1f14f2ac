import type { Priority } from './task.ts';
import type { Recurrence } from './recurrence/index.ts';

/** A task as the domain sees it (dates as Date, ids as strings to stay exact beyond 2^53). */
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
    id: Number(t.id),
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
    recurring_parent_id: t.recurringParentId === null ? null : Number(t.recurringParentId),
    version: t.version,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}
