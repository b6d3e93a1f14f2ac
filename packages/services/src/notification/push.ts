import { type Database, notificationsRepo } from '@dueflow/db';
import type { Logger } from '@dueflow/runtime';
import webpush from 'web-push';

export interface PushPayload {
  title: string;
  body: string;
  task_id: number;
  notification_id: number;
  due_at: string | null;
  url: string;
}

export interface VapidConfig {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** Web Push (VAPID) to every browser the user subscribed; endpoints reported gone are forgotten. */
export class WebPushSender {
  constructor(
    private readonly database: Database,
    private readonly vapid: VapidConfig,
    private readonly logger: Logger,
  ) {}

  async sendToUser(userId: string, payload: PushPayload): Promise<number> {
    const subs = await notificationsRepo.pushSubscriptionsOf(this.database.db, userId);
    let delivered = 0;
    await Promise.all(
      subs.map(async (s) => {
        try {
          await webpush.sendNotification({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, JSON.stringify(payload), {
            vapidDetails: this.vapid,
            TTL: 3600,
            timeout: 5000,
          });
          delivered++;
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) {
            await notificationsRepo.forgetPushEndpoint(this.database.db, s.endpoint);
          } else {
            this.logger.warn({ user_id: userId, status, err: err instanceof Error ? err.message : String(err) }, 'web push failed');
          }
        }
      }),
    );
    return delivered;
  }
}
