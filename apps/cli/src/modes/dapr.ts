import { daprOccurrenceCreator } from '@dueflow/api';
import { DaprEventBus, DaprScheduler, DaprSecretBundle, DaprSecrets, DaprStateStore, Sidecar } from '@dueflow/runtime';
import { deadLetterSubscriptions } from '@dueflow/services';
import { ConfigError, type Env } from '../config.ts';
import { type AdapterContext, type Adapters, type Mode, noTrigger, onHandled, openAppDatabase, replayPolicy, type ResolvedSecrets } from './adapters.ts';

/**
 * Env, else the Dapr secret store, and every one must exist: replicas must agree on them, so
 * nothing is generated.
 */
async function daprSecrets(env: Env, sidecar: Sidecar): Promise<ResolvedSecrets & { databaseUrl: string }> {
  // DAPR_SECRET_NAME: one secret holding every key (a Kubernetes Secret); else one secret per key.
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

function requireAppToken(token: string | undefined): string {
  if (!token) throw new ConfigError('dapr mode needs APP_API_TOKEN (the token the sidecar sends on callbacks)');
  return token;
}

/** One role (or a few) per process, each with its sidecar: Kafka pub/sub, Jobs, state, secrets, invocation. */
export const daprMode: Mode = {
  serviceName: (roles) => roles.join('+'),
  async createAdapters(ctx: AdapterContext): Promise<Adapters> {
    const { env, clock, logger } = ctx;
    const appApiToken = requireAppToken(env.APP_API_TOKEN);
    const sidecar = new Sidecar({ httpPort: env.DAPR_HTTP_PORT, ...(env.DAPR_API_TOKEN ? { apiToken: env.DAPR_API_TOKEN } : {}) });
    // Components (secret store, pub/sub) answer before the app listens; wait for them.
    await sidecar.waitForOutbound(120_000);
    const secrets = await daprSecrets(env, sidecar);
    const database = await openAppDatabase(ctx, secrets.databaseUrl);
    const bus = new DaprEventBus(sidecar, { pubsub: env.DAPR_PUBSUB, broadcast: env.DAPR_PUBSUB_BROADCAST }, logger, onHandled(ctx.metrics));
    // Set while wiring roles; the sidecar's callbacks route to them.
    let scheduler: DaprScheduler | null = null;
    const bindings: Record<string, () => Promise<void>> = {};
    return {
      secrets,
      database,
      bus,
      state: new DaprStateStore(sidecar, env.DAPR_STATE_STORE),
      // The broker sends what no consumer could handle to `<topic>-dlq`; the audit role keeps it.
      deadLetterSubscriptions: deadLetterSubscriptions(database, () => clock.now(), replayPolicy(env)),
      reminderScheduler() {
        scheduler = new DaprScheduler(sidecar);
        return { scheduler, durable: true };
      },
      occurrenceCreator: () => daprOccurrenceCreator(sidecar, env.DAPR_API_APP_ID),
      // The UI's server side reaches the API app through service invocation (the API's own 4xx
      // travel in the status envelope, so the sidecar's breaker sees only failures).
      apiForwarder: ({ method, url, headers, body }) => sidecar.invoke(env.DAPR_API_APP_ID, method, url, headers, body, 65_000),
      sweepTrigger(sweep) {
        bindings[env.DAPR_SWEEP_BINDING] = sweep;
        return noTrigger;
      },
      sidecarCallbacks: (tasks) => ({ bus, scheduler, bindings, tasks, appApiToken }),
      busHealthy: () => sidecar.healthy(),
    };
  },
};
