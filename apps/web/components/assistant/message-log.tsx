'use client';
// The conversation as a polite live log (answers are read out as they arrive), with "Thinking…"
// while an answer is on its way. It scrolls, keeping the newest message in view.
import { useEffect, useRef } from 'react';
import type { ChatEntry, ChatPhase } from '../../lib/assistant';
import { type EntryButtons, MessageEntry } from './message-entry';
import styles from './assistant.module.css';

interface MessageLogProps {
  entries: ChatEntry[];
  phase: ChatPhase;
  /** The panel is shown (a hidden log forgets its scroll position). */
  visible: boolean;
  buttons: EntryButtons;
}

export function MessageLog({ entries, phase, visible, buttons }: MessageLogProps) {
  const logRef = useRef<HTMLDivElement>(null);
  const waiting = phase === 'waiting';

  // Scrolls the log itself, never the page behind the panel.
  useEffect(() => {
    const log = logRef.current;
    if (log && visible) log.scrollTop = log.scrollHeight;
  }, [entries.length, waiting, visible]);

  return (
    // Focusable, so keyboard users can scroll back through a long conversation.
    <div ref={logRef} className={styles.log} role="log" aria-live="polite" aria-label="Conversation" aria-busy={phase === 'restoring' || undefined} tabIndex={0}>
      {phase === 'restoring' ? <p className={styles.status}>Loading the conversation…</p> : null}
      {entries.map((entry) => (
        <MessageEntry key={entry.key} entry={entry} buttons={buttons} />
      ))}
      {waiting ? <p className={`${styles.status} ${styles.thinking}`}>Thinking…</p> : null}
    </div>
  );
}
