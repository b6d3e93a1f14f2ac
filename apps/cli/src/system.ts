import { type Auth, buildApi, createAuth, TrustedOrigins } from '@dueflow/api';
import { type Database, type DatabaseOptions, migrate } from '@dueflow/db';
import {
  type Clock,
  createLogger,
  type EventBus,
  every,
  InProcessScheduler,
  type Logger,
  Metrics,
  OutboxRelay,
  registerDatabaseGauges,
  type Scheduler,
  setSpanSink,
  type StateStore,
  systemClock,
  type Timer,
} from '@dueflow/runtime';
import {
  AccountService,
  auditSubscription,
  type ChatModel,
  ChatService,
  DeadLetterReplayer,
  MaintenanceJob,
  NotificationService,
  OpenAiCompatibleModel,
  PushEndpointPolicy,
  type PushEndpointPolicyOptions,
  RealtimeHub,
  recurringSubscription,
  TaskService,
  TaskTools,
  TokenService,
  WebPushSender,
} from '@dueflow/services';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Env, type Role } from './config.ts';
import { closeConnectionsWhileDraining } from './drain.ts';
import { MODES, type Trigger } from './modes/index.ts';
import { traceExporterFromEnv } from './telemetry.ts';

export { databaseOptionsFromEnv } from './modes/index.ts';

export const VERSION = '0.1.0';

export interface SystemOptions {
  env: Env;
  /** Overrides the database chosen from env (tests: in-memory PGlite or a throwaway PostgreSQL database). */
  database?: DatabaseOptions;
  /** Keeps generated secrets in memory instead of DATA_DIR (tests). */
  ephemeralSecrets?: boolean;
  /** Time for every timer and timestamp (tests: a FakeClock they move themselves). */
  clock?: Clock;
  logger?: Logger;
  /** Overrides how push endpoints are resolved and which non-public addresses are allowed (tests: a push service on loopback). */
  pushNetwork?: Pick<PushEndpointPolicyOptions, 'resolve' | 'exemptAddresses'>;
}

/** One running Dueflow process: the roles in env.SERVICES, wired to the adapters of its mode. */
export interface System {
  readonly env: Env;
  readonly roles: Role[];
  readonly database: Database;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tasks: TaskService;
  readonly auth: Auth;
  readonly bus: EventBus;
  readonly relay: OutboxRelay;
  /** The in-process scheduler (embedded mode), for inspection; null with Dapr. */
  readonly scheduler: InProcessScheduler | null;
  readonly notifications: NotificationService | null;
  /** Key/value documents (conversation state): the database in embedded mode, Dapr state with a sidecar. */
  readonly state: StateStore;
  /** The chat assistant and its task tools (the api role). */
  readonly assistant: { chat: ChatService; tools: TaskTools; messagesPerMinute: number } | null;
  /** Replays dead letters (the audit role, where they are kept). */
  readonly replayer: DeadLetterReplayer | null;
  /** Task data retention (the api role): runs at start and hourly. */
  readonly maintenance: MaintenanceJob | null;
  readonly hub: RealtimeHub | null;
  readonly http: FastifyInstance | null;
  /** Starts background work (relay, reminders) and, with an HTTP role, listens. Returns the base URL. */
  start(): Promise<string | null>;
  /** Graceful: stop accepting, drain in-flight requests and events, close the database. */
  stop(): Promise<void>;
}

