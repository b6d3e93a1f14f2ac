// The per-field endpoints (complete, priority, tags, due-date), recurring creation and the profile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Client, type ErrorJson, signUp, startSystem, type TaskJson } from './harness.ts';

// One system for the file; every suite signs up its own user.
let ts: Awaited<ReturnType<typeof startSystem>>;
before(async () => {
  ts = await startSystem();
});
after(async () => ts.stop());

const near = (iso: string | null, ms = 60_000) => iso !== null && Math.abs(Date.parse(iso) - Date.now()) < ms;

describe('per-field endpoints', () => {
  let ann: Client;
  before(async () => {
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await ann.post<TaskJson>('/api/v1/tasks', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const get = async (id: number) => (await ann.get<TaskJson>(`/api/v1/tasks/${id}`)).body;
  const patch = async (id: number, field: string, body?: unknown) => {
    const res = await ann.patch<TaskJson>(`/api/v1/tasks/${id}/${field}`, body);
    assert.equal(res.status, 200, `${field} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    assert.deepEqual(await get(id), res.body, 'the response is what was stored');
    return res.body;
  };

  test('complete toggles with no body and with {}', async () => {
    const t = await create({ title: 'Toggle me' });
    const done = await patch(t.id, 'complete');
    assert.equal(done.completed, true);
    assert.ok(near(done.completed_at), `completed_at ${done.completed_at}`);
    assert.equal(done.version, 2);
    const undone = await patch(t.id, 'complete', {});
    assert.equal(undone.completed, false);
    assert.equal(undone.completed_at, null);
    assert.equal(undone.version, 3);
    // Both again, with an explicit empty JSON body string and a JSON content type.
    const raw = await ann.request<TaskJson>('PATCH', `/api/v1/tasks/${t.id}/complete`, '', { 'content-type': 'application/json' });
    assert.equal(raw.status, 200);
    assert.equal(raw.body.completed, true);
    assert.equal(raw.body.version, 4);
    const other = await ann.get<TaskJson>(`/api/v1/tasks/${t.id}`);
    assert.equal(other.body.title, 'Toggle me', 'only completion changed');
  });

  test('{completed} sets explicitly and is idempotent', async () => {
    const t = await create({ title: 'Explicit', priority: 'low', tags: ['x'] });
    const done = await patch(t.id, 'complete', { completed: true });
    assert.equal(done.completed, true);
    assert.ok(near(done.completed_at));
    assert.equal(done.version, 2);
    const again = await patch(t.id, 'complete', { completed: true });
    assert.deepEqual(again, done, 'nothing changes: same version, updated_at and completed_at');
    const open = await patch(t.id, 'complete', { completed: false });
    assert.equal(open.completed, false);
    assert.equal(open.completed_at, null);
    assert.equal(open.version, 3);
    const openAgain = await patch(t.id, 'complete', { completed: false });
    assert.deepEqual(openAgain, open);
    // With the current version.
    const versioned = await patch(t.id, 'complete', { completed: true, version: 3 });
    assert.equal(versioned.version, 4);
    // PATCH /tasks/{id} with completed sets completed_at too.
    const viaPatch = await ann.patch<TaskJson>(`/api/v1/tasks/${t.id}`, { completed: false });
    assert.equal(viaPatch.body.completed_at, null);
    const viaPatch2 = await ann.patch<TaskJson>(`/api/v1/tasks/${t.id}`, { completed: true, title: 'Explicit done' });
    assert.equal(viaPatch2.body.completed, true);
    assert.ok(near(viaPatch2.body.completed_at));
    assert.equal(viaPatch2.body.title, 'Explicit done');
    assert.equal(viaPatch2.body.priority, 'low');
    assert.deepEqual(viaPatch2.body.tags, ['x']);
  });

  test('a PATCH or PUT that changes nothing keeps the version', async () => {
    const t = await create({ title: 'Stable', description: 'd', tags: ['a'], due_date: '2030-01-10T10:00', remind_before_minutes: 5, recurring: 'daily' });
    for (const body of [{}, { title: 'Stable' }, { title: ' Stable ', tags: ['A'], due_date: '2030-01-10T09:00:00Z' }, { recurring: 'daily' }, { completed: false }]) {
      const res = await ann.patch<TaskJson>(`/api/v1/tasks/${t.id}`, body);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, t, `PATCH ${JSON.stringify(body)}`);
    }
    const put = await ann.put<TaskJson>(`/api/v1/tasks/${t.id}`, { title: 'Stable', description: 'd', tags: ['a'], due_date: '2030-01-10T10:00', remind_before_minutes: 5, recurring: 'daily' });
    assert.deepEqual(put.body, t, 'PUT of the same fields');
    const changed = await ann.patch<TaskJson>(`/api/v1/tasks/${t.id}`, { description: 'e' });
    assert.equal(changed.body.version, 2);
  });

  test('priority', async () => {
    const t = await create({ title: 'Prio' });
    assert.equal(t.priority, 'medium');
    const high = await patch(t.id, 'priority', { priority: 'high' });
    assert.equal(high.priority, 'high');
    assert.equal(high.version, 2);
    const same = await patch(t.id, 'priority', { priority: 'high' });
    assert.deepEqual(same, high, 'no change, no new version');
    const low = await patch(t.id, 'priority', { priority: 'low', version: 2 });
    assert.equal(low.priority, 'low');
    assert.equal(low.version, 3);
    assert.equal(low.title, 'Prio');
    const stale = await ann.patch<ErrorJson>(`/api/v1/tasks/${t.id}/priority`, { priority: 'medium', version: 2 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'VERSION_CONFLICT');
    assert.deepEqual(await get(t.id), low);
  });

  test('tags: replace, add, remove, both, normalisation and de-dup', async () => {
    const t = await create({ title: 'Tagged', tags: ['start'] });
    const replaced = await patch(t.id, 'tags', { tags: ['Work', '#Home Office', 'work', '  Deep   Focus  '] });
    assert.deepEqual(replaced.tags, ['work', 'home-office', 'deep-focus']);
    assert.equal(replaced.version, 2);
    const added = await patch(t.id, 'tags', { add: ['#URGENT', 'Work', 'new one'] });
    assert.deepEqual(added.tags, ['work', 'home-office', 'deep-focus', 'urgent', 'new-one'], 'existing tags are not duplicated');
    const removed = await patch(t.id, 'tags', { remove: ['Home Office', '#deep-focus'] });
    assert.deepEqual(removed.tags, ['work', 'urgent', 'new-one'], 'removal is normalised too');
    const both = await patch(t.id, 'tags', { add: ['later'], remove: ['urgent'] });
    assert.deepEqual(both.tags, ['work', 'new-one', 'later']);
    const version = both.version;
    const noop = await patch(t.id, 'tags', { remove: ['not-there'] });
    assert.equal(noop.version, version, 'removing an absent tag changes nothing');
    const noop2 = await patch(t.id, 'tags', { add: ['WORK'] });
    assert.equal(noop2.version, version, 'adding a present tag changes nothing');
    const sameSet = await patch(t.id, 'tags', { tags: ['work', 'new-one', 'later'] });
    assert.equal(sameSet.version, version);
    const cleared = await patch(t.id, 'tags', { tags: [] });
    assert.deepEqual(cleared.tags, []);
    const mixed = await ann.patch<ErrorJson>(`/api/v1/tasks/${t.id}/tags`, { tags: ['a'], add: ['b'] });
    assert.equal(mixed.status, 400);
    assert.deepEqual(await get(t.id), cleared);
    // Tags show up in /api/v1/tags with counts.
    await patch(t.id, 'tags', { add: ['counted'] });
    const tags = await ann.get<{ tag: string; count: number }[]>('/api/v1/tags');
    assert.ok(tags.body.some((x) => x.tag === 'counted' && x.count === 1), JSON.stringify(tags.body));
  });

  test('due-date: set, change (offset reminder moves), clear', async () => {
    const t = await create({ title: 'Due' });
    const set = await patch(t.id, 'due-date', { due_date: '2030-03-10T09:00', remind_before_minutes: 60 });
    assert.equal(set.due_date, '2030-03-10T08:00:00.000Z'); // CET = UTC+1
    assert.equal(set.remind_before_minutes, 60);
    assert.equal(set.reminder_at, '2030-03-10T07:00:00.000Z');
    const moved = await patch(t.id, 'due-date', { due_date: '2030-07-12T10:30' });
    assert.equal(moved.due_date, '2030-07-12T08:30:00.000Z'); // CEST = UTC+2
    assert.equal(moved.remind_before_minutes, 60, 'the offset is kept');
    assert.equal(moved.reminder_at, '2030-07-12T07:30:00.000Z', 'and the reminder moves with the due date');
    const same = await patch(t.id, 'due-date', { due_date: '2030-07-12T10:30' });
    assert.deepEqual(same, moved, 'the same due date changes nothing');
    const instant = await patch(t.id, 'due-date', { due_date: '2030-07-12T12:00:00Z', remind_before_minutes: 15 });
    assert.equal(instant.due_date, '2030-07-12T12:00:00.000Z');
    assert.equal(instant.reminder_at, '2030-07-12T11:45:00.000Z');
    const dateOnly = await patch(t.id, 'due-date', { due_date: '2030-07-20' });
    assert.equal(dateOnly.due_date, '2030-07-20T21:59:59.000Z', 'a date alone is the end of that local day');
    assert.equal(dateOnly.reminder_at, '2030-07-20T21:44:59.000Z');
    const noOffset = await patch(t.id, 'due-date', { due_date: '2030-07-20', remind_before_minutes: null });
    assert.equal(noOffset.remind_before_minutes, null);
    assert.equal(noOffset.reminder_at, null);
    await patch(t.id, 'due-date', { due_date: '2030-07-20', remind_before_minutes: 30 });
    const cleared = await patch(t.id, 'due-date', { due_date: null });
    assert.equal(cleared.due_date, null);
    assert.equal(cleared.remind_before_minutes, null, 'clearing the due date clears the offset reminder');
    assert.equal(cleared.reminder_at, null);
    assert.equal(cleared.title, 'Due');
  });

  test('due-date with an absolute reminder', async () => {
    const t = await create({ title: 'Abs', due_date: '2030-05-01T12:00', reminder_at: '2030-04-30T18:00' });
    assert.equal(t.reminder_at, '2030-04-30T16:00:00.000Z');
    assert.equal(t.remind_before_minutes, null);
    const later = await patch(t.id, 'due-date', { due_date: '2030-05-03T12:00' });
    assert.equal(later.reminder_at, '2030-04-30T16:00:00.000Z', 'an absolute reminder stays put');
    const swap = await patch(t.id, 'due-date', { due_date: '2030-05-03T12:00', remind_before_minutes: 120 });
    assert.equal(swap.reminder_at, '2030-05-03T08:00:00.000Z');
    const explicit = await patch(t.id, 'due-date', { due_date: '2030-05-04T12:00', reminder_at: '2030-05-04T07:00' });
    assert.equal(explicit.remind_before_minutes, null);
    assert.equal(explicit.reminder_at, '2030-05-04T05:00:00.000Z');
    const early = await ann.patch<ErrorJson>(`/api/v1/tasks/${t.id}/due-date`, { due_date: '2030-05-04T06:00' });
    assert.equal(early.status, 422, 'moving the due date before an absolute reminder');
    assert.equal(early.body.error.code, 'REMINDER_AFTER_DUE');
    assert.deepEqual(await get(t.id), explicit);
    const cleared = await patch(t.id, 'due-date', { due_date: null });
    assert.equal(cleared.due_date, null);
    assert.equal(cleared.reminder_at, '2030-05-04T05:00:00.000Z', 'an absolute reminder does not need a due date');
  });

  test('a recurring task keeps its recurrence, re-anchored, when the due date changes', async () => {
    // 2030-03-04 is a Monday.
    const weekly = await create({ title: 'Standup', due_date: '2030-03-04T09:00', recurring: 'weekly', remind_before_minutes: 10 });
    assert.equal(weekly.recurring, 'weekly');
    assert.deepEqual(weekly.recurrence?.['by_weekday'], ['MO']);
    // Moved to Wednesday: the series now repeats on Wednesdays, at the new time.
    const moved = await patch(weekly.id, 'due-date', { due_date: '2030-03-06T10:00' });
    assert.equal(moved.due_date, '2030-03-06T09:00:00.000Z');
    assert.equal(moved.reminder_at, '2030-03-06T08:50:00.000Z');
    assert.equal(moved.recurring, 'weekly');
    assert.deepEqual(moved.recurrence, { ...weekly.recurrence, rrule: 'FREQ=WEEKLY;BYDAY=WE', by_weekday: ['WE'] });

    // Explicit weekdays are the user's choice and stay.
    const explicit = await create({ title: 'Gym', due_date: '2030-03-04T18:00', recurrence: { pattern: 'weekly', by_weekday: ['MO', 'TH'], count: 10 } });
    const explicitMoved = await patch(explicit.id, 'due-date', { due_date: '2030-03-07T18:00' });
    assert.deepEqual(explicitMoved.recurrence, explicit.recurrence);

    // Monthly follows the new day of month; PATCH /tasks/{id} re-anchors the same way.
    const monthly = await create({ title: 'Rent', due_date: '2030-01-15T09:00', recurrence: { pattern: 'monthly', interval: 1, from: 'completion' } });
    assert.equal(monthly.recurrence?.['rrule'], 'FREQ=MONTHLY;BYMONTHDAY=15');
    const monthlyMoved = await ann.patch<TaskJson>(`/api/v1/tasks/${monthly.id}`, { due_date: '2030-01-31T09:00' });
    assert.equal(monthlyMoved.status, 200);
    assert.equal(monthlyMoved.body.recurrence?.['rrule'], 'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1');
    assert.equal(monthlyMoved.body.recurrence?.['from'], 'completion');
    assert.equal(monthlyMoved.body.recurring, 'monthly');

    // A custom rule is kept as written.
    const custom = await create({ title: 'Custom', due_date: '2030-03-04T09:00', recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=1MO' } });
    assert.equal(custom.recurring, 'custom');
    const customMoved = await patch(custom.id, 'due-date', { due_date: '2030-04-01T09:00' });
    assert.equal(customMoved.recurrence?.['rrule'], 'FREQ=MONTHLY;BYDAY=1MO');

    // A recurring task cannot lose its due date; clearing the recurrence first works.
    const noDue = await ann.patch<ErrorJson>(`/api/v1/tasks/${weekly.id}/due-date`, { due_date: null });
    assert.equal(noDue.status, 422);
    assert.equal(noDue.body.error.code, 'RECURRENCE_NEEDS_DUE_DATE');
    assert.deepEqual(await get(weekly.id), moved);
    const plain = await ann.patch<TaskJson>(`/api/v1/tasks/${weekly.id}`, { recurring: null });
    assert.equal(plain.body.recurrence, null);
    assert.equal(plain.body.recurring, null);
    const cleared = await patch(weekly.id, 'due-date', { due_date: null });
    assert.equal(cleared.due_date, null);
    assert.equal(cleared.reminder_at, null);
  });
});

describe('POST /api/v1/tasks/recurring', () => {
  let ann: Client;
  before(async () => {
    ann = await signUp(ts.url, { timezone: 'Europe/Berlin' });
  });

  const recurring = async (body: Record<string, unknown>) => {
    const res = await ann.post<TaskJson>('/api/v1/tasks/recurring', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const got = await ann.get<TaskJson>(`/api/v1/tasks/${res.body.id}`);
    assert.deepEqual(got.body, res.body);
    return res.body;
  };

  test('weekly with interval, weekdays and until', async () => {
    const t = await recurring({
      title: 'Review',
      pattern: 'weekly',
      interval: 2,
      by_weekday: ['WE', 'MO'],
      due_date: '2030-03-04T09:00',
      until: '2030-06-30',
      priority: 'high',
      tags: ['Team'],
      remind_before_minutes: 15,
    });
    assert.equal(t.recurring, 'weekly');
    assert.deepEqual(t.recurrence, {
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20300630T215959Z',
      pattern: 'weekly',
      interval: 2,
      by_weekday: ['MO', 'WE'],
      from: 'due',
      until: '2030-06-30T21:59:59.000Z', // end of that day in Berlin (CEST)
      count: null,
      timezone: 'Europe/Berlin',
    });
    assert.equal(t.due_date, '2030-03-04T08:00:00.000Z');
    assert.equal(t.reminder_at, '2030-03-04T07:45:00.000Z');
    assert.equal(t.priority, 'high');
    assert.deepEqual(t.tags, ['team']);
    assert.equal(t.recurring_parent_id, null);
    assert.equal(t.completed, false);
  });

  test('daily with count and no due date starts at the end of today', async () => {
    const t = await recurring({ title: 'Water', pattern: 'daily', count: 5 });
    assert.equal(t.recurring, 'daily');
    assert.deepEqual(t.recurrence, {
      rrule: 'FREQ=DAILY;COUNT=5',
      pattern: 'daily',
      interval: 1,
      by_weekday: null,
      from: 'due',
      until: null,
      count: 5,
      timezone: 'Europe/Berlin',
    });
    assert.ok(t.due_date !== null);
    const due = Date.parse(t.due_date);
    assert.ok(due > Date.now() && due - Date.now() <= 24 * 3600_000 + 1000, t.due_date);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(due);
    assert.equal(local, '23:59:59');
  });

  test('monthly from completion and yearly', async () => {
    const m = await recurring({ title: 'Invoice', pattern: 'monthly', due_date: '2030-01-31T10:00', from: 'completion' });
    assert.deepEqual(m.recurrence, {
      rrule: 'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1',
      pattern: 'monthly',
      interval: 1,
      by_weekday: null,
      from: 'completion',
      until: null,
      count: null,
      timezone: 'Europe/Berlin',
    });
    const y = await recurring({ title: 'Birthday', pattern: 'yearly', interval: 1, due_date: '2030-05-17' });
    assert.equal(y.recurring, 'yearly');
    assert.equal(y.recurrence?.['rrule'], 'FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=17');
    assert.equal(y.due_date, '2030-05-17T21:59:59.000Z');
    const mw = await recurring({ title: 'Board', pattern: 'monthly', by_weekday: ['FR'], due_date: '2030-03-01T15:00' });
    assert.deepEqual(mw.recurrence?.['by_weekday'], ['FR']);
    assert.equal(mw.recurrence?.['rrule'], 'FREQ=MONTHLY;BYDAY=FR');
  });

  test('the recurring shorthand and the full recurrence object on POST /tasks agree', async () => {
    const a = await ann.post<TaskJson>('/api/v1/tasks', { title: 'A', due_date: '2030-03-04T09:00', recurring: 'weekly' });
    const b = await ann.post<TaskJson>('/api/v1/tasks', { title: 'B', due_date: '2030-03-04T09:00', recurrence: { pattern: 'weekly' } });
    const c = await recurring({ title: 'C', due_date: '2030-03-04T09:00', pattern: 'weekly' });
    assert.deepEqual(a.body.recurrence, b.body.recurrence);
    assert.deepEqual(a.body.recurrence, c.recurrence);
    assert.equal(a.body.recurring, 'weekly');
  });
});

describe('GET/PATCH /api/v1/me', () => {
  let ann: Client;
  before(async () => {
    ann = await signUp(ts.url, { name: 'Ann', timezone: 'Europe/Berlin' });
  });

  test('profile and time zone', async () => {
    const me = await ann.get<{ id: string; name: string; email: string; timezone: string }>('/api/v1/me');
    assert.equal(me.status, 200);
    assert.deepEqual(Object.keys(me.body).sort(), ['email', 'id', 'name', 'timezone']);
    assert.equal(me.body.id, ann.userId);
    assert.equal(me.body.name, 'Ann');
    assert.equal(me.body.timezone, 'Europe/Berlin');

    const changed = await ann.patch<typeof me.body>('/api/v1/me', { timezone: 'Asia/Tokyo' });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body, { ...me.body, timezone: 'Asia/Tokyo' });
    assert.deepEqual((await ann.get('/api/v1/me')).body, changed.body);

    // New input is read in the new zone right away (UTC+9).
    const t = await ann.post<TaskJson>('/api/v1/tasks', { title: 'Tokyo', due_date: '2030-01-15T09:00' });
    assert.equal(t.body.due_date, '2030-01-15T00:00:00.000Z');

    const renamed = await ann.patch<typeof me.body>('/api/v1/me', { name: '  Ann B.  ' });
    assert.equal(renamed.body.name, 'Ann B.');
    assert.equal(renamed.body.timezone, 'Asia/Tokyo');
    const nothing = await ann.patch<typeof me.body>('/api/v1/me', {});
    assert.equal(nothing.status, 200);
    assert.deepEqual(nothing.body, renamed.body);

    const bad = await ann.patch<ErrorJson>('/api/v1/me', { timezone: 'Europe/Atlantis' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'INVALID_TIMEZONE');
    assert.deepEqual((await ann.get('/api/v1/me')).body, renamed.body);
  });
});
