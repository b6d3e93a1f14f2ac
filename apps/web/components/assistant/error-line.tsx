'use client';
// What went wrong with the last request, and a way to try it again.
import type { ChatError } from '../../lib/assistant';
import styles from './assistant.module.css';

export function ErrorLine({ error, onRetry }: { error: ChatError; onRetry(): void }) {
  const what = error.kind === 'send' ? 'Could not send your message.' : 'Could not load the conversation.';
  return (
    <div className={styles.error} role="alert">
      <span>
        {what} {error.message}
      </span>
      <button type="button" className="button link" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
