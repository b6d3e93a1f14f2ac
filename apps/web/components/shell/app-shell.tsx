'use client';
// The signed-in frame: skip link, header (brand, assistant, notifications, account), main, the
// assistant panel, a discreet "Reconnecting…" when the live connection drops, the "?" shortcuts
// dialog, the service worker.
import Link from 'next/link';
import { type ReactNode, useEffect, useState } from 'react';
import { keepForOffline, registerServiceWorker, reminderPermission, subscribeToPush } from '../../lib/push';
import { useLiveStatus } from '../app-context';
import { AssistantButton } from '../assistant/assistant-button';
import { AssistantPanel } from '../assistant/assistant-panel';
import { useAssistantPanel } from '../assistant/use-assistant-panel';
import { NotificationBell } from '../notifications/notification-bell';
import { AccountMenu } from './account-menu';
import { isTypingContext, ShortcutsDialog } from './shortcuts-dialog';
import styles from './shell.module.css';

/** A blip shorter than this is not worth announcing. */
const RECONNECT_NOTICE_DELAY_MS = 1500;
const PUSH_RENEW_DELAY_MS = 3000;

export function AppShell({ children }: { children: ReactNode }) {
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const assistant = useAssistantPanel();
  // While the assistant covers the page (narrow screens), what is behind it is out of reach.
  const behindAssistant = assistant.coversPage || undefined;

  useEffect(() => {
    // Resolves to null on failure; reminders still arrive in the page. Once it runs, the worker keeps
    // what this page loaded before it took control, so the app and its lists open offline.
    void registerServiceWorker().then((registration) => registration && keepForOffline());
    // With permission already given, renew this browser's push subscription (push services rotate
    // them), once the page has settled. Failures come back as a value and change nothing here.
    if (reminderPermission() !== 'granted') return;
    const timer = setTimeout(() => void subscribeToPush(), PUSH_RENEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '?' || e.defaultPrevented || e.repeat || isTypingContext(e)) return;
      // Another dialog has the user's attention.
      if (document.querySelector('dialog[open], [role="dialog"][aria-modal="true"]')) return;
      e.preventDefault();
      setShortcutsOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className={styles.shell} data-assistant={assistant.open ? 'open' : undefined}>
      <a
        className="skip-link"
        href="#task-list"
        inert={behindAssistant}
        onClick={(e) => {
          // Focus the list itself (the address bar keeps its view and task, without a #fragment).
          const list = document.getElementById('task-list');
          if (!list) return;
          e.preventDefault();
          list.focus();
        }}
      >
        Skip to tasks
      </a>
      <header className={styles.header} inert={behindAssistant}>
        <Link className={styles.brand} href="/">
          <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="var(--bg)" strokeWidth="3.2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Dueflow</span>
        </Link>
        <LiveStatusNotice />
        <div className={styles.actions}>
          <AssistantButton panel={assistant} />
          <button type="button" className="button icon" aria-label="Keyboard shortcuts" aria-haspopup="dialog" onClick={() => setShortcutsOpen(true)}>
            <span aria-hidden="true">?</span>
          </button>
          <NotificationBell />
          <AccountMenu />
        </div>
      </header>
      <main id="main" tabIndex={-1} className={styles.main} inert={behindAssistant}>
        {children}
      </main>
      <AssistantPanel panel={assistant} />
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}

function LiveStatusNotice() {
  const status = useLiveStatus();
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (status !== 'reconnecting') {
      setShow(false);
      return;
    }
    const timer = setTimeout(() => setShow(true), RECONNECT_NOTICE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [status]);
  // The live region stays in the page so the change is announced.
  return (
    <p className={styles.liveStatus} role="status">
      {show ? (
        <>
          <span className={styles.liveDot} aria-hidden="true" />
          Reconnecting…
        </>
      ) : null}
    </p>
  );
}
