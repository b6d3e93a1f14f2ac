import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WindowRateLimiter } from '../src/rate-limit.ts';

test('allows max requests per window per key, then reports when to retry', async () => {
  let now = 1_000_000;
  const limiter = new WindowRateLimiter(() => now);
  const rule = { window: 60, max: 3 };
  for (let i = 0; i < 3; i++) assert.deepEqual(await limiter.consume('ip-a', rule), { allowed: true, retryAfter: null });
  now += 20_000;
  assert.deepEqual(await limiter.consume('ip-a', rule), { allowed: false, retryAfter: 40 });
  assert.equal((await limiter.consume('ip-b', rule)).allowed, true, 'keys are independent');
  now += 40_000;
  assert.equal((await limiter.consume('ip-a', rule)).allowed, true, 'a new window starts');
});

test('instances do not share counters', async () => {
  const a = new WindowRateLimiter();
  const b = new WindowRateLimiter();
  assert.equal((await a.consume('k', { window: 60, max: 1 })).allowed, true);
  assert.equal((await a.consume('k', { window: 60, max: 1 })).allowed, false);
  assert.equal((await b.consume('k', { window: 60, max: 1 })).allowed, true);
});
