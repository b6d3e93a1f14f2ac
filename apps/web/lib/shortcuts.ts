'use client';
// Single-key shortcuts of the task view (n, /, j, k, x, e, Enter, Escape) and of the shell (c, the
// assistant). They never fire while the user types in a field or holds Ctrl/Meta/Alt, nor behind an
// open modal dialog (Escape aside).
import { useEffect, useRef } from 'react';

export type ShortcutHandlers = Partial<Record<'n' | '/' | 'j' | 'k' | 'x' | 'e' | 'c' | 'Enter' | 'Escape', (event: KeyboardEvent) => void>>;

/** True when a key press belongs to what the user is typing, not to a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}

function modalOpen(): boolean {
  try {
    return document.querySelector('dialog[open]:modal, [aria-modal="true"]') !== null;
  } catch {
    // Browsers without :modal.
    return document.querySelector('dialog[open], [aria-modal="true"]') !== null;
  }
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      const key = event.key as keyof ShortcutHandlers;
      const handler = ref.current[key];
      if (!handler) return;
      if (key !== 'Escape') {
        if (isTypingTarget(event.target)) return;
        // A modal dialog (details, notifications, help) owns the keyboard while open.
        if (modalOpen()) return;
        // Enter on a button or link already activates it.
        if (key === 'Enter' && event.target instanceof HTMLElement && event.target.closest('button, a, summary, input')) return;
      }
      handler(event);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
