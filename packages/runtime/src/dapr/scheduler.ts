import type { Job, JobHandler, Scheduler } from '../ports/scheduler.ts';
import { type Sidecar, SidecarError } from './sidecar.ts';

/**
 * Scheduler over the Dapr Jobs API: one job per name, fired once at `at` on one replica of this app
 * (the scheduler service streams it to a connected sidecar), which calls `POST /job/<name>`.
 */
export class DaprScheduler implements Scheduler {
  private handler: JobHandler | null = null;

  constructor(private readonly sidecar: Sidecar) {}

  onFire(handler: JobHandler): void {
    this.handler = handler;
  }

  async schedule(job: Job): Promise<void> {
    await this.sidecar.call('POST', `/v1.0/jobs/${encodeURIComponent(job.name)}`, {
      dueTime: job.at.toISOString(),
      data: { at: job.at.toISOString(), data: job.data },
      overwrite: true,
      // A failed callback is retried a few times, then dropped; the reminder sweep is the safety net.
      failurePolicy: { constant: { interval: '2s', maxRetries: 5 } },
    });
  }

  async cancel(name: string): Promise<void> {
    try {
      await this.sidecar.call('DELETE', `/v1.0/jobs/${encodeURIComponent(name)}`);
    } catch (err) {
      if (err instanceof SidecarError && err.status === 404) return;
      throw err;
    }
  }

  /** The app's `POST /job/<name>` calls this with the request body. */
  async fire(name: string, body: unknown): Promise<void> {
    if (!this.handler) throw new Error('no job handler');
    const b = (body ?? {}) as { at?: string; data?: unknown };
    await this.handler({ name, at: b.at ? new Date(b.at) : new Date(), data: b.data });
  }

  async close(): Promise<void> {}
}
