'use client';
// The header's "Assistant" button: opens and closes the assistant panel (shortcut: c).
import type { AssistantPanelControl } from './use-assistant-panel';
import styles from './assistant.module.css';

export function AssistantButton({ panel }: { panel: AssistantPanelControl }) {
  return (
    <button
      ref={panel.buttonRef}
      type="button"
      className={`button ${styles.headerButton}`}
      aria-expanded={panel.open}
      aria-controls={panel.panelId}
      aria-keyshortcuts="c"
      onClick={panel.toggle}
    >
      <ChatIcon />
      {/* The name stays "Assistant" when the word is hidden on a phone. */}
      <span className={styles.headerButtonLabel}>Assistant</span>
    </button>
  );
}

function ChatIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z" />
      <path d="M8.5 12h.01M12 12h.01M15.5 12h.01" />
    </svg>
  );
}
