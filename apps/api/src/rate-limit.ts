/**
 * Fixed-window request counters of one auth instance. Better Auth's built-in memory store is shared by
 * every instance in the process; this one belongs to its instance (one per replica).
 */
export class WindowRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async consume(key: string, rule: { window: number; max: number }): Promise<{ allowed: boolean; retryAfter: number | null }> {
    const t = this.now();
    const windowMs = rule.window * 1000;
    const w = this.windows.get(key);
    if (!w || t - w.startedAt >= windowMs) {
      this.windows.set(key, { startedAt: t, count: 1 });
      this.prune(t, windowMs);
      return { allowed: true, retryAfter: null };
    }
    if (w.count >= rule.max) return { allowed: false, retryAfter: Math.ceil((w.startedAt + windowMs - t) / 1000) };
    w.count++;
    return { allowed: true, retryAfter: null };
  }

  /** Drops expired windows now and then so the map does not grow with every client ever seen. */
  private prune(t: number, windowMs: number) {
    if (this.windows.size < 10_000) return;
    for (const [k, w] of this.windows) if (t - w.startedAt >= windowMs) this.windows.delete(k);
  }
}
