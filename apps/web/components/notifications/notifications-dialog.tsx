'use client';
// The notification centre: delivered reminders, newest first, with "Mark as read" and a way to
// turn on browser notifications.
import { useEffect, useState } from 'react';
import { enableReminderNotificationsDetailed, type ReminderPermission, reminderPermission, taskUrl } from '../../lib/push';
import { useMe } from '../app-context';
import { Dialog } from '../ui/dialog';
import { formatAbsolute, formatRelative } from '../../lib/format';
import { openTask } from './open-task';
import type { NotificationsApi } from './use-notifications';
import styles from './notifications.module.css';

export function NotificationsDialog({ open, onClose, notifications }: { open: boolean; onClose: () => void; notifications: NotificationsApi }) {
  const me = useMe();
  const { state, markRead, markAllRead, reload } = notifications;
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    if (open) setNow(new Date());
  }, [open]);

  return (
    <Dialog open={open} onClose={onClose} title="Notifications">
      <BrowserNotifications />
      {state.status === 'loading' ? (
        <div aria-busy="true" className={styles.loading}>
          <span className="visually-hidden">Loading reminders…</span>
          <div className={`skeleton ${styles.skeletonRow}`} />
          <div className={`skeleton ${styles.skeletonRow}`} />
        </div>
      ) : state.status === 'error' ? (
        <div role="alert">
          <p>Could not load reminders. {state.message}</p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      ) : state.items.length === 0 ? (
        <div className={styles.empty}>
          <p className={styles.emptyTitle}>No reminders yet</p>
          <p className={styles.muted}>Give a task a due date and a reminder, and it shows up here when it fires.</p>
        </div>
      ) : (
        <>
          {state.unread > 1 ? (
            <div className={styles.toolbar}>
              <button type="button" className="button link" onClick={markAllRead}>
                Mark all as read
              </button>
            </div>
          ) : null}
          <ul className={styles.list} aria-label="Reminders">
            {state.items.map((n) => (
              <li key={n.id} className={`${styles.item} ${n.read ? '' : styles.unread}`}>
                <div className={styles.itemText}>
                  <p className={styles.itemTitle}>
                    {n.read ? null : <span className={styles.unreadLabel}>Unread</span>}{n.read ? null : ' '}
                    <a
                      href={taskUrl(n.task_id)}
                      className={styles.itemLink}
                      onClick={(e) => {
                        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // new tab: the browser's job
                        e.preventDefault();
                        if (!n.read) markRead(n.id);
                        onClose();
                        openTask(n.task_id);
                      }}
                    >
                      {n.title}
                    </a>
                  </p>
                  <p className={styles.muted}>
                    {n.due_at ? (
                      <>
                        Due <time dateTime={n.due_at}>{formatAbsolute(n.due_at, me.timezone)}</time>
                        {' · '}
                      </>
                    ) : null}
                    Reminded{' '}
                    <time dateTime={n.delivered_at} title={formatAbsolute(n.delivered_at, me.timezone)}>
                      {formatRelative(n.delivered_at, now, me.timezone)}
                    </time>
                  </p>
                </div>
                {n.read ? null : (
                  <button type="button" className="button" onClick={() => markRead(n.id)}>
                    Mark as read
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}

/** Offers browser notifications while the permission is undecided; says so when blocked. */
function BrowserNotifications() {
  const [permission, setPermission] = useState<ReminderPermission>('unsupported');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => setPermission(reminderPermission()), []);

  if (permission === 'default') {
    return (
      <div className={styles.enable}>
        <p className={styles.muted}>Get reminders as system notifications, even when this tab is in the background.</p>
        <button
          type="button"
          className="button primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            enableReminderNotificationsDetailed()
              .then((result) => {
                setPermission(reminderPermission());
                if (result.permission !== 'granted') setNote('Browser notifications stay off. Reminders still appear here.');
                else if (result.push?.state === 'subscribed') setNote('Browser notifications are on.');
                else setNote(`Browser notifications are on while Dueflow is open. Reminders with Dueflow closed are unavailable: ${result.push?.reason ?? 'no Web Push.'}`);
              })
              .catch(() => setNote('Could not turn on browser notifications.'))
              .finally(() => setBusy(false));
          }}
        >
          Enable browser notifications
        </button>
      </div>
    );
  }
  if (note) {
    return (
      <p className={styles.note} role="status">
        {note}
      </p>
    );
  }
  if (permission === 'denied') {
    return <p className={styles.note}>Browser notifications are blocked for this site. Reminders still appear here and as messages in the page.</p>;
  }
  return null;
}
