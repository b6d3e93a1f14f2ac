import type { Metrics } from '@dueflow/runtime';
import type { Caller, RealtimeHub } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { errorBody, STATUS } from '../errors.ts';
import { isDomainError } from '@dueflow/core';

/**
 * GET /api/v1/ws: the caller's task changes and reminders, live. Authenticated before the upgrade;
 * a ping every 30 s drops connections that stopped answering.
 */
export function registerLiveRoute(
  app: FastifyInstance,
  deps: { hub: RealtimeHub; metrics: Metrics; authenticate: (r: FastifyRequest) => Promise<Caller>; heartbeatMs?: number },
): void {
  const callers = new WeakMap<FastifyRequest, Caller>();
  app.get(
    '/api/v1/ws',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        try {
          callers.set(request, await deps.authenticate(request));
        } catch (err) {
          if (isDomainError(err)) return reply.status(STATUS[err.kind]).send(errorBody(err.code, err.message));
          throw err;
        }
      },
    },
    (socket: WebSocket, request) => {
      const caller = callers.get(request);
      if (!caller) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      const remove = deps.hub.add(caller.userId, socket);
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
      }, deps.heartbeatMs ?? 30_000);
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
      socket.send(JSON.stringify({ type: 'hello', user_id: caller.userId }));
    },
  );
}
