'use client';
// Open/closed state of the assistant panel, shared by the header button and the panel: "c" opens it,
// opening puts focus in the message box, closing from inside returns focus to the button. Below
// OVERLAY_QUERY the panel covers the page, so the page behind it is made inert.
import { type RefObject, useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useShortcuts } from '../../lib/shortcuts';

/** Narrower than this, the panel lies over the page instead of beside it (keep in step with the CSS). */
export const OVERLAY_QUERY = '(max-width: 899px)';

export interface AssistantPanelControl {
  open: boolean;
  /** The panel covers the page (narrow screens): the rest should be inert. */
  coversPage: boolean;
  panelId: string;
  buttonRef: RefObject<HTMLButtonElement | null>;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  show(): void;
  /** `returnFocus`: closed from inside the panel, so focus goes back to the header button. */
  close(options?: { returnFocus?: boolean }): void;
  toggle(): void;
}

function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => false,
  );
}

export function useAssistantPanel(): AssistantPanelControl {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  // Where focus goes once the panel has been shown or hidden (it cannot move into a hidden panel).
  const focusNext = useRef<'input' | 'button' | null>(null);
  const narrow = useMediaQuery(OVERLAY_QUERY);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === 'input') inputRef.current?.focus();
    else if (target === 'button') buttonRef.current?.focus();
  }, [open]);

  const show = useCallback(() => {
    if (open) {
      inputRef.current?.focus();
      return;
    }
    focusNext.current = 'input';
    setOpen(true);
  }, [open]);

  const close = useCallback((options: { returnFocus?: boolean } = {}) => {
    focusNext.current = options.returnFocus ? 'button' : null;
    setOpen(false);
  }, []);

  const toggle = useCallback(() => (open ? close() : show()), [open, close, show]);

  useShortcuts({
    c: (e) => {
      e.preventDefault(); // the "c" is not typed into the message box that receives focus
      show();
    },
  });

  return { open, coversPage: open && narrow, panelId, buttonRef, inputRef, show, close, toggle };
}
