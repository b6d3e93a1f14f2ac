import {
  activityListSchema,
  activityQuerySchema,
  deletePushSubscriptionSchema,
  idToJson,
  markNotificationSchema,
  meSchema,
  notFound,
  notificationDtoSchema,
  notificationListSchema,
  notificationsQuerySchema,
  patchMeSchema,
  pushSubscriptionSchema,
  vapidKeySchema,
} from '@dueflow/core';
import { type AccountService, toNotificationDto } from '@dueflow/services';
import { z } from 'zod';
import { defineRoute, type RouteContext } from '../http.ts';

/** The caller's profile, audit trail, notification centre and push subscriptions. */
export function registerAccountRoutes(ctx: RouteContext, accounts: AccountService, opts: { vapidPublicKey: string | null }): void {
  defineRoute(ctx, { method: 'GET', url: '/api/v1/me', summary: 'Your profile and settings', tag: 'account', auth: true, response: meSchema, errors: [404] }, async ({ caller }) =>
    accounts.me(caller),
  );

  defineRoute(
    ctx,
    { method: 'PATCH', url: '/api/v1/me', summary: 'Change your time zone or name', tag: 'account', auth: true, body: patchMeSchema, response: meSchema, errors: [404] },
    async ({ caller, body }) => accounts.updateMe(caller, body),
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/activity', summary: 'Audit trail of your tasks, newest first', tag: 'activity', auth: true, query: activityQuerySchema, response: activityListSchema },
    async ({ caller, query }) => {
      const page = await accounts.activity(caller, { limit: query.limit ?? 50, taskId: query.task_id, cursor: query.cursor });
      return {
        items: page.items.map((r) => ({ event_id: r.eventId, event_type: r.eventType, task_id: idToJson(r.taskId), occurred_at: r.occurredAt.toISOString(), data: r.data })),
        next_cursor: page.nextCursor,
      };
    },
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/notifications', summary: 'Delivered reminders (notification centre)', tag: 'notifications', auth: true, query: notificationsQuerySchema, response: notificationListSchema },
    async ({ caller, query }) => {
      const r = await accounts.notifications(caller, { unreadOnly: query.unread ?? false, limit: query.limit ?? 50 });
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
    async ({ caller, params, body }) => toNotificationDto(await accounts.markNotification(caller, params.id, body.read)),
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/push-subscriptions/vapid-public-key', summary: 'The VAPID public key for PushManager.subscribe', tag: 'notifications', auth: false, response: vapidKeySchema, errors: [404] },
    async () => {
      if (!opts.vapidPublicKey) throw notFound('PUSH_DISABLED', 'Web Push is not configured');
      return { public_key: opts.vapidPublicKey };
    },
  );

  defineRoute(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/push-subscriptions',
      summary: "Register this browser's Web Push subscription (public https push services only)",
      tag: 'notifications',
      auth: true,
      body: pushSubscriptionSchema,
      status: 201,
      response: z.object({ endpoint: z.string() }),
      errors: [409, 422],
    },
    async ({ caller, body }) => {
      await accounts.subscribePush(caller, { endpoint: body.endpoint, p256dh: body.keys.p256dh, auth: body.keys.auth });
      return { endpoint: body.endpoint };
    },
  );

  defineRoute(
    ctx,
    { method: 'DELETE', url: '/api/v1/push-subscriptions', summary: 'Remove a Web Push subscription', tag: 'notifications', auth: true, body: deletePushSubscriptionSchema, status: 204, errors: [404] },
    async ({ caller, body }) => accounts.unsubscribePush(caller, body.endpoint),
  );
}
