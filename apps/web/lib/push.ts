// Browser reminders: notification permission, the service worker, and this browser's Web Push
// subscription. Reminders always arrive in the page over the websocket; Web Push only adds delivery
// while no Dueflow tab is open, so every push failure is reported and never breaks the page.
import { api, ApiError } from './api';
import type { Notification as ReminderNotification } from './types';

export type ReminderPermission = NotificationPermission | 'unsupported';

/** What happened to the Web Push part of enabling reminders. */
export type PushSetup =
  | { state: 'subscribed' }
  /** This browser or server has no Web Push (no PushManager, no VAPID key configured). */
  | { state: 'unavailable'; reason: string }
  /** The push service or the API refused or could not be reached. */
  | { state: 'failed'; reason: string };

export interface ReminderSetup {
  permission: 'granted' | 'denied' | 'unsupported';
  push: PushSetup | null;
}

const SUBSCRIBE_TIMEOUT_MS = 10_000;

export function reminderPermission(): ReminderPermission {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

/**
 * Asks for notification permission (only when it has not been decided), registers the service
 * worker and subscribes this browser to Web Push. Never throws.
 */
export async function enableReminderNotifications(): Promise<'granted' | 'denied' | 'unsupported'> {
  return (await enableReminderNotificationsDetailed()).permission;
}

/** Like `enableReminderNotifications`, and also says whether Web Push could be set up. */
export async function enableReminderNotificationsDetailed(): Promise<ReminderSetup> {
  if (reminderPermission() === 'unsupported') return { permission: 'unsupported', push: null };
  let permission: NotificationPermission;
  try {
    permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  } catch {
    return { permission: 'denied', push: null };
  }
  // A dismissed prompt stays 'default': for now that is a no.
  if (permission !== 'granted') return { permission: 'denied', push: null };
  return { permission: 'granted', push: await subscribeToPush() };
}

let registration: Promise<ServiceWorkerRegistration | null> | null = null;

/** Registers /sw.js once per page; null where service workers are unavailable or registration failed. */
export function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return Promise.resolve(null);
  registration ??= navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    registration = null; // let a later call try again
    return null;
  });
  return registration;
}

/** Subscribes this browser with the server's VAPID key and stores the subscription. Never throws. */
export async function subscribeToPush(): Promise<PushSetup> {
  const registered = await registerServiceWorker();
  if (!registered || !('pushManager' in registered)) return { state: 'unavailable', reason: 'This browser does not support Web Push.' };
  let key: Uint8Array<ArrayBuffer>;
  try {
    key = vapidKeyToBytes((await api.vapidKey()).public_key);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { state: 'unavailable', reason: 'Web Push is not configured on this server.' };
    return { state: 'failed', reason: reasonOf(err) };
  }
  try {
    // subscribe() needs an active worker; a first registration may still be installing.
    const ready = await withTimeout(navigator.serviceWorker.ready, SUBSCRIBE_TIMEOUT_MS);
    const subscription =
      (await ready.pushManager.getSubscription()) ??
      (await withTimeout(ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }), SUBSCRIBE_TIMEOUT_MS));
    await api.subscribePush(subscription.toJSON());
    return { state: 'subscribed' };
  } catch (err) {
    return { state: 'failed', reason: reasonOf(err) };
  }
}

/**
 * A system notification for a reminder that arrived over the websocket while the tab is hidden.
 * Same tag as the Web Push one (`reminder-<id>`), so the browser shows it once. Never throws.
 */
export async function showSystemReminder(n: ReminderNotification, dueText: string | null): Promise<boolean> {
  if (reminderPermission() !== 'granted') return false;
  const registered = await registerServiceWorker();
  if (!registered) return false;
  try {
    await registered.showNotification(n.title, {
      body: dueText ?? 'Reminder',
      tag: reminderTag(n.id),
      data: { url: taskUrl(n.task_id) },
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks the service worker to keep what this page loaded before the worker controlled it (the app's
 * files and the lists read), so the next visit works offline. Never throws.
 */
export async function keepForOffline(): Promise<void> {
  try {
    const ready = await withTimeout(navigator.serviceWorker.ready, SUBSCRIBE_TIMEOUT_MS);
    const urls = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((url) => {
        const u = new URL(url);
        return u.origin === location.origin && (u.pathname.startsWith('/_next/static/') || (u.pathname.startsWith('/api/v1/') && !u.pathname.endsWith('/ws')));
      });
    ready.active?.postMessage({ type: 'keep', urls: [location.pathname + location.search, ...new Set(urls)] });
  } catch {
    /* offline use simply starts with the next visit */
  }
}

/** On sign-out: the tasks kept for offline use are deleted from this browser. Never throws. */
export async function forgetOfflineData(): Promise<void> {
  try {
    const registered = await navigator.serviceWorker?.getRegistration();
    registered?.active?.postMessage({ type: 'signed-out' });
  } catch {
    /* nothing kept */
  }
}

export const reminderTag = (notificationId: number): string => `reminder-${notificationId}`;
export const taskUrl = (taskId: number): string => `/?task=${taskId}`;

/**
 * The VAPID public key (base64url, as servers publish it) as the bytes PushManager wants. Throws on
 * anything that is not an uncompressed P-256 point (65 bytes starting with 0x04).
 */
export function vapidKeyToBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const bytes = base64UrlToBytes(base64url);
  if (bytes.length !== 65 || bytes[0] !== 0x04) throw new Error('The VAPID public key is not a P-256 public key.');
  return bytes;
}

export function base64UrlToBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const trimmed = base64url.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(trimmed) || trimmed.length % 4 === 1) throw new Error('Not base64url.');
  const base64 = trimmed.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (trimmed.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The push service did not answer.')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function reasonOf(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return 'The push service could not be reached.';
}
