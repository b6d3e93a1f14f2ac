import {
  completeTaskSchema,
  createRecurringTaskSchema,
  createSavedFilterSchema,
  createTaskSchema,
  DomainError,
  editTagsSchema,
  idToJson,
  listTasksQuerySchema,
  patchSavedFilterSchema,
  patchTaskSchema,
  quickAddSchema,
  RECURRENCE_FIELD_CODES,
  recurringToCreateRequest,
  replaceTaskSchema,
  savedFilterDtoSchema,
  savedFilterListSchema,
  setDueDateSchema,
  setPrioritySchema,
  skipOccurrenceSchema,
  tagCountsSchema,
  taskDtoSchema,
  taskListSchema,
  toTaskDto,
} from '@dueflow/core';
import type { SavedFilter } from '@dueflow/db';
import type { Caller, TaskService } from '@dueflow/services';
import { z } from 'zod';
import { defineRoute, type RouteContext } from '../http.ts';

const idParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'task id must be a positive integer') });
const compatIdParams = idParams.extend({ user_id: z.string().min(1).max(100) });
const compatParams = z.object({ user_id: z.string().min(1).max(100) });

/**
 * The task routes under `/api/v1` and, for the original contract, under `/api/:user_id` (the caller's
 * own id only; list returns a bare array there).
 */
export function registerTaskRoutes(ctx: RouteContext, tasks: TaskService, opts: { compat: boolean }): void {
  const base = opts.compat ? '/api/:user_id' : '/api/v1';
  const tag = opts.compat ? 'tasks (compatibility)' : 'tasks';
  const withId = opts.compat ? compatIdParams : idParams;
  const noId = opts.compat ? compatParams : z.object({});
  /** On compatibility routes the path's user must be the caller (checked before the body is read). */
  const owner = (caller: Caller, params: Record<string, string>) => {
    if (opts.compat && params['user_id'] !== caller.userId) {
      throw new DomainError('forbidden', 'FORBIDDEN', 'you can only reach your own tasks');
    }
  };
  const compatErrors = opts.compat ? [403] : [];

  defineRoute(
    ctx,
    {
      method: 'GET',
      url: `${base}/tasks`,
      summary: 'List, search, filter and sort tasks',
      tag,
      auth: true,
      authorize: owner,
      params: noId,
      query: listTasksQuerySchema,
      response: opts.compat ? z.array(taskDtoSchema) : taskListSchema,
      errors: compatErrors,
    },
    async ({ caller, query }) => {
      const page = await tasks.list(caller, query);
      const dtos = page.tasks.map(toTaskDto);
      return opts.compat ? dtos : { tasks: dtos, next_cursor: page.nextCursor, total: page.total };
    },
  );

  defineRoute(
    ctx,
    {
      method: 'POST',
      url: `${base}/tasks`,
      summary: 'Create a task',
      tag,
      auth: true,
      authorize: owner,
      params: noId,
      body: createTaskSchema,
      fieldCodes: RECURRENCE_FIELD_CODES,
      status: 201,
      response: taskDtoSchema,
      errors: [422, ...compatErrors],
    },
    async ({ caller, body }) => {
      return toTaskDto(await tasks.createFromRequest(caller, body));
    },
  );

  defineRoute(
    ctx,
    {
      method: 'POST',
      url: `${base}/tasks/recurring`,
      summary: 'Create a recurring task from a pattern',
      tag,
      auth: true,
      authorize: owner,
      params: noId,
      body: createRecurringTaskSchema,
      fieldCodes: RECURRENCE_FIELD_CODES,
      status: 201,
      response: taskDtoSchema,
      errors: [422, ...compatErrors],
    },
    async ({ caller, body }) => {
      return toTaskDto(await tasks.createFromRequest(caller, recurringToCreateRequest(body)));
    },
  );

  if (!opts.compat) {
    defineRoute(
      ctx,
      {
        method: 'POST',
        url: '/api/v1/tasks/quick-add',
        summary: 'Create a task from one line of text: due date, priority, tags, reminder and repetition are read from it',
        tag,
        auth: true,
        body: quickAddSchema,
        status: 201,
        response: taskDtoSchema,
        errors: [422],
      },
      async ({ caller, body }) => toTaskDto(await tasks.quickAdd(caller, body.text)),
    );
  }

  defineRoute(
    ctx,
    { method: 'GET', url: `${base}/tasks/:id`, summary: 'Get a task', tag, auth: true, authorize: owner, params: withId, response: taskDtoSchema, errors: [404, ...compatErrors] },
    async ({ caller, params }) => {
      return toTaskDto(await tasks.get(caller, params.id));
    },
  );

  defineRoute(
    ctx,
    {
      method: 'PUT',
      url: `${base}/tasks/:id`,
      summary: 'Replace the editable fields of a task',
      tag,
      auth: true,
      authorize: owner,
      params: withId,
      body: replaceTaskSchema,
      fieldCodes: RECURRENCE_FIELD_CODES,
      response: taskDtoSchema,
      errors: [404, 409, 422, ...compatErrors],
    },
    async ({ caller, params, body }) => {
      const { version, ...changes } = body;
      return toTaskDto(await tasks.update(caller, params.id, changes, { replace: true, ...(version ? { version } : {}) }));
    },
  );

  defineRoute(
    ctx,
    {
      method: 'PATCH',
      url: `${base}/tasks/:id`,
      summary: 'Change some fields of a task',
      tag,
      auth: true,
      authorize: owner,
      params: withId,
      body: patchTaskSchema,
      fieldCodes: RECURRENCE_FIELD_CODES,
      response: taskDtoSchema,
      errors: [404, 409, 422, ...compatErrors],
    },
    async ({ caller, params, body }) => {
      const { version, ...changes } = body;
      return toTaskDto(await tasks.update(caller, params.id, changes, { replace: false, ...(version ? { version } : {}) }));
    },
  );

  defineRoute(
    ctx,
    { method: 'DELETE', url: `${base}/tasks/:id`, summary: 'Delete a task', tag, auth: true, authorize: owner, params: withId, status: 204, errors: [404, ...compatErrors] },
    async ({ caller, params }) => {
      await tasks.delete(caller, params.id);
    },
  );

  if (!opts.compat) {
    defineRoute(
      ctx,
      {
        method: 'POST',
        url: '/api/v1/tasks/:id/restore',
        summary: 'Undo a delete (within 30 days): the task returns with its id, fields and history',
        tag,
        auth: true,
        params: idParams,
        response: taskDtoSchema,
        errors: [404],
      },
      async ({ caller, params }) => toTaskDto(await tasks.restore(caller, params.id)),
    );

    defineRoute(
      ctx,
      {
        method: 'POST',
        url: '/api/v1/tasks/:id/skip',
        summary: 'Skip this occurrence of a recurring task: it moves to the next date of its series, uncompleted',
        tag,
        auth: true,
        params: idParams,
        body: skipOccurrenceSchema,
        bodyOptional: true,
        response: taskDtoSchema,
        errors: [404, 409, 422],
      },
      async ({ caller, params, body }) => toTaskDto(await tasks.skipOccurrence(caller, params.id, body.version)),
    );

    registerSavedFilterRoutes(ctx, tasks, tag);
  }

  defineRoute(
    ctx,
    {
      method: 'PATCH',
      url: `${base}/tasks/:id/complete`,
      summary: 'Toggle completion, or set it with {completed}',
      tag,
      auth: true,
      authorize: owner,
      params: withId,
      body: completeTaskSchema,
      bodyOptional: true,
      response: taskDtoSchema,
      errors: [404, 409, ...compatErrors],
    },
    async ({ caller, params, body }) => {
      return toTaskDto(await tasks.complete(caller, params.id, body.completed, body.version));
    },
  );

  defineRoute(
    ctx,
    {
      method: 'PATCH',
      url: `${base}/tasks/:id/priority`,
      summary: 'Set the priority',
      tag,
      auth: true,
      authorize: owner,
      params: withId,
      body: setPrioritySchema,
      response: taskDtoSchema,
      errors: [404, 409, ...compatErrors],
    },
    async ({ caller, params, body }) => {
      return toTaskDto(await tasks.setPriority(caller, params.id, body.priority, body.version));
    },
  );

  defineRoute(
    ctx,
    {
      method: 'PATCH',
      url: `${base}/tasks/:id/tags`,
      summary: 'Replace tags ({tags}) or edit them ({add}, {remove})',
      tag,
      auth: true,
      authorize: owner,
      params: withId,
      body: editTagsSchema,
      response: taskDtoSchema,
      errors: [404, 409, 422, ...compatErrors],
    },
    async ({ caller, params, body }) => {
      const { version, ...edit } = body;
      return toTaskDto(await tasks.editTags(caller, params.id, edit, version));
    },
  );

  defineRoute(
    ctx,
    {
      method: 'PATCH',
      url: `${base}/tasks/:id/due-date`,
      summary: 'Set or clear the due date (and reminder)',
      tag,
      auth: true,
      authorize: owner,
      params: withId,
      body: setDueDateSchema,
      response: taskDtoSchema,
      errors: [404, 409, 422, ...compatErrors],
    },
    async ({ caller, params, body }) => {
      const { version, ...changes } = body;
      return toTaskDto(await tasks.setDueDate(caller, params.id, changes, version));
    },
  );

  if (!opts.compat) {
    defineRoute(
      ctx,
      { method: 'GET', url: '/api/v1/tags', summary: 'Tags in use, with counts', tag: 'tasks', auth: true, response: tagCountsSchema },
      async ({ caller }) => tasks.tags(caller),
    );
  }
}

const filterIdParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'filter id must be a positive integer') });
const filterDto = (f: SavedFilter) => ({ id: idToJson(f.id), name: f.name, query: f.query, created_at: f.createdAt.toISOString(), updated_at: f.updatedAt.toISOString() });

/** Saved filters: GET/POST /api/v1/filters, PATCH/DELETE /api/v1/filters/{id}. */
function registerSavedFilterRoutes(ctx: RouteContext, tasks: TaskService, tag: string): void {
  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/filters', summary: 'The caller’s saved filters, oldest first', tag, auth: true, response: savedFilterListSchema, errors: [] },
    async ({ caller }) => ({ filters: (await tasks.filters.list(caller.userId)).map(filterDto) }),
  );
  defineRoute(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/filters',
      summary: 'Save a filter: a name for a task-list query (search, filters, sort)',
      tag,
      auth: true,
      body: createSavedFilterSchema,
      response: savedFilterDtoSchema,
      status: 201,
      errors: [409, 422],
    },
    async ({ caller, body }) => filterDto(await tasks.filters.create(caller.userId, body.name, body.query)),
  );
  defineRoute(
    ctx,
    { method: 'PATCH', url: '/api/v1/filters/:id', summary: 'Rename a saved filter or change its query', tag, auth: true, params: filterIdParams, body: patchSavedFilterSchema, response: savedFilterDtoSchema, errors: [404, 409] },
    async ({ caller, params, body }) => filterDto(await tasks.filters.update(caller.userId, params.id, body)),
  );
  defineRoute(
    ctx,
    { method: 'DELETE', url: '/api/v1/filters/:id', summary: 'Delete a saved filter', tag, auth: true, params: filterIdParams, status: 204, errors: [404] },
    async ({ caller, params }) => {
      await tasks.filters.delete(caller.userId, params.id);
    },
  );
}
