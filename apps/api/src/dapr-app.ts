import { timingSafeEqual } from 'node:crypto';
import { type EditableTaskFields, editableFromJson, editableToJson, prioritySchema, type Recurrence } from '@dueflow/core';
import type { DaprEventBus, DaprScheduler } from '@dueflow/runtime';
import type { TaskService } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from './errors.ts';

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

const occurrenceRequestSchema = z.object({
  user_id: z.string().min(1),
  parent_id: z.string().regex(/^\d{1,19}$/),
  series_id: z.string().nullable(),
  idempotency_key: z.string().min(1),
  fields: z.object({
    title: z.string().min(1).max(200),
    description: z.string().max(2000),
    priority: prioritySchema,
    tags: z.array(z.string()).max(20),
    due_date: z.string().nullable(),
    reminder_at: z.string().nullable(),
    remind_before_minutes: z.number().int().nullable(),
    recurrence: z.record(z.string(), z.unknown()).nullable(),
  }),
});
export type OccurrenceRequest = z.infer<typeof occurrenceRequestSchema>;

export function occurrenceRequest(userId: string, parentId: string, f: EditableTaskFields, seriesId: string | null, key: string): OccurrenceRequest {
  return {
    user_id: userId,
    parent_id: parentId,
    series_id: seriesId,
    idempotency_key: key,
    fields: { ...editableToJson(f), recurrence: f.recurrence ? { ...f.recurrence } : null },
  };
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

  if (opts.tasks) {
    const tasks = opts.tasks;
    app.post('/internal/v1/occurrences', async (request) => {
      const r = occurrenceRequestSchema.parse(request.body);
      const f = r.fields;
      const result = await tasks.createNextOccurrence(
        r.user_id,
        r.parent_id,
        editableFromJson({ ...f, recurrence: f.recurrence as unknown as Recurrence | null }),
        r.series_id,
      );
      return result ? { task_id: result.task.id, created: result.created } : { task_id: null, created: false };
    });
  }
}
