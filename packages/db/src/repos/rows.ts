import type { Priority, Recurrence, Task } from '@dueflow/core';
import type { tasks } from '../schema.ts';

export type TaskRow = Omit<typeof tasks.$inferSelect, 'priorityRank' | 'titleSort' | 'searchText' | 'searchVector' | 'reminderSetAt'>;

export function toTask(r: TaskRow): Task {
  return {
    id: r.id.toString(),
    userId: r.userId,
    title: r.title,
    description: r.description,
    completed: r.completed,
    completedAt: r.completedAt,
    priority: r.priority as Priority,
    tags: r.tags,
    dueDate: r.dueDate,
    reminderAt: r.reminderAt,
    remindBeforeMinutes: r.remindBeforeMinutes,
    recurrence: (r.recurrence as Recurrence | null) ?? null,
    recurringParentId: r.recurringParentId === null ? null : r.recurringParentId.toString(),
    seriesId: r.seriesId,
    seriesIndex: r.seriesIndex,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** A task id is a positive decimal that a JSON number holds exactly (see idToJson); anything else names no task. */
export function parseId(id: string): bigint | null {
  if (!/^\d{1,16}$/.test(id)) return null;
  const n = BigInt(id);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? n : null;
}
