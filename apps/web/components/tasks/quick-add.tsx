'use client';
// The always-there "New task" box: Enter adds the task; the server reads "tomorrow 5pm", "#tag", "!high",
// "every monday" and "remind me 1 hour before" out of the text. The row appears at once.
import { forwardRef, useState } from 'react';
import styles from './tasks.module.css';

interface QuickAddProps {
  onAdd(text: string): void;
}

export const QuickAdd = forwardRef<HTMLInputElement, QuickAddProps>(function QuickAdd({ onAdd }, ref) {
  const [title, setTitle] = useState('');
  return (
    <form
      className={styles.quickAdd}
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = title.trim();
        if (!trimmed) return;
        onAdd(trimmed);
        setTitle('');
      }}
    >
      <input
        ref={ref}
        className="input"
        type="text"
        aria-label="New task"
        placeholder="Add a task, e.g. Pay rent friday 9am #home !high"
        maxLength={1000}
        autoComplete="off"
        enterKeyHint="done"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
      />
      <button type="submit" className="button primary" disabled={!title.trim()}>
        Add
      </button>
    </form>
  );
});
