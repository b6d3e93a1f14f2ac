'use client';
// Short messages at the bottom of the screen, announced to screen readers; one optional action (Undo).
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

export interface ToastOptions {
  tone?: 'info' | 'success' | 'error';
  action?: { label: string; onClick: () => void };
  /** Milliseconds; default 5000, 8000 with an action. */
  duration?: number;
}

interface Toast extends ToastOptions {
  id: number;
  message: string;
}

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
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (message: string, options: ToastOptions = {}) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-3), { id, message, ...options }]);
      setTimeout(() => dismiss(id), options.duration ?? (options.action ? 8000 : 5000));
    },
    [dismiss],
  );
  const value = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone ?? 'info'}`}>
            <span>{t.message}</span>
            {t.action ? (
              <button
                type="button"
                className="button link"
                onClick={() => {
                  t.action?.onClick();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            ) : null}
            <button type="button" className="button icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
