import type { Logger } from 'pino';
import type { Job, JobHandler, Scheduler } from '../ports/scheduler.ts';

/** setTimeout cannot wait longer than this; longer waits re-arm. */
const MAX_TIMER_MS = 2_147_000_000;

/**
 * Timers in this process. Nothing survives a restart: the owner of the jobs (the notification
 * service) reloads them from the database at start and sweeps for any it missed.
 */
export class InProcessScheduler implements Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private handler: JobHandler | null = null;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly retryDelayMs = 5_000,
    private readonly maxAttempts = 3,
  ) {}

  onFire(handler: JobHandler): void {
    this.handler = handler;
  }

  async schedule(job: Job): Promise<void> {
    if (this.closed) return;
    this.clear(job.name);
    this.arm(job, 1);
  }

  async cancel(name: string): Promise<void> {
    this.clear(name);
  }

  /** Names of the jobs waiting to fire (for tests and metrics). */
  pending(): string[] {
    return [...this.timers.keys()];
  }

  private clear(name: string) {
    const t = this.timers.get(name);
    if (t) clearTimeout(t);
    this.timers.delete(name);
  }

  private arm(job: Job, attempt: number, delayOverride?: number) {
    const delay = delayOverride ?? Math.max(0, job.at.getTime() - this.now().getTime());
    const wait = Math.min(delay, MAX_TIMER_MS);
    const timer = setTimeout(() => {
      if (wait < delay) {
        this.arm(job, attempt);
        return;
      }
      this.timers.delete(job.name);
      void this.fire(job, attempt);
    }, wait);
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private async fire(job: Job, attempt: number) {
    if (this.closed || !this.handler) return;
    try {
      await this.handler(job);
    } catch (err) {
      this.logger.warn({ job: job.name, attempt, err: err instanceof Error ? err.message : String(err) }, 'job failed');
      if (attempt < this.maxAttempts && !this.timers.has(job.name)) this.arm(job, attempt + 1, this.retryDelayMs);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
