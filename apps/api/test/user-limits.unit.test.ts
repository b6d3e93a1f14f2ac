import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '@dueflow/core';
import { UserLimits } from '../src/user-limits.ts';

const refused = (err: unknown) => err instanceof DomainError && err.kind === 'rate_limited' && err.code === 'RATE_LIMITED';

test('requests beyond the slots wait in the user\'s queue and run in arrival order; beyond the queue they are refused', async () => {
  const limits = new UserLimits({ requestsPerMinute: 0, concurrent: 2, queued: 2 });
  const order: string[] = [];
  const r1 = await limits.admit('ann');
  const r2 = await limits.admit('ann');
  const w3 = limits.admit('ann').then((release) => (order.push('3'), release));
  const w4 = limits.admit('ann').then((release) => (order.push('4'), release));
  await assert.rejects(limits.admit('ann'), refused);
  assert.deepEqual(limits.load('ann'), { running: 2, waiting: 2 });
  // Another user has slots of their own.
  const b1 = await limits.admit('bob');
  assert.deepEqual(limits.load('bob'), { running: 1, waiting: 0 });
  r2();
  const r3 = await w3;
  r1();
  const r4 = await w4;
  assert.deepEqual(order, ['3', '4']);
  r3();
  r3(); // a second release changes nothing
  r4();
  b1();
  assert.deepEqual(limits.load('ann'), { running: 0, waiting: 0 });
  assert.deepEqual(limits.load('bob'), { running: 0, waiting: 0 });
});

test('the request rate is counted per user in one-minute windows, with the seconds to wait', async () => {
  let now = 5_000_000;
  const limits = new UserLimits({ requestsPerMinute: 2, concurrent: 10, queued: 0, now: () => now });
  (await limits.admit('ann'))();
  (await limits.admit('ann'))();
  now += 15_000;
  const err = await limits.admit('ann').then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(refused(err));
  assert.deepEqual((err as DomainError).details, { retry_after: 45 });
  (await limits.admit('bob'))();
  now += 45_000;
  (await limits.admit('ann'))();
});
