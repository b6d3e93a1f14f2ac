'use client';
// The due date and time, typed the way the user writes them (the locale's day/month order, the
// 12- or 24-hour clock, or words: "tomorrow", "next fri", "5pm"), with one-click days and the
// browser's calendar for picking. A day without a time is due by its end.
import type { LocalDate } from '@dueflow/core/browser';
import { useEffect, useId, useRef, useState } from 'react';
import { datePattern, formatDateInput, formatTimeInput, parseDateInput, parseTimeInput, timePlaceholder } from '../../lib/date-input';
import type { DueValue } from '../../lib/task-form';
import { dateKey, localToday, parseDateKey, plusDays } from '../../lib/views';
import { CalendarIcon } from './icons';
import styles from './tasks.module.css';

interface DueFieldProps {
  value: DueValue;
  timeZone: string;
  /** A problem with the due date (shown under it and announced). */
  error: string | null;
  onChange(value: DueValue): void;
}

const timeOf = (hhmm: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
};
const pad = (n: number) => String(n).padStart(2, '0');

export function DueField({ value, timeZone, error, onChange }: DueFieldProps) {
  const id = useId();
  const shown = (v: DueValue) => ({ date: v.date ? formatDateInput(parseDateKey(v.date) ?? { year: 1970, month: 1, day: 1 }) : '', time: timeOf(v.time) ? formatTimeInput(timeOf(v.time) ?? { hour: 0, minute: 0 }) : '' });
  const [text, setText] = useState(() => shown(value));
  const [typing, setTyping] = useState<{ date: string | null; time: string | null }>({ date: null, time: null });
  const pickerRef = useRef<HTMLInputElement>(null);

  // The value changed from outside (a quick day, the server's newer version): show it.
  const valueKey = `${value.date}|${value.time}`;
  useEffect(() => {
    setText(shown(value));
    setTyping({ date: null, time: null });
  }, [valueKey]); // shown(value) depends on nothing else

  const today = localToday(new Date(), timeZone);
  const setDate = (date: LocalDate | null) => onChange({ date: date ? dateKey(date) : '', time: date ? value.time : '' });
  const dateProblem = typing.date;
  const timeProblem = typing.time;
  const describedBy = [`${id}-hint`, error || dateProblem || timeProblem ? `${id}-error` : ''].filter(Boolean).join(' ');
  const pattern = datePattern();

  return (
    <fieldset className={styles.dueField} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Due</legend>
      <div className={styles.dueInputs}>
        <div className="field">
          <label htmlFor={`${id}-date`}>Due date</label>
          <div className={styles.inline}>
            <input
              id={`${id}-date`}
              className="input"
              type="text"
              inputMode="text"
              autoComplete="off"
              placeholder={pattern.placeholder}
              value={text.date}
              aria-invalid={error || dateProblem ? true : undefined}
              aria-describedby={describedBy}
              onChange={(e) => setText({ ...text, date: e.currentTarget.value })}
              onBlur={() => {
                const typed = text.date.trim();
                if (!typed) {
                  setTyping({ ...typing, date: null });
                  if (value.date) onChange({ date: '', time: '' });
                  return;
                }
                const date = parseDateInput(typed, new Date(), timeZone);
                if (!date) {
                  setTyping({ ...typing, date: `“${typed}” is not a date. Try ${formatDateInput(plusDays(today, 1))} or “tomorrow”.` });
                  return;
                }
                setTyping({ ...typing, date: null });
                if (dateKey(date) === value.date) setText({ ...text, date: formatDateInput(date) });
                else setDate(date);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.currentTarget.blur();
              }}
            />
            <button type="button" className={`button icon ${styles.pickButton}`} aria-label="Choose the due date on a calendar" onClick={() => pickerRef.current?.showPicker?.()}>
              <CalendarIcon />
            </button>
            <input
              ref={pickerRef}
              className={styles.picker}
              type="date"
              tabIndex={-1}
              aria-hidden="true"
              value={value.date}
              onChange={(e) => {
                const date = parseDateKey(e.currentTarget.value);
                setDate(date);
              }}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>Due time</label>
          <input
            id={`${id}-time`}
            className="input"
            type="text"
            autoComplete="off"
            placeholder={timePlaceholder()}
            value={text.time}
            disabled={!value.date}
            aria-invalid={timeProblem ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => setText({ ...text, time: e.currentTarget.value })}
            onBlur={() => {
              const typed = text.time.trim();
              if (!typed) {
                setTyping({ ...typing, time: null });
                if (value.time) onChange({ ...value, time: '' });
                return;
              }
              const time = parseTimeInput(typed);
              if (!time) {
                setTyping({ ...typing, time: `“${typed}” is not a time. Try ${timePlaceholder().replace('e.g. ', '')}.` });
                return;
              }
              setTyping({ ...typing, time: null });
              const hhmm = `${pad(time.hour)}:${pad(time.minute)}`;
              if (hhmm === value.time) setText({ ...text, time: formatTimeInput(time) });
              else onChange({ ...value, time: hhmm });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
            }}
          />
        </div>
      </div>
      <div className={styles.quickDays} role="group" aria-label="Quick due dates">
        <button type="button" className={styles.quickDay} onClick={() => setDate(today)}>
          Today
        </button>
        <button type="button" className={styles.quickDay} onClick={() => setDate(plusDays(today, 1))}>
          Tomorrow
        </button>
        <button type="button" className={styles.quickDay} onClick={() => setDate(plusDays(today, ((7 - ((new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7)) % 7) || 7))}>
          Next week
        </button>
        {value.date ? (
          <button type="button" className={styles.quickDay} onClick={() => onChange({ date: '', time: '' })}>
            No date
          </button>
        ) : null}
      </div>
      <p id={`${id}-hint`} className={styles.hint}>
        {value.date ? (value.time ? 'Due at that time.' : 'No time: due by the end of the day.') : `Type a date (${pattern.placeholder}) or a word like “tomorrow”.`}
      </p>
      {error || dateProblem || timeProblem ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {dateProblem ?? timeProblem ?? error}
        </p>
      ) : null}
    </fieldset>
  );
}
