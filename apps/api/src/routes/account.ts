import {
  activityListSchema,
  activityQuerySchema,
  assertTimeZone,
  deletePushSubscriptionSchema,
  markNotificationSchema,
  meSchema,
  notFound,
  notificationListSchema,
  notificationDtoSchema,
  notificationsQuerySchema,
  patchMeSchema,
  pushSubscriptionSchema,
  unprocessable,
  vapidKeySchema,
} from '@dueflow/core';
import { activityRepo, type Database, notificationsRepo, usersRepo } from '@dueflow/db';
import { toNotificationDto } from '@dueflow/services';
import { z } from 'zod';
import { defineRoute, type RouteContext } from '../http.ts';

/** Browsers (push endpoints) one user may register. */
const MAX_PUSH_SUBSCRIPTIONS = 20;

/** The caller's profile, audit trail, notification centre and push subscriptions. */
export function registerAccountRoutes(ctx: RouteContext, deps: { database: Database; now: () => Date; vapidPublicKey: string | null }): void {
  const db = () => deps.database.db;

  defineRoute(ctx, { method: 'GET', url: '/api/v1/me', summary: 'Your profile and settings', tag: 'account', auth: true, response: meSchema }, async ({ caller }) => {
    const user = await usersRepo.findUser(db(), caller.userId);
    if (!user) throw notFound('USER_NOT_FOUND', 'user not found');
    return user;
  });

  defineRoute(
    ctx,
    { method: 'PATCH', url: '/api/v1/me', summary: 'Change your time zone or name', tag: 'account', auth: true, body: patchMeSchema, response: meSchema },
    async ({ caller, body }) => {
      const changes: { timezone?: string; name?: string } = {};
      if (body.timezone !== undefined) changes.timezone = assertTimeZone(body.timezone);
      if (body.name !== undefined) changes.name = body.name;
      const user = await usersRepo.updateUser(db(), caller.userId, changes, deps.now());
      if (!user) throw notFound('USER_NOT_FOUND', 'user not found');
      return user;
    },
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/activity', summary: 'Audit trail of your tasks, newest first', tag: 'activity', auth: true, query: activityQuerySchema, response: activityListSchema },
    async ({ caller, query }) => {
      const limit = query.limit ?? 50;
      const rows = await activityRepo.listActivity(db(), caller.userId, {
        limit: limit + 1,
        ...(query.task_id !== undefined ? { taskId: String(query.task_id) } : {}),
        ...(query.cursor !== undefined ? { before: query.cursor } : {}),
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({ event_id: r.eventId, event_type: r.eventType, task_id: Number(r.taskId), occurred_at: r.occurredAt.toISOString(), data: r.data })),
        next_cursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/notifications', summary: 'Delivered reminders (notification centre)', tag: 'notifications', auth: true, query: notificationsQuerySchema, response: notificationListSchema },
    async ({ caller, query }) => {
      const r = await notificationsRepo.listNotifications(db(), caller.userId, { unreadOnly: query.unread ?? false, limit: query.limit ?? 50 });
      return { notifications: r.notifications.map(toNotificationDto), unread: r.unread };
    },
  );

  defineRoute(
    ctx,
    {
      method: 'PATCH',
      url: '/api/v1/notifications/:id',
      summary: 'Mark a notification read or unread',
      tag: 'notifications',
      auth: true,
      params: z.object({ id: z.string().regex(/^\d{1,18}$/) }),
      body: markNotificationSchema,
      response: notificationDtoSchema,
      errors: [404],
    },
    async ({ caller, params, body }) => {
      const n = await notificationsRepo.setNotificationRead(db(), caller.userId, params.id, body.read);
      if (!n) throw notFound('NOTIFICATION_NOT_FOUND', `notification ${params.id} not found`);
      return toNotificationDto(n);
    },
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/push-subscriptions/vapid-public-key', summary: 'The VAPID public key for PushManager.subscribe', tag: 'notifications', auth: false, response: vapidKeySchema, errors: [404] },
    async () => {
      if (!deps.vapidPublicKey) throw notFound('PUSH_DISABLED', 'Web Push is not configured');
      return { public_key: deps.vapidPublicKey };
    },
  );

  defineRoute(
    ctx,
    { method: 'POST', url: '/api/v1/push-subscriptions', summary: "Register this browser's Web Push subscription", tag: 'notifications', auth: true, body: pushSubscriptionSchema, status: 201, response: z.object({ endpoint: z.string() }) },
    async ({ caller, body }) => {
      const existing = await notificationsRepo.pushSubscriptionsOf(db(), caller.userId);
      if (existing.length >= MAX_PUSH_SUBSCRIPTIONS && !existing.some((s) => s.endpoint === body.endpoint)) {
        throw unprocessable('TOO_MANY_PUSH_SUBSCRIPTIONS', `at most ${MAX_PUSH_SUBSCRIPTIONS} browsers per user; remove one first`);
      }
      await notificationsRepo.upsertPushSubscription(db(), caller.userId, { endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth });
      return { endpoint: body.endpoint };
    },
  );

  defineRoute(
    ctx,
    { method: 'DELETE', url: '/api/v1/push-subscriptions', summary: 'Remove a Web Push subscription', tag: 'notifications', auth: true, body: deletePushSubscriptionSchema, status: 204, errors: [404] },
    async ({ caller, body }) => {
      const removed = await notificationsRepo.deletePushSubscription(db(), caller.userId, body.endpoint);
      if (!removed) throw notFound('PUSH_SUBSCRIPTION_NOT_FOUND', 'no such subscription');
    },
  );
}
