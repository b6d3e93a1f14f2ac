import { z } from 'zod';

export const ROLES = ['api', 'web', 'recurring', 'notification', 'audit', 'realtime'] as const;
export type Role = (typeof ROLES)[number];

const roleList = z
  .string()
  .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string())
      .min(1, 'SERVICES lists no role')
      .superRefine((roles, ctx) => {
        for (const r of roles) {
          if (!(ROLES as readonly string[]).includes(r)) {
            ctx.addIssue({ code: 'custom', message: `unknown role "${r}" (known: ${ROLES.join(', ')})` });
          }
        }
      })
      .transform((roles) => [...new Set(roles)] as Role[]),
  );

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** Environment, validated once at start-up; packages receive the parsed values as options. */
export const envSchema = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL').optional(),
  /**
   * Without DATABASE_URL: `postgres` runs a PostgreSQL server in DATA_DIR/postgres (binaries from npm),
   * `pglite` the in-process WASM build in DATA_DIR/db; `auto` the server where binaries exist.
   */
  EMBEDDED_DATABASE: z.enum(['auto', 'postgres', 'pglite']).default('auto'),
  SERVICES: roleList.default(() => [...ROLES]),
  DUEFLOW_MODE: z.enum(['embedded', 'dapr']).default('embedded'),
  DAPR_HTTP_PORT: int(3500, 1, 65535),
  /** A web-only process relays the page's websocket to a realtime replica (http://host:port[,…]: in turn, the next one if one is down). */
  DUEFLOW_REALTIME_URL: z
    .string()
    .transform((s) => s.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1))
    .optional(),
  /** Sent to the sidecar (its DAPR_API_TOKEN). */
  DAPR_API_TOKEN: z.string().min(16).optional(),
  /** Expected from the sidecar on callbacks (its APP_API_TOKEN). */
  APP_API_TOKEN: z.string().min(16).optional(),
  DAPR_PUBSUB: z.string().default('pubsub'),
  DAPR_PUBSUB_BROADCAST: z.string().default('pubsub-broadcast'),
  DAPR_SECRET_STORE: z.string().default('localsecrets'),
  /** Read every secret from this one secret of the store (a Kubernetes Secret's keys); else one lookup per name. */
  DAPR_SECRET_NAME: z.string().min(1).optional(),
  DAPR_STATE_STORE: z.string().default('statestore'),
  DAPR_API_APP_ID: z.string().default('api'),
  DAPR_SWEEP_BINDING: z.string().default('reminder-sweep'),
  PUBLIC_URL: z.url().optional(),
  /** More origins whose pages may use the session cookie (comma-separated), besides PUBLIC_URL and loopback. */
  TRUSTED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /** Web Push services endpoints may point at (host names, `*.example.com` for subdomains); empty: any public host. */
  PUSH_SERVICE_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/, 'a host name, or *.domain'))),
  /** Live (websocket) connections one user may hold per realtime process. */
  LIVE_CONNECTIONS_PER_USER: int(20, 1, 10_000),
  BETTER_AUTH_SECRET: z.string().min(32, 'BETTER_AUTH_SECRET must be at least 32 characters').optional(),
  VAPID_PUBLIC_KEY: z.string().min(20).optional(),
  VAPID_PRIVATE_KEY: z.string().min(20).optional(),
  VAPID_SUBJECT: z.string().default('mailto:admin@dueflow.localhost'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_RATE_LIMIT_PER_MINUTE: int(10, 1, 100_000),
  /** Per user and replica, on the REST API and MCP together; 0 turns the rate limit off. */
  API_RATE_LIMIT_PER_MINUTE: int(3000, 0, 10_000_000),
  /** Requests of one user handled at once (per replica); more wait in that user's queue. */
  API_CONCURRENCY_PER_USER: int(4, 1, 1000),
  /** Requests of one user that may wait for a slot; beyond that they get 429. */
  API_QUEUE_PER_USER: int(64, 0, 100_000),
  // Each message may cost a language-model call.
  CHAT_RATE_LIMIT_PER_MINUTE: int(30, 1, 100_000),
  BODY_LIMIT_BYTES: int(65_536, 1024, 10_485_760),
  REMINDER_SWEEP_SECONDS: int(60, 1, 3600),
  /** On SIGTERM, keep serving this long (not ready, closing keep-alive connections) before closing. */
  SHUTDOWN_DRAIN_SECONDS: int(0, 0, 120),
  /** First automatic replay of a dead letter after this long; each next one waits 4× longer. */
  DEAD_LETTER_REPLAY_SECONDS: int(60, 1, 86_400),
  /** Automatic replays before a dead letter waits for `dueflow dead-letters replay`. */
  DEAD_LETTER_MAX_REPLAYS: int(3, 0, 20),
  LLM_BASE_URL: z.url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  /** OpenTelemetry traces over OTLP/HTTP (JSON): the collector's base URL (…/v1/traces is added). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** The full traces URL, when it is not <endpoint>/v1/traces. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** Extra headers for the collector: `key=value,key2=value2`. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json'], { error: 'OTEL_EXPORTER_OTLP_PROTOCOL: only http/json is supported' }).optional(),
  /** service.name of this process's spans (default: dueflow, or dueflow-<roles> in dapr mode). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});
export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseEnv(env: Record<string, string | undefined>): Env {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  if ((r.data.VAPID_PUBLIC_KEY === undefined) !== (r.data.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError('set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');
  }
  return r.data;
}
