// Dead letters are replayed automatically (a consumer that was down gets its events once it is
// back) a bounded number of times; after that they wait for an operator's replay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CloudEvent, Topics } from '@dueflow/core';
import { eventsRepo } from '@dueflow/db';
import { eventually, signUp, startSystem, type TestSystem } from './harness.ts';

interface TaskEventData {
  task_id: number;
}

describe('dead-letter replay (embedded)', () => {
  let sys: TestSystem & Awaited<ReturnType<typeof startSystem>>;
  // A consumer that fails while `down`, and remembers what it handled.
  let down = true;
  const handled: string[] = [];
  const failures = new Map<string, number>();

  before(async () => {
    sys = await startSystem({ DEAD_LETTER_REPLAY_SECONDS: '1', DEAD_LETTER_MAX_REPLAYS: '2' });
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
    assert.ok(dead.replayAt, 'scheduled for an automatic replay');
    down = false;

    await eventually(async () => (handled.includes(dead.eventId) ? true : undefined), 10_000, 50);
    const [row] = (await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky')).filter((r) => r.eventId === dead.eventId);
    assert.equal(row?.replays, 1);
    assert.equal(row?.replayAt, null, 'not scheduled again after a replay that worked');
    // Audit saw the replayed event too and kept it once.
    const activity = (await user.get<{ items: { event_id: string }[] }>(`/api/v1/activity?task_id=${task.id}`)).body.items;
    assert.equal(activity.filter((a) => a.event_id === dead.eventId).length, 1);
    assert.equal(handled.filter((id) => id === dead.eventId).length, 1);
  });

  test('a poison event is replayed at most DEAD_LETTER_MAX_REPLAYS times, then waits for an operator', async () => {
    down = true;
    const user = await signUp(sys.url);
    const task = (await user.post<{ id: number }>('/api/v1/tasks', { title: 'poison' })).body;
    const eventId = await eventually(async () => {
      const rows = await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky');
      return rows.find((r) => (r.event as CloudEvent<TaskEventData>).data.task_id === task.id)?.eventId;
    });
    // Replays after 1 s and 4 s; each fails (4 attempts each), then nothing more is scheduled.
    const settled = await eventually(
      async () => {
        const row = (await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky')).find((r) => r.eventId === eventId);
        // Settled: the second replay was taken and its failure recorded.
        return row && row.replays === 2 && row.attempts === 12 ? row : undefined;
      },
      15_000,
      100,
    );
    assert.equal(settled.replayAt, null, 'no third replay scheduled');
    assert.equal(failures.get(eventId), 12, 'three rounds of four delivery attempts');
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(failures.get(eventId), 12, 'no replay beyond the limit');

    // The operator fixes the consumer and replays it by id.
    down = false;
    assert.equal(await sys.system.replayer?.replayIds([settled.id]), 1);
    await eventually(async () => (handled.includes(eventId) ? true : undefined), 5000, 50);
    const row = (await eventsRepo.listDeadLetters(sys.system.database.db, 'flaky')).find((r) => r.eventId === eventId);
    assert.equal(row?.replays, 3);
  });
});
