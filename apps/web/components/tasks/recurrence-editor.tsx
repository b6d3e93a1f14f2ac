'use client';
// Repeats never/daily/weekly/monthly/yearly, every N, weekdays, from due date or completion, and
// when the series ends; the rule in words underneath. A custom RRULE is shown and kept as is.
import { useId } from 'react';
import { formatDayHeading, formatTime, wallTime } from '../../lib/format';
import { COUNT_MAX, describeModel, INTERVAL_MAX, recurrenceOfModel, type RecurrenceModel, type Repeats, upcomingDates, WEEKDAY_CODES, WEEKDAY_NAMES } from '../../lib/recurrence';
import { localToday } from '../../lib/views';
import { DateTextInput } from './date-text-input';
import type { Recurrence } from '../../lib/types';
import styles from './tasks.module.css';

const UNIT: Readonly<Record<Exclude<Repeats, 'never'>, string>> = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' };

interface RecurrenceEditorProps {
  model: RecurrenceModel;
  original: Recurrence | null;
  /** The task's due date (ISO) as edited: the series' first date. */
  due: string | null;
  timeZone: string;
  error: string | null;
  onChange(model: RecurrenceModel): void;
}

export function RecurrenceEditor({ model, original, due, timeZone, error, onChange }: RecurrenceEditorProps) {
  const id = useId();
  const set = (patch: Partial<RecurrenceModel>) => onChange({ ...model, ...patch });
  const pattern = model.repeats !== 'never' && model.repeats !== 'custom' ? model.repeats : null;
  return (
    <fieldset className={styles.section}>
      <legend>Repeat</legend>
      <div className={styles.twoCols}>
        <div className="field">
          <label htmlFor={`${id}-repeats`}>Repeats</label>
          <select
            id={`${id}-repeats`}
            className="select"
            value={model.repeats}
            onChange={(e) => {
              const repeats = e.currentTarget.value as RecurrenceModel['repeats'];
              set({ repeats, rrule: repeats === 'custom' ? (original?.rrule ?? null) : null });
            }}
          >
            <option value="never">Never</option>
            <option value="daily">Daily</option>
            <option value="weekly">Weekly</option>
            <option value="monthly">Monthly</option>
            <option value="yearly">Yearly</option>
            {original?.pattern === 'custom' ? <option value="custom">Custom rule</option> : null}
          </select>
        </div>
        {pattern ? (
          <div className="field">
            <label htmlFor={`${id}-every`}>Every</label>
            <div className={styles.inline}>
              <input
                id={`${id}-every`}
                className="input"
                type="number"
                inputMode="numeric"
                min={1}
                max={INTERVAL_MAX}
                step={1}
                value={Number.isFinite(model.interval) ? model.interval : ''}
                aria-describedby={`${id}-unit`}
                onChange={(e) => set({ interval: e.currentTarget.valueAsNumber })}
              />
              <span id={`${id}-unit`}>{model.interval === 1 ? UNIT[pattern] : `${UNIT[pattern]}s`}</span>
            </div>
          </div>
        ) : null}
      </div>
      {pattern === 'weekly' ? (
        <fieldset className={styles.weekdays}>
          <legend>On</legend>
          {WEEKDAY_CODES.map((day) => (
            <label key={day} className={styles.checkOption}>
              <input
                type="checkbox"
                checked={model.weekdays.includes(day)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  set({ weekdays: WEEKDAY_CODES.filter((d) => (d === day ? on : model.weekdays.includes(d))) });
                }}
              />
              {WEEKDAY_NAMES[day]}
            </label>
          ))}
        </fieldset>
      ) : null}
      {model.repeats !== 'never' ? (
        <div className={styles.twoCols}>
          <div className="field">
            <label htmlFor={`${id}-from`}>Repeat from</label>
            <select id={`${id}-from`} className="select" value={model.from} onChange={(e) => set({ from: e.currentTarget.value === 'completion' ? 'completion' : 'due' })}>
              <option value="due">Due date</option>
              <option value="completion">Completion</option>
            </select>
          </div>
          {pattern ? (
            <div className="field">
              <label htmlFor={`${id}-ends`}>Ends</label>
              <select id={`${id}-ends`} className="select" value={model.ends} onChange={(e) => set({ ends: e.currentTarget.value as RecurrenceModel['ends'] })}>
                <option value="never">Never</option>
                <option value="on">On date</option>
                <option value="after">After</option>
              </select>
            </div>
          ) : null}
          {pattern && model.ends === 'on' ? (
            <div className="field">
              <label htmlFor={`${id}-until`}>End date</label>
              <DateTextInput id={`${id}-until`} value={model.endDate} timeZone={timeZone} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(endDate) => set({ endDate })} />
            </div>
          ) : null}
          {pattern && model.ends === 'after' ? (
            <div className="field">
              <label htmlFor={`${id}-count`}>Occurrences</label>
              <input
                id={`${id}-count`}
                className="input"
                type="number"
                inputMode="numeric"
                min={1}
                max={COUNT_MAX}
                step={1}
                value={Number.isFinite(model.count) ? model.count : ''}
                onChange={(e) => set({ count: e.currentTarget.valueAsNumber })}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <p className={styles.summary} aria-live="polite">
        {describeModel(model, original, due, timeZone)}
      </p>
      <SeriesPreview model={model} original={original} due={due} timeZone={timeZone} />
      {model.repeats === 'custom' ? <p className={styles.hint}>This rule was set elsewhere; it is kept unless you choose another.</p> : null}
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The next dates of the series, as the recurrence engine computes them. */
function SeriesPreview({ model, original, due, timeZone }: { model: RecurrenceModel; original: Recurrence | null; due: string | null; timeZone: string }) {
  if (model.repeats === 'never') return null;
  if (model.from === 'completion') return <p className={styles.hint}>Each next date is counted from the day you complete the task.</p>;
  const rec = model.repeats === 'custom' && original ? recurrenceOfModel({ ...model, repeats: 'custom', rrule: original.rrule }, original, due, timeZone) : recurrenceOfModel(model, original, due, timeZone);
  if (!rec) return null;
  const now = new Date();
  const today = localToday(now, timeZone);
  const dates = upcomingDates(rec, 5, new Date(now.getTime() - 1));
  if (dates.length === 0) return <p className={styles.hint}>No more dates: the series has ended.</p>;
  return (
    <div className={styles.preview}>
      <p className={styles.hint} id="series-preview-label">
        Next dates
      </p>
      <ol className={styles.previewList} aria-labelledby="series-preview-label">
        {dates.map((d) => {
          const w = wallTime(d, timeZone);
          const allDay = w.hour === 23 && w.minute === 59 && w.second === 59;
          return (
            <li key={d.toISOString()}>
              <time dateTime={d.toISOString()}>
                {formatDayHeading(w, today)}
                {allDay ? '' : ` ${formatTime(w)}`}
              </time>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
