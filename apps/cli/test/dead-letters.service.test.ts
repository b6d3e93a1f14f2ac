// Dead letters are replayed automatically (a consumer that was down gets its events once it is
// back) a bounded number of times; after that they wait for an operator's replay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CloudEvent, Topics } from '@dueflow/core';
import { eventsRepo } from '@dueflow/db';
import { FakeClock } from '@dueflow/runtime/testing';
import { eventually, signUp, startSystem, type TestSystem } from './harness.ts';

interface TaskEventData {
  task_id: number;
}

describe('dead-letter replay (embedded)', () => {
  // Replays are scheduled in time; the test moves the clock instead of waiting for it.
  const clock = new FakeClock('2026-02-04T15:00:00.000Z');
  let sys: TestSystem & Awaited<ReturnType<typeof startSystem>>;
  // A consumer that fails while `down`, and remembers what it handled.
  let down = true;
  const handled: string[] = [];
  const failures = new Map<string, number>();

  before(async () => {
    sys = await startSystem({ DEAD_LETTER_REPLAY_SECONDS: '1', DEAD_LETTER_MAX_REPLAYS: '2' }, { clock });
    sys.system.bus.subscribe({
      consumer: 'flaky',
      topic: Topics.taskEvents,
      async handle(event: CloudEvent) {
        if (down) {
          failures.set(event.id, (failures.get(event.id) ?? 0) + 1);
          throw new Error('flaky is down');
        }
        handled.push(event.id);
      },
    });
  });
  after(() => sys.stop());

  test('an event a consumer failed on is replayed once it recovers; the others see it once', async () => {
    const user = await signUp(sys.url);
    const task = (await user.post<{ id: number }>('/api/v1/tasks', { title: 'replay me' })).body;
    const dead = await eventually(async () => {
      const rows = await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky');
      return rows.find((r) => (r.event as CloudEvent<TaskEventData>).data.task_id === task.id);
    });
    assert.equal(dead.replays, 0);
    assert.equal(dead.replayAt?.getTime(), clock.now().getTime() + 1000, 'scheduled for an automatic replay a second later');
    down = false;

    clock.advance(999);
    assert.equal(await sys.system.replayer?.replayDue(), 0, 'not replayed early');
    clock.advance(1);
    await eventually(async () => (handled.includes(dead.eventId) ? true : undefined));
    const [row] = (await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky')).filter((r) => r.eventId === dead.eventId);
    assert.equal(row?.replays, 1);
    assert.equal(row?.replayAt, null, 'not scheduled again after a replay that worked');
    // Audit saw the replayed event too and kept it once.
    const activity = (await user.get<{ items: { event_id: string }[] }>(`/api/v1/activity?task_id=${task.id}`)).body.items;
    assert.equal(activity.filter((a) => a.event_id === dead.eventId).length, 1);
    assert.equal(handled.filter((id) => id === dead.eventId).length, 1);
  });

  test('a letter that cannot be replayed (its id is not a UUID) is held and does not block the valid ones in its batch', async () => {
    down = false;
    const user = await signUp(sys.url);
    const task = (await user.post<{ id: number }>('/api/v1/tasks', { title: 'valid letter' })).body;
    await sys.system.relay.drain();
    const [row] = await sys.system.database.query<{ event: CloudEvent }>(
      `SELECT event FROM outbox WHERE event->>'type' = 'task.created' AND (event->'data'->>'task_id')::bigint = $1`,
      [task.id],
    );
    const valid = row!.event;
    const foreign = { specversion: '1.0', id: `foreign-${Date.now()}`, source: 'elsewhere', type: 'task.created', data: {} };
    const db = sys.system.database.db;
    const past = new Date(clock.now().getTime() - 60_000);
    const policy = { firstDelayMs: 0, maxReplays: 2 };
    // The foreign one first: it is claimed ahead of the valid one in the same batch.
    await eventsRepo.recordDeadLetter(db, { consumer: 'flaky', topic: Topics.taskEvents, eventId: foreign.id, event: foreign, error: 'dropped', attempts: 0 }, past, policy);
    await eventsRepo.recordDeadLetter(db, { consumer: 'flaky', topic: Topics.taskEvents, eventId: valid.id, event: valid, error: 'boom', attempts: 4 }, past, policy);
    handled.length = 0;

    assert.equal(await sys.system.replayer?.replayDue(), 1, 'the valid letter goes, the foreign one is held');
    await eventually(async () => (handled.includes(valid.id) ? true : undefined), 10_000, 50);
    const letters = await eventsRepo.listDeadLetters(db, 'flaky');
    const held = letters.find((l) => l.eventId === foreign.id);
    assert.equal(held?.replayAt, null, 'out of the automatic schedule');
    assert.match(held?.error ?? '', /not replayable: event id .* is not a UUID/);
    assert.equal(letters.find((l) => l.eventId === valid.id)?.replays, 1);
    const outbox = await sys.system.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE event_id::text = $1`, [valid.id]);
    assert.equal(outbox[0]?.n, 1);
  });

  test('a poison event is replayed at most DEAD_LETTER_MAX_REPLAYS times, then waits for an operator', async () => {
    down = true;
    const user = await signUp(sys.url);
    const task = (await user.post<{ id: number }>('/api/v1/tasks', { title: 'poison' })).body;
    const eventId = await eventually(async () => {
      const rows = await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky');
      return rows.find((r) => (r.event as CloudEvent<TaskEventData>).data.task_id === task.id)?.eventId;
    });
    const row = async () => (await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky')).find((r) => r.eventId === eventId);
    // Replays after 1 s and then 4 s more; each fails (4 attempts each), then nothing more is scheduled.
    clock.advance(1000);
    const first = await eventually(async () => {
      const r = await row();
      return r && r.replays === 1 && r.attempts === 8 ? r : undefined;
    });
    assert.equal(first.replayAt?.getTime(), clock.now().getTime() + 4000, 'the next replay waits four times longer');
    clock.advance(4000);
    const settled = await eventually(async () => {
      const r = await row();
      return r && r.replays === 2 && r.attempts === 12 ? r : undefined;
    });
    assert.equal(settled.replayAt, null, 'no third replay scheduled');
    assert.equal(failures.get(eventId), 12, 'three rounds of four delivery attempts');
    clock.advance(3_600_000);
    assert.equal(await sys.system.replayer?.replayDue(), 0);
    await sys.system.relay.drain();
    assert.equal(failures.get(eventId), 12, 'no replay beyond the limit');

    // The operator fixes the consumer and replays it by id.
    down = false;
    assert.deepEqual((await sys.system.replayer?.replayIds([settled.id]))?.replayed, [settled.id]);
    await eventually(async () => (handled.includes(eventId) ? true : undefined), 5000, 50);
    const replayed = (await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky')).find((r) => r.eventId === eventId);
    assert.equal(replayed?.replays, 3);
  });
});
