// Which tasks a request names: word forms, typos, ties, sets with day and time-of-day windows, and
// due-date changes that keep the time or the day.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchStrength, stem } from '../src/assistant/match.ts';
import { clockAt } from '../src/assistant/parse-dates.ts';
import { inSet, plannedDue, resolveTarget, selectSet } from '../src/assistant/select.ts';
import { understand } from '../src/assistant/understand.ts';
import type { Task } from '../src/task-model.ts';
import { fromLocal } from '../src/time/zoned.ts';

// Wednesday 10 June 2026, 10:00 in Berlin.
const NOW = new Date('2026-06-10T08:00:00Z');
const TZ = 'Europe/Berlin';
const clock = clockAt(NOW, TZ);

let nextId = 1;
function task(title: string, opts: Partial<Task> & { due?: string } = {}): Task {
  const { due, ...rest } = opts;
  let dueDate: Date | null = null;
  if (due) {
    const [d, t = '23:59'] = due.split('T') as [string, string?];
    const [year, month, day] = d.split('-').map(Number) as [number, number, number];
    const [hour, minute] = t.split(':').map(Number) as [number, number];
    dueDate = fromLocal({ year, month, day, hour, minute, second: 0 }, TZ);
  }
  const at = new Date('2026-06-01T00:00:00Z');
  return {
    id: String(nextId++), userId: 'u', title, description: '', completed: false, completedAt: null, priority: 'medium', tags: [],
    dueDate, reminderAt: null, remindBeforeMinutes: null, recurrence: null, recurringParentId: null, seriesId: null, seriesIndex: 1,
    version: 1, createdAt: at, updatedAt: at, ...rest,
  };
}

describe('word forms', () => {
  test('verb forms, plurals and gerunds share a stem', () => {
    for (const [a, b] of [['calling', 'call'], ['called', 'Call'], ['groceries', 'grocery'], ['meetings', 'meeting'], ['writing', 'write'], ['paid', 'pay'], ['bought', 'buy'], ['running', 'run'], ['watered', 'water']] as const) {
      assert.equal(stem(a), stem(b), `${a} ~ ${b}`);
    }
    assert.notEqual(stem('bus'), stem('bu'));
  });

  test('how well a phrase names a title', () => {
    assert.equal(matchStrength('call mom', 'Call mom'), 'exact');
    assert.equal(matchStrength('calling mom', 'Call mom'), 'full');
    assert.equal(matchStrength('the groceries', 'Buy groceries'), 'contained');
    assert.equal(matchStrength('cal mom', 'Call mom'), 'full', 'a small typo');
    assert.equal(matchStrength('buy milk', 'Buy oat milk'), 'contained');
    assert.equal(matchStrength('pay the rent', 'Pay rent'), 'exact', 'articles do not count');
    assert.equal(matchStrength('dentist', 'Call mom'), null);
  });
});

