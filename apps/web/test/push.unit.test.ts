import assert from 'node:assert/strict';
import { createECDH } from 'node:crypto';
import { describe, test } from 'node:test';
import { base64UrlToBytes, enableReminderNotifications, reminderPermission, reminderTag, subscribeToPush, taskUrl, vapidKeyToBytes } from '../lib/push.ts';

function realVapidPublicKey(): { text: string; bytes: Buffer } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const bytes = ecdh.getPublicKey();
  return { text: bytes.toString('base64url'), bytes };
}

describe('VAPID key decoding', () => {
  test('a real P-256 public key decodes to its 65 bytes', () => {
    const key = realVapidPublicKey();
    const decoded = vapidKeyToBytes(key.text);
    assert.equal(decoded.length, 65);
    assert.equal(decoded[0], 0x04);
    assert.deepEqual(Buffer.from(decoded), key.bytes);
  });

  test('base64url alphabet and missing padding', () => {
    // 0xfb 0xff 0xbf is "+/+/" in base64, "-_-_" in base64url.
    assert.deepEqual([...base64UrlToBytes('-_-_')], [0xfb, 0xff, 0xbf]);
    assert.deepEqual([...base64UrlToBytes('aGk')], [0x68, 0x69]); // "hi", unpadded
    assert.deepEqual([...base64UrlToBytes('aGk=')], [0x68, 0x69]); // padded is fine too
    assert.deepEqual([...base64UrlToBytes('')], []);
  });

  test('rejects text that is not base64url or not a P-256 key', () => {
    assert.throws(() => base64UrlToBytes('ab$c'));
    assert.throws(() => base64UrlToBytes('abcde')); // 5 chars cannot be base64
    assert.throws(() => vapidKeyToBytes('aGk'), /not a P-256 public key/);
    const compressed = Buffer.concat([Buffer.from([0x02]), Buffer.alloc(64, 1)]).toString('base64url');
    assert.throws(() => vapidKeyToBytes(compressed), /not a P-256 public key/);
  });
});

describe('reminder permission and push set-up', () => {
  test('without the Notification API it says unsupported instead of throwing', async () => {
    assert.equal(reminderPermission(), 'unsupported');
    assert.equal(await enableReminderNotifications(), 'unsupported');
  });

  test('tag and link shared by Web Push and the page', () => {
    assert.equal(reminderTag(42), 'reminder-42');
    assert.equal(taskUrl(7), '/?task=7');
  });

  test('a push service that refuses is reported, not thrown, and nothing is stored', async () => {
    const key = realVapidPublicKey();
    const posted: string[] = [];
    const registration = {
      pushManager: {
        getSubscription: () => Promise.resolve(null),
        subscribe: () => Promise.reject(new Error('Registration failed - push service error')),
      },
    };
    const restoreNavigator = stubGlobal('navigator', { serviceWorker: { register: () => Promise.resolve(registration), ready: Promise.resolve(registration) } });
    const restoreFetch = stubGlobal('fetch', (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') posted.push(url);
      return Promise.resolve(new Response(JSON.stringify({ public_key: key.text }), { status: 200, headers: { 'content-type': 'application/json' } }));
    });
    try {
      const result = await subscribeToPush();
      assert.deepEqual(result, { state: 'failed', reason: 'Registration failed - push service error' });
      assert.deepEqual(posted, []);
    } finally {
      restoreFetch();
      restoreNavigator();
    }
  });

  test('the subscription is posted when the push service accepts', async () => {
    const key = realVapidPublicKey();
    let subscribedWith: Uint8Array | null = null;
    const bodies: unknown[] = [];
    const json = { endpoint: 'https://push.example/abc', expirationTime: null, keys: { p256dh: 'p'.repeat(20), auth: 'a'.repeat(10) } };
    const registration = {
      pushManager: {
        getSubscription: () => Promise.resolve(null),
        subscribe: (opts: { applicationServerKey: Uint8Array }) => {
          subscribedWith = opts.applicationServerKey;
          return Promise.resolve({ toJSON: () => json });
        },
      },
    };
    const restoreNavigator = stubGlobal('navigator', { serviceWorker: { register: () => Promise.resolve(registration), ready: Promise.resolve(registration) } });
    const restoreFetch = stubGlobal('fetch', (_url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        bodies.push(JSON.parse(String(init.body)));
        return Promise.resolve(new Response(JSON.stringify({ endpoint: json.endpoint }), { status: 201 }));
      }
      return Promise.resolve(new Response(JSON.stringify({ public_key: key.text }), { status: 200 }));
    });
    try {
      assert.deepEqual(await subscribeToPush(), { state: 'subscribed' });
      assert.ok(subscribedWith);
      assert.deepEqual(Buffer.from(subscribedWith), key.bytes);
      assert.deepEqual(bodies, [json]);
    } finally {
      restoreFetch();
      restoreNavigator();
    }
  });

  test('a server without VAPID keys makes push unavailable, not an error', async () => {
    const registration = { pushManager: { getSubscription: () => Promise.resolve(null), subscribe: () => Promise.reject(new Error('not reached')) } };
    const restoreNavigator = stubGlobal('navigator', { serviceWorker: { register: () => Promise.resolve(registration), ready: Promise.resolve(registration) } });
    const restoreFetch = stubGlobal('fetch', () =>
      Promise.resolve(new Response(JSON.stringify({ error: { code: 'PUSH_DISABLED', message: 'Web Push is not configured' } }), { status: 404 })),
    );
    try {
      const result = await subscribeToPush();
      assert.equal(result.state, 'unavailable');
    } finally {
      restoreFetch();
      restoreNavigator();
    }
  });
});

function stubGlobal(name: string, value: unknown): () => void {
  const previous = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  return () => {
    if (previous) Object.defineProperty(globalThis, name, previous);
    else delete (globalThis as Record<string, unknown>)[name];
  };
}
