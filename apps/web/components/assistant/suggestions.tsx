'use client';
// Shown while the conversation is empty: a few things to say; a click sends one.
import { SUGGESTIONS } from '../../lib/assistant';
import styles from './assistant.module.css';

export function Suggestions({ disabled, onPick }: { disabled: boolean; onPick(text: string): void }) {
  return (
    <div className={styles.empty}>
      <p>Add, find, complete or reschedule tasks by saying so. Tasks I create show up in your list right away.</p>
      <div className={styles.suggestions} role="group" aria-label="Suggestions">
        {SUGGESTIONS.map((text) => (
          <button key={text} type="button" className={styles.suggestion} disabled={disabled} onClick={() => onPick(text)}>
            {text}
          </button>
        ))}
      </div>
    </div>
  );
}
