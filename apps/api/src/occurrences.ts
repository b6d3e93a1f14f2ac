import { editableFromJson, editableToJson, prioritySchema, storedRecurrenceSchema } from '@dueflow/core';
import { PermanentEventError, type Sidecar } from '@dueflow/runtime';
import type { OccurrenceCreator, TaskService } from '@dueflow/services';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

// Both halves of the call the recurring service makes to the API app through Dapr service invocation:
// the client (the recurring role's OccurrenceCreator) and the server (the API app's internal route).

/** The API app's internal method (never public: the sidecar's app token guards it). */
export const OCCURRENCES_PATH = '/internal/v1/occurrences';

const occurrenceRequestSchema = z.object({
  user_id: z.string().min(1),
  parent_id: z.string().regex(/^\d{1,19}$/),
  series_id: z.string().nullable(),
  fields: z.object({
    title: z.string().min(1).max(200),
    description: z.string().max(2000),
    priority: prioritySchema,
    tags: z.array(z.string()).max(20),
    due_date: z.string().nullable(),
    reminder_at: z.string().nullable(),
    remind_before_minutes: z.number().int().nullable(),
    recurrence: storedRecurrenceSchema.nullable(),
  }),
});
type OccurrenceRequest = z.infer<typeof occurrenceRequestSchema>;

const occurrenceResponseSchema = z.object({ task_id: z.string().nullable(), created: z.boolean() });
type OccurrenceResponse = z.infer<typeof occurrenceResponseSchema>;

/** The recurring role's side: the parent id makes a retry return the first occurrence. */
export function daprOccurrenceCreator(sidecar: Sidecar, apiAppId: string): OccurrenceCreator {
  return {
    async createNextOccurrence(userId, parentId, f, seriesId) {
      const request: OccurrenceRequest = {
        user_id: userId,
        parent_id: parentId,
        series_id: seriesId,
        fields: editableToJson(f),
      };
      const res = await sidecar.invoke(apiAppId, 'POST', OCCURRENCES_PATH, { 'content-type': 'application/json' }, JSON.stringify(request));
      if (!res.ok) {
        const why = `api answered ${res.status} to the next occurrence: ${(await res.text()).slice(0, 300)}`;
        // A refused request stays refused: to the dead-letter topic at once, no redelivery.
        throw res.status < 500 ? new PermanentEventError(why) : new Error(why);
      }
      const body = occurrenceResponseSchema.parse(await res.json());
      return body.task_id === null ? null : { task: { id: body.task_id }, created: body.created };
    },
  };
}

/** The API app's side: creates the occurrence through the task service (once per parent). */
export function registerOccurrenceRoute(app: FastifyInstance, tasks: TaskService): void {
  app.post(OCCURRENCES_PATH, async (request): Promise<OccurrenceResponse> => {
    const r = occurrenceRequestSchema.parse(request.body);
    const result = await tasks.createNextOccurrence(r.user_id, r.parent_id, editableFromJson(r.fields), r.series_id);
    return result ? { task_id: result.task.id, created: result.created } : { task_id: null, created: false };
  });
}
