'use client';
// One date, typed as the user writes dates (the locale's order, ISO, or words like "next fri"), for
// fields that hold a plain day: a series' end date, the list's due range. The value is "YYYY-MM-DD".
import { useEffect, useState } from 'react';
import { datePattern, formatDateInput, parseDateInput } from '../../lib/date-input';
import { dateKey, parseDateKey } from '../../lib/views';

interface DateTextInputProps {
  id: string;
  value: string;
  timeZone: string;
  onChange(value: string): void;
  className?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

const shown = (value: string): string => {
  const d = parseDateKey(value);
  return d ? formatDateInput(d) : '';
};

export function DateTextInput({ id, value, timeZone, onChange, className, ...aria }: DateTextInputProps) {
  const [text, setText] = useState(() => shown(value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText(shown(value));
    setInvalid(false);
  }, [value]);
  const commit = () => {
    const typed = text.trim();
    if (!typed) {
      setInvalid(false);
      if (value) onChange('');
      return;
    }
    const date = parseDateInput(typed, new Date(), timeZone);
    setInvalid(!date);
    if (date && dateKey(date) !== value) onChange(dateKey(date));
    else if (date) setText(formatDateInput(date));
  };
  return (
    <input
      id={id}
      className={className ?? 'input'}
      type="text"
      autoComplete="off"
      placeholder={datePattern().placeholder}
      value={text}
      aria-describedby={aria['aria-describedby']}
      aria-invalid={aria['aria-invalid'] || invalid || undefined}
      title={invalid ? `Not a date: write it as ${datePattern().placeholder}, or a word like “tomorrow”` : undefined}
      onChange={(e) => {
        const typed = e.currentTarget.value;
        setText(typed);
        // A complete date (its year written out) applies at once; words and partial dates on leaving the field.
        if (/^\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})\s*$/.test(typed)) {
          const date = parseDateInput(typed, new Date(), timeZone);
          if (date) {
            setInvalid(false);
            if (dateKey(date) !== value) onChange(dateKey(date));
          }
        }
      }}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}
