import type { Metrics } from '@dueflow/runtime';
import { type Caller, type LiveCredential, type RealtimeHub, CLOSE_CREDENTIAL_ENDED } from '@dueflow/services';
import { DomainError } from '@dueflow/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Authenticate } from '../auth-routes.ts';
import { sendError } from '../errors.ts';
import { assertTrustedOrigin, type TrustedOrigins } from '../origin.ts';

export interface LiveRouteDeps {
  hub: RealtimeHub;
  metrics: Metrics;
  authenticate: Authenticate;
  trustedOrigins: TrustedOrigins;
  /** Open connections one user may hold in this process; the next upgrade gets 429. */
  maxConnectionsPerUser: number;
  /** Of these credentials, the ones still valid: checked on every heartbeat (expiry, or a missed revocation). */
  liveCredentials: (credentials: LiveCredential[]) => Promise<LiveCredential[]>;
  heartbeatMs?: number;
}

/**
 * GET /api/v1/ws: the caller's task changes and reminders, live. Authenticated before the upgrade
 * (bearer header, session cookie from a trusted origin, or `?token=`); closed with 4401 when the
 * sign-in it was opened with ends. A ping every 30 s drops connections that stopped answering.
 */
export function registerLiveRoute(app: FastifyInstance, deps: LiveRouteDeps): void {
  const callers = new WeakMap<FastifyRequest, { caller: Caller; credential: LiveCredential }>();
  const heartbeatMs = deps.heartbeatMs ?? 30_000;
  app.get(
    '/api/v1/ws',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        try {
          const who = await deps.authenticate(request, { queryToken: true });
          // A page on another site can open a websocket with the user's cookie (cross-site websocket hijacking).
          if (who.via === 'cookie') assertTrustedOrigin(request.headers, deps.trustedOrigins);
          if (deps.hub.connectionCount(who.caller.userId) >= deps.maxConnectionsPerUser) {
            reply.header('retry-after', '60');
            throw new DomainError('rate_limited', 'TOO_MANY_CONNECTIONS', `at most ${deps.maxConnectionsPerUser} live connections per user; close one first`, {
              limit: deps.maxConnectionsPerUser,
            });
          }
          callers.set(request, { caller: who.caller, credential: { kind: who.credential.kind, id: who.credential.id } });
        } catch (err) {
          return sendError(reply, err);
        }
      },
    },
    (socket: WebSocket, request) => {
      const who = callers.get(request);
      if (!who) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      const remove = deps.hub.add(who.caller.userId, socket, who.credential);
      deps.metrics.websocketConnections.inc();
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, heartbeatMs);
      heartbeat.unref();
      socket.on('message', (raw) => {
        // Clients may ping at the application level too.
        if (raw.toString() === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      });
      socket.on('close', () => {
        clearInterval(heartbeat);
        remove();
        deps.metrics.websocketConnections.dec();
      });
      socket.send(JSON.stringify({ type: 'hello', user_id: who.caller.userId }));
    },
  );

  // Sign-outs and revocations close connections through credential.revoked events; this re-check also
  // catches expiry and anything published while this replica was not subscribed.
  const recheck = setInterval(() => {
    const held = deps.hub.credentials();
    if (held.length === 0) return;
    deps
      .liveCredentials(held.map((h) => h.credential))
      .then((live) => {
        const ok = new Set(live.map((c) => `${c.kind}:${c.id}`));
        for (const h of held) if (!ok.has(`${h.credential.kind}:${h.credential.id}`)) deps.hub.closeCredential(h.userId, h.credential);
      })
      .catch((err: unknown) => app.log.warn({ err: String(err) }, 'live credential re-check failed'));
  }, heartbeatMs);
  recheck.unref();
  app.addHook('onClose', async () => clearInterval(recheck));
}

export { CLOSE_CREDENTIAL_ENDED };
