'use client';
// The message box: Enter sends, Shift+Enter starts a new line; Send is off while an answer is pending.
import { type RefObject, useId, useState } from 'react';
import { MESSAGE_MAX_LENGTH, prepareMessage, sendsOnEnter } from '../../lib/assistant';
import styles from './assistant.module.css';

interface ComposerProps {
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** False while the conversation loads or an answer is on its way. */
  ready: boolean;
  /** Returns false when the message did not go out (the draft then stays). */
  onSend(text: string): boolean;
}

export function Composer({ inputRef, ready, onSend }: ComposerProps) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const sendable = ready && prepareMessage(draft) !== null;

  const submit = () => {
    if (sendable && onSend(draft)) setDraft('');
  };

  return (
    <form
      className={styles.composer}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-message`} className="visually-hidden">
        Message the assistant
      </label>
      <textarea
        ref={inputRef}
        id={`${id}-message`}
        className={`textarea ${styles.input}`}
        rows={2}
        maxLength={MESSAGE_MAX_LENGTH}
        placeholder="Ask or tell me something…"
        aria-describedby={`${id}-hint`}
        enterKeyHint="send"
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (!sendsOnEnter(e.nativeEvent)) return;
          e.preventDefault();
          submit();
        }}
      />
      <div className={styles.composerBar}>
        <span id={`${id}-hint`} className={styles.hint}>
          Enter to send, Shift+Enter for a new line
        </span>
        <button type="submit" className="button primary" disabled={!sendable}>
          Send
        </button>
      </div>
    </form>
  );
}
