import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planNextOccurrence } from '../src/next-occurrence.ts';
import { buildRecurrence, type RecurrenceInput } from '../src/recurrence/index.ts';
import type { EditableTaskFields } from '../src/task-model.ts';

const NY = 'America/New_York';
const d = (iso: string): Date => new Date(iso);
const iso = (v: Date | null | undefined): string | null => (v ? v.toISOString() : null);

/** A completed occurrence due at `due` (Monday 2026-01-05 09:00 New York by default). */
function occurrence(input: RecurrenceInput, extra: Partial<EditableTaskFields> = {}, due = '2026-01-05T14:00:00Z'): EditableTaskFields {
  return {
    title: 'Water the plants',
    description: 'balcony and kitchen',
    priority: 'high',
    tags: ['home', 'plants'],
    dueDate: d(due),
    reminderAt: null,
    remindBeforeMinutes: null,
    recurrence: buildRecurrence(input, { anchor: d(due), timezone: NY }),
    ...extra,
  };
}
const at = (s: string) => ({ completedAt: d(s), now: d(s) });

describe('planNextOccurrence', () => {
  test('carries title, description, priority, tags, offset and recurrence; due at the next date', () => {
    const done = occurrence({ pattern: 'daily' }, { remindBeforeMinutes: 30, reminderAt: d('2026-01-05T13:30:00Z') });
    const next = planNextOccurrence(done, at('2026-01-05T15:00:00Z'));
    assert.ok(next);
    assert.deepEqual(next, {
      title: 'Water the plants',
      description: 'balcony and kitchen',
      priority: 'high',
      tags: ['home', 'plants'],
      dueDate: d('2026-01-06T14:00:00Z'),
      reminderAt: d('2026-01-06T13:30:00Z'),
      remindBeforeMinutes: 30,
      recurrence: done.recurrence,
    });
    // The tag list is a copy, not shared with the completed task.
    assert.notEqual(next.tags, done.tags);
  });

  test('not recurring: null', () => {
    assert.equal(planNextOccurrence({ ...occurrence({ pattern: 'daily' }), recurrence: null }, at('2026-01-05T15:00:00Z')), null);
  });

  test('no reminder stays no reminder', () => {
    const next = planNextOccurrence(occurrence({ pattern: 'weekly' }), at('2026-01-05T15:00:00Z'));
    assert.equal(iso(next?.dueDate), '2026-01-12T14:00:00.000Z');
    assert.equal(next?.reminderAt, null);
    assert.equal(next?.remindBeforeMinutes, null);
  });

  test('an offset reminder moves with the due date, across DST too', () => {
    // Daily 09:00 New York; 2026-03-08 is the spring-forward day.
    const done = occurrence({ pattern: 'daily' }, { remindBeforeMinutes: 60, reminderAt: d('2026-03-07T13:00:00Z') }, '2026-03-07T14:00:00Z');
    const next = planNextOccurrence(done, at('2026-03-07T15:00:00Z'));
    assert.equal(iso(next?.dueDate), '2026-03-08T13:00:00.000Z'); // 09:00 EDT
    assert.equal(iso(next?.reminderAt), '2026-03-08T12:00:00.000Z'); // 08:00 EDT
    assert.equal(next?.remindBeforeMinutes, 60);
    const zero = planNextOccurrence({ ...done, remindBeforeMinutes: 0, reminderAt: done.dueDate }, at('2026-03-07T15:00:00Z'));
    assert.equal(iso(zero?.reminderAt), '2026-03-08T13:00:00.000Z');
  });

  test('an explicit reminder keeps its distance to the due date', () => {
    // Reminded the evening before (13 h before the 09:00 due date).
    const done = occurrence({ pattern: 'weekly' }, { reminderAt: d('2026-01-05T01:00:00Z') });
    const next = planNextOccurrence(done, at('2026-01-05T15:00:00Z'));
    assert.equal(iso(next?.dueDate), '2026-01-12T14:00:00.000Z');
    assert.equal(iso(next?.reminderAt), '2026-01-12T01:00:00.000Z');
    assert.equal(next?.remindBeforeMinutes, null);
    // Without a due date on the completed task there is no distance to keep.
    const undated = planNextOccurrence({ ...done, dueDate: null }, at('2026-01-05T15:00:00Z'));
    assert.equal(iso(undated?.dueDate), '2026-01-12T14:00:00.000Z');
    assert.equal(undated?.reminderAt, null);
  });

  test('null when the series has ended (COUNT via occurrenceNumber or from the anchor; UNTIL)', () => {
    const counted = occurrence({ pattern: 'daily', count: 3 });
    assert.equal(iso(planNextOccurrence(counted, { ...at('2026-01-05T15:00:00Z'), occurrenceNumber: 2 })?.dueDate), '2026-01-06T14:00:00.000Z');
    assert.equal(planNextOccurrence(counted, { ...at('2026-01-05T15:00:00Z'), occurrenceNumber: 3 }), null);
    // From due, COUNT also counts from the anchor: completing very late runs past the last one.
    assert.equal(planNextOccurrence(counted, at('2026-01-08T15:00:00Z')), null);
    const until = occurrence({ pattern: 'daily', until: '2026-01-06' });
    assert.equal(iso(planNextOccurrence(until, at('2026-01-05T15:00:00Z'))?.dueDate), '2026-01-06T14:00:00.000Z');
    const last = { ...until, dueDate: d('2026-01-06T14:00:00Z') };
    assert.equal(planNextOccurrence(last, at('2026-01-06T15:00:00Z')), null);
    // from completion: UNTIL ends it, COUNT through occurrenceNumber.
    const fromCompletion = occurrence({ pattern: 'daily', interval: 2, from: 'completion', until: '2026-01-10' });
    assert.equal(iso(planNextOccurrence(fromCompletion, at('2026-01-08T15:00:00Z'))?.dueDate), '2026-01-10T14:00:00.000Z');
    assert.equal(planNextOccurrence(fromCompletion, at('2026-01-09T15:00:00Z')), null);
    const countedCompletion = occurrence({ pattern: 'weekly', from: 'completion', count: 2 });
    assert.equal(planNextOccurrence(countedCompletion, { ...at('2026-01-07T15:00:00Z'), occurrenceNumber: 2 }), null);
  });

  test('from due: a late completion catches up to the first date in the future', () => {
    const done = occurrence({ pattern: 'daily' }, { remindBeforeMinutes: 15 });
    // Completed Thursday 15:00 local, three days late; the event is handled a minute later.
    const completedAt = d('2026-01-08T20:00:00Z');
    const now = d('2026-01-08T20:01:00Z');
    const next = planNextOccurrence(done, { completedAt, now });
    assert.equal(iso(next?.dueDate), '2026-01-09T14:00:00.000Z');
    assert.ok(next?.dueDate && next.dueDate.getTime() > now.getTime());
    assert.equal(iso(next?.reminderAt), '2026-01-09T13:45:00.000Z');
    // Handled much later than the completion (e.g. after an outage): still in the future of `now`.
    const later = planNextOccurrence(done, { completedAt, now: d('2026-01-12T18:00:00Z') });
    assert.equal(iso(later?.dueDate), '2026-01-13T14:00:00.000Z');
    // Weekly keeps its weekday when catching up.
    const weekly = occurrence({ pattern: 'weekly' });
    assert.equal(iso(planNextOccurrence(weekly, at('2026-01-20T12:00:00Z'))?.dueDate), '2026-01-26T14:00:00.000Z');
  });

  test('from completion: counts from the completion day, reminder offset follows', () => {
    const done = occurrence({ pattern: 'monthly', from: 'completion' }, { remindBeforeMinutes: 24 * 60 }, '2026-01-15T14:00:00Z');
    const next = planNextOccurrence(done, at('2026-03-20T14:00:00Z'));
    assert.equal(iso(next?.dueDate), '2026-04-20T13:00:00.000Z');
    assert.equal(iso(next?.reminderAt), '2026-04-19T13:00:00.000Z');
  });
});
