'use client';
// The always-there "New task" box: Enter adds the task with that title; the row appears at once.
import { forwardRef, useState } from 'react';
import styles from './tasks.module.css';

interface QuickAddProps {
  onAdd(title: string): void;
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
        onAdd(trimmed.slice(0, 200));
        setTitle('');
      }}
    >
      <input
        ref={ref}
        className="input"
        type="text"
        aria-label="New task"
        placeholder="Add a task and press Enter"
        maxLength={200}
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
