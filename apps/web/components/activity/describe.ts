// Audit events in words. Each event carries the task as it was after the change (the audit service
// stores the event's task snapshot), so an update is described by comparing it with the event before.
import type { ActivityItem } from '../../lib/types';

export interface ActivityLine {
  eventId: string;
  text: string;
  at: string;
}

/** The fields of a task snapshot the descriptions look at; anything else in `data` is ignored. */
interface Snapshot {
  title?: string;
  description?: string;
  priority?: string;
  tags?: string[];
  due_date?: string | null;
  reminder_at?: string | null;
  remind_before_minutes?: number | null;
  recurrence?: { rrule?: string; pattern?: string; interval?: number; from?: string } | null;
  recurring_parent_id?: number | null;
}

/**
 * One line per event, newest first (the API's order). `formatDate` renders due dates and reminders
 * in the user's time zone.
 */
export function describeActivity(items: readonly ActivityItem[], formatDate: (iso: string) => string): ActivityLine[] {
  const sorted = [...items].sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at));
  return sorted.map((item, i) => {
    const before = sorted[i + 1];
    return { eventId: item.event_id, at: item.occurred_at, text: describeEvent(item, before ? snapshotOf(before.data) : null, formatDate) };
  });
}

export function describeEvent(item: ActivityItem, before: Snapshot | null, formatDate: (iso: string) => string): string {
  const after = snapshotOf(item.data);
  switch (item.event_type) {
    case 'task.created':
      return after.recurring_parent_id != null ? 'Created as the next occurrence' : 'Created';
    case 'task.completed':
      return 'Completed';
    case 'task.uncompleted':
      return 'Reopened';
    case 'task.deleted':
      return 'Deleted';
    case 'task.updated': {
      if (!before) return 'Updated';
      const changes = describeChanges(before, after, formatDate);
      return changes.length > 0 ? changes.join('; ') : 'Updated';
    }
    default:
      return 'Changed';
  }
}

export function describeChanges(before: Snapshot, after: Snapshot, formatDate: (iso: string) => string): string[] {
  const out: string[] = [];
  if (after.title !== undefined && before.title !== undefined && after.title !== before.title) out.push(`Renamed to “${after.title}”`);
  if (after.description !== undefined && before.description !== undefined && after.description !== before.description) {
    out.push(!after.description ? 'Description removed' : !before.description ? 'Description added' : 'Description edited');
  }
  if (after.priority && before.priority && after.priority !== before.priority) out.push(`Priority changed to ${after.priority}`);
  if (after.tags && before.tags) {
    const added = after.tags.filter((t) => !before.tags?.includes(t));
    const removed = before.tags.filter((t) => !after.tags?.includes(t));
    if (added.length > 0) out.push(`${added.length === 1 ? 'Tag' : 'Tags'} ${added.join(', ')} added`);
    if (removed.length > 0) out.push(`${removed.length === 1 ? 'Tag' : 'Tags'} ${removed.join(', ')} removed`);
  }
  if (after.due_date !== undefined && before.due_date !== undefined && !sameInstant(after.due_date, before.due_date)) {
    out.push(after.due_date ? `Due date set to ${formatDate(after.due_date)}` : 'Due date removed');
  }
  const reminderChanged =
    (after.reminder_at !== undefined && before.reminder_at !== undefined && !sameInstant(after.reminder_at, before.reminder_at)) ||
    (after.remind_before_minutes !== undefined && before.remind_before_minutes !== undefined && after.remind_before_minutes !== before.remind_before_minutes);
  // A moved due date moves a relative reminder with it; that is not news of its own.
  const reminderFollowsDue = after.remind_before_minutes != null && after.remind_before_minutes === before.remind_before_minutes;
  if (reminderChanged && !reminderFollowsDue) {
    if (!after.reminder_at && after.remind_before_minutes == null) out.push('Reminder removed');
    else if (after.remind_before_minutes != null) out.push(`Reminder set to ${minutesBefore(after.remind_before_minutes)}`);
    else if (after.reminder_at) out.push(`Reminder set for ${formatDate(after.reminder_at)}`);
  }
  if (after.recurrence !== undefined && before.recurrence !== undefined && ruleKey(after.recurrence) !== ruleKey(before.recurrence)) {
    const onlyAnchorMoved = after.recurrence && before.recurrence && after.recurrence.rrule === before.recurrence.rrule;
    if (!after.recurrence) out.push('No longer repeats');
    else if (onlyAnchorMoved) out.push(after.recurrence.from === 'completion' ? 'Now repeats from completion' : 'Now repeats from the due date');
    else out.push(repeatText(after.recurrence));
  }
  return out;
}

export function minutesBefore(minutes: number): string {
  if (minutes === 0) return 'at due time';
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day') + ' before';
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour') + ' before';
  return plural(minutes, 'minute') + ' before';
}

function repeatText(r: NonNullable<Snapshot['recurrence']>): string {
  const unit = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' }[r.pattern ?? ''];
  if (!unit) return 'Repeat rule changed';
  const interval = r.interval ?? 1;
  return interval === 1 ? `Now repeats ${r.pattern}` : `Now repeats every ${interval} ${unit}s`;
}

function ruleKey(r: Snapshot['recurrence']): string | null {
  return r ? `${r.rrule ?? ''}|${r.from ?? 'due'}` : null;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return Date.parse(a) === Date.parse(b);
}

/** The snapshot's fields, each only when it has the expected type (the log keeps old event shapes). */
export function snapshotOf(data: unknown): Snapshot {
  if (!data || typeof data !== 'object') return {};
  const d = data as Record<string, unknown>;
  const s: Snapshot = {};
  if (typeof d['title'] === 'string') s.title = d['title'];
  if (typeof d['description'] === 'string') s.description = d['description'];
  if (typeof d['priority'] === 'string') s.priority = d['priority'];
  if (Array.isArray(d['tags'])) s.tags = d['tags'].filter((t): t is string => typeof t === 'string');
  if (typeof d['due_date'] === 'string' || d['due_date'] === null) s.due_date = d['due_date'];
  if (typeof d['reminder_at'] === 'string' || d['reminder_at'] === null) s.reminder_at = d['reminder_at'];
  if (typeof d['remind_before_minutes'] === 'number' || d['remind_before_minutes'] === null) s.remind_before_minutes = d['remind_before_minutes'];
  if (typeof d['recurring_parent_id'] === 'number' || d['recurring_parent_id'] === null) s.recurring_parent_id = d['recurring_parent_id'];
  const r = d['recurrence'];
  if (r === null) s.recurrence = null;
  else if (r && typeof r === 'object') {
    const rec = r as Record<string, unknown>;
    s.recurrence = {
      ...(typeof rec['rrule'] === 'string' ? { rrule: rec['rrule'] } : {}),
      ...(typeof rec['pattern'] === 'string' ? { pattern: rec['pattern'] } : {}),
      ...(typeof rec['interval'] === 'number' ? { interval: rec['interval'] } : {}),
      ...(typeof rec['from'] === 'string' ? { from: rec['from'] } : {}),
    };
  }
  return s;
}
