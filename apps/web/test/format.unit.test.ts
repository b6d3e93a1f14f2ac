import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeReminderOffset, formatAbsolute, formatDue, formatRelative, instantFromWall, isOverdue, isoToLocalInput, localInputToIso } from '../lib/format.ts';

describe('datetime-local in the user zone', () => {
  test('Europe/Berlin summer and winter time', () => {
    assert.equal(localInputToIso('2026-07-01T09:30', 'Europe/Berlin'), '2026-07-01T07:30:00.000Z');
    assert.equal(localInputToIso('2026-01-15T09:30', 'Europe/Berlin'), '2026-01-15T08:30:00.000Z');
    assert.equal(isoToLocalInput('2026-07-01T07:30:00.000Z', 'Europe/Berlin'), '2026-07-01T09:30');
    assert.equal(isoToLocalInput('2026-01-15T08:30:00Z', 'Europe/Berlin'), '2026-01-15T09:30');
  });

  test('America/New_York across the DST changes', () => {
    // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist and moves forward by the gap.
    assert.equal(localInputToIso('2026-03-08T01:30', 'America/New_York'), '2026-03-08T06:30:00.000Z');
    assert.equal(localInputToIso('2026-03-08T02:30', 'America/New_York'), '2026-03-08T07:30:00.000Z');
    assert.equal(localInputToIso('2026-03-08T03:30', 'America/New_York'), '2026-03-08T07:30:00.000Z');
    // 2026-11-01: 01:30 happens twice; the earlier (EDT) instant is meant.
    assert.equal(localInputToIso('2026-11-01T01:30', 'America/New_York'), '2026-11-01T05:30:00.000Z');
    assert.equal(isoToLocalInput('2026-11-01T06:30:00Z', 'America/New_York'), '2026-11-01T01:30');
    assert.equal(isoToLocalInput('2026-11-01T07:30:00Z', 'America/New_York'), '2026-11-01T02:30');
  });

  test('round trips and bad input', () => {
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
      assert.equal(isoToLocalInput(localInputToIso('2026-10-25T12:45', tz), tz), '2026-10-25T12:45');
    }
    assert.equal(localInputToIso('2026-02-30T10:00', 'UTC'), null);
    assert.equal(localInputToIso('', 'UTC'), null);
    assert.equal(isoToLocalInput(null, 'UTC'), '');
    assert.equal(instantFromWall({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin').toISOString(), '2026-03-29T01:30:00.000Z');
  });
});

describe('due labels', () => {
  const tz = 'Europe/Berlin';
  // Tuesday 10 March 2026, 13:00 in Berlin.
  const now = new Date('2026-03-10T12:00:00Z');

  test('relative to the local day', () => {
    assert.equal(formatDue('2026-03-10T16:00:00Z', tz, now), 'Today 17:00');
    assert.equal(formatDue('2026-03-11T08:30:00Z', tz, now), 'Tomorrow 09:30');
    assert.equal(formatDue('2026-03-09T08:30:00Z', tz, now), 'Yesterday 09:30');
    assert.equal(formatDue('2026-03-09T22:59:59Z', tz, now), 'Yesterday', 'a date without a time shows no time');
    assert.equal(formatDue('2026-03-13T16:00:00Z', tz, now), 'Fri 17:00');
    assert.equal(formatDue('2026-03-20T16:00:00Z', tz, now), '20 Mar');
    assert.equal(formatDue('2027-03-12T16:00:00Z', tz, now), '12 Mar 2027');
    // 23:30 UTC on the 10th is already the 11th in Berlin.
    assert.equal(formatDue('2026-03-10T23:30:00Z', tz, now), 'Tomorrow 00:30');
    // A date without a time is stored as the end of that day: no time shown.
    assert.equal(formatDue('2026-03-10T22:59:59Z', tz, now), 'Today');
  });

  test('absolute date and overdue', () => {
    assert.equal(formatAbsolute('2027-03-12T16:00:00Z', tz), 'Fri, 12 Mar 2027, 17:00');
    assert.equal(isOverdue({ completed: false, due_date: '2026-03-10T11:59:00Z' }, now), true);
    assert.equal(isOverdue({ completed: true, due_date: '2026-03-10T11:59:00Z' }, now), false);
    assert.equal(isOverdue({ completed: false, due_date: null }, now), false);
    assert.equal(isOverdue({ completed: false, due_date: '2026-03-10T12:01:00Z' }, now), false);
  });

  test('reminder offsets in words', () => {
    assert.equal(describeReminderOffset(0), 'At due time');
    assert.equal(describeReminderOffset(10), '10 minutes before');
    assert.equal(describeReminderOffset(60), '1 hour before');
    assert.equal(describeReminderOffset(1440), '1 day before');
    assert.equal(describeReminderOffset(90), '90 minutes before');
  });
});

describe('relative times', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');
  test('seconds, minutes, hours, days, then the date in the user\'s zone', () => {
    assert.equal(formatRelative('2026-03-10T11:59:30.000Z', now, 'UTC'), 'just now');
    assert.equal(formatRelative('2026-03-10T11:55:00.000Z', now, 'UTC'), '5 minutes ago');
    assert.equal(formatRelative('2026-03-10T11:59:00.000Z', now, 'UTC'), '1 minute ago');
    assert.equal(formatRelative('2026-03-10T09:00:00.000Z', now, 'UTC'), '3 hours ago');
    assert.equal(formatRelative('2026-03-09T11:00:00.000Z', now, 'UTC'), 'yesterday');
    assert.equal(formatRelative('2026-03-07T12:00:00.000Z', now, 'UTC'), '3 days ago');
    assert.equal(formatRelative('2026-03-10T12:20:00.000Z', now, 'UTC'), 'in 20 minutes');
    assert.equal(formatRelative('2026-02-01T23:30:00.000Z', now, 'UTC'), '1 Feb 2026');
    assert.equal(formatRelative('2026-02-01T23:30:00.000Z', now, 'Asia/Tokyo'), '2 Feb 2026');
    assert.equal(formatRelative('not a date', now, 'UTC'), '');
  });
});
