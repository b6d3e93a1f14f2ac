import type { Logger } from 'pino';
import type { Clock, Timer } from '../clock.ts';
import type { Job, JobHandler, Scheduler } from '../ports/scheduler.ts';

/**
 * Timers in this process, on the given clock. Nothing survives a restart: the owner of the jobs (the
 * notification service) reloads them from the database at start and sweeps for any it missed.
 */
export class InProcessScheduler implements Scheduler {
  private readonly timers = new Map<string, { job: Job; timer: Timer }>();
  private handler: JobHandler | null = null;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly retryDelayMs = 5_000,
    private readonly maxAttempts = 3,
  ) {}

  onFire(handler: JobHandler): void {
    this.handler = handler;
  }

  async schedule(job: Job): Promise<void> {
    if (this.closed) return;
    this.clear(job.name);
    this.arm(job, 1, Math.max(0, job.at.getTime() - this.clock.now().getTime()));
  }

  async cancel(name: string): Promise<void> {
    this.clear(name);
  }

  /** Names of the jobs waiting to fire (for tests and metrics). */
  pending(): string[] {
    return [...this.timers.keys()];
  }

  /** When the named job will fire, or null when none waits under that name. */
  pendingAt(name: string): Date | null {
    return this.timers.get(name)?.job.at ?? null;
  }

  private clear(name: string) {
    this.timers.get(name)?.timer.cancel();
    this.timers.delete(name);
  }

  private arm(job: Job, attempt: number, delayMs: number) {
    const timer = this.clock.setTimer(delayMs, () => {
      this.timers.delete(job.name);
      void this.fire(job, attempt);
    });
    this.timers.set(job.name, { job, timer });
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
    for (const { timer } of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
