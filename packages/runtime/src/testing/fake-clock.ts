import type { Clock, Timer } from '../clock.ts';

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance` fires every timer due on the way, each at its own
 * instant and in order, so a test of "fires at 09:00, not before" says exactly that, however fast
 * or loaded the machine is.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, PendingTimer>();

  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`FakeClock: invalid start ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(ms: number, fn: () => void): Timer {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.current + Math.max(0, ms), seq, fn });
    return { cancel: () => void this.timers.delete(seq) };
  }

  /** Moves time forward by `ms`, running the timers that come due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves time forward to `to` (never back), running the timers that come due on the way. */
  advanceTo(to: Date | string | number): void {
    const target = new Date(to).getTime();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.seq);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = Math.max(this.current, target);
  }

  /** How many timers are waiting. */
  pendingTimers(): number {
    return this.timers.size;
  }

  private nextDue(limit: number): PendingTimer | null {
    let best: PendingTimer | null = null;
    for (const t of this.timers.values()) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
