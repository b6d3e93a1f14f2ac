import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger, every, InProcessScheduler, type Job } from '../src/index.ts';
import { FakeClock } from '../src/testing/fake-clock.ts';

const logger = createLogger({ level: 'silent' });
const T0 = '2026-02-04T15:00:00.000Z';
const flush = () => new Promise((r) => setImmediate(r));

describe('fake clock', () => {
  test('advance runs due timers in order, each at its own instant, and no others', () => {
    const clock = new FakeClock(T0);
    const seen: string[] = [];
    clock.setTimer(300, () => seen.push(`b@${clock.now().toISOString()}`));
    clock.setTimer(100, () => seen.push(`a@${clock.now().toISOString()}`));
    const cancelled = clock.setTimer(200, () => seen.push('cancelled'));
    clock.setTimer(1000, () => seen.push('later'));
    cancelled.cancel();
    clock.advance(300);
    assert.deepEqual(seen, ['a@2026-02-04T15:00:00.100Z', 'b@2026-02-04T15:00:00.300Z']);
    assert.equal(clock.now().toISOString(), '2026-02-04T15:00:00.300Z');
    assert.equal(clock.pendingTimers(), 1);
  });

  test('a timer set while advancing runs in the same advance when it falls due within it', () => {
    const clock = new FakeClock(T0);
    const seen: number[] = [];
    clock.setTimer(10, () => {
      seen.push(clock.now().getTime());
      clock.setTimer(10, () => seen.push(clock.now().getTime()));
    });
    clock.advance(25);
    assert.deepEqual(seen.map((t) => t - Date.parse(T0)), [10, 20]);
  });
});

describe('every', () => {
  test('ticks on the clock; a tick during a slow run asks for one more run, never an overlapping one', async () => {
    const clock = new FakeClock(T0);
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: () => void = () => {};
    const timer = every(clock, 1000, async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((r) => (release = r));
      running--;
    });
    clock.advance(999);
    assert.equal(runs, 0);
    clock.advance(1);
    assert.equal(runs, 1);
    clock.advance(5000); // five ticks while the first run is still going
    assert.equal(runs, 1);
    release();
    await flush();
    assert.equal(runs, 2, 'one follow-up run for the ticks that came meanwhile');
    release();
    await flush();
    assert.equal(runs, 2);
    assert.equal(maxRunning, 1);
    timer.cancel();
    clock.advance(10_000);
    assert.equal(runs, 2, 'nothing after cancel');
  });
});

describe('in-process scheduler', () => {
  test('fires a job at its time on the clock, not before; rescheduling replaces; cancel stops it', async () => {
    const clock = new FakeClock(T0);
    const scheduler = new InProcessScheduler(logger, clock);
    const fired: Array<{ name: string; at: string }> = [];
    scheduler.onFire(async (job: Job) => void fired.push({ name: job.name, at: clock.now().toISOString() }));
    await scheduler.schedule({ name: 'a', at: new Date(Date.parse(T0) + 5000), data: null });
    await scheduler.schedule({ name: 'b', at: new Date(Date.parse(T0) + 2000), data: null });
    await scheduler.schedule({ name: 'b', at: new Date(Date.parse(T0) + 3000), data: null });
    await scheduler.schedule({ name: 'c', at: new Date(Date.parse(T0) + 1000), data: null });
    await scheduler.cancel('c');
    assert.equal(scheduler.pendingAt('b')?.toISOString(), '2026-02-04T15:00:03.000Z');
    clock.advance(2999);
    await flush();
    assert.deepEqual(fired, []);
    clock.advance(10_000);
    await flush();
    assert.deepEqual(fired, [
      { name: 'b', at: '2026-02-04T15:00:03.000Z' },
      { name: 'a', at: '2026-02-04T15:00:05.000Z' },
    ]);
    assert.deepEqual(scheduler.pending(), []);
    await scheduler.close();
  });

  test('a job in the past fires at once; a failed job is retried after the retry delay, a bounded number of times', async () => {
    const clock = new FakeClock(T0);
    const scheduler = new InProcessScheduler(logger, clock, 5000, 3);
    const attempts: string[] = [];
    scheduler.onFire(async () => {
      attempts.push(clock.now().toISOString());
      throw new Error('down');
    });
    await scheduler.schedule({ name: 'late', at: new Date(Date.parse(T0) - 60_000), data: null });
    clock.advance(0);
    await flush();
    clock.advance(4999);
    await flush();
    assert.equal(attempts.length, 1);
    clock.advance(1);
    await flush();
    clock.advance(60_000);
    await flush();
    assert.deepEqual(attempts, ['2026-02-04T15:00:00.000Z', '2026-02-04T15:00:05.000Z', '2026-02-04T15:00:10.000Z'], 'three attempts, five seconds apart');
    await scheduler.close();
  });
});
