import { join, resolve } from 'node:path';
import { type Auth, buildApi, createAuth } from '@dueflow/api';
import { type Database, type DatabaseOptions, eventsRepo, migrate, openDatabase } from '@dueflow/db';
import {
  createLogger,
  generateVapidKeys,
  InProcessEventBus,
  InProcessScheduler,
  loadOrCreateSecrets,
  type Logger,
  Metrics,
  OutboxRelay,
} from '@dueflow/runtime';
import {
  auditSubscription,
  NotificationService,
  RealtimeHub,
  recurringSubscription,
  TaskService,
  WebPushSender,
} from '@dueflow/services';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Env, Role } from './config.ts';

export const VERSION = '0.1.0';

export interface SystemOptions {
  env: Env;
  /** Overrides the database chosen from env (tests: in-memory PGlite or a throwaway PostgreSQL database). */
  database?: DatabaseOptions;
  /** Keeps generated secrets in memory instead of DATA_DIR (tests). */
  ephemeralSecrets?: boolean;
  now?: () => Date;
  logger?: Logger;
}

/** One running Dueflow process: the roles in env.SERVICES, wired to in-process adapters. */
export interface System {
  readonly env: Env;
  readonly roles: Role[];
  readonly database: Database;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tasks: TaskService;
  readonly auth: Auth;
  readonly bus: InProcessEventBus;
  readonly relay: OutboxRelay;
  readonly scheduler: InProcessScheduler | null;
  readonly notifications: NotificationService | null;
  readonly hub: RealtimeHub | null;
  readonly http: FastifyInstance | null;
  /** Starts background work (relay, reminders) and, with an HTTP role, listens. Returns the base URL. */
  start(): Promise<string | null>;
  /** Graceful: stop accepting, drain in-flight requests and events, close the database. */
  stop(): Promise<void>;
}

export function databaseOptionsFromEnv(env: Env): DatabaseOptions {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dataDir: resolve(env.DATA_DIR, 'db') };
}

export async function createSystem(opts: SystemOptions): Promise<System> {
  const env = opts.env;
  const roles = env.SERVICES;
  const has = (r: Role) => roles.includes(r);
  const now = opts.now ?? (() => new Date());
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL });
  const metrics = new Metrics({ defaultMetrics: !opts.ephemeralSecrets });

  const secrets = opts.ephemeralSecrets
    ? { BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'), ...toVapid(generateVapidKeys()) }
    : loadOrCreateSecrets(resolve(env.DATA_DIR));
  const authSecret = env.BETTER_AUTH_SECRET ?? secrets.BETTER_AUTH_SECRET;
  const vapid = {
    subject: env.VAPID_SUBJECT,
    publicKey: env.VAPID_PUBLIC_KEY ?? secrets.VAPID_PUBLIC_KEY,
    privateKey: env.VAPID_PRIVATE_KEY ?? secrets.VAPID_PRIVATE_KEY,
  };

  const database = await openDatabase(opts.database ?? databaseOptionsFromEnv(env));
  const applied = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');

  const bus = new InProcessEventBus({
    logger,
    onDeadLetter: async (d) =>
      eventsRepo.recordDeadLetter(database.db, { consumer: d.consumer, topic: d.topic, eventId: d.event.id, event: d.event, error: d.error, attempts: d.attempts }),
    onHandled: (consumer, topic, seconds, ok) => metrics.eventHandling.observe({ consumer, topic, outcome: ok ? 'ok' : 'error' }, seconds),
  });
  const relay = new OutboxRelay({ database, bus, logger, metrics, now });
  const tasks = new TaskService({ database, now, afterCommit: () => relay.notify() });

  if (has('audit')) bus.subscribe(auditSubscription(database));
  if (has('recurring')) {
    bus.subscribe(
      recurringSubscription({
        database,
        logger,
        now,
        // In one process the recurring service calls the task service directly.
        creator: { createNextOccurrence: (userId, parentId, fields, seriesId) => tasks.createNextOccurrence(userId, parentId, fields, seriesId) },
      }),
    );
  }
  let scheduler: InProcessScheduler | null = null;
  let notifications: NotificationService | null = null;
  if (has('notification')) {
    scheduler = new InProcessScheduler(logger, now);
    notifications = new NotificationService({
      database,
      scheduler,
      push: new WebPushSender(database, vapid, logger),
      logger,
      metrics,
      now,
      afterCommit: () => relay.notify(),
    });
    bus.subscribe(notifications.taskEventsSubscription());
    bus.subscribe(notifications.remindersSubscription());
  }
  const hub = has('realtime') ? new RealtimeHub() : null;
  if (hub) bus.subscribe(hub.subscription());

  const baseURL = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const auth = createAuth({
    database,
    secret: authSecret,
    baseURL,
    trustedOrigins: [baseURL, `http://127.0.0.1:${env.PORT}`, `http://localhost:${env.PORT}`],
    signInPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    logger,
  });

  let busOpen = true;
  const http =
    has('api') || has('realtime')
      ? await buildApi({
          database,
          tasks,
          auth,
          hub,
          metrics,
          logger,
          now,
          vapidPublicKey: vapid.publicKey,
          baseURL,
          bodyLimitBytes: env.BODY_LIMIT_BYTES,
          version: VERSION,
          readiness: async () => ({
            database: await database.ping().then(
              () => true,
              () => false,
            ),
            event_bus: busOpen,
          }),
        })
      : null;

  let sweepTimer: NodeJS.Timeout | null = null;
  let stopped = false;

  return {
    env,
    roles,
    database,
    logger,
    metrics,
    tasks,
    auth,
    bus,
    relay,
    scheduler,
    notifications,
    hub,
    http,
    async start() {
      relay.start();
      if (notifications) {
        await notifications.start();
        const n = notifications;
        sweepTimer = setInterval(() => {
          n.sweep().catch((err: unknown) => logger.error({ err: String(err) }, 'reminder sweep failed'));
        }, env.REMINDER_SWEEP_SECONDS * 1000);
        sweepTimer.unref();
      }
      if (!http) return null;
      const address = await http.listen({ port: env.PORT, host: env.HOST });
      logger.info({ address, roles, database: database.kind }, 'dueflow listening');
      return address;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (sweepTimer) clearInterval(sweepTimer);
      if (http) await http.close();
      await scheduler?.close();
      await relay.stop();
      // Publish what in-flight requests wrote, so nothing waits for the next start.
      await relay.drain().catch((err: unknown) => logger.warn({ err: String(err) }, 'final outbox drain failed'));
      busOpen = false;
      await bus.close();
      await database.close();
      logger.info('dueflow stopped');
    },
  };
}

function toVapid(k: { publicKey: string; privateKey: string }) {
  return { VAPID_PUBLIC_KEY: k.publicKey, VAPID_PRIVATE_KEY: k.privateKey };
}

export const dataPath = (env: Env, ...parts: string[]) => join(resolve(env.DATA_DIR), ...parts);
