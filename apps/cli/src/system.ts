import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { type ApiForwarder, type Auth, buildApi, createAuth, type DaprAppOptions, occurrenceRequest, TrustedOrigins } from '@dueflow/api';
import { type Database, type DatabaseOptions, eventsRepo, migrate, openDatabase } from '@dueflow/db';
import {
  type Clock,
  createLogger,
  DaprEventBus,
  DaprScheduler,
  DaprSecretBundle,
  DaprSecrets,
  DaprStateStore,
  DatabaseStateStore,
  type EventBus,
  every,
  generateVapidKeys,
  InProcessEventBus,
  InProcessScheduler,
  loadOrCreateSecrets,
  type Logger,
  Metrics,
  OutboxRelay,
  registerDatabaseGauges,
  type Scheduler,
  setSpanSink,
  Sidecar,
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
  deadLetterSubscriptions,
  NotificationService,
  type OccurrenceCreator,
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
import { traceExporterFromEnv } from './telemetry.ts';

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

/** One running Dueflow process: the roles in env.SERVICES, wired to in-process or Dapr adapters. */
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
  /** Replays dead letters (embedded, or the audit role with Dapr). */
  readonly replayer: DeadLetterReplayer | null;
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

interface ResolvedSecrets {
  authSecret: string;
  vapidPublicKey: string;
  vapidPrivateKey: string;
  databaseUrl: string | undefined;
  llmApiKey: string | undefined;
}

/**
 * Embedded: env, else generated once into DATA_DIR. Dapr: env, else the Dapr secret store, and every
 * one must exist (replicas must agree on them, so nothing is generated).
 */
async function resolveSecrets(env: Env, sidecar: Sidecar | null, ephemeral: boolean): Promise<ResolvedSecrets> {
  if (sidecar) {
    const store = env.DAPR_SECRET_NAME ? new DaprSecretBundle(sidecar, env.DAPR_SECRET_STORE, env.DAPR_SECRET_NAME) : new DaprSecrets(sidecar, env.DAPR_SECRET_STORE);
    const get = async (name: 'BETTER_AUTH_SECRET' | 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY' | 'DATABASE_URL') => env[name] ?? (await store.get(name));
    const [authSecret, vapidPublicKey, vapidPrivateKey, databaseUrl] = await Promise.all([
      get('BETTER_AUTH_SECRET'),
      get('VAPID_PUBLIC_KEY'),
      get('VAPID_PRIVATE_KEY'),
      get('DATABASE_URL'),
    ]);
    // Optional: without a key the assistant uses a keyless server or its built-in parser.
    const llmApiKey = env.LLM_API_KEY ?? (env.LLM_BASE_URL ? await store.get('LLM_API_KEY') : undefined);
    if (!authSecret || !vapidPublicKey || !vapidPrivateKey || !databaseUrl) {
      throw new ConfigError(`dapr mode needs BETTER_AUTH_SECRET, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and DATABASE_URL in the env or the "${env.DAPR_SECRET_STORE}" secret store${env.DAPR_SECRET_NAME ? ` (secret "${env.DAPR_SECRET_NAME}")` : ''}`);
    }
    return { authSecret, vapidPublicKey, vapidPrivateKey, databaseUrl, llmApiKey };
  }
  const generated = ephemeral
    ? { BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'), ...toVapid(generateVapidKeys()) }
    : loadOrCreateSecrets(resolve(env.DATA_DIR));
  return {
    authSecret: env.BETTER_AUTH_SECRET ?? generated.BETTER_AUTH_SECRET,
    vapidPublicKey: env.VAPID_PUBLIC_KEY ?? generated.VAPID_PUBLIC_KEY,
    vapidPrivateKey: env.VAPID_PRIVATE_KEY ?? generated.VAPID_PRIVATE_KEY,
    databaseUrl: env.DATABASE_URL,
    llmApiKey: env.LLM_API_KEY,
  };
}

export async function createSystem(opts: SystemOptions): Promise<System> {
  const env = opts.env;
  const roles = env.SERVICES;
  const has = (r: Role) => roles.includes(r);
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL, name: env.DUEFLOW_MODE === 'dapr' ? roles.join('+') : 'dueflow' });
  const metrics = new Metrics({ defaultMetrics: !opts.ephemeralSecrets });
  const traceExporter = traceExporterFromEnv(env, roles, VERSION, logger);
  if (traceExporter) {
    setSpanSink(traceExporter.sink);
    traceExporter.start();
  }

  const sidecar = env.DUEFLOW_MODE === 'dapr' ? new Sidecar({ httpPort: env.DAPR_HTTP_PORT, ...(env.DAPR_API_TOKEN ? { apiToken: env.DAPR_API_TOKEN } : {}) }) : null;
  // Components (secret store, pub/sub) answer before the app listens; wait for them.
  if (sidecar) await sidecar.waitForOutbound(120_000);
  const secrets = await resolveSecrets(env, sidecar, opts.ephemeralSecrets ?? false);
  const vapid = { subject: env.VAPID_SUBJECT, publicKey: secrets.vapidPublicKey, privateKey: secrets.vapidPrivateKey };

  const database = await openDatabase(
    opts.database ?? (secrets.databaseUrl ? { kind: 'postgres', url: secrets.databaseUrl } : databaseOptionsFromEnv(env)),
  );
  const applied = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');

  const replayPolicy: eventsRepo.ReplayPolicy = { firstDelayMs: env.DEAD_LETTER_REPLAY_SECONDS * 1000, maxReplays: env.DEAD_LETTER_MAX_REPLAYS };
  const onHandled = (consumer: string, topic: string, seconds: number, ok: boolean) =>
    metrics.eventHandling.observe({ consumer, topic, outcome: ok ? 'ok' : 'error' }, seconds);
  const daprBus = sidecar ? new DaprEventBus(sidecar, { pubsub: env.DAPR_PUBSUB, broadcast: env.DAPR_PUBSUB_BROADCAST }, logger, onHandled) : null;
  const bus: EventBus =
    daprBus ??
    new InProcessEventBus({
      logger,
      onDeadLetter: async (d) =>
        eventsRepo.recordDeadLetter(database.db, { consumer: d.consumer, topic: d.topic, eventId: d.event.id, event: d.event, error: d.error, attempts: d.attempts }, now(), replayPolicy),
      onHandled,
    });
  const state: StateStore = sidecar ? new DaprStateStore(sidecar, env.DAPR_STATE_STORE) : new DatabaseStateStore(database, now);
  const relay = new OutboxRelay({ database, bus, logger, metrics, clock });
  const tasks = new TaskService({ database, now, afterCommit: () => relay.notify() });
  const pushPolicy = new PushEndpointPolicy({ allowedHosts: env.PUSH_SERVICE_HOSTS, ...opts.pushNetwork });
  const accounts = new AccountService({ database, now, pushPolicy, afterCommit: () => relay.notify() });
  const tokens = new TokenService({ database, now, afterCommit: () => relay.notify() });
  const toolbox = new TaskTools(tasks, now, state);
  const assistant = has('api')
    ? { tools: toolbox, chat: new ChatService({ tools: toolbox, state, model: chatModel(env, secrets.llmApiKey), now, logger }), messagesPerMinute: env.CHAT_RATE_LIMIT_PER_MINUTE }
    : null;
  // Only the roles that write events run a relay (in one process: always).
  const runsRelay = !sidecar || has('api') || has('notification');
  // Backlog gauges (dead letters, undelivered reminders) where the outbox lag is measured too.
  registerDatabaseGauges(metrics, database, { backlog: runsRelay, now });

  if (has('audit')) {
    bus.subscribe(auditSubscription(database));
    // With a broker, the audit service also keeps what reached the dead-letter topics.
    if (sidecar) for (const sub of deadLetterSubscriptions(database, now, replayPolicy)) bus.subscribe(sub);
  }
  // Dead letters go back to their topic on a schedule: in one process, or where the audit role
  // keeps them (the API's relay publishes what it queues).
  const replayer = !sidecar || has('audit') ? new DeadLetterReplayer({ database, logger, now, afterCommit: () => relay.notify() }) : null;
  if (has('recurring')) {
    const creator: OccurrenceCreator = sidecar
      ? {
          // Service invocation of the API app; the parent id makes a retry return the first occurrence.
          createNextOccurrence: async (userId, parentId, fields, seriesId, key) => {
            const res = await sidecar.call('POST', `/v1.0/invoke/${env.DAPR_API_APP_ID}/method/internal/v1/occurrences`, occurrenceRequest(userId, parentId, fields, seriesId, key));
            const body = (await res.json()) as { task_id: string | null; created: boolean };
            return body.task_id === null ? null : { task: { id: body.task_id }, created: body.created };
          },
        }
      : { createNextOccurrence: (userId, parentId, fields, seriesId) => tasks.createNextOccurrence(userId, parentId, fields, seriesId) };
    bus.subscribe(recurringSubscription({ database, logger, now, creator }));
  }
  let inProcessScheduler: InProcessScheduler | null = null;
  let daprScheduler: DaprScheduler | null = null;
  let notifications: NotificationService | null = null;
  if (has('notification')) {
    let scheduler: Scheduler;
    if (sidecar) scheduler = daprScheduler = new DaprScheduler(sidecar);
    else scheduler = inProcessScheduler = new InProcessScheduler(logger, clock);
    notifications = new NotificationService({
      database,
      scheduler,
      push: new WebPushSender(database, vapid, pushPolicy, logger),
      logger,
      metrics,
      now,
      afterCommit: () => relay.notify(),
      // Dapr jobs are durable; in-process timers are reloaded by every sweep.
      reloadUpcoming: !sidecar,
    });
    bus.subscribe(notifications.taskEventsSubscription());
    bus.subscribe(notifications.remindersSubscription());
  }
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

  const n = notifications;
  const dapr: DaprAppOptions | null = daprBus
    ? {
        bus: daprBus,
        scheduler: daprScheduler,
        bindings: n ? { [env.DAPR_SWEEP_BINDING]: async () => void (await n.sweep()) } : {},
        tasks: has('api') ? tasks : null,
        appApiToken: requireAppToken(env.APP_API_TOKEN),
      }
    : null;

  // Loaded only by a process that serves the UI: Next.js is heavy to import.
  const pages = has('web') ? await (await import('@dueflow/web')).createWebHandler() : null;
  const forwardApi: ApiForwarder | null =
    pages && !has('api') && sidecar
      ? // The UI's server side reaches the API app through Dapr service invocation.
        ({ method, url, headers, body }) =>
          sidecar.send(method, `/v1.0/invoke/${env.DAPR_API_APP_ID}/method${url}`, headers, body)
      : null;

  let busOpen = true;
  let draining = false;
  const http =
    has('api') || has('realtime') || pages || dapr
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
          vapidPublicKey: vapid.publicKey,
          baseURL,
          bodyLimitBytes: env.BODY_LIMIT_BYTES,
          version: VERSION,
          publicRoutes: has('api'),
          dapr,
          web: pages
            ? { pages, forwardApi, liveUpstream: !hub && env.DUEFLOW_REALTIME_URL ? env.DUEFLOW_REALTIME_URL.replace(/^http/, 'ws').replace(/\/$/, '') : null }
            : null,
          readiness: async () => ({
            database: await database.ping().then(
              () => true,
              () => false,
            ),
            event_bus: busOpen && (sidecar ? await sidecar.healthy() : true),
            accepting: !draining,
          }),
        })
      : null;
  if (http) closeConnectionsWhileDraining(http.server, () => draining);

  let sweepTimer: Timer | null = null;
  let replayTimer: Timer | null = null;
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
    scheduler: inProcessScheduler,
    notifications,
    replayer,
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
        if (!sidecar) {
          const ns = notifications;
          sweepTimer = every(clock, env.REMINDER_SWEEP_SECONDS * 1000, () =>
            ns.sweep().then(
              () => undefined,
              (err: unknown) => logger.error({ err: String(err) }, 'reminder sweep failed'),
            ),
          );
        }
      }
      if (replayer) {
        const r = replayer;
        replayTimer = every(
          clock,
          Math.min(30, Math.max(1, env.DEAD_LETTER_REPLAY_SECONDS / 2)) * 1000,
          () =>
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
      sweepTimer?.cancel();
      replayTimer?.cancel();
      if (http && env.SHUTDOWN_DRAIN_SECONDS > 0) {
        draining = true;
        logger.info({ seconds: env.SHUTDOWN_DRAIN_SECONDS }, 'draining connections before closing');
        await new Promise((r) => setTimeout(r, env.SHUTDOWN_DRAIN_SECONDS * 1000));
      }
      if (http) await http.close();
      await pages?.close();
      await inProcessScheduler?.close();
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

function requireAppToken(token: string | undefined): string {
  if (!token) throw new ConfigError('dapr mode needs APP_API_TOKEN (the token the sidecar sends on callbacks)');
  return token;
}

function toVapid(k: { publicKey: string; privateKey: string }) {
  return { VAPID_PUBLIC_KEY: k.publicKey, VAPID_PRIVATE_KEY: k.privateKey };
}

