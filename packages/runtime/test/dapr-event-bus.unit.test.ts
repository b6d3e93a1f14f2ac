import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeCloudEvent } from '@dueflow/core';
import { createLogger, DaprEventBus, PermanentEventError, Sidecar } from '../src/index.ts';

const bus = () => new DaprEventBus(new Sidecar({ httpPort: 1 }), { pubsub: 'pubsub', broadcast: 'pubsub-broadcast' }, createLogger({ level: 'silent' }));
const event = makeCloudEvent('task.changed', 'test', { event_id: '6f1c1c9e-8d7f-4b8e-9a6f-0c1d2e3f4a5b', timestamp: '2026-01-01T00:00:00.000Z', user_id: 'u', task_id: 1, change: 'created' as const, task: null });

test('one programmatic subscription per topic and pub/sub, with its dead-letter topic', () => {
  const b = bus();
  b.subscribe({ consumer: 'audit', topic: 'task-events', handle: async () => {} });
  b.subscribe({ consumer: 'recurring', topic: 'task-events', handle: async () => {} });
  b.subscribe({ consumer: 'realtime', topic: 'task-updates', broadcast: true, handle: async () => {} });
  b.subscribe({ consumer: 'dead-letters', topic: 'task-events-dlq', handle: async () => {} });
  assert.deepEqual(b.manifest(), [
    { pubsubname: 'pubsub', topic: 'task-events', route: '/dapr/events/pubsub/task-events', deadLetterTopic: 'task-events-dlq' },
    { pubsubname: 'pubsub-broadcast', topic: 'task-updates', route: '/dapr/events/pubsub-broadcast/task-updates', deadLetterTopic: 'task-updates-dlq' },
    { pubsubname: 'pubsub', topic: 'task-events-dlq', route: '/dapr/events/pubsub/task-events-dlq' },
  ]);
});

test('deliveries map to SUCCESS, RETRY and DROP', async () => {
  const b = bus();
  const seen: string[] = [];
  let mode: 'ok' | 'fail' | 'poison' = 'ok';
  b.subscribe({ consumer: 'a', topic: 'task-updates', handle: async (e) => void seen.push(`a:${e.id}`) });
  b.subscribe({
    consumer: 'b',
    topic: 'task-updates',
    handle: async () => {
      if (mode === 'fail') throw new Error('database down');
      if (mode === 'poison') throw new PermanentEventError('malformed');
    },
  });
  const route = '/dapr/events/pubsub/task-updates';
  assert.equal(await b.deliver(route, event), 'SUCCESS');
  mode = 'fail';
  assert.equal(await b.deliver(route, event), 'RETRY');
  mode = 'poison';
  assert.equal(await b.deliver(route, event), 'DROP');
  assert.equal(await b.deliver(route, { not: 'a cloud event' }), 'DROP');
  assert.equal(await b.deliver('/dapr/events/pubsub/nowhere', event), 'DROP');
  assert.equal(seen.length, 3, 'every local consumer ran on each valid delivery');
});
