'use client';
// The detail panel ("Task details"): every editable field, saved with the version read so a
// concurrent edit is caught (409 → reload and say so); delete with Undo; the task's activity.
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { formatAbsolute, isoToLocalInput, localInputToIso, minutesBetween } from '../../lib/format';
import { reminderPermission, enableReminderNotifications } from '../../lib/push';
import { modelFromApi, modelToApi, recurrenceChanged, type RecurrenceModel, validateModel } from '../../lib/recurrence';
import type { PatchTaskInput, Priority, Task } from '../../lib/types';
import type { SaveResult } from './use-task-list';
import { ActivityList } from '../activity/activity-list';
import { RecurrenceEditor } from './recurrence-editor';
import { REMIND_BEFORE_MAX, ReminderPicker, type ReminderValue } from './reminder-picker';
import { TagInput } from './tag-input';
import styles from './tasks.module.css';

interface FormState {
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  /** datetime-local value in the user's zone, '' for none. */
  due: string;
  reminder: ReminderValue;
  reminderCustom: boolean;
  recurrence: RecurrenceModel;
}

const PRESET_MINUTES = [0, 10, 60, 1440];

function formFromTask(task: Task, timeZone: string): FormState {
  // An absolute reminder is shown as its distance before the due date.
  let reminder: ReminderValue = task.remind_before_minutes;
  if (reminder === null && task.reminder_at && task.due_date) reminder = Math.max(0, minutesBetween(task.reminder_at, task.due_date));
  return {
    title: task.title,
    description: task.description,
    priority: task.priority,
    tags: [...task.tags],
    due: isoToLocalInput(task.due_date, timeZone),
    reminder,
    reminderCustom: reminder !== null && !PRESET_MINUTES.includes(reminder),
    recurrence: modelFromApi(task.recurrence, timeZone),
  };
}

/** The PATCH body for what changed between `task` and `form`, or an error message. */
export function buildPatch(task: Task, form: FormState, timeZone: string): { patch: PatchTaskInput } | { error: string } {
  const patch: PatchTaskInput = {};
  const title = form.title.trim();
  if (!title) return { error: 'Give the task a title.' };
  if (title !== task.title) patch.title = title;
  if (form.description !== task.description) patch.description = form.description;
  if (form.priority !== task.priority) patch.priority = form.priority;
  if (form.tags.join('\n') !== task.tags.join('\n')) patch.tags = form.tags;

  const originalDue = isoToLocalInput(task.due_date, timeZone);
  const dueChanged = form.due !== originalDue;
  if (dueChanged) {
    if (!form.due) patch.due_date = null;
    else {
      const iso = localInputToIso(form.due, timeZone);
      if (!iso) return { error: 'The due date is not a valid date and time.' };
      patch.due_date = iso;
    }
  }
  const hasDue = form.due !== '';
  const reminder = hasDue ? form.reminder : null;
  if (reminder !== null && (!Number.isInteger(reminder) || reminder < 0 || reminder > REMIND_BEFORE_MAX)) {
    return { error: `Minutes before must be a whole number from 0 to ${REMIND_BEFORE_MAX}.` };
  }
  const original = formFromTask(task, timeZone).reminder;
  if (hasDue && (reminder !== original || (dueChanged && reminder !== null))) patch.remind_before_minutes = reminder;
  if (!hasDue && task.due_date && original !== null) patch.remind_before_minutes = null;

  if (dueChanged && !hasDue && form.recurrence.repeats !== 'never') {
    return { error: 'A repeating task needs a due date: set one, or choose Repeats: Never.' };
  }
  const recurrenceError = validateModel(form.recurrence);
  if (recurrenceError) return { error: recurrenceError };
  if (recurrenceChanged(form.recurrence, task.recurrence, timeZone)) patch.recurrence = modelToApi(form.recurrence);
  return { patch };
}

interface TaskDetailProps {
  task: Task;
  /** The task is gone (deleted elsewhere). */
  missing: boolean;
  timeZone: string;
  tagSuggestions: string[];
  onSave(task: Task, patch: PatchTaskInput): Promise<SaveResult>;
  onDelete(task: Task): void;
  onClose(): void;
  onSaved(task: Task): void;
}

