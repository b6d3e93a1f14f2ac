/** A one-shot job fired at (or as soon as possible after) `at`. Scheduling a name again replaces it. */
export interface Job {
  name: string;
  at: Date;
  data: unknown;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface Scheduler {
  schedule(job: Job): Promise<void>;
  cancel(name: string): Promise<void>;
  /** The single callback for fired jobs (with Dapr: the POST /job/<name> route). */
  onFire(handler: JobHandler): void;
  close(): Promise<void>;
}
