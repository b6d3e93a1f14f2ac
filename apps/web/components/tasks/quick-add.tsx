'use client';
// The "New task" box. As you type it shows what it reads: the recognised phrases are highlighted in
// the line and listed under it ("Tomorrow", "17:00", "High priority", "#work"). Backspace right after
// a phrase, or a click on its chip, turns it back into title text; quoted text is always title. A
// date that has passed is asked about before the task is added; a title over the limit is refused
// with the text kept. Enter adds; the row appears at once.
import { QUICK_ADD_MAX, type LocalDate, TITLE_MAX } from '@dueflow/core/browser';
import { forwardRef, useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatDayHeading, formatTime } from '../../lib/format';
import { chipsOf, createInput, readLine, runsOf, summaryText } from '../../lib/quick-add';
import type { CreateTaskInput } from '../../lib/types';
import { localToday } from '../../lib/views';
import styles from './tasks.module.css';

interface QuickAddProps {
  timeZone: string;
  /** The view's day for a task whose line names none (Today adds to today). */
  defaultDate: LocalDate | null;
  /** Resolves false when the task could not be added (the text comes back into the box). */
  onAdd(input: CreateTaskInput): Promise<boolean>;
}

const SUMMARY_DELAY_MS = 600;

export const QuickAdd = forwardRef<HTMLInputElement, QuickAddProps>(function QuickAdd({ timeZone, defaultDate, onAdd }, ref) {
  const id = useId();
  const [text, setText] = useState('');
  const [literals, setLiterals] = useState<string[]>([]);
  const [noDefault, setNoDefault] = useState(false);
  const [confirmPast, setConfirmPast] = useState(false);
  const mirrorRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => new Date());
  const [spoken, setSpoken] = useState('');

  const reading = useMemo(() => readLine(text, now, timeZone, literals, noDefault ? null : defaultDate), [text, now, timeZone, literals, noDefault, defaultDate]);
  const today = useMemo(() => localToday(now, timeZone), [now, timeZone]);
  const chips = useMemo(() => chipsOf(reading, timeZone, defaultDate ?? today), [reading, timeZone, defaultDate, today]);
  const runs = useMemo(() => runsOf(text, reading.parts), [text, reading.parts]);
  const trimmed = text.trim();
  const tooLong = reading.problem === 'TITLE_TOO_LONG';
  const askPast = confirmPast && reading.past;

  // What was read, told to screen readers once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setSpoken(trimmed ? summaryText(reading, chips) : ''), SUMMARY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [reading, chips, trimmed]);

  const reset = () => {
    setText('');
    setLiterals([]);
    setNoDefault(false);
    setConfirmPast(false);
    if (mirrorRef.current) mirrorRef.current.style.transform = '';
  };

  const asText = (phrase: string) => {
    setLiterals((l) => (l.some((x) => x.toLowerCase() === phrase.toLowerCase()) ? l : [...l, phrase]));
    setConfirmPast(false);
  };

  const submit = () => {
    if (!trimmed || tooLong) return;
    if (reading.past && !confirmPast) {
      setConfirmPast(true);
      return;
    }
    const input = createInput(reading, timeZone);
    const typed = { text, literals, noDefault };
    reset();
    setNow(new Date());
    void onAdd(input).then((ok) => {
      if (ok) return;
      // Not added: the line comes back, unless the user has started another.
      setText((current) => {
        if (current !== '') return current;
        setLiterals(typed.literals);
        setNoDefault(typed.noDefault);
        return typed.text;
      });
    });
  };

  const problemId = `${id}-problem`;
  const summaryId = `${id}-summary`;
  return (
    <div className={styles.quickAddBlock}>
      <form
        className={styles.quickAdd}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className={styles.qaField}>
          <div ref={mirrorRef} className={styles.qaMirror} aria-hidden="true">
            {runs.map((run, i) =>
              run.kind ? (
                <mark key={i} className={`${styles.qaMark} ${styles[`mark_${run.kind}`] ?? ''}`}>
                  {run.text}
                </mark>
              ) : (
                <span key={i}>{run.text}</span>
              ),
            )}
          </div>
          <input
            ref={ref}
            className={`input ${styles.qaInput}`}
            type="text"
            aria-label="New task"
            aria-describedby={`${summaryId}${tooLong || askPast ? ` ${problemId}` : ''}`}
            aria-invalid={tooLong || undefined}
            placeholder="Add a task, e.g. Pay rent friday 9am #home !high"
            maxLength={QUICK_ADD_MAX}
            autoComplete="off"
            spellCheck={false}
            enterKeyHint="done"
            value={text}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setText(value);
              setConfirmPast(false);
              if (!value.trim()) reset();
            }}
            onScroll={(e) => {
              // The marks follow the text when a long line scrolls inside the box.
              if (mirrorRef.current) mirrorRef.current.style.transform = `translateX(${-e.currentTarget.scrollLeft}px)`;
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && text) {
                e.preventDefault();
                reset();
                return;
              }
              if (e.key !== 'Backspace') return;
              const input = e.currentTarget;
              if (input.selectionStart !== input.selectionEnd) return;
              // Right after a recognised phrase, Backspace gives it back to the title.
              const part = reading.parts.find((p) => p.end === input.selectionStart);
              if (part) {
                e.preventDefault();
                asText(part.text);
              } else if (reading.due?.implicit && input.selectionStart === 0 && !text) {
                setNoDefault(true);
              }
            }}
          />
        </div>
        <button type="submit" className="button primary" disabled={!trimmed || tooLong}>
          Add
        </button>
      </form>
      {trimmed && (chips.length > 0 || reading.due?.implicit) ? (
        <div className={styles.qaChips} role="group" aria-label="Read from the line">
          {reading.due?.implicit ? (
            <button type="button" className={`${styles.qaChip} ${styles.mark_date}`} aria-label={`Due ${formatDayHeading(reading.due.date, defaultDate ?? today).toLowerCase()} (this view); remove`} onClick={() => setNoDefault(true)}>
              {formatDayHeading(reading.due.date, defaultDate ?? today)}
              <span aria-hidden="true">×</span>
            </button>
          ) : null}
          {chips.map((chip) => (
            <button
              key={`${chip.part.start}-${chip.part.kind}`}
              type="button"
              className={`${styles.qaChip} ${styles[`mark_${chip.part.kind}`] ?? ''}`}
              aria-label={`${chip.label}: use “${chip.part.text}” as text`}
              title={`Use “${chip.part.text}” as title text`}
              onClick={() => asText(chip.part.text)}
            >
              {chip.label}
              <span aria-hidden="true">×</span>
            </button>
          ))}
        </div>
      ) : null}
      <p id={summaryId} className="visually-hidden" aria-live="polite">
        {spoken}
      </p>
      {tooLong ? (
        <p id={problemId} className={styles.qaProblem} role="alert">
          The title is {reading.title.length} characters; a title has at most {TITLE_MAX}. Shorten it, or move the rest to the description after adding.
        </p>
      ) : null}
      {askPast ? (
        <div id={problemId} className={styles.qaProblem} role="alert">
          <span>
            {reading.due ? formatDayHeading(reading.due.date, today) : 'That date'}
            {reading.due?.time ? ` at ${formatTime(reading.due.time)}` : ''} has already passed. Press Enter again to add it as overdue, or change the date.
          </span>
          <button type="button" className="button link" onClick={submit}>
            Add anyway
          </button>
        </div>
      ) : null}
    </div>
  );
});
