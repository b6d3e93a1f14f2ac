import { timingSafeEqual } from 'node:crypto';
import { type DaprEventBus, type DaprScheduler, ENVELOPED_STATUS_HEADER, STATUS_ENVELOPE_REQUEST_HEADER } from '@dueflow/runtime';
import type { TaskService } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FORWARDED_CLIENT_HEADER, trustForwardedClient } from './client-ip.ts';
import { errorBody } from './errors.ts';
import { registerOccurrenceRoute } from './occurrences.ts';

export interface DaprAppOptions {
  bus: DaprEventBus;
  scheduler: DaprScheduler | null;
  /** Input bindings by name (e.g. the reminder-sweep cron). */
  bindings: Record<string, () => Promise<void>>;
  /** The API role answers service invocations from the recurring service. */
  tasks: TaskService | null;
  /** Callbacks must carry it as dapr-api-token (daprd's APP_API_TOKEN). */
  appApiToken: string;
}

/**
 * The HTTP contract with the sidecar: programmatic subscriptions, event deliveries, job callbacks,
 * input bindings, and the internal method the recurring service invokes. Nothing here is public API.
 */
export function registerDaprRoutes(app: FastifyInstance, opts: DaprAppOptions): void {
  const expected = Buffer.from(opts.appApiToken);
  const fromSidecar = (request: FastifyRequest): boolean => {
    const got = Buffer.from(String(request.headers['dapr-api-token'] ?? ''));
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
  const callbackPatterns = new Set<string>();
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // Judged by the route that matched (after the router decoded the path), never by the raw URL.
  app.addHook('onRequest', async (request, reply) => {
    const pattern = request.routeOptions.url;
    if (pattern !== undefined && callbackPatterns.has(pattern) && !fromSidecar(request)) {
      return reply.status(401).send(errorBody('UNAUTHENTICATED', 'callbacks are for the Dapr sidecar only'));
    }
  });
  // Service invocation: what only a caller inside the cluster (through this app's sidecar) may ask for.
  app.addHook('onRequest', async (request) => {
    const client = request.headers[FORWARDED_CLIENT_HEADER];
    if (typeof client === 'string' && fromSidecar(request)) trustForwardedClient(request, client);
  });
  // A caller's mistake is not the target's failure: a 4xx goes back as 200 with the real status in a
  // header (the caller's Sidecar.invoke restores it), so the sidecar's circuit breaker and retries
  // see only 5xx and timeouts.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400 && reply.statusCode < 500 && request.headers[STATUS_ENVELOPE_REQUEST_HEADER] === '1' && fromSidecar(request)) {
      reply.header(ENVELOPED_STATUS_HEADER, String(reply.statusCode));
      reply.status(200);
    }
    return payload;
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/dapr/') || route.url.startsWith('/job/') || route.url.startsWith('/internal/') || route.url.slice(1) in opts.bindings) {
      callbackPatterns.add(route.url);
    }
  });

  app.get('/dapr/subscribe', async () => opts.bus.manifest());
  for (const route of opts.bus.routePaths()) {
    app.post(route, async (request) => ({ status: await opts.bus.deliver(route, request.body) }));
  }

  if (opts.scheduler) {
    const scheduler = opts.scheduler;
    app.post('/job/:name', async (request, reply) => {
      const { name } = request.params as { name: string };
      await scheduler.fire(name, request.body);
      return reply.status(200).send({});
    });
  }

  for (const [name, run] of Object.entries(opts.bindings)) {
    // daprd probes input bindings with OPTIONS at start-up; any 2xx (or 405) enables delivery.
    app.options(`/${name}`, async (_request, reply) => reply.status(200).send());
    app.post(`/${name}`, async () => {
      await run();
      return {};
    });
  }

  if (opts.tasks) registerOccurrenceRoute(app, opts.tasks);
}
