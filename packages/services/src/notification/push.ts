import { request } from 'node:https';
import { isIP } from 'node:net';
import { type Database, notificationsRepo } from '@dueflow/db';
import type { Logger } from '@dueflow/runtime';
import { pinnedLookup, type PushEndpointPolicy, type PushTarget } from './push-endpoint.ts';

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

const SEND_TIMEOUT_MS = 5000;

/**
 * Web Push (VAPID) to every browser the user subscribed; endpoints reported gone are forgotten. Each
 * endpoint is checked again at send time and the connection goes to the address that was checked.
 */
export class WebPushSender {
  constructor(
    private readonly database: Database,
    private readonly vapid: VapidConfig,
    private readonly policy: PushEndpointPolicy,
    private readonly logger: Logger,
  ) {}

  async sendToUser(userId: string, payload: PushPayload): Promise<number> {
    const subs = await notificationsRepo.pushSubscriptionsOf(this.database.db, userId);
    if (subs.length === 0) return 0;
    // Loaded on the first push: most reminders reach no push subscription, and it is not small.
    const { default: webpush } = await import('web-push');
    let delivered = 0;
    await Promise.all(
      subs.map(async (s) => {
        try {
          const target = await this.policy.target(s.endpoint);
          const details = webpush.generateRequestDetails({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, JSON.stringify(payload), {
            vapidDetails: this.vapid,
            TTL: 3600,
          });
          const status = await post(target, details.method, details.headers, details.body);
          if (status >= 200 && status < 300) delivered++;
          else if (status === 404 || status === 410) await notificationsRepo.forgetPushEndpoint(this.database.db, s.endpoint);
          else this.logger.warn({ user_id: userId, status }, 'web push failed');
        } catch (err) {
          this.logger.warn({ user_id: userId, err: err instanceof Error ? err.message : String(err) }, 'web push failed');
        }
      }),
    );
    return delivered;
  }
}

/** One HTTPS request to the checked address (redirects are not followed); resolves with the status. */
function post(target: PushTarget, method: string, headers: Record<string, string | number>, body: Buffer | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const host = target.url.hostname.replace(/^\[|\]$/g, '');
    const req = request(
      {
        method,
        host,
        port: target.url.port || 443,
        path: `${target.url.pathname}${target.url.search}`,
        headers,
        lookup: pinnedLookup(target),
        ...(isIP(host) ? {} : { servername: host }),
        timeout: SEND_TIMEOUT_MS,
      },
      (res) => {
        // The answer's body is of no use; drain it so the socket can be reused.
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('push service timed out')));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