export function TaskDetail({ task, missing, timeZone, tagSuggestions, onSave, onDelete, onClose, onSaved }: TaskDetailProps) {
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState(() => formFromTask(task, timeZone));
  const [base, setBase] = useState(task);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // A newer version arrived (live or after a conflict): show it unless the user is editing.
  useEffect(() => {
    if (task.id === base.id && task.version === base.version) return;
    if (!dirty) {
      setForm(formFromTask(task, timeZone));
      setBase(task);
    } else {
      setNotice('This task was changed elsewhere. Saving will tell you if your changes conflict.');
    }
  }, [task, base, dirty, timeZone]);

  const update = (patch: Partial<FormState>) => {
    setDirty(true);
    setError(null);
    setForm((f) => ({ ...f, ...patch }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (saving || missing) return;
    const built = buildPatch(base, form, timeZone);
    if ('error' in built) {
      setError(built.error);
      return;
    }
    if (Object.keys(built.patch).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    setError(null);
    const result = await onSave(base, built.patch);
    setSaving(false);
    if (result.ok) {
      setDirty(false);
      // The first reminder is the moment to ask for notification permission.
      if (result.task.reminder_at && reminderPermission() === 'default') void enableReminderNotifications();
      onSaved(result.task);
      return;
    }
    if (result.conflict && result.latest) {
      setForm(formFromTask(result.latest, timeZone));
      setBase(result.latest);
      setDirty(false);
    }
    setNotice(null);
    setError(result.message);
  };

  const headingId = `${id}-heading`;
  return (
    <dialog
      ref={dialogRef}
      className={styles.panel}
      aria-labelledby={headingId}
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onCloseRef.current();
      }}
    >
      <form className={styles.panelInner} onSubmit={(e) => void submit(e)} noValidate>
        <div className={styles.panelHeader}>
          <h2 id={headingId}>Task details</h2>
        </div>
        <div className={styles.panelBody}>
          {missing ? (
            <p className={styles.alert} role="alert">
              This task was deleted.
            </p>
          ) : null}
          {error ? (
            <p className={styles.alert} role="alert">
              {error}
            </p>
          ) : null}
          {notice && !error ? (
            <p className={styles.hint} role="status">
              {notice}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor={`${id}-title`}>Title</label>
            <input id={`${id}-title`} className="input" type="text" required maxLength={200} value={form.title} onChange={(e) => update({ title: e.currentTarget.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-description`}>Description</label>
            <textarea id={`${id}-description`} className="textarea" maxLength={2000} value={form.description} onChange={(e) => update({ description: e.currentTarget.value })} />
          </div>
          <div className={styles.twoCols}>
            <div className="field">
              <label htmlFor={`${id}-priority`}>Priority</label>
              <select id={`${id}-priority`} className="select" value={form.priority} onChange={(e) => update({ priority: e.currentTarget.value as Priority })}>
                <option value="high">High</option>
                <option value="medium">Medium</option>
                <option value="low">Low</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-due`}>Due date</label>
              <div className={styles.inline}>
                <input id={`${id}-due`} className="input" type="datetime-local" value={form.due} onChange={(e) => update({ due: e.currentTarget.value })} />
              </div>
              {form.due ? (
                <button type="button" className="button link" style={{ alignSelf: 'flex-start' }} onClick={() => update({ due: '' })}>
                  Clear due date
                </button>
              ) : null}
            </div>
          </div>
          <TagInput tags={form.tags} suggestions={tagSuggestions} onChange={(tags) => update({ tags })} />
          <ReminderPicker minutes={form.reminder} custom={form.reminderCustom} hasDueDate={form.due !== ''} onChange={(reminder, reminderCustom) => update({ reminder, reminderCustom })} />
          <RecurrenceEditor model={form.recurrence} original={base.recurrence} due={form.due ? localInputToIso(form.due, timeZone) : null} timeZone={timeZone} error={null} onChange={(recurrence) => update({ recurrence })} />
          {form.recurrence.repeats !== 'never' && !form.due && !base.due_date ? <p className={styles.hint}>Without a due date, the series starts at the end of today.</p> : null}
          <p className={styles.hint}>
            Created {formatAbsolute(task.created_at, timeZone)}
            {task.completed && task.completed_at ? ` · Completed ${formatAbsolute(task.completed_at, timeZone)}` : ''}
          </p>
          <section className={styles.activity} aria-labelledby={`${id}-activity`}>
            <h3 id={`${id}-activity`}>Activity</h3>
            {task.id > 0 ? <ActivityList taskId={task.id} /> : null}
          </section>
        </div>
        <div className={styles.panelFooter}>
          <button type="button" className="button danger" disabled={missing} onClick={() => onDelete(base)}>
            Delete task
          </button>
          <div>
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
            <button type="submit" className="button primary" disabled={saving || missing}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </div>
      </form>
    </dialog>
  );
}
