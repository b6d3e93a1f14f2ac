import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROLES, ConfigError, parseEnv } from '../src/config.ts';

test('defaults: embedded, every available role, port 3000 on loopback, ./data', () => {
  const env = parseEnv({});
  assert.equal(env.DUEFLOW_MODE, 'embedded');
  assert.deepEqual(env.SERVICES, [...ROLES]);
  assert.equal(env.PORT, 3000);
  assert.equal(env.HOST, '127.0.0.1');
  assert.equal(env.DATA_DIR, './data');
  assert.equal(env.DATABASE_URL, undefined);
});

test('SERVICES selects roles; an unknown role fails start-up with its name', () => {
  assert.deepEqual(parseEnv({ SERVICES: 'audit, recurring,audit' }).SERVICES, ['audit', 'recurring']);
  assert.throws(() => parseEnv({ SERVICES: 'api,mailer' }), (e: unknown) => e instanceof ConfigError && /unknown role "mailer"/.test(e.message));
  assert.throws(() => parseEnv({ SERVICES: '' }), ConfigError);
});

test('invalid values are reported together, by name', () => {
  assert.throws(
    () => parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' }),
    (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /DATABASE_URL/.test(e.message) && /LOG_LEVEL/.test(e.message),
  );
  assert.throws(() => parseEnv({ BETTER_AUTH_SECRET: 'short' }), /at least 32/);
  assert.throws(() => parseEnv({ VAPID_PUBLIC_KEY: 'x'.repeat(30) }), /both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY/);
  assert.throws(() => parseEnv({ DUEFLOW_MODE: 'kubernetes' }), /DUEFLOW_MODE/);
  assert.throws(() => parseEnv({ DUEFLOW_MODE: 'dapr', APP_API_TOKEN: 'short' }), /APP_API_TOKEN/);
});
