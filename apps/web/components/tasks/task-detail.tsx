'use client';
// The task panel ("Task details"): beside the list on wide screens (the list stays usable), full
// screen on phones. Every field, saved field by field: only what the user changed is sent, and when
// the task changed elsewhere meanwhile, the other changes are taken in and only a field changed on
// both sides asks which to keep. Problems show under their field and are announced. Closing with
// unsaved changes asks first. Recurring tasks can skip this occurrence or stop repeating.
import { forwardRef, type ReactNode, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { describeReminderOffset, formatAbsolute, formatDayHeading, formatTime } from '../../lib/format';
import { reminderPermission, enableReminderNotifications } from '../../lib/push';
import { describeModel } from '../../lib/recurrence';
import { changedFields, dueIso, FIELD_LABEL, type FieldErrors, type FieldKey, formFromTask, type FormValues, rebase, validate } from '../../lib/task-form';
import type { Priority, Task } from '../../lib/types';
import { localToday, parseDateKey } from '../../lib/views';
import { ActivityList } from '../activity/activity-list';
import { DueField } from './due-field';
import { RecurrenceEditor } from './recurrence-editor';
import { ReminderPicker } from './reminder-picker';
import { TagInput } from './tag-input';
import styles from './tasks.module.css';
import type { SaveOutcome } from './use-task-list';

/** The planner's width from which the panel sits beside the list instead of over it (planner.module.css). */
export const SIDE_PANEL_MIN_WIDTH = 1000;

export interface TaskPanelHandle {
  /** Runs `then` now, or after the user decides about unsaved changes (never when they keep editing). */
  leave(then: () => void): void;
  dirty(): boolean;
}

interface TaskDetailProps {
  task: Task;
  /** The task is gone (deleted elsewhere). */
  missing: boolean;
  timeZone: string;
  tagSuggestions: string[];
  onSave(base: Task, baseValues: FormValues, values: FormValues): Promise<SaveOutcome>;
  onDelete(task: Task): void;
  onClose(): void;
  onSaved(task: Task): void;
  onSkip(task: Task): Promise<Task | null>;
  onStopRepeating(task: Task): Promise<Task | null>;
}

/** The other side's value of a field, in words (for "Changed elsewhere to …"). */
function describeField(key: FieldKey, v: FormValues, timeZone: string): string {
  switch (key) {
    case 'title':
      return `“${v.title}”`;
    case 'description':
      return v.description ? 'a new description' : 'no description';
    case 'priority':
      return v.priority;
    case 'tags':
      return v.tags.length ? v.tags.map((t) => `#${t}`).join(' ') : 'no tags';
    case 'due': {
      const date = parseDateKey(v.due.date);
      if (!date) return 'no due date';
      const t = /^(\d{2}):(\d{2})$/.exec(v.due.time);
      return `${formatDayHeading(date, localToday(new Date(), timeZone))}${t ? ` ${formatTime({ hour: Number(t[1]), minute: Number(t[2]) })}` : ''}`;
    }
    case 'reminder':
      return v.reminder === null ? 'no reminder' : describeReminderOffset(v.reminder).toLowerCase();
    case 'recurrence':
      return describeModel(v.recurrence, null, dueIso(v.due, timeZone), timeZone).toLowerCase();
  }
}

export const TaskDetail = forwardRef<TaskPanelHandle, TaskDetailProps>(function TaskDetail(
  { task, missing, timeZone, tagSuggestions, onSave, onDelete, onClose, onSaved, onSkip, onStopRepeating },
  ref,
) {
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [base, setBase] = useState(task);
  const [baseValues, setBaseValues] = useState(() => formFromTask(task, timeZone));
  const [values, setValues] = useState(baseValues);
  const [theirs, setTheirs] = useState<FormValues | null>(null);
  const [conflicts, setConflicts] = useState<FieldKey[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [leaving, setLeaving] = useState<(() => void) | null>(null);
  const [modal, setModal] = useState(false);
  const dirty = changedFields(baseValues, values).length > 0;
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  useImperativeHandle(ref, () => ({
    leave(then) {
      if (!dirtyRef.current) then();
      else setLeaving(() => then);
    },
    dirty: () => dirtyRef.current,
  }));

  // Beside the list on wide screens (non-modal), over everything on small ones.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const planner = dialog.closest<HTMLElement>('[data-planner]');
    const side = (planner?.clientWidth ?? 0) >= SIDE_PANEL_MIN_WIDTH;
    setModal(!side);
    if (!dialog.open) {
      if (side) dialog.show();
      else dialog.showModal();
    }
    headingRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);

  // Leaving the page with unsaved changes asks the browser's question.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  // A newer version arrived (live, or after a save elsewhere): take it in field by field.
  useEffect(() => {
    if (task.id !== base.id || task.version <= base.version) return;
    const next = formFromTask(task, timeZone);
    if (!dirtyRef.current) {
      setBase(task);
      setBaseValues(next);
      setValues(next);
      return;
    }
    const merged = rebase(baseValues, values, next);
    setBase(task);
    setBaseValues(next);
    setValues(merged.values);
    setTheirs(next);
    setConflicts(merged.conflicts);
    setNotice(
      merged.conflicts.length > 0
        ? `This task was changed elsewhere. ${merged.conflicts.map((k) => FIELD_LABEL[k]).join(', ')} changed on both sides: choose below which to keep.`
        : 'This task was changed elsewhere; those changes are in, and yours are kept.',
    );
  }, [task]); // base, values: read at the moment the new version arrives

  const update = (key: FieldKey, patch: Partial<FormValues>) => {
    setFormError(null);
    setLeaving(null);
    setErrors((e) => {
      const { [key]: _gone, ...rest } = e;
      return rest;
    });
    setValues((v) => ({ ...v, ...patch }));
  };

  const resolve = (key: FieldKey, use: 'mine' | 'theirs') => {
    if (use === 'theirs' && theirs) setValues((v) => ({ ...v, [key]: theirs[key] }));
    setConflicts((c) => c.filter((k) => k !== key));
  };

  /** Focuses the first field with a problem (it is announced by its role="alert"). */
  const focusProblem = (fields: FieldKey[]) => {
    requestAnimationFrame(() => {
      const first = fields[0];
      const el = first ? dialogRef.current?.querySelector<HTMLElement>(`[data-field="${first}"] input, [data-field="${first}"] select, [data-field="${first}"] textarea`) : null;
      el?.focus();
      el?.scrollIntoView({ block: 'center' });
    });
  };

  const save = async (): Promise<boolean> => {
    if (saving || missing) return false;
    const problems = validate(values, timeZone);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      focusProblem(Object.keys(problems) as FieldKey[]);
      return false;
    }
    if (conflicts.length > 0) {
      setFormError('Choose, for each field changed on both sides, which value to keep.');
      focusProblem(conflicts);
      return false;
    }
    if (!dirty) {
      onClose();
      return true;
    }
    setSaving(true);
    setFormError(null);
    const result = await onSave(base, baseValues, values);
    setSaving(false);
    const thenClose = closeAfterSave.current;
    closeAfterSave.current = false;
    if (result.ok && thenClose) {
      onSaved(result.task);
      onClose();
      return true;
    }
    if (result.ok) {
      setBase(result.task);
      const saved = formFromTask(result.task, timeZone);
      setBaseValues(saved);
      setValues(saved);
      // The first reminder is the moment to ask for notification permission.
      if (result.task.reminder_at && reminderPermission() === 'default') void enableReminderNotifications();
      onSaved(result.task);
      return true;
    }
    if (result.kind === 'conflict') {
      const next = formFromTask(result.latest, timeZone);
      setBase(result.latest);
      setBaseValues(next);
      setValues(result.values);
      setTheirs(next);
      setConflicts(result.conflicts);
      setNotice(`This task was changed elsewhere. ${result.conflicts.map((k) => FIELD_LABEL[k]).join(', ')} changed on both sides: choose below which to keep.`);
      focusProblem(result.conflicts);
      return false;
    }
    if (result.field) {
      setErrors({ [result.field]: result.message });
      focusProblem([result.field]);
    } else setFormError(result.message);
    return false;
  };

  const closeAfterSave = useRef(false);
  const requestClose = () => {
    // Closing while a save is on its way closes once it is saved (or keeps the panel to show why not).
    if (saving) closeAfterSave.current = true;
    else if (dirty) setLeaving(() => onClose);
    else onClose();
  };

  const conflictNote = (key: FieldKey): ReactNode =>
    conflicts.includes(key) && theirs ? (
      <div className={styles.conflict} role="alert">
        <span>
          Changed elsewhere to {describeField(key, theirs, timeZone)}; yours is {describeField(key, values, timeZone)}.
        </span>
        <span className={styles.conflictActions}>
          <button type="button" className="button link" onClick={() => resolve(key, 'mine')}>
            Keep mine
          </button>
          <button type="button" className="button link" onClick={() => resolve(key, 'theirs')}>
            Use theirs
          </button>
        </span>
      </div>
    ) : null;
  const fieldError = (key: FieldKey): ReactNode =>
    errors[key] && key !== 'due' && key !== 'recurrence' ? (
      <p id={`${id}-${key}-error`} className="field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  const describedBy = (key: FieldKey) => (errors[key] ? `${id}-${key}-error` : undefined);

  const headingId = `${id}-heading`;
  const recurring = base.recurrence !== null && !base.completed;
  return (
    <dialog
      ref={dialogRef}
      className={`${styles.panel} ${modal ? styles.panelModal : styles.panelSide}`}
      aria-labelledby={headingId}
      onCancel={(e) => {
        e.preventDefault();
        requestClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !modal) {
          e.preventDefault();
          requestClose();
        }
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget && modal) requestClose();
      }}
    >
      <form
        className={styles.panelInner}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className={styles.panelHeader}>
          <h2 id={headingId} ref={headingRef} tabIndex={-1}>
            Task details
          </h2>
          <button type="button" className="button icon" aria-label="Close task details" onClick={requestClose}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        {leaving ? (
          <div className={styles.leaveBar} role="alert">
            <span>You have unsaved changes.</span>
            <span className={styles.conflictActions}>
              <button
                type="button"
                className="button primary"
                onClick={() => {
                  const then = leaving;
                  void save().then((ok) => ok && then());
                  setLeaving(null);
                }}
              >
                Save
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => {
                  const then = leaving;
                  setValues(baseValues);
                  setLeaving(null);
                  dirtyRef.current = false;
                  then();
                }}
              >
                Discard changes
              </button>
              <button type="button" className="button" autoFocus onClick={() => setLeaving(null)}>
                Keep editing
              </button>
            </span>
          </div>
        ) : null}
        <div className={styles.panelBody}>
          {missing ? (
            <p className={styles.alert} role="alert">
              This task was deleted.
            </p>
          ) : null}
          {notice ? (
            <p className={styles.hint} role="status">
              {notice}
            </p>
          ) : null}
          <div className="field" data-field="title">
            <label htmlFor={`${id}-title`}>Title</label>
            <input
              id={`${id}-title`}
              className="input"
              type="text"
              required
              value={values.title}
              aria-invalid={errors.title ? true : undefined}
              aria-describedby={describedBy('title')}
              onChange={(e) => update('title', { title: e.currentTarget.value })}
            />
            {fieldError('title')}
            {conflictNote('title')}
          </div>
          <div className="field" data-field="description">
            <label htmlFor={`${id}-description`}>Description</label>
            <textarea
              id={`${id}-description`}
              className="textarea"
              value={values.description}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={describedBy('description')}
              onChange={(e) => update('description', { description: e.currentTarget.value })}
            />
            {fieldError('description')}
            {conflictNote('description')}
          </div>
          <div data-field="due">
            <DueField value={values.due} timeZone={timeZone} error={errors.due ?? null} onChange={(due) => update('due', { due, ...(due.date ? {} : { reminder: null }) })} />
            {conflictNote('due')}
          </div>
          <div data-field="reminder">
            <ReminderPicker minutes={values.reminder} hasDueDate={values.due.date !== ''} error={errors.reminder ?? null} onChange={(reminder) => update('reminder', { reminder })} />
            {conflictNote('reminder')}
          </div>
          <div className="field" data-field="priority">
            <label htmlFor={`${id}-priority`}>Priority</label>
            <select id={`${id}-priority`} className="select" value={values.priority} onChange={(e) => update('priority', { priority: e.currentTarget.value as Priority })}>
              <option value="high">High</option>
              <option value="medium">Medium</option>
              <option value="low">Low</option>
            </select>
            {conflictNote('priority')}
          </div>
          <div data-field="tags">
            <TagInput tags={values.tags} suggestions={tagSuggestions} onChange={(tags) => update('tags', { tags })} />
            {fieldError('tags')}
            {conflictNote('tags')}
          </div>
          <div data-field="recurrence">
            <RecurrenceEditor
              model={values.recurrence}
              original={base.recurrence}
              due={dueIso(values.due, timeZone)}
              timeZone={timeZone}
              error={errors.recurrence ?? null}
              onChange={(recurrence) => update('recurrence', { recurrence })}
            />
            {conflictNote('recurrence')}
            {recurring ? (
              <div className={styles.seriesActions}>
                <button type="button" className="button" disabled={saving || missing || dirty} onClick={() => void onSkip(base)}>
                  Skip this occurrence
                </button>
                <button type="button" className="button" disabled={saving || missing || dirty} onClick={() => void onStopRepeating(base)}>
                  Stop repeating
                </button>
                {dirty ? <span className={styles.hint}>Save or discard your changes first.</span> : null}
              </div>
            ) : null}
          </div>
          <p className={styles.hint}>
            Created {formatAbsolute(base.created_at, timeZone)}
            {base.completed && base.completed_at ? ` · Completed ${formatAbsolute(base.completed_at, timeZone)}` : ''}
          </p>
          <section className={styles.activity} aria-labelledby={`${id}-activity`}>
            <h3 id={`${id}-activity`}>Activity</h3>
            {base.id > 0 ? <ActivityList taskId={base.id} /> : null}
          </section>
        </div>
        {formError ? (
          <p className={styles.formError} role="alert">
            {formError}
          </p>
        ) : null}
        <div className={styles.panelFooter}>
          <button type="button" className="button danger" disabled={missing} onClick={() => onDelete(base)}>
            Delete task
          </button>
          <div>
            <button type="button" className="button" onClick={requestClose}>
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
});
