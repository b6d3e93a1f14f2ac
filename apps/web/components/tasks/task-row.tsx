'use client';
// One task in a list: the round complete box (its ring coloured by priority), the title (opens the
// panel), and one quiet line of what matters: due date (red when overdue), repetition, reminder,
// tags, and the priority in words only when it is not the usual one.
import { DEFAULT_PRIORITY } from '@dueflow/core/browser';
import { memo, type ReactNode } from 'react';
import { formatAbsolute, formatDue, formatTime, isOverdue, wallTime } from '../../lib/format';
import { describeRecurrence } from '../../lib/recurrence';
import type { Priority, Task } from '../../lib/types';
import { BellIcon, ClockIcon, FlagIcon, RepeatIcon } from './icons';
import styles from './tasks.module.css';

export const PRIORITY_LABEL: Readonly<Record<Priority, string>> = { high: 'High', medium: 'Medium', low: 'Low' };
const RING_CLASS: Readonly<Record<Priority, string | undefined>> = { high: styles.ringHigh, medium: undefined, low: styles.ringLow };
const PRIO_CLASS: Readonly<Record<Priority, string | undefined>> = { high: styles.prioHigh, medium: undefined, low: styles.prioLow };

interface TaskRowProps {
  task: Task;
  timeZone: string;
  now: Date;
  /** The panel shows this task. */
  selected?: boolean;
  /** Completed lists show when it was done instead of the due date's urgency. */
  showCompletion?: boolean;
  /** The row sits under a heading naming its due day: only the time is shown. */
  dayShown?: boolean;
  /** How times are written (12/24 hours): a change re-renders the row. */
  clock?: string;
  onToggle(task: Task, completed: boolean): void;
  onOpen(task: Task): void;
  /** Extra controls at the end of the row (the Upcoming view's move handle). */
  end?: ReactNode;
  /** Drag to reschedule (Upcoming). */
  draggable?: boolean;
  onDragStart?(task: Task, event: React.DragEvent<HTMLLIElement>): void;
  onDragEnd?(): void;
}

export const TaskRow = memo(function TaskRow({ task, timeZone, now, selected, showCompletion, dayShown, onToggle, onOpen, end, draggable, onDragStart, onDragEnd }: TaskRowProps) {
  const overdue = isOverdue(task, now);
  const draft = task.id < 0;
  const reminderAt = !task.completed && task.reminder_at ? task.reminder_at : null;
  const className = [styles.row, task.completed ? styles.done : '', draft ? styles.rowDraft : '', selected ? styles.rowSelected : ''].filter(Boolean).join(' ');
  const completedAt = showCompletion && task.completed_at ? wallTime(new Date(task.completed_at), timeZone) : null;
  return (
    <li
      className={className}
      data-task-id={task.id}
      aria-busy={draft || undefined}
      draggable={draggable && !draft ? true : undefined}
      onDragStart={draggable && onDragStart ? (e) => onDragStart(task, e) : undefined}
      onDragEnd={draggable ? onDragEnd : undefined}
    >
      <label className={styles.check}>
        <input
          type="checkbox"
          className={`${styles.complete} ${RING_CLASS[task.priority] ?? ''}`}
          aria-label={`Complete "${task.title}"`}
          checked={task.completed}
          disabled={draft}
          onChange={(e) => onToggle(task, e.currentTarget.checked)}
        />
      </label>
      <div className={styles.rowMain}>
        <button type="button" className={styles.title} data-role="title" aria-haspopup="dialog" aria-expanded={selected || undefined} disabled={draft} onClick={() => onOpen(task)}>
          {task.title}
        </button>
        {task.description ? <p className={styles.description}>{task.description}</p> : null}
        <div className={styles.meta}>
          {completedAt ? (
            <span className={styles.metaItem}>
              <time dateTime={task.completed_at ?? undefined} title={formatAbsolute(task.completed_at ?? '', timeZone)}>
                Done {formatTime(completedAt)}
              </time>
            </span>
          ) : null}
          {task.due_date && !completedAt ? <DueLabel due={task.due_date} timeZone={timeZone} now={now} overdue={overdue} dayShown={dayShown ?? false} /> : null}
          {task.recurrence ? (
            <span className={styles.metaItem}>
              <RepeatIcon />
              {describeRecurrence(task.recurrence)}
            </span>
          ) : null}
          {reminderAt ? (
            <span className={styles.metaItem} title={`Reminder ${formatAbsolute(reminderAt, timeZone)}`}>
              <BellIcon />
              <span className="visually-hidden">Reminder {formatDue(reminderAt, timeZone, now)}</span>
            </span>
          ) : null}
          {task.priority !== DEFAULT_PRIORITY ? (
            <span className={`${styles.metaItem} ${PRIO_CLASS[task.priority] ?? ''}`}>
              <FlagIcon />
              {PRIORITY_LABEL[task.priority]}
              <span className="visually-hidden"> priority</span>
            </span>
          ) : null}
          {task.tags.map((tag) => (
            <span key={tag} className={styles.tag}>
              #{tag}
            </span>
          ))}
        </div>
      </div>
      {end}
    </li>
  );
});

/** "Today 17:00", "Fri", "12 Mar"; only "17:00" under a heading that names the day (nothing for a day without a time). */
function DueLabel({ due, timeZone, now, overdue, dayShown }: { due: string; timeZone: string; now: Date; overdue: boolean; dayShown: boolean }) {
  const w = wallTime(new Date(due), timeZone);
  const allDay = w.hour === 23 && w.minute === 59 && w.second === 59;
  const full = formatDue(due, timeZone, now);
  const text = dayShown ? (allDay ? '' : formatTime(w)) : full;
  return (
    <span className={`${styles.metaItem} ${overdue ? styles.dueOverdue : ''}`}>
      {text ? <ClockIcon /> : null}
      <span className="visually-hidden">{overdue ? 'Overdue, due ' : 'Due '}</span>
      <time dateTime={due} title={formatAbsolute(due, timeZone)}>
        {text || <span className="visually-hidden">{full}</span>}
      </time>
    </span>
  );
}
