'use client';
// "?" lists the keyboard shortcuts (the task view and the assistant panel implement them).
import { Dialog } from '../ui/dialog';
import styles from './shell.module.css';

export const SHORTCUTS: readonly { keys: string[]; action: string }[] = [
  { keys: ['n'], action: 'New task' },
  { keys: ['/'], action: 'Search tasks' },
  { keys: ['j'], action: 'Next task' },
  { keys: ['k'], action: 'Previous task' },
  { keys: ['x'], action: 'Complete or reopen the focused task' },
  { keys: ['Enter', 'e'], action: 'Open task details' },
  { keys: ['c'], action: 'Chat with the assistant' },
  { keys: ['Escape'], action: 'Close the panel or dialog' },
  { keys: ['?'], action: 'Show these shortcuts' },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <table className={styles.shortcuts}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 ? ' or ' : null}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.hint}>Shortcuts are off while you type in a field.</p>
    </Dialog>
  );
}

/** True when a key press belongs to a text field (or is a browser/OS chord), not to a shortcut. */
export function isTypingContext(e: Pick<KeyboardEvent, 'target' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}
