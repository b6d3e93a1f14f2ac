import { type Database, eventsRepo, tasksRepo } from '@dueflow/db';
import { Gauge } from 'prom-client';
import type { Metrics } from './metrics.ts';

export interface DatabaseGaugeOptions {
  /** The backlog gauges (dead letters, undelivered reminders): one query each per scrape. */
  backlog: boolean;
  now?: () => Date;
  /** How far back an undelivered reminder still counts (the notification sweep's catch-up window). */
  reminderWindowMs?: number;
}

/**
 * Gauges read from the database when Prometheus scrapes: connection pool use, dead letters by state,
 * and the age of the oldest due reminder that has no notification. Values at scrape time, not stale
 * copies; a failing query keeps the previous value (the scrape still succeeds).
 */
export function registerDatabaseGauges(metrics: Metrics, database: Database, opts: DatabaseGaugeOptions): void {
  const registers = [metrics.registry];
  const now = opts.now ?? (() => new Date());
  const window = opts.reminderWindowMs ?? 24 * 3600_000;

  if (database.poolStats()) {
    new Gauge({
      name: 'dueflow_db_pool_connections',
      help: 'Database pool connections by state (active: checked out; idle: open and free)',
      labelNames: ['state'],
      registers,
      collect() {
        const s = database.poolStats();
        if (!s) return;
        this.set({ state: 'active' }, s.total - s.idle);
        this.set({ state: 'idle' }, s.idle);
      },
    });
    new Gauge({
      name: 'dueflow_db_pool_max_connections',
      help: 'Size limit of the database pool',
      registers,
      collect() {
        this.set(database.poolStats()?.max ?? 0);
      },
    });
    new Gauge({
      name: 'dueflow_db_pool_waiting_requests',
      help: 'Queries waiting for a free pool connection',
      registers,
      collect() {
        this.set(database.poolStats()?.waiting ?? 0);
      },
    });
  }

  if (!opts.backlog) return;
  new Gauge({
    name: 'dueflow_dead_letters',
    help: 'Dead letters by state (scheduled: an automatic replay is due; exhausted: waiting for an operator)',
    labelNames: ['state'],
    registers,
    async collect() {
      try {
        const c = await eventsRepo.deadLetterCounts(database.db);
        this.set({ state: 'scheduled' }, c.scheduled);
        this.set({ state: 'exhausted' }, c.exhausted);
      } catch {
        /* keep the last value */
      }
    },
  });
  new Gauge({
    name: 'dueflow_reminder_oldest_undelivered_seconds',
    help: 'Age of the oldest due reminder (within the catch-up window) without a notification; 0 when none',
    registers,
    async collect() {
      try {
        const t = now();
        this.set(await tasksRepo.oldestUndeliveredReminderAgeSeconds(database.db, new Date(t.getTime() - window), t));
      } catch {
        /* keep the last value */
      }
    },
  });
}
