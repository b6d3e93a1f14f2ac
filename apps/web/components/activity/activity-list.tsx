'use client';
// The task's history in words ("Created", "Priority changed to high"), newest first, kept current live.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../lib/api';
import type { ActivityItem } from '../../lib/types';
import { useLive, useMe } from '../app-context';
import { formatAbsolute, formatRelative } from '../../lib/format';
import { describeActivity } from './describe';
import styles from './activity.module.css';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: ActivityItem[] };

/** The audit service records an event a moment after the live update announces it. */
const REFRESH_DELAYS_MS = [400, 1500];

export function ActivityList({ taskId }: { taskId: number }) {
  const me = useMe();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [now, setNow] = useState(() => new Date());
  const request = useRef(0);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  const load = useCallback(
    (quiet: boolean) => {
      const id = ++request.current;
      if (!quiet) setState({ status: 'loading' });
      api.activity(taskId).then(
        (page) => {
          if (id !== request.current) return;
          setNow(new Date());
          setState({ status: 'ready', items: page.items });
        },
        (err: unknown) => {
          if (id !== request.current) return;
          // A failed background refresh keeps what is on screen.
          if (!quiet) setState({ status: 'error', message: err instanceof Error ? err.message : 'Could not load the activity.' });
        },
      );
    },
    [taskId],
  );

  useEffect(() => {
    load(false);
    return () => {
      request.current++;
      for (const t of timers.current) clearTimeout(t);
      timers.current = [];
    };
  }, [load]);

  // Relative times ("2 minutes ago") move on while the panel stays open.
  useEffect(() => {
    const tick = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(tick);
  }, []);

  useLive((event) => {
    if (event.type === 'resync' || (event.type === 'task.changed' && event.task_id === taskId)) {
      for (const t of timers.current) clearTimeout(t);
      timers.current = REFRESH_DELAYS_MS.map((ms) => setTimeout(() => load(true), ms));
    }
  });

  const lines = useMemo(
    () => (state.status === 'ready' ? describeActivity(state.items, (iso) => formatAbsolute(iso, me.timezone)) : []),
    [state, me.timezone],
  );

  if (state.status === 'loading') {
    return (
      <div className={styles.loading} aria-busy="true">
        <span className="visually-hidden">Loading activity…</span>
        <div className={`skeleton ${styles.skeletonLine}`} />
        <div className={`skeleton ${styles.skeletonLine}`} />
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className={styles.error} role="alert">
        <p>Could not load the activity. {state.message}</p>
        <button type="button" className="button" onClick={() => load(false)}>
          Try again
        </button>
      </div>
    );
  }
  if (lines.length === 0) return <p className={styles.empty}>No activity yet.</p>;
  return (
    <ol className={styles.list} aria-label="Activity">
      {lines.map((line) => (
        <li key={line.eventId} className={styles.item}>
          <span className={styles.text}>{line.text}</span>{' '}
          <time className={styles.time} dateTime={line.at} title={formatAbsolute(line.at, me.timezone)}>
            {formatRelative(line.at, now, me.timezone)}
          </time>
        </li>
      ))}
    </ol>
  );
}
