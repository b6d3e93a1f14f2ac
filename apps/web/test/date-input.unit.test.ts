import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { datePattern, formatDateInput, parseDateInput, parseTimeInput } from '../lib/date-input.ts';
import { displayPrefsFor, formatDue, formatTime, setDisplayPrefs } from '../lib/format.ts';

// Wednesday 25 Nov 2026, 18:30 in Berlin.
const now = new Date('2026-11-25T17:30:00Z');
const tz = 'Europe/Berlin';
afterEach(() => setDisplayPrefs(displayPrefsFor('en-GB', 'auto')));

test('the locale decides the order of day, month and year', () => {
  assert.deepEqual(datePattern('en-GB'), { order: ['day', 'month', 'year'], separator: '/', placeholder: 'dd/mm/yyyy' });
  assert.deepEqual(datePattern('en-US').order, ['month', 'day', 'year']);
  assert.equal(datePattern('de-DE').placeholder, 'dd.mm.yyyy');
  assert.equal(formatDateInput({ year: 2026, month: 3, day: 9 }, 'en-GB'), '09/03/2026');
  assert.equal(formatDateInput({ year: 2026, month: 3, day: 9 }, 'en-US'), '03/09/2026');
});

test('typed dates: the locale\'s numbers, ISO, or words', () => {
  assert.deepEqual(parseDateInput('09/03/2026', now, tz, 'en-GB'), { year: 2026, month: 3, day: 9 });
  assert.deepEqual(parseDateInput('09/03/2026', now, tz, 'en-US'), { year: 2026, month: 9, day: 3 });
  assert.deepEqual(parseDateInput('9.3.26', now, tz, 'de-DE'), { year: 2026, month: 3, day: 9 });
  assert.deepEqual(parseDateInput('2026-12-01', now, tz, 'en-US'), { year: 2026, month: 12, day: 1 });
  assert.deepEqual(parseDateInput('tomorrow', now, tz), { year: 2026, month: 11, day: 26 });
  assert.deepEqual(parseDateInput('next fri', now, tz), { year: 2026, month: 12, day: 4 });
  assert.equal(parseDateInput('31/02/2026', now, tz, 'en-GB'), null);
  assert.equal(parseDateInput('soon', now, tz), null);
});

test('typed times on either clock', () => {
  assert.deepEqual(parseTimeInput('17:05'), { hour: 17, minute: 5 });
  assert.deepEqual(parseTimeInput('5:05 pm'), { hour: 17, minute: 5 });
  assert.equal(parseTimeInput(''), null);
  assert.equal(parseTimeInput('lunch'), null);
});

test('the user\'s 12- or 24-hour choice is how every time is written', () => {
  setDisplayPrefs(displayPrefsFor('en-US', 'auto'));
  assert.equal(formatTime({ hour: 17, minute: 5 }), '5:05 PM');
  assert.equal(formatDue('2026-11-26T16:05:00Z', tz, now), 'Tomorrow 5:05 PM');
  assert.equal(formatDue('2026-12-10T16:05:00Z', tz, now), 'Dec 10');
  setDisplayPrefs(displayPrefsFor('en-US', '24'));
  assert.equal(formatTime({ hour: 17, minute: 5 }), '17:05');
  setDisplayPrefs(displayPrefsFor('en-GB', '12'));
  assert.match(formatTime({ hour: 9, minute: 0 }), /^9:00 am$/i);
  setDisplayPrefs(displayPrefsFor('en-GB', 'auto'));
  assert.equal(formatDue('2026-11-26T16:05:00Z', tz, now), 'Tomorrow 17:05');
});
