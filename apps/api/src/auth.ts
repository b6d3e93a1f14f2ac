import { type Database, accounts, sessions, users, verifications } from '@dueflow/db';
import { isDomainError } from '@dueflow/core';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { bearer } from 'better-auth/plugins';
import type { Logger } from '@dueflow/runtime';
import type { TrustedOrigins } from './origin.ts';
import { assertName, assertPassword, PASSWORD_MAX, PASSWORD_MIN } from './password-policy.ts';
import { WindowRateLimiter } from './rate-limit.ts';

/** Set by the server from the socket address (any client value is dropped), read by rate limiting. */
export const CLIENT_IP_HEADER = 'x-dueflow-client-ip';

export interface AuthOptions {
  database: Database;
  secret: string;
  baseURL: string;
  trustedOrigins: TrustedOrigins;
  logger: Logger;
  /** Requests per minute per IP on the sign-in and sign-up endpoints. */
  signInPerMinute: number;
  /** A session was deleted (sign-out, revocation, expiry clean-up): its live connections are closed. */
  onSessionEnded?: (userId: string, sessionId: string) => Promise<void>;
}

/** Endpoints that take a new password, and the body field that holds it. */
const PASSWORD_FIELDS: Record<string, string> = {
  '/sign-up/email': 'password',
  '/change-password': 'newPassword',
  '/reset-password': 'newPassword',
  '/set-password': 'newPassword',
};

/** Our policy errors as the auth library's, so they reach the client as a 400 with our code. */
function asApiError(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err)) throw new APIError('BAD_REQUEST', { code: err.code, message: err.message });
    throw err;
  }
}

export function createAuth(opts: AuthOptions) {
  return betterAuth({
    appName: 'Dueflow',
    secret: opts.secret,
    baseURL: opts.baseURL,
    basePath: '/api/auth',
    // Only the configured origins: never one derived from the request's Host header (DNS rebinding).
    trustedOrigins: async () => opts.trustedOrigins.list(),
    database: drizzleAdapter(opts.database.db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN, maxPasswordLength: PASSWORD_MAX, autoSignIn: true },
    user: {
      additionalFields: {
        timezone: { type: 'string', required: false, defaultValue: 'UTC', input: true },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    plugins: [bearer()],
    hooks: {
      // Every endpoint that sets a name or a new password goes through the same rules as PATCH /api/v1/me.
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        asApiError(() => {
          if ((ctx.path === '/sign-up/email' || ctx.path === '/update-user') && (ctx.path === '/sign-up/email' || body['name'] !== undefined)) assertName(body['name']);
          const field = PASSWORD_FIELDS[ctx.path];
          if (field) {
            const email = typeof body['email'] === 'string' ? body['email'] : undefined;
            const name = typeof body['name'] === 'string' ? body['name'] : undefined;
            assertPassword(body[field], { email, name });
          }
        });
      }),
    },
    databaseHooks: {
      // The same name rule for writes that do not come through an endpoint above.
      user: {
        create: { before: async (user) => void asApiError(() => assertName(user.name)) },
        update: { before: async (user) => void (user.name !== undefined && asApiError(() => assertName(user.name))) },
      },
      session: {
        delete: {
          after: async (session) => {
            await opts.onSessionEnded?.(session.userId, session.id).catch((err: unknown) => opts.logger.error({ err: String(err) }, 'session end not published'));
          },
        },
      },
    },
    rateLimit: {
      enabled: true,
      customStorage: new WindowRateLimiter(),
      window: 60,
      max: 600,
      customRules: {
        '/sign-in/email': { window: 60, max: opts.signInPerMinute },
        '/sign-up/email': { window: 60, max: opts.signInPerMinute },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // Cross-site protection is the API's own (apps/api/src/origin.ts), in front of every /api/auth POST:
      // browsers must come from a trusted origin, programs without Origin are let through.
      disableCSRFCheck: true,
    },
    telemetry: { enabled: false },
    // Into our structured log instead of the console.
    logger: {
      level: 'warn',
      log: (level, message) => {
        const lvl = level === 'debug' ? 'debug' : level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info';
        opts.logger[lvl]({ component: 'auth' }, message);
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
