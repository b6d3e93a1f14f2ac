import { nextOccurrence } from './recurrence/index.ts';
import { type EditableTaskFields, pickEditable } from './task-model.ts';

/**
 * The fields of the occurrence after `done` (a completed recurring task): same title, description,
 * priority, tags and reminder offset, due at the series' next date. Null when the series has ended.
 */
export function planNextOccurrence(
  done: EditableTaskFields,
  ctx: { completedAt: Date; now: Date; occurrenceNumber?: number },
): EditableTaskFields | null {
  const rec = done.recurrence;
  if (!rec) return null;
  const occurrenceCtx: { currentDue: Date | null; completedAt: Date; now: Date; occurrenceNumber?: number } = {
    currentDue: done.dueDate,
    completedAt: ctx.completedAt,
    now: ctx.now,
  };
  if (ctx.occurrenceNumber !== undefined) occurrenceCtx.occurrenceNumber = ctx.occurrenceNumber;
  const due = nextOccurrence(rec, occurrenceCtx);
  if (!due) return null;
  let reminderAt: Date | null = null;
  if (done.remindBeforeMinutes !== null) reminderAt = new Date(due.getTime() - done.remindBeforeMinutes * 60_000);
  else if (done.reminderAt && done.dueDate) reminderAt = new Date(due.getTime() - (done.dueDate.getTime() - done.reminderAt.getTime()));
  return { ...pickEditable(done), dueDate: due, reminderAt };
}
