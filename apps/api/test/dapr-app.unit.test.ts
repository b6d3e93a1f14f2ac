import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, DaprEventBus, Sidecar } from '@dueflow/runtime';
import Fastify from 'fastify';
import { registerDaprRoutes } from '../src/dapr-app.ts';

test('sidecar callbacks need the app token, however the path is spelled', async () => {
  const bus = new DaprEventBus(new Sidecar({ httpPort: 1 }), { pubsub: 'pubsub', broadcast: 'pubsub-broadcast' }, createLogger({ level: 'silent' }));
  const delivered: string[] = [];
  bus.subscribe({ consumer: 'c', topic: 'task-updates', handle: async (e) => void delivered.push(e.id) });
  let swept = 0;
  const app = Fastify();
  registerDaprRoutes(app, {
    bus,
    scheduler: null,
    bindings: { 'reminder-sweep': async () => void swept++ },
    tasks: null,
    appApiToken: 'a-long-enough-app-token',
  });
  await app.ready();
  const event = { specversion: '1.0', id: 'e1', source: 's', type: 'task.changed', data: {} };
  for (const url of ['/dapr/events/pubsub/task-updates', '/%64apr/events/pubsub/task-updates', '/dapr/events/pubsub/task%2Dupdates']) {
    const res = await app.inject({ method: 'POST', url, payload: event, headers: { 'content-type': 'application/cloudevents+json' } });
    assert.equal(res.statusCode, 401, url);
  }
  for (const url of ['/reminder-sweep', '/reminder%2Dsweep']) {
    assert.equal((await app.inject({ method: 'POST', url })).statusCode, 401, url);
  }
  assert.equal((await app.inject({ method: 'GET', url: '/dapr/subscribe' })).statusCode, 401);
  assert.deepEqual(delivered, []);
  assert.equal(swept, 0);

  const headers = { 'dapr-api-token': 'a-long-enough-app-token' };
  const ok = await app.inject({ method: 'POST', url: '/dapr/events/pubsub/task-updates', payload: event, headers: { ...headers, 'content-type': 'application/cloudevents+json' } });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { status: 'SUCCESS' });
  assert.equal((await app.inject({ method: 'OPTIONS', url: '/reminder-sweep', headers })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/reminder-sweep', headers })).statusCode, 200);
  assert.equal(swept, 1);
  assert.deepEqual(delivered, ['e1']);
  await app.close();
});