/** Wires the roles of env.SERVICES to the adapters its mode's factory chose (modes/). */
export async function createSystem(opts: SystemOptions): Promise<System> {
  const env = opts.env;
  const roles = env.SERVICES;
  const has = (r: Role) => roles.includes(r);
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const mode = MODES[env.DUEFLOW_MODE];
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL, name: mode.serviceName(roles) });
  const metrics = new Metrics({ defaultMetrics: !opts.ephemeralSecrets });
  const traceExporter = traceExporterFromEnv(env, roles, VERSION, logger);
  if (traceExporter) {
    setSpanSink(traceExporter.sink);
    traceExporter.start();
  }

  const adapters = await mode.createAdapters({
    env,
    roles,
    clock,
    logger,
    metrics,
    ephemeralSecrets: opts.ephemeralSecrets ?? false,
    ...(opts.database ? { database: opts.database } : {}),
  });
  const { database, bus, state, secrets } = adapters;
  const applied = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');

  const relay = new OutboxRelay({ database, bus, logger, metrics, clock });
  const afterCommit = () => relay.notify();
  const tasks = new TaskService({ database, now, afterCommit });
  const pushPolicy = new PushEndpointPolicy({ allowedHosts: env.PUSH_SERVICE_HOSTS, ...opts.pushNetwork });
  const accounts = new AccountService({ database, now, pushPolicy, afterCommit });
  const tokens = new TokenService({ database, now, afterCommit });
  const toolbox = new TaskTools(tasks, now, state);
  const assistant = has('api')
    ? { tools: toolbox, chat: new ChatService({ tools: toolbox, state, model: chatModel(env, secrets.llmApiKey), now, logger }), messagesPerMinute: env.CHAT_RATE_LIMIT_PER_MINUTE }
    : null;
  // Only the roles that write events run a relay.
  const runsRelay = has('api') || has('notification');
  // Backlog gauges (dead letters, undelivered reminders) where the outbox lag is measured too.
  registerDatabaseGauges(metrics, database, { backlog: runsRelay, now });

  // The audit role keeps the activity log and the dead letters, and replays them on a schedule.
  let replayer: DeadLetterReplayer | null = null;
  if (has('audit')) {
    bus.subscribe(auditSubscription(database));
    for (const sub of adapters.deadLetterSubscriptions) bus.subscribe(sub);
    replayer = new DeadLetterReplayer({ database, logger, now, afterCommit });
  }
  if (has('recurring')) bus.subscribe(recurringSubscription({ database, logger, now, creator: adapters.occurrenceCreator(tasks) }));
  let notifications: NotificationService | null = null;
  let reminderScheduler: Scheduler | null = null;
  let sweepTrigger: Trigger | null = null;
  if (has('notification')) {
    const { scheduler, durable } = adapters.reminderScheduler();
    reminderScheduler = scheduler;
    const vapid = { subject: env.VAPID_SUBJECT, publicKey: secrets.vapidPublicKey, privateKey: secrets.vapidPrivateKey };
    const service = new NotificationService({
      database,
      scheduler,
      push: new WebPushSender(database, vapid, pushPolicy, logger),
      logger,
      metrics,
      now,
      afterCommit,
      reloadUpcoming: !durable,
    });
    bus.subscribe(service.taskEventsSubscription());
    bus.subscribe(service.remindersSubscription());
    sweepTrigger = adapters.sweepTrigger(async () => void (await service.sweep()));
    notifications = service;
  }
  // The api role owns the tasks and their retention.
  const maintenance = has('api') ? new MaintenanceJob({ database, logger, now }) : null;
  const hub = has('realtime') ? new RealtimeHub() : null;
  if (hub) bus.subscribe(hub.subscription());

  const baseURL = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  // The listening port's loopback origins are added once it is known (PORT=0 picks one).
  const trustedOrigins = new TrustedOrigins([baseURL, ...env.TRUSTED_ORIGINS]);
  if (env.PORT !== 0) trustedOrigins.addLoopback(env.PORT);
  const auth = createAuth({
    database,
    secret: secrets.authSecret,
    baseURL,
    trustedOrigins,
    signInPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    logger,
    onSessionEnded: (userId, sessionId) => accounts.sessionEnded(userId, sessionId),
  });
  const callbacks = adapters.sidecarCallbacks(has('api') ? tasks : null);

  // Loaded only by a process that serves the UI: Next.js is heavy to import.
  const pages = has('web') ? await (await import('@dueflow/web')).createWebHandler() : null;

  let busOpen = true;
  let draining = false;
  const http =
    has('api') || has('realtime') || pages || callbacks
      ? await buildApi({
          database,
          tasks,
          accounts,
          tokens,
          trustedOrigins,
          maxLiveConnectionsPerUser: env.LIVE_CONNECTIONS_PER_USER,
          assistant,
          auth,
          hub,
          metrics,
          logger,
          now,
          vapidPublicKey: secrets.vapidPublicKey,
          baseURL,
          bodyLimitBytes: env.BODY_LIMIT_BYTES,
          userLimits: { requestsPerMinute: env.API_RATE_LIMIT_PER_MINUTE, concurrent: env.API_CONCURRENCY_PER_USER, queued: env.API_QUEUE_PER_USER },
          version: VERSION,
          publicRoutes: has('api'),
          dapr: callbacks,
          web: pages
            ? {
                pages,
                forwardApi: has('api') ? null : adapters.apiForwarder,
                liveUpstream: !hub && env.DUEFLOW_REALTIME_URL ? env.DUEFLOW_REALTIME_URL.map((u) => u.replace(/^http/, 'ws').replace(/\/$/, '')) : null,
              }
            : null,
          readiness: async () => ({
            database: await database.ping().then(
              () => true,
              () => false,
            ),
            event_bus: busOpen && (await adapters.busHealthy()),
            accepting: !draining,
          }),
        })
      : null;
  if (http) closeConnectionsWhileDraining(http.server, () => draining);

  let replayTimer: Timer | null = null;
  let maintenanceTimer: Timer | null = null;
  let firstMaintenance: Promise<void> | null = null;
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
    scheduler: reminderScheduler instanceof InProcessScheduler ? reminderScheduler : null,
    notifications,
    replayer,
    maintenance,
    state,
    assistant,
    hub,
    http,
    async start() {
      if (runsRelay) relay.start();
      let address: string | null = null;
      // With Dapr the app must listen before the sidecar delivers anything.
      if (http) {
        address = await http.listen({ port: env.PORT, host: env.HOST });
        logger.info({ address, roles, mode: env.DUEFLOW_MODE, database: database.kind }, 'dueflow listening');
      }
      if (notifications) {
        await notifications.start();
        sweepTrigger?.start();
      }
      if (maintenance) {
        const m = maintenance;
        const runMaintenance = () =>
          m.run().then(
            () => undefined,
            (err: unknown) => logger.error({ err: String(err) }, 'maintenance failed'),
          );
        firstMaintenance = runMaintenance();
        maintenanceTimer = every(clock, 3600_000, runMaintenance);
      }
      if (replayer) {
        const r = replayer;
        replayTimer = every(clock, Math.min(30, Math.max(1, env.DEAD_LETTER_REPLAY_SECONDS / 2)) * 1000, () =>
          r.replayDue().then(
            () => undefined,
            (err: unknown) => logger.error({ err: String(err) }, 'dead-letter replay failed'),
          ),
        );
      }
      return address;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      sweepTrigger?.stop();
      replayTimer?.cancel();
      maintenanceTimer?.cancel();
      await firstMaintenance;
      if (http && env.SHUTDOWN_DRAIN_SECONDS > 0) {
        draining = true;
        logger.info({ seconds: env.SHUTDOWN_DRAIN_SECONDS }, 'draining connections before closing');
        await new Promise((r) => setTimeout(r, env.SHUTDOWN_DRAIN_SECONDS * 1000));
      }
      if (http) await http.close();
      await pages?.close();
      await reminderScheduler?.close();
      await relay.stop();
      // Publish what in-flight requests wrote, so nothing waits for the next start.
      if (runsRelay) await relay.drain().catch((err: unknown) => logger.warn({ err: String(err) }, 'final outbox drain failed'));
      busOpen = false;
      await bus.close();
      await database.close();
      if (traceExporter) {
        await traceExporter.shutdown();
        setSpanSink(null);
      }
      logger.info('dueflow stopped');
    },
  };
}

/** A language model when LLM_BASE_URL and LLM_MODEL are set; otherwise the built-in parser answers. */
function chatModel(env: Env, apiKey: string | undefined): ChatModel | null {
  if (!env.LLM_BASE_URL) return null;
  if (!env.LLM_MODEL) throw new ConfigError('LLM_BASE_URL needs LLM_MODEL (the model name the server expects)');
  return new OpenAiCompatibleModel({ baseUrl: env.LLM_BASE_URL, apiKey, model: env.LLM_MODEL });
}
