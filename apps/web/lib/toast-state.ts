// Which toast is on screen: one at a time, the newest; an Undo of the message it replaced is kept
// on it until that Undo's own time runs out. Pure (tested in toast.unit.test.ts).

export interface ToastOptions {
  tone?: 'info' | 'success' | 'error';
  action?: { label: string; onClick: () => void };
  /** Milliseconds; default 5000, 8000 with an action. */
  duration?: number;
}

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'success' | 'error';
  /** The action shown, and until when it may be used. */
  action: { label: string; onClick: () => void; until: number } | null;
  until: number;
}

/**
 * The toast that replaces `current` with `message`. A kept action names what it undoes
 * ("Undo: Task deleted"), since the message beside it is about something else.
 */
export function nextToast(current: Toast | null, id: number, message: string, options: ToastOptions, now: number): Toast {
  const until = now + (options.duration ?? (options.action ? 8000 : 5000));
  const ownAction = options.action ? { ...options.action, until } : null;
  const previous = current?.action && current.action.until > now ? current.action : null;
  const keptAction = previous && current ? { ...previous, label: previous.label.includes(':') ? previous.label : `${previous.label}: ${current.message}` } : null;
  const action = ownAction ?? keptAction;
  return { id, message, tone: options.tone ?? 'info', action, until: Math.max(until, action?.until ?? 0) };
}
