'use client';
// One short message at a time at the bottom of the screen, announced to screen readers. A newer
// message replaces the one on screen; an Undo offered by the replaced message stays on the new one
// until its own time runs out, so a quick second action never loses the chance to undo the first.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

import { nextToast, type Toast, type ToastOptions } from '../lib/toast-state';

export type { ToastOptions };

interface ToastApi {
  show(message: string, options?: ToastOptions): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToast outside <ToastProvider>');
  return value;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<Toast | null>(null);
  const nextId = useRef(1);
  const dismiss = useCallback(() => setToast(null), []);
  const show = useCallback((message: string, options: ToastOptions = {}) => {
    const id = nextId.current++;
    setToast((current) => nextToast(current, id, message, options, Date.now()));
  }, []);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast((t) => (t?.id === toast.id ? null : t)), Math.max(0, toast.until - Date.now()));
    return () => clearTimeout(timer);
  }, [toast]);

  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* The live region stays in the page, so each new message is announced. */}
      <div className="toasts" role="status" aria-live="polite">
        {toast ? (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            <span className="toast-message">{toast.message}</span>
            {toast.action ? (
              <button
                type="button"
                className="button link"
                onClick={() => {
                  toast.action?.onClick();
                  dismiss();
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
            <button type="button" className="button icon" aria-label="Dismiss" onClick={dismiss}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
        ) : null}
      </div>
    </ToastContext.Provider>
  );
}
