/** A pending timer; cancelling one that already ran does nothing. */
export interface Timer {
  cancel(): void;
}

/**
 * Time for everything that waits: the current instant and timers on the same time line, so code that
 * schedules ("fire at reminder_at") and code that checks ("is it due?") never disagree. Tests pass a
 * fake one and move time themselves.
 */
export interface Clock {
  now(): Date;
  /** Runs `fn` once, `ms` from now on this clock. Timers never keep the process alive. */
  setTimer(ms: number, fn: () => void): Timer;
}

/** setTimeout cannot wait longer than this (about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2_147_000_000;

/** The machine's clock and Node's timers. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    let handle: NodeJS.Timeout;
    const arm = (remaining: number) => {
      const wait = Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS);
      handle = setTimeout(() => (wait < remaining ? arm(remaining - wait) : fn()), wait);
      handle.unref();
    };
    arm(ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Runs `fn` every `ms` on `clock` until cancelled. Runs never overlap: a tick that comes while a run
 * is still going asks for one more run right after it (a slow sweep is not started on top of itself,
 * and no tick's work is skipped). `fn` handles its own errors.
 */
export function every(clock: Clock, ms: number, fn: () => Promise<void>): Timer {
  let timer: Timer;
  let running = false;
  let again = false;
  let cancelled = false;
  const run = () => {
    running = true;
    void fn().finally(() => {
      running = false;
      if (again && !cancelled) {
        again = false;
        run();
      }
    });
  };
  const tick = () => {
    if (cancelled) return;
    timer = clock.setTimer(ms, tick);
    if (running) again = true;
    else run();
  };
  timer = clock.setTimer(ms, tick);
  return {
    cancel() {
      cancelled = true;
      timer.cancel();
    },
  };
}

/** Resolves after `ms` on `clock`, or at once when `wake` is called (whichever comes first). */
export function sleepUntilWoken(clock: Clock, ms: number): { done: Promise<void>; wake: () => void } {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = clock.setTimer(ms, resolve);
    wake = () => {
      timer.cancel();
      resolve();
    };
  });
  return { done, wake };
}