describe('resolving one task', () => {
  test('an exact title beats a longer one, whatever its state: deleting "buy milk" never takes "Buy oat milk"', () => {
    const done = task('buy milk', { completed: true });
    const oat = task('Buy oat milk');
    const r = resolveTarget({ kind: 'title', text: 'buy milk' }, [done, oat], 'delete', clock);
    assert.deepEqual(r.kind === 'tasks' ? r.tasks.map((t) => t.id) : r.kind, [done.id]);
  });

  test('completing a name whose exact match is already done asks instead of taking the other one', () => {
    const r = resolveTarget({ kind: 'title', text: 'buy milk' }, [task('buy milk', { completed: true }), task('Buy oat milk')], 'complete', clock);
    assert.equal(r.kind, 'ask');
  });

  test('equal fits are a question, listed by due date', () => {
    const later = task('Buy milk', { due: '2026-06-13T10:00' });
    const sooner = task('Buy milk', { due: '2026-06-10T18:00' });
    const r = resolveTarget({ kind: 'title', text: 'buy milk' }, [later, sooner], 'complete', clock);
    assert.equal(r.kind, 'ask');
    assert.deepEqual(r.kind === 'ask' ? r.candidates.map((t) => t.id) : [], [sooner.id, later.id]);
    const reports = [task('Write report'), task('Send report')];
    assert.equal(resolveTarget({ kind: 'title', text: 'the report' }, reports, 'delete', clock).kind, 'ask');
  });

  test('a loose fit (words missing from the title) is a question too', () => {
    const r = resolveTarget({ kind: 'title', text: 'call mom about cake' }, [task('Call mom')], 'delete', clock);
    assert.equal(r.kind, 'ask');
    assert.equal(r.kind === 'ask' && r.loose, true);
  });

  test('names joined by "and" resolve one by one', () => {
    const [a, b] = [task('Call mom'), task('Pay rent')];
    const r = resolveTarget({ kind: 'title', text: 'call mom and pay rent' }, [a, b, task('Buy bread')], 'complete', clock);
    assert.deepEqual(r.kind === 'tasks' ? r.tasks.map((t) => t.id) : r.kind, [a.id, b.id]);
  });

  test('"it" needs something said before', () => {
    assert.equal(resolveTarget({ kind: 'it' }, [task('x')], 'delete', clock, []).kind, 'no-context');
  });
});

describe('sets', () => {
  const meetings = [
    task('Team meeting', { due: '2026-06-11T09:00', tags: ['work'] }),
    task('Client meeting', { due: '2026-06-11T10:30', tags: ['work'] }),
    task('Design meeting', { due: '2026-06-11T13:00', tags: ['work'] }),
    task('Dinner with Sam', { due: '2026-06-11T19:30' }),
    task('Pay rent', { due: '2026-06-12' }),
  ];

  test('"my morning meetings": a title word and a time-of-day window on the due time', () => {
    const command = understand('Reschedule my morning meetings to 2 PM', { now: NOW, timezone: TZ });
    assert.equal(command.kind, 'act');
    if (command.kind !== 'act' || command.target.kind !== 'set') throw new Error('not a set');
    assert.deepEqual(selectSet(meetings, command.target.set, clock).map((t) => t.title), ['Team meeting', 'Client meeting']);
    assert.deepEqual(command.changes.due?.time, { hour: 14, minute: 0 });
    assert.equal(command.changes.due?.date, undefined, 'the day stays');
  });

  test('a whole-day task is in no morning; overdue and day windows', () => {
    assert.equal(inSet(meetings[4] as Task, { times: { from: 0, to: 24 * 60 } }, clock), false);
    const late = task('Taxes', { due: '2026-06-09' });
    assert.equal(inSet(late, { overdue: true }, clock), true);
    assert.equal(inSet(meetings[0] as Task, { overdue: true }, clock), false);
    assert.deepEqual(selectSet(meetings, { days: { to: { year: 2026, month: 6, day: 11 } }, tags: ['work'] }, clock).length, 3);
  });
});

describe('due changes', () => {
  const at = (s: string) => task('x', { due: s }).dueDate;
  test('"to friday" keeps the time; "to 2 PM" keeps the day; a whole day stays a whole day', () => {
    assert.equal(plannedDue(at('2026-06-11T10:30'), { date: { year: 2026, month: 6, day: 12 } }, clock), '2026-06-12T10:30');
    assert.equal(plannedDue(at('2026-06-11T10:30'), { time: { hour: 14, minute: 0 } }, clock), '2026-06-11T14:00');
    assert.equal(plannedDue(at('2026-06-12'), { date: { year: 2026, month: 6, day: 15 } }, clock), '2026-06-15');
    assert.equal(plannedDue(at('2026-06-10T18:00'), { shiftMinutes: 60 }, clock), '2026-06-10T19:00');
    assert.equal(plannedDue(null, { time: { hour: 9, minute: 0 } }, clock), '2026-06-11T09:00', '09:00 has passed today');
    assert.equal(plannedDue(at('2026-06-10T18:00'), { clear: true }, clock), null);
  });
});
