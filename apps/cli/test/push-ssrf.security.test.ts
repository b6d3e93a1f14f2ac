// Web Push endpoints are URLs users hand the server, which connects to them later. None may lead to
// this machine, the local network or cloud metadata: refused when subscribing and again when sending.
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { notificationsRepo } from '@dueflow/db';
import { createLogger, generateVapidKeys } from '@dueflow/runtime';
import { isPublicAddress, PushEndpointPolicy, WebPushSender } from '@dueflow/services';
import { type Client, type ErrorJson, signUp, startSystem } from './harness.ts';

const keys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
};

/** A TCP listener on loopback that counts every connection made to it (a would-be victim service). */
async function victim(): Promise<{ server: Server; port: number; connections: () => number }> {
  let n = 0;
  const server = createServer((socket) => {
    n++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, connections: () => n };
}

describe('push endpoints cannot reach private addresses (SSRF)', () => {
  let ts: Awaited<ReturnType<typeof startSystem>>;
  let ann: Client;
  let target: Awaited<ReturnType<typeof victim>>;
  // A name whose address changes between subscribing and sending (DNS rebinding).
  let rebindAnswers: string[] = [];
  const resolve = async (host: string) => {
    if (host === 'rebind.dueflow.test') {
      const address = rebindAnswers.shift() ?? '127.0.0.1';
      return [{ address, family: 4 }];
    }
    if (host === 'push.example.com') return [{ address: '93.184.215.14', family: 4 }];
    if (host === 'mixed.dueflow.test') return [{ address: '93.184.215.14', family: 4 }, { address: '10.1.2.3', family: 4 }];
    throw new Error(`ENOTFOUND ${host}`);
  };

  before(async () => {
    target = await victim();
    ts = await startSystem({}, { pushNetwork: { resolve } });
    ann = await signUp(ts.url);
  });
  after(async () => {
    target.server.close();
    await ts.stop();
  });

  test('subscribing to a loopback, private, link-local, unique-local or metadata address is refused', async () => {
    const p = target.port;
    const refused = [
      `https://127.0.0.1:${p}/push`,
      `https://localhost:${p}/push`,
      `https://[::1]:${p}/push`,
      `https://[::ffff:127.0.0.1]:${p}/push`,
      `https://2130706433:${p}/push`, // 127.0.0.1 written as one number
      `https://0.0.0.0:${p}/push`,
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://10.0.0.1:6379/',
      'https://192.168.1.1/',
      'https://172.16.0.1/',
      'https://100.100.100.200/',
      'https://[fd00:ec2::254]/',
      'https://[fe80::1]/',
      'https://[64:ff9b::7f00:1]/',
      'https://mixed.dueflow.test/push', // one public and one private address
      'https://no-such-host.dueflow.test/push',
    ];
    for (const endpoint of refused) {
      const res = await ann.post<ErrorJson>('/api/v1/push-subscriptions', { endpoint, keys: keys() });
      assert.equal(res.status, 422, endpoint);
      assert.match(res.body.error.code, /^PUSH_ENDPOINT_(REFUSED|UNRESOLVABLE)$/, endpoint);
    }
    const plain = await ann.post<ErrorJson>('/api/v1/push-subscriptions', { endpoint: 'http://push.example.com/x', keys: keys() });
    assert.equal(plain.status, 400, 'https only');
    assert.equal((await notificationsRepo.pushSubscriptionsOf(ts.system.database.db, ann.userId)).length, 0, 'nothing stored');
    assert.equal(target.connections(), 0, 'no connection was made');

    const ok = await ann.post('/api/v1/push-subscriptions', { endpoint: 'https://push.example.com/send/abc', keys: keys() });
    assert.equal(ok.status, 201, 'a public push service is accepted');
    assert.equal((await ann.request('DELETE', '/api/v1/push-subscriptions', { endpoint: 'https://push.example.com/send/abc' })).status, 204);
  });

  test('at send time a stored endpoint that leads to loopback is not contacted', async () => {
    // Stored before these checks existed, or written by hand: the sender checks again.
    const db = ts.system.database.db;
    await notificationsRepo.savePushSubscription(db, ann.userId, { endpoint: `https://127.0.0.1:${target.port}/push`, ...keys() });
    const sender = new WebPushSender(ts.system.database, { subject: 'mailto:test@example.com', ...generateVapidKeys() }, new PushEndpointPolicy({ allowedHosts: null, resolve }), createLogger({ level: 'silent' }));
    const delivered = await sender.sendToUser(ann.userId, { title: 't', body: 'b', task_id: 1, notification_id: 1, due_at: null, url: '/' });
    assert.equal(delivered, 0);
    assert.equal(target.connections(), 0, 'the loopback listener saw no connection');
    await notificationsRepo.forgetPushEndpoint(db, `https://127.0.0.1:${target.port}/push`);
  });

  test('a name that resolved to a public address when subscribing and to loopback when sending is not contacted', async () => {
    rebindAnswers = ['93.184.215.14'];
    const endpoint = `https://rebind.dueflow.test:${target.port}/push`;
    assert.equal((await ann.post('/api/v1/push-subscriptions', { endpoint, keys: keys() })).status, 201);
    rebindAnswers = ['127.0.0.1'];
    const sender = new WebPushSender(ts.system.database, { subject: 'mailto:test@example.com', ...generateVapidKeys() }, new PushEndpointPolicy({ allowedHosts: null, resolve }), createLogger({ level: 'silent' }));
    assert.equal(await sender.sendToUser(ann.userId, { title: 't', body: 'b', task_id: 1, notification_id: 1, due_at: null, url: '/' }), 0);
    assert.equal(target.connections(), 0, 'no connection after the rebind');
    assert.equal((await ann.request('DELETE', '/api/v1/push-subscriptions', { endpoint })).status, 204);
  });

  test('PUSH_SERVICE_HOSTS limits endpoints to the listed push services', async () => {
    const only = await startSystem({ PUSH_SERVICE_HOSTS: 'fcm.googleapis.com,*.push.services.mozilla.com' }, { pushNetwork: { resolve: async () => [{ address: '93.184.215.14', family: 4 }] } });
    try {
      const cat = await signUp(only.url);
      for (const [endpoint, status] of [
        ['https://fcm.googleapis.com/fcm/send/x', 201],
        ['https://updates.push.services.mozilla.com/wpush/v2/x', 201],
        ['https://push.example.com/x', 422],
        ['https://evilpush.services.mozilla.com.example.org/x', 422],
      ] as const) {
        const res = await cat.post<ErrorJson>('/api/v1/push-subscriptions', { endpoint, keys: keys() });
        assert.equal(res.status, status, endpoint);
        if (status === 422) assert.equal(res.body.error.code, 'PUSH_ENDPOINT_NOT_ALLOWED');
      }
    } finally {
      await only.stop();
    }
  });

  test('an endpoint registered by one user cannot be taken over by another', async () => {
    const bob = await signUp(ts.url);
    const endpoint = 'https://push.example.com/send/anns-browser';
    const annKeys = keys();
    assert.equal((await ann.post('/api/v1/push-subscriptions', { endpoint, keys: annKeys })).status, 201);
    const takeover = await bob.post<ErrorJson>('/api/v1/push-subscriptions', { endpoint, keys: keys() });
    assert.equal(takeover.status, 409);
    assert.equal(takeover.body.error.code, 'PUSH_ENDPOINT_IN_USE');
    const annSubs = await notificationsRepo.pushSubscriptionsOf(ts.system.database.db, ann.userId);
    assert.deepEqual(annSubs.find((s) => s.endpoint === endpoint), { endpoint, ...annKeys }, 'still Ann\'s, with her keys');
    assert.equal((await notificationsRepo.pushSubscriptionsOf(ts.system.database.db, bob.userId)).length, 0);
    // Bob cannot remove it either.
    assert.equal((await bob.request('DELETE', '/api/v1/push-subscriptions', { endpoint })).status, 404);
    // Ann re-registering (new keys) still works.
    assert.equal((await ann.post('/api/v1/push-subscriptions', { endpoint, keys: keys() })).status, 201);
  });

  test('address classification', () => {
    for (const ip of ['8.8.8.8', '93.184.215.14', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e']) assert.equal(isPublicAddress(ip), true, ip);
    for (const ip of [
      '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255',
      '224.0.0.1', '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::127.0.0.1', '64:ff9b::a00:1', '2002:7f00:1::', 'fd00:ec2::254',
      'fc00::1', 'fe80::1%eth0', 'ff02::1', '2001:db8::1', '2001::1', 'not-an-ip',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });
});
