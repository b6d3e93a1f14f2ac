import { assertTimeZone, conflict, notFound, unprocessable } from '@dueflow/core';
import { type ActivityEntry, activityRepo, type Database, type Db, notificationsRepo, type UserProfile, usersRepo } from '@dueflow/db';
import type { PushEndpointPolicy } from '../notification/push-endpoint.ts';
import type { Caller } from '../tasks/task-service.ts';
import { UnitOfWork } from '../unit-of-work.ts';
import { credentialRevokedMessage } from './credential-events.ts';

/** Browsers (push endpoints) one user may register. */
export const MAX_PUSH_SUBSCRIPTIONS = 20;

export interface AccountServiceDeps {
  database: Database;
  now: () => Date;
  pushPolicy: PushEndpointPolicy;
  /** Wakes the outbox relay after a commit that wrote events. */
  afterCommit: () => void;
}

export interface ActivityPage {
  items: ActivityEntry[];
  nextCursor: string | null;
}

/** The caller's profile, audit trail, notification centre, push subscriptions and sign-ins. */
export class AccountService {
  private readonly work: UnitOfWork;

  constructor(private readonly deps: AccountServiceDeps) {
    this.work = new UnitOfWork(deps.database, deps.afterCommit);
  }

  private get db(): Db {
    return this.deps.database.db;
  }

  async me(caller: Caller): Promise<UserProfile> {
    const user = await usersRepo.findUser(this.db, caller.userId);
    if (!user) throw notFound('USER_NOT_FOUND', 'user not found');
    return user;
  }

  async updateMe(caller: Caller, changes: { timezone?: string | undefined; name?: string | undefined }): Promise<UserProfile> {
    const set: { timezone?: string; name?: string } = {};
    if (changes.timezone !== undefined) set.timezone = assertTimeZone(changes.timezone);
    if (changes.name !== undefined) set.name = changes.name;
    const user = await usersRepo.updateUser(this.db, caller.userId, set, this.deps.now());
    if (!user) throw notFound('USER_NOT_FOUND', 'user not found');
    return user;
  }

  async activity(caller: Caller, q: { limit: number; taskId?: number | undefined; cursor?: string | undefined }): Promise<ActivityPage> {
    const rows = await activityRepo.listActivity(this.db, caller.userId, {
      limit: q.limit + 1,
      ...(q.taskId !== undefined ? { taskId: String(q.taskId) } : {}),
      ...(q.cursor !== undefined ? { before: q.cursor } : {}),
    });
    const page = rows.slice(0, q.limit);
    return { items: page, nextCursor: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  notifications(caller: Caller, q: { unreadOnly: boolean; limit: number }) {
    return notificationsRepo.listNotifications(this.db, caller.userId, q);
  }

  async markNotification(caller: Caller, id: string, read: boolean) {
    const n = await notificationsRepo.setNotificationRead(this.db, caller.userId, id, read);
    if (!n) throw notFound('NOTIFICATION_NOT_FOUND', `notification ${id} not found`, { id });
    return n;
  }

  /**
   * Registers a browser's push endpoint after checking where it leads. At most MAX_PUSH_SUBSCRIPTIONS
   * per user (counted under a lock on the user, so parallel requests cannot pass the limit together);
   * an endpoint another user registered stays theirs (409).
   */
  async subscribePush(caller: Caller, sub: notificationsRepo.PushSubscription): Promise<void> {
    await this.deps.pushPolicy.target(sub.endpoint);
    await this.deps.database.transaction(async (tx) => {
      await usersRepo.lockUser(tx, caller.userId);
      const mine = await notificationsRepo.pushSubscriptionCount(tx, caller.userId, sub.endpoint);
      if (mine.count >= MAX_PUSH_SUBSCRIPTIONS && !mine.has) {
        throw unprocessable('TOO_MANY_PUSH_SUBSCRIPTIONS', `at most ${MAX_PUSH_SUBSCRIPTIONS} browsers per user; remove one first`, { limit: MAX_PUSH_SUBSCRIPTIONS });
      }
      if (!(await notificationsRepo.savePushSubscription(tx, caller.userId, sub))) {
        throw conflict('PUSH_ENDPOINT_IN_USE', 'this push endpoint is registered to another account');
      }
    });
  }

  async unsubscribePush(caller: Caller, endpoint: string): Promise<void> {
    const removed = await notificationsRepo.deletePushSubscription(this.db, caller.userId, endpoint);
    if (!removed) throw notFound('PUSH_SUBSCRIPTION_NOT_FOUND', 'no such subscription');
  }

  /** A session ended (sign-out, revoked, deleted): live connections opened with it are closed. */
  async sessionEnded(userId: string, sessionId: string): Promise<void> {
    await this.work.run(async (_tx, events) => events.add(credentialRevokedMessage(userId, 'session', sessionId, this.deps.now())));
  }
}
