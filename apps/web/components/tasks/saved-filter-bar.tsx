'use client';
// In All tasks: save the current search, filters and sort under a name (it then shows in the
// navigation), or rename or delete the saved filter on screen.
import { useId, useState } from 'react';
import type { SavedFilterLink } from './nav';
import styles from './planner.module.css';

interface SavedFilterBarProps {
  /** The saved filter the list on screen is, if any. */
  active: SavedFilterLink | null;
  /** Something narrows or orders the list, so there is something to save. */
  canSave: boolean;
  onSave(name: string): Promise<boolean>;
  onRename(name: string): Promise<boolean>;
  onDelete(): void;
}

export function SavedFilterBar({ active, canSave, onSave, onRename, onDelete }: SavedFilterBarProps) {
  const id = useId();
  const [editing, setEditing] = useState<'save' | 'rename' | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  if (!active && !canSave) return null;

  if (editing) {
    return (
      <form
        className={styles.filterForm}
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          if (!trimmed || busy) return;
          setBusy(true);
          void (editing === 'save' ? onSave(trimmed) : onRename(trimmed)).then((ok) => {
            setBusy(false);
            if (ok) setEditing(null);
          });
        }}
      >
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Filter name
        </label>
        <input id={`${id}-name`} className="input" type="text" maxLength={60} placeholder="Filter name" autoFocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <button type="submit" className="button primary" disabled={!name.trim() || busy}>
          {editing === 'save' ? 'Save filter' : 'Rename'}
        </button>
        <button type="button" className="button" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className={styles.filterActions}>
      {active ? (
        <>
          <button
            type="button"
            className="button link"
            onClick={() => {
              setName(active.name);
              setEditing('rename');
            }}
          >
            Rename filter
          </button>
          <button type="button" className="button link" onClick={onDelete}>
            Delete filter
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button link"
          onClick={() => {
            setName('');
            setEditing('save');
          }}
        >
          Save as filter
        </button>
      )}
    </div>
  );
}
