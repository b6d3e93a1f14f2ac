import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { makeCloudEvent } from '@dueflow/core';
import { RealtimeHub } from '../src/realtime/hub.ts';

class FakeConnection {
  readonly readyState = 1;
  readonly got: Array<{ id: string; type: string }> = [];
  send(text: string) {
    this.got.push(JSON.parse(text) as { id: string; type: string });
  }
  close() {}
}

const changed = (userId: string, eventId = randomUUID()) =>
  makeCloudEvent('task.changed', 'test', { event_id: eventId, timestamp: new Date().toISOString(), user_id: userId, task_id: 1, change: 'updated', task: null });

describe('realtime hub', () => {
  test('an event delivered twice reaches each connection once; other events and other connections are unaffected', async () => {
    const hub = new RealtimeHub();
    const handle = hub.subscription().handle;
    const [tab, phone, stranger] = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    hub.add('ann', tab);
    hub.add('ann', phone);
    hub.add('bob', stranger);
    const event = changed('ann');
    await handle(event);
    await handle(event);
    await handle({ ...event });
    const other = changed('ann');
    await handle(other);
    for (const c of [tab, phone]) assert.deepEqual(c.got.map((m) => m.id), [event.id, other.id]);
    assert.deepEqual(stranger.got, []);

    // A connection opened after the first delivery has not seen the event: a redelivery reaches it.
    const late = new FakeConnection();
    hub.add('ann', late);
    await handle(event);
    assert.deepEqual(late.got.map((m) => m.id), [event.id]);
    assert.equal(tab.got.length, 2);
  });

  test('memory per connection is bounded: the oldest ids are forgotten first', async () => {
    const hub = new RealtimeHub();
    const handle = hub.subscription().handle;
    const tab = new FakeConnection();
    hub.add('ann', tab);
    const first = changed('ann');
    await handle(first);
    for (let i = 0; i < 2000; i++) await handle(changed('ann'));
    const recent = changed('ann');
    await handle(recent);
    await handle(recent);
    await handle(first);
    assert.equal(tab.got.filter((m) => m.id === recent.id).length, 1);
    assert.equal(tab.got.filter((m) => m.id === first.id).length, 2, 'long forgotten');
  });
});
