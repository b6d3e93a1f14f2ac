import { resolve } from 'node:path';
import type { ApiForwarder, DaprAppOptions } from '@dueflow/api';
import { type Database, type DatabaseOptions, eventsRepo, openDatabase } from '@dueflow/db';
import type { Clock, EventBus, Logger, Metrics, Scheduler, StateStore, Subscription, Timer } from '@dueflow/runtime';
import type { OccurrenceCreator, TaskService } from '@dueflow/services';
import type { Env, Role } from '../config.ts';

/** What a mode's factory gets: validated env, the roles of this process, and shared services. */
export interface AdapterContext {
  env: Env;
  roles: readonly Role[];
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Overrides the database chosen from env (tests). */
  database?: DatabaseOptions;
  /** Keeps generated secrets in memory instead of DATA_DIR (tests). */
  ephemeralSecrets: boolean;
}

export interface ResolvedSecrets {
  authSecret: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
  llmApiKey: string | undefined;
}

/** A periodic trigger owned by the system: started with it, stopped with it. */
export interface Trigger {
  start(): void;
  stop(): void;
}

/**
 * Every side effect a Dueflow process needs, chosen once per mode: `embedded` (in-process bus and
 * timers, the database as state store, generated secrets) or `dapr` (sidecar pub/sub, Jobs, state,
 * secrets, service invocation and cron binding). The composition root only wires roles to these.
 */
export interface Adapters {
  readonly secrets: ResolvedSecrets;
  readonly database: Database;
  readonly bus: EventBus;
  readonly state: StateStore;
  /** Where consumers' dead letters arrive besides the bus's own records (subscribed by the audit role). */
  readonly deadLetterSubscriptions: Subscription[];
  /** The reminder scheduler; `durable` when its jobs outlive this process (no reload needed). */
  reminderScheduler(): { scheduler: Scheduler; durable: boolean };
  /** How the recurring role creates a next occurrence through the task service. */
  occurrenceCreator(tasks: TaskService): OccurrenceCreator;
  /** How a process with the web role but not the api role reaches the API (null: it cannot). */
  readonly apiForwarder: ApiForwarder | null;
  /** What runs the reminder sweep periodically: a timer here, or the Dapr cron binding's calls. */
  sweepTrigger(sweep: () => Promise<void>): Trigger;
  /** The sidecar's callbacks (subscriptions, jobs, bindings, invocation); null without a sidecar. Call last. */
  sidecarCallbacks(tasks: TaskService | null): DaprAppOptions | null;
  /** Whether the event bus can take events (readiness). */
  busHealthy(): Promise<boolean>;
}

/** A mode: how its processes name themselves in logs and how its adapters are built. */
export interface Mode {
  serviceName(roles: readonly Role[]): string;
  createAdapters(ctx: AdapterContext): Promise<Adapters>;
}

/**
 * DATABASE_URL, else the embedded database in DATA_DIR: a PostgreSQL server Dueflow runs itself, or PGlite
 * (EMBEDDED_DATABASE; see openDatabase). The server's own warnings go to the logger.
 */
export function databaseOptionsFromEnv(env: Env, logger?: Logger): DatabaseOptions {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return {
    kind: 'embedded',
    dataDir: resolve(env.DATA_DIR),
    engine: env.EMBEDDED_DATABASE,
    ...(logger ? { onLog: (level, line) => logger[level]({ component: 'postgres' }, line) } : {}),
  };
}

/** The database: the test override, else the URL (env or secret store), else the embedded database in DATA_DIR. */
export function openAppDatabase(ctx: AdapterContext, url: string | undefined): Promise<Database> {
  return openDatabase(ctx.database ?? (url ? { kind: 'postgres', url } : databaseOptionsFromEnv(ctx.env, ctx.logger)));
}

export function replayPolicy(env: Env): eventsRepo.ReplayPolicy {
  return { firstDelayMs: env.DEAD_LETTER_REPLAY_SECONDS * 1000, maxReplays: env.DEAD_LETTER_MAX_REPLAYS };
}

export function onHandled(metrics: Metrics) {
  return (consumer: string, topic: string, seconds: number, ok: boolean) =>
    metrics.eventHandling.observe({ consumer, topic, outcome: ok ? 'ok' : 'error' }, seconds);
}

export const noTrigger: Trigger = { start() {}, stop() {} };

export type { Timer };
