// Per-user limits on the REST API and MCP, so one user's load cannot starve another's: a request rate
// (fixed windows) and a number of requests in progress at once, with a short queue beyond it. Both are
// counted per process (per replica). Over either limit: 429 RATE_LIMITED with Retry-After.
import { DomainError } from '@dueflow/core';
import type { FastifyReply } from 'fastify';
import { WindowRateLimiter } from './rate-limit.ts';

export interface UserLimitOptions {
  /** Requests a user may start per minute (0: no rate limit). */
  requestsPerMinute: number;
  /** Requests of one user being handled at once; more wait in the user's queue. */
  concurrent: number;
  /** Requests of one user that may wait for a slot; beyond that they are refused. */
  queued: number;
  now?: () => number;
}

interface UserSlots {
  running: number;
  waiting: Array<() => void>;
}

export class UserLimits {
  private readonly rate: WindowRateLimiter;
  private readonly slots = new Map<string, UserSlots>();

  constructor(private readonly opts: UserLimitOptions) {
    this.rate = new WindowRateLimiter(opts.now);
  }

  /** Requests of this user in progress and waiting (for tests and metrics). */
  load(userId: string): { running: number; waiting: number } {
    const s = this.slots.get(userId);
    return { running: s?.running ?? 0, waiting: s?.waiting.length ?? 0 };
  }

  /**
   * Admits one request of `userId`: resolves with a release function once it may run (at once, or after
   * waiting its turn), or throws RATE_LIMITED. The release must be called exactly once when it is done.
   */
  async admit(userId: string): Promise<() => void> {
    if (this.opts.requestsPerMinute > 0) {
      const { allowed, retryAfter } = await this.rate.consume(userId, { window: 60, max: this.opts.requestsPerMinute });
      if (!allowed) throw rateLimited(retryAfter ?? 60, `at most ${this.opts.requestsPerMinute} requests a minute`);
    }
    let s = this.slots.get(userId);
    if (!s) {
      s = { running: 0, waiting: [] };
      this.slots.set(userId, s);
    }
    const slots = s;
    if (slots.running >= this.opts.concurrent) {
      if (slots.waiting.length >= this.opts.queued) throw rateLimited(1, `at most ${this.opts.concurrent} requests at once`);
      await new Promise<void>((resolveTurn) => slots.waiting.push(resolveTurn));
    } else {
      slots.running++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slots.waiting.shift();
      // The slot passes straight to the next waiting request; the count stays.
      if (next) next();
      else if (--slots.running === 0) this.slots.delete(userId);
    };
  }
}

function rateLimited(retryAfterSeconds: number, what: string): DomainError {
  return new DomainError('rate_limited', 'RATE_LIMITED', `${what} per user; try again in ${retryAfterSeconds} s`, { retry_after: retryAfterSeconds });
}

/** Admits the caller's request by their limits; the slot is given back when the response is finished or the connection closed. */
export type Admit = (userId: string, reply: FastifyReply) => Promise<void>;

export function admitter(limits: UserLimits | null): Admit {
  if (!limits) return async () => {};
  return async (userId, reply) => {
    const release = await limits.admit(userId);
    reply.raw.once('close', release);
    if (reply.raw.closed || reply.raw.destroyed) release();
  };
}
