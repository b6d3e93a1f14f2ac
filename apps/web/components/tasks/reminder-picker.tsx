'use client';
// When to be reminded, relative to the due date: none, at due time, 10 min / 1 h / 1 day before, or
// a number of minutes.
import { REMIND_BEFORE_MAX_MINUTES } from '@dueflow/core/browser';
import { useId, useState } from 'react';
import styles from './tasks.module.css';

/** null: no reminder; a number: minutes before the due date. */
export type ReminderValue = number | null;

const PRESETS: readonly { value: string; label: string; minutes: number | null }[] = [
  { value: 'none', label: 'None', minutes: null },
  { value: '0', label: 'At due time', minutes: 0 },
  { value: '10', label: '10 minutes before', minutes: 10 },
  { value: '60', label: '1 hour before', minutes: 60 },
  { value: '1440', label: '1 day before', minutes: 1440 },
];
export const REMIND_BEFORE_MAX = REMIND_BEFORE_MAX_MINUTES;

interface ReminderPickerProps {
  minutes: ReminderValue;
  hasDueDate: boolean;
  error: string | null;
  onChange(minutes: ReminderValue): void;
}

export function ReminderPicker({ minutes, hasDueDate, error, onChange }: ReminderPickerProps) {
  const id = useId();
  const preset = PRESETS.find((p) => p.minutes === minutes);
  const [customChosen, setCustomChosen] = useState(false);
  const custom = customChosen || !preset;
  const selectValue = custom ? 'custom' : preset.value;
  const describedBy = [hasDueDate ? '' : `${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={styles.twoCols}>
      <div className="field">
        <label htmlFor={`${id}-select`}>Reminder</label>
        <select
          id={`${id}-select`}
          className="select"
          value={hasDueDate ? selectValue : 'none'}
          disabled={!hasDueDate}
          aria-describedby={describedBy}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setCustomChosen(value === 'custom');
            if (value === 'custom') onChange(minutes ?? 30);
            else onChange(PRESETS.find((p) => p.value === value)?.minutes ?? null);
          }}
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
        {hasDueDate ? null : (
          <p id={`${id}-hint`} className={styles.hint}>
            Set a due date to add a reminder.
          </p>
        )}
        {error ? (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      {hasDueDate && selectValue === 'custom' ? (
        <div className="field">
          <label htmlFor={`${id}-minutes`}>Minutes before</label>
          <input
            id={`${id}-minutes`}
            className="input"
            type="number"
            inputMode="numeric"
            min={0}
            max={REMIND_BEFORE_MAX}
            step={1}
            value={minutes ?? ''}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              const n = e.currentTarget.valueAsNumber;
              onChange(Number.isFinite(n) ? n : null);
            }}
          />
        </div>
      ) : null}
    </div>
  );
}
