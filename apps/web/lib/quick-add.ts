// The quick-add box's reading in words and in pieces: what each recognised phrase means (for the
// chips under the box), the line cut into plain and marked runs (for the highlights), and the task
// to create. Pure (tested in quick-add.unit.test.ts); the reading itself is the domain's.
import { buildRecurrence, fromLocal, type LocalDate, type QuickAddPart, type QuickAddReading, readQuickAdd } from '@dueflow/core/browser';
import { describeReminderOffset, formatDayHeading, formatTime } from './format';
import { describeRecurrence } from './recurrence';
import type { CreateTaskInput } from './types';

export interface ReadingChip {
  part: QuickAddPart;
  /** What the phrase was read as ("Tomorrow", "17:00", "High priority", "#work", "Every weekday"). */
  label: string;
}

export interface Run {
  text: string;
  kind: QuickAddPart['kind'] | null;
}

export function readLine(text: string, now: Date, timeZone: string, literals: readonly string[], defaultDate: LocalDate | null): QuickAddReading {
  return readQuickAdd(text, { now, timezone: timeZone }, { literals, ...(defaultDate ? { defaultDate } : {}) });
}

/** The line as plain and marked runs, in order (the marks sit behind the text the user types). */
export function runsOf(text: string, parts: readonly QuickAddPart[]): Run[] {
  const runs: Run[] = [];
  let at = 0;
  for (const p of [...parts].sort((a, b) => a.start - b.start)) {
    if (p.start < at) continue;
    if (p.start > at) runs.push({ text: text.slice(at, p.start), kind: null });
    runs.push({ text: text.slice(p.start, p.end), kind: p.kind });
    at = p.end;
  }
  if (at < text.length) runs.push({ text: text.slice(at), kind: null });
  return runs;
}

const PRIORITY_WORDS = { high: 'High priority', medium: 'Medium priority', low: 'Low priority' } as const;

/** Each recognised phrase with what it was read as. */
export function chipsOf(reading: QuickAddReading, timeZone: string, today: LocalDate): ReadingChip[] {
  return reading.parts.map((part) => {
    switch (part.kind) {
      case 'date':
        return { part, label: reading.due ? formatDayHeading(reading.due.date, today) + (part.text.match(/\bin\s/i) && reading.due.time ? ` ${formatTime(reading.due.time)}` : '') : part.text };
      case 'time':
        return { part, label: reading.due?.time ? formatTime(reading.due.time) : part.text };
      case 'priority':
        return { part, label: reading.priority ? PRIORITY_WORDS[reading.priority] : part.text };
      case 'tag': {
        // The tags of this phrase alone, read the same way ("tagged home and work" → #home #work).
        const tags = readQuickAdd(`x ${part.text}`, { now: new Date(0), timezone: 'UTC' }).tags;
        return { part, label: tags.map((t) => `#${t}`).join(' ') || part.text };
      }
      case 'reminder':
        return { part, label: reading.due ? `Reminder ${describeReminderOffset(reading.remindBeforeMinutes ?? 0).toLowerCase()}` : 'Reminder (needs a due date)' };
      case 'repeat':
        return { part, label: repeatLabel(reading, timeZone) ?? part.text };
    }
  });
}

function repeatLabel(reading: QuickAddReading, timeZone: string): string | null {
  const input = reading.request.recurrence;
  if (!input) return null;
  try {
    const anchor = dueInstant(reading, timeZone) ?? new Date();
    const rec = buildRecurrence(input, { anchor, timezone: timeZone });
    return describeRecurrence({ ...rec });
  } catch {
    return null;
  }
}

/** The due date of the reading as an instant (a day without a time is its last second). */
export function dueInstant(reading: QuickAddReading, timeZone: string): Date | null {
  if (!reading.due) return null;
  const t = reading.due.time;
  return fromLocal({ ...reading.due.date, hour: t ? t.hour : 23, minute: t ? t.minute : 59, second: t ? 0 : 59 }, timeZone);
}

/** The task to create: the reading's fields, the due date as an instant in the user's zone. */
export function createInput(reading: QuickAddReading, timeZone: string): CreateTaskInput {
  const { due_date: _due, ...rest } = reading.request;
  const due = dueInstant(reading, timeZone);
  return due ? { ...rest, due_date: due.toISOString() } : rest;
}

/** The reading in one sentence, for screen readers ("Due tomorrow 17:00, high priority, #work"). */
export function summaryText(reading: QuickAddReading, chips: readonly ReadingChip[]): string {
  const bits = chips.map((c) => (c.part.kind === 'date' ? `due ${c.label}` : c.label));
  if (reading.due?.implicit) bits.unshift('due today');
  return bits.length > 0 ? `Title “${reading.title}”; ${bits.join(', ')}` : '';
}
