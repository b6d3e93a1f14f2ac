import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseEnv, ROLES } from '../src/config.ts';
import { assertEmbeddedRoles, EVENT_ROLES } from '../src/modes/index.ts';
import { createSystem } from '../src/system.ts';

test('embedded mode needs every event role in the process; the web UI is optional', () => {
  assert.doesNotThrow(() => assertEmbeddedRoles(ROLES));
  assert.doesNotThrow(() => assertEmbeddedRoles(EVENT_ROLES));
  for (const missing of EVENT_ROLES) {
    assert.throws(
      () => assertEmbeddedRoles(ROLES.filter((r) => r !== missing)),
      (e: unknown) => e instanceof ConfigError && e.message.includes(`lacks ${missing}`),
      missing,
    );
  }
  assert.throws(() => assertEmbeddedRoles(['web']), /lacks api, recurring, notification, audit, realtime/);
});

test('createSystem refuses a partial embedded process before opening anything', async () => {
  await assert.rejects(
    createSystem({ env: parseEnv({ SERVICES: 'api,audit', DATA_DIR: '/nonexistent/never-created' }), ephemeralSecrets: true }),
    (e: unknown) => e instanceof ConfigError && /DUEFLOW_MODE=dapr/.test(e.message),
  );
});
