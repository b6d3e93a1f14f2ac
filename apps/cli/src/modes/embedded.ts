import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { eventsRepo } from '@dueflow/db';
import { DatabaseStateStore, every, generateVapidKeys, InProcessEventBus, InProcessScheduler, loadOrCreateSecrets, type Timer } from '@dueflow/runtime';
import { ConfigError, type Env, type Role } from '../config.ts';
import { type AdapterContext, type Adapters, type Mode, onHandled, openAppDatabase, replayPolicy, type ResolvedSecrets } from './adapters.ts';

/** Roles that publish or consume events: with an in-process bus they must all live in this process. */
export const EVENT_ROLES: readonly Role[] = ['api', 'recurring', 'notification', 'audit', 'realtime'];

/**
 * The in-process bus delivers only to subscribers in this process and then marks the event published:
 * with a role missing, its events would be lost silently (no next occurrence, no audit entry).
 */
export function assertEmbeddedRoles(roles: readonly Role[]): void {
  const missing = EVENT_ROLES.filter((r) => !roles.includes(r));
  if (missing.length > 0) {
    throw new ConfigError(
      `embedded mode runs every event role in one process (${EVENT_ROLES.join(', ')}), but SERVICES lacks ${missing.join(', ')}: ` +
        'its in-process event bus has no other process to deliver to. Leave SERVICES unset, or run separate roles with DUEFLOW_MODE=dapr.',
    );
  }
}

/** Env, else generated once into DATA_DIR (or kept in memory for tests). */
function embeddedSecrets(env: Env, ephemeral: boolean): ResolvedSecrets {
  const generated = ephemeral
    ? { BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'), ...toVapid(generateVapidKeys()) }
    : loadOrCreateSecrets(resolve(env.DATA_DIR));
  return {
    authSecret: env.BETTER_AUTH_SECRET ?? generated.BETTER_AUTH_SECRET,
    vapidPublicKey: env.VAPID_PUBLIC_KEY ?? generated.VAPID_PUBLIC_KEY,
    vapidPrivateKey: env.VAPID_PRIVATE_KEY ?? generated.VAPID_PRIVATE_KEY,
    llmApiKey: env.LLM_API_KEY,
  };
}

const toVapid = (k: { publicKey: string; privateKey: string }) => ({ VAPID_PUBLIC_KEY: k.publicKey, VAPID_PRIVATE_KEY: k.privateKey });

/** One process: in-process bus and timers, the database as state store, direct calls. */
export const embeddedMode: Mode = {
  serviceName: () => 'dueflow',
  async createAdapters(ctx: AdapterContext): Promise<Adapters> {
    assertEmbeddedRoles(ctx.roles);
    const { env, clock, logger } = ctx;
    const secrets = embeddedSecrets(env, ctx.ephemeralSecrets);
    const database = await openAppDatabase(ctx, env.DATABASE_URL);
    const policy = replayPolicy(env);
    const bus = new InProcessEventBus({
      logger,
      // Handlers that gave up leave their event in dead_letters, from where it is replayed.
      onDeadLetter: async (d) =>
        eventsRepo.recordDeadLetter(database.db, { consumer: d.consumer, topic: d.topic, eventId: d.event.id, event: d.event, error: d.error, attempts: d.attempts }, clock.now(), policy),
      onHandled: onHandled(ctx.metrics),
    });
    return {
      secrets,
      database,
      bus,
      state: new DatabaseStateStore(database, () => clock.now()),
      deadLetterSubscriptions: [],
      // Timers die with the process: every sweep reloads the upcoming reminders.
      reminderScheduler: () => ({ scheduler: new InProcessScheduler(logger, clock), durable: false }),
      occurrenceCreator: (tasks) => ({ createNextOccurrence: (userId, parentId, fields, seriesId) => tasks.createNextOccurrence(userId, parentId, fields, seriesId) }),
      apiForwarder: null,
      sweepTrigger(sweep) {
        let timer: Timer | null = null;
        return {
          start: () =>
            void (timer = every(clock, env.REMINDER_SWEEP_SECONDS * 1000, () =>
              sweep().catch((err: unknown) => logger.error({ err: String(err) }, 'reminder sweep failed')),
            )),
          stop: () => timer?.cancel(),
        };
      },
      sidecarCallbacks: () => null,
      busHealthy: async () => true,
    };
  },
};
