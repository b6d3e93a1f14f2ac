'use client';
// The header's bell: unread count in its name and badge; opens the notification centre.
import { useState } from 'react';
import { NotificationsDialog } from './notifications-dialog';
import { useNotifications } from './use-notifications';
import styles from './notifications.module.css';

export function NotificationBell() {
  const notifications = useNotifications();
  const [open, setOpen] = useState(false);
  const { unread } = notifications;
  return (
    <>
      <button
        type="button"
        className={`button icon ${styles.bell}`}
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <BellIcon />
        {unread > 0 ? (
          <span className={styles.badge} aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      <NotificationsDialog open={open} onClose={() => setOpen(false)} notifications={notifications} />
    </>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
