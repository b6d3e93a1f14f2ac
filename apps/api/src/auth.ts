import { type Database, accounts, sessions, users, verifications } from '@dueflow/db';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer } from 'better-auth/plugins';
import type { Logger } from '@dueflow/runtime';
import { WindowRateLimiter } from './rate-limit.ts';

/** Set by the server from the socket address (any client value is dropped), read by rate limiting. */
export const CLIENT_IP_HEADER = 'x-dueflow-client-ip';

export interface AuthOptions {
  database: Database;
  secret: string;
  baseURL: string;
  trustedOrigins: string[];
  logger: Logger;
  /** Requests per minute per IP on the sign-in and sign-up endpoints. */
  signInPerMinute: number;
}

export function createAuth(opts: AuthOptions) {
  return betterAuth({
    appName: 'Dueflow',
    secret: opts.secret,
    baseURL: opts.baseURL,
    basePath: '/api/auth',
    // Same-origin requests are trusted whatever port we ended up on, plus the configured origins.
    trustedOrigins: async (request?: Request) => {
      const host = request?.headers.get('host');
      return host ? [...opts.trustedOrigins, `http://${host}`, `https://${host}`] : opts.trustedOrigins;
    },
    database: drizzleAdapter(opts.database.db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    user: {
      additionalFields: {
        timezone: { type: 'string', required: false, defaultValue: 'UTC', input: true },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    plugins: [bearer()],
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
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
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
