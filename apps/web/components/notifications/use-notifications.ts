'use client';
// The notification centre's state: delivered reminders, the unread count, live arrivals.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../lib/api';
import { showSystemReminder } from '../../lib/push';
import type { Notification } from '../../lib/types';
import { useLive, useMe } from '../app-context';
import { useToast } from '../toast';
import { formatAbsolute } from '../../lib/format';
import { openTask } from './open-task';

export type NotificationsState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: Notification[]; unread: number };

export interface NotificationsApi {
  state: NotificationsState;
  unread: number;
  reload(): void;
  markRead(id: number): void;
  markAllRead(): void;
}

export function useNotifications(): NotificationsApi {
  const me = useMe();
  const toast = useToast();
  const [state, setState] = useState<NotificationsState>({ status: 'loading' });
  const request = useRef(0);

  const load = useCallback((quiet: boolean) => {
    const id = ++request.current;
    if (!quiet) setState({ status: 'loading' });
    api.notifications().then(
      (r) => id === request.current && setState({ status: 'ready', items: r.notifications, unread: r.unread }),
      (err: unknown) => {
        if (id !== request.current) return;
        setState((s) => (quiet && s.status === 'ready' ? s : { status: 'error', message: err instanceof Error ? err.message : 'Could not load reminders.' }));
      },
    );
  }, []);

  useEffect(() => {
    load(false);
    return () => {
      request.current++;
    };
  }, [load]);

  useLive((event) => {
    if (event.type === 'resync') load(true);
    if (event.type !== 'notification.created') return;
    const n = event.notification;
    setState((s) => {
      if (s.status !== 'ready') return s;
      if (s.items.some((x) => x.id === n.id)) return s;
      return { status: 'ready', items: [n, ...s.items], unread: s.unread + (n.read ? 0 : 1) };
    });
    toast.show(`Reminder: ${n.title}`, { action: { label: 'Open', onClick: () => openTask(n.task_id) } });
    if (document.visibilityState === 'hidden') {
      void showSystemReminder(n, n.due_at ? `Due ${formatAbsolute(n.due_at, me.timezone)}` : null);
    }
  });

  const setRead = useCallback(
    (ids: number[]) => {
      if (ids.length === 0) return;
      const wanted = new Set(ids);
      const flip = (read: boolean) =>
        setState((s) => {
          if (s.status !== 'ready') return s;
          let delta = 0;
          const items = s.items.map((x) => {
            if (!wanted.has(x.id) || x.read === read) return x;
            delta += read ? -1 : 1;
            return { ...x, read };
          });
          return { status: 'ready', items, unread: Math.max(0, s.unread + delta) };
        });
      flip(true); // at once; put back if the server says no
      Promise.all(ids.map((id) => api.markNotificationRead(id))).catch((err: unknown) => {
        load(true); // some may have gone through: ask the server what is read now
        toast.show(`Could not mark as read. ${err instanceof Error ? err.message : ''}`.trim(), { tone: 'error' });
      });
    },
    [toast, load],
  );

  const markRead = useCallback((id: number) => setRead([id]), [setRead]);
  const markAllRead = useCallback(() => {
    if (state.status === 'ready') setRead(state.items.filter((x) => !x.read).map((x) => x.id));
  }, [state, setRead]);

  return { state, unread: state.status === 'ready' ? state.unread : 0, reload: () => load(false), markRead, markAllRead };
}
