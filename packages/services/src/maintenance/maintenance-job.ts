import { type Database, tasksRepo } from '@dueflow/db';
import type { Logger } from '@dueflow/runtime';

/** How long a deleted task can be restored (POST /api/v1/tasks/{id}/restore). */
export const DELETED_TASK_KEEP_MS = 30 * 24 * 3600_000;

/**
 * Retention of the task data: deleted tasks past their restore window are removed for good. Run
 * periodically by the process that owns the tasks (the api role); running it twice is harmless.
 */
export class MaintenanceJob {
  constructor(private readonly deps: { database: Database; logger: Logger; now: () => Date }) {}

  async run(): Promise<{ purgedDeletedTasks: number }> {
    const before = new Date(this.deps.now().getTime() - DELETED_TASK_KEEP_MS);
    const purgedDeletedTasks = await tasksRepo.purgeDeleted(this.deps.database.db, before);
    if (purgedDeletedTasks > 0) this.deps.logger.info({ purged: purgedDeletedTasks }, 'deleted tasks past their restore window removed');
    return { purgedDeletedTasks };
  }
}
