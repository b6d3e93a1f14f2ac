'use client';
// One task in the list: complete checkbox, title (opens details), priority in words and colour,
// due date (relative, absolute on hover), overdue, recurrence in words, reminder, tags.
import { memo } from 'react';
import { formatAbsolute, formatDue, isOverdue } from '../../lib/format';
import { describeRecurrence } from '../../lib/recurrence';
import type { Priority, Task } from '../../lib/types';
import { BellIcon, ClockIcon, RepeatIcon } from './icons';
import styles from './tasks.module.css';

export const PRIORITY_LABEL: Readonly<Record<Priority, string>> = { high: 'High', medium: 'Medium', low: 'Low' };
const ROW_CLASS: Readonly<Record<Priority, string | undefined>> = { high: styles.rowHigh, medium: styles.rowMedium, low: styles.rowLow };
const PRIO_CLASS: Readonly<Record<Priority, string | undefined>> = { high: styles.prioHigh, medium: styles.prioMedium, low: styles.prioLow };

interface TaskRowProps {
  task: Task;
  timeZone: string;
  now: Date;
  onToggle(task: Task, completed: boolean): void;
  onOpen(task: Task): void;
}

export const TaskRow = memo(function TaskRow({ task, timeZone, now, onToggle, onOpen }: TaskRowProps) {
  const overdue = isOverdue(task, now);
  const draft = task.id < 0;
  const reminderAt = !task.completed && task.reminder_at ? task.reminder_at : null;
  const className = [styles.row, ROW_CLASS[task.priority], task.completed ? styles.done : '', draft ? styles.rowDraft : ''].filter(Boolean).join(' ');
  return (
    <li className={className} data-task-id={task.id} aria-busy={draft || undefined}>
      <input
        type="checkbox"
        className={styles.complete}
        aria-label={`Complete "${task.title}"`}
        checked={task.completed}
        disabled={draft}
        onChange={(e) => onToggle(task, e.currentTarget.checked)}
      />
      <div className={styles.rowMain}>
        <button type="button" className={styles.title} data-role="title" aria-haspopup="dialog" disabled={draft} onClick={() => onOpen(task)}>
          {task.title}
        </button>
        {task.description ? <p className={styles.description}>{task.description}</p> : null}
        <div className={styles.meta}>
          <span className={`${styles.prio} ${PRIO_CLASS[task.priority] ?? ''}`} title="Priority">
            {PRIORITY_LABEL[task.priority]}
          </span>
          {task.due_date ? (
            <span className={`${styles.metaItem} ${overdue ? styles.dueOverdue : ''}`}>
              <ClockIcon />
              <span className="visually-hidden">Due </span>
              <time dateTime={task.due_date} title={formatAbsolute(task.due_date, timeZone)}>
                {formatDue(task.due_date, timeZone, now)}
              </time>
            </span>
          ) : null}
          {overdue ? <span className={styles.overdue}>Overdue</span> : null}
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
          {task.tags.map((tag) => (
            <span key={tag} className={styles.chip}>
              #{tag}
            </span>
          ))}
        </div>
      </div>
    </li>
  );
});
