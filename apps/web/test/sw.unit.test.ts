import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

// public/sw.js runs as-is in a fake service worker scope: the listeners it registers are called
// with the events a browser would send.
type Listener = (event: Record<string, unknown>) => void;

function loadWorker(windows: { url: string; focused: string[] }[] = []) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: { body: string; tag: string; data: { url: string } } }[] = [];
  const opened: string[] = [];
  const self = {
    location: { origin: 'https://dueflow.test' },
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    skipWaiting: () => undefined,
    registration: {
      showNotification: (title: string, options: (typeof shown)[number]['options']) => {
        shown.push({ title, options });
        return Promise.resolve();
      },
    },
    clients: {
      claim: () => Promise.resolve(),
      matchAll: () =>
        Promise.resolve(
          windows.map((w) => ({
            url: w.url,
            focus() {
              w.focused.push('focus');
              return Promise.resolve(this);
            },
            navigate(url: string) {
              w.focused.push(url);
              return Promise.resolve(this);
            },
          })),
        ),
      openWindow: (url: string) => {
        opened.push(url);
        return Promise.resolve(null);
      },
    },
  };
  new Function('self', readFileSync(new URL('../public/sw.js', import.meta.url), 'utf8'))(self);
  const dispatch = async (type: string, event: Record<string, unknown>) => {
    let pending: Promise<unknown> = Promise.resolve();
    listeners.get(type)?.({ ...event, waitUntil: (p: Promise<unknown>) => (pending = p) });
    await pending;
  };
  return { dispatch, shown, opened };
}

const pushEvent = (payload: unknown) => ({ data: { json: () => payload, text: () => JSON.stringify(payload) } });

describe('service worker', () => {
  test('a Web Push reminder becomes a notification tagged like the page one', async () => {
    const sw = loadWorker();
    // The notification service's payload (packages/services/src/notification/push.ts).
    await sw.dispatch('push', pushEvent({ title: 'Pay rent', body: 'Due 2026-03-01T09:00:00.000Z', task_id: 12, notification_id: 34, url: '/tasks/12' }));
    assert.equal(sw.shown.length, 1);
    const [n] = sw.shown;
    assert.equal(n?.title, 'Pay rent');
    assert.equal(n?.options.tag, 'reminder-34');
    assert.deepEqual(n?.options.data, { url: '/?task=12' });
    assert.match(n?.options.body ?? '', /^Due /);
    assert.doesNotMatch(n?.options.body ?? '', /T09:00:00/); // ISO made readable
  });

  test('a payload that is not JSON still shows something', async () => {
    const sw = loadWorker();
    await sw.dispatch('push', {
      data: {
        json: () => {
          throw new SyntaxError('bad');
        },
        text: () => 'hello',
      },
    });
    assert.equal(sw.shown[0]?.title, 'Dueflow reminder');
    assert.equal(sw.shown[0]?.options.body, 'hello');
  });

  test('a click focuses an open Dueflow tab and shows the task there', async () => {
    const tab = { url: 'https://dueflow.test/?status=pending', focused: [] as string[] };
    const other = { url: 'https://elsewhere.test/', focused: [] as string[] };
    const sw = loadWorker([other, tab]);
    await sw.dispatch('notificationclick', { notification: { data: { url: '/?task=12' }, close: () => undefined } });
    assert.deepEqual(tab.focused, ['focus', 'https://dueflow.test/?task=12']);
    assert.deepEqual(other.focused, []);
    assert.deepEqual(sw.opened, []);
  });

  test('a click with no Dueflow tab open opens one', async () => {
    const sw = loadWorker([]);
    await sw.dispatch('notificationclick', { notification: { data: { url: '/?task=5' }, close: () => undefined } });
    assert.deepEqual(sw.opened, ['https://dueflow.test/?task=5']);
  });
});
