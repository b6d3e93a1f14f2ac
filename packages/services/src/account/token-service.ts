import { createHash, randomBytes } from 'node:crypto';
import { forbidden, notFound, unprocessable } from '@dueflow/core';
import { type ApiToken, type Database, type Db, tokensRepo, type TokenScope, usersRepo } from '@dueflow/db';
import type { Caller } from '../tasks/task-service.ts';
import { UnitOfWork } from '../unit-of-work.ts';
import { credentialRevokedMessage } from './credential-events.ts';

/** Personal access tokens start with this, so they are told apart from session tokens (and found by secret scanners). */
export const TOKEN_PREFIX = 'dfp_';
export const MAX_TOKENS_PER_USER = 50;
/** last_used_at is written at most this often per token: a busy script must not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface TokenServiceDeps {
  database: Database;
  now: () => Date;
  afterCommit: () => void;
}

export interface CreatedToken {
  token: ApiToken;
  /** The secret, returned once; only its hash is stored. */
  secret: string;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const isAccessToken = (bearer: string) => bearer.startsWith(TOKEN_PREFIX);

/** Personal access tokens: create (shown once), list, revoke, and verify a bearer. */
export class TokenService {
  private readonly work: UnitOfWork;

  constructor(private readonly deps: TokenServiceDeps) {
    this.work = new UnitOfWork(deps.database, deps.afterCommit);
  }

  private get db(): Db {
    return this.deps.database.db;
  }

  async create(caller: Caller, input: { name: string; scope: TokenScope; expiresAt: Date | null }): Promise<CreatedToken> {
    const now = this.deps.now();
    if (input.expiresAt !== null && input.expiresAt.getTime() <= now.getTime()) {
      throw unprocessable('TOKEN_EXPIRY_IN_PAST', 'expires_at must be in the future');
    }
    const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const token: ApiToken = {
      id: randomBytes(9).toString('base64url'),
      userId: caller.userId,
      name: input.name,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      scope: input.scope,
      createdAt: now,
      expiresAt: input.expiresAt,
      lastUsedAt: null,
    };
    await this.deps.database.transaction(async (tx) => {
      if (!(await usersRepo.lockUser(tx, caller.userId))) throw notFound('USER_NOT_FOUND', 'user not found');
      if ((await tokensRepo.countTokens(tx, caller.userId)) >= MAX_TOKENS_PER_USER) {
        throw unprocessable('TOO_MANY_TOKENS', `at most ${MAX_TOKENS_PER_USER} tokens per user; revoke one first`, { limit: MAX_TOKENS_PER_USER });
      }
      await tokensRepo.insertToken(tx, { ...token, tokenHash: hash(secret) });
    });
    return { token, secret };
  }

  list(caller: Caller): Promise<ApiToken[]> {
    return tokensRepo.listTokens(this.db, caller.userId);
  }

  /** Deletes the token; connections opened with it are closed (credential.revoked, in the same transaction). */
  async revoke(caller: Caller, id: string): Promise<void> {
    const revoked = await this.work.run(async (tx, events) => {
      const token = await tokensRepo.deleteToken(tx, caller.userId, id);
      if (token) events.add(credentialRevokedMessage(caller.userId, 'token', token.id, this.deps.now()));
      return token;
    });
    if (!revoked) throw notFound('TOKEN_NOT_FOUND', `token ${id} not found`, { id });
  }

  /** The token behind a bearer secret (with its user's time zone), or null when it is unknown, revoked or expired. */
  async verify(secret: string): Promise<(ApiToken & { timezone: string }) | null> {
    if (!isAccessToken(secret) || secret.length > 200) return null;
    const now = this.deps.now();
    const token = await tokensRepo.findValidToken(this.db, hash(secret), now);
    if (token && (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() >= TOUCH_EVERY_MS)) {
      await tokensRepo.touchToken(this.db, token.id, now);
      token.lastUsedAt = now;
    }
    return token;
  }

  /** Token management needs a signed-in session: a token cannot mint or revoke tokens. */
  static assertSession(credential: 'session' | 'token'): void {
    if (credential === 'token') throw forbidden('SESSION_REQUIRED', 'access tokens are managed from a signed-in session (the web app, or a sign-in token)');
  }

  /** Of these token ids, the ones still valid (live connections re-check their credential). */
  live(ids: string[]): Promise<Set<string>> {
    return tokensRepo.liveTokenIds(this.db, ids, this.deps.now());
  }
}
