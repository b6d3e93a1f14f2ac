import { z } from 'zod';
import { COUNT_MAX, INTERVAL_MAX } from '../recurrence/recurrence.ts';
import { descriptionSchema, prioritySchema, tagsSchema, titleSchema } from '../task.ts';
import { PATTERNS, QUICK_ADD_MAX, REMIND_BEFORE_MAX_MINUTES, WEEKDAYS } from '../vocabulary.ts';

export { PATTERNS, WEEKDAYS } from '../vocabulary.ts';

const isoDateInput = z.string().min(10).max(40).describe('ISO 8601 date or date-time; without offset it is the user\'s local time');

export const recurrenceInputSchema = z.union([
  z
    .object({
      pattern: z.enum(PATTERNS),
      interval: z.number().int().min(1).max(INTERVAL_MAX).optional(),
      by_weekday: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
      from: z.enum(['due', 'completion']).optional(),
      until: isoDateInput.optional(),
      count: z.number().int().min(1).max(COUNT_MAX).optional(),
    })
    .strict(),
  z
    .object({
      rrule: z.string().min(6).max(500),
      from: z.enum(['due', 'completion']).optional(),
    })
    .strict(),
]);
export type RecurrenceRequest = z.infer<typeof recurrenceInputSchema>;

const remindBefore = z.number().int().min(0).max(REMIND_BEFORE_MAX_MINUTES);

/** Fields shared by create, replace and patch. All optional here; create/replace add their own rules. */
const taskFieldShape = {
  title: titleSchema,
  description: descriptionSchema.optional(),
  priority: prioritySchema.optional(),
  tags: tagsSchema.optional(),
  due_date: isoDateInput.nullable().optional(),
  remind_before_minutes: remindBefore.nullable().optional(),
  reminder_at: isoDateInput.nullable().optional(),
  recurring: z.enum(PATTERNS).nullable().optional(),
  recurrence: recurrenceInputSchema.nullable().optional(),
};

export const createTaskSchema = z.object(taskFieldShape).strict();
export type CreateTaskRequest = z.infer<typeof createTaskSchema>;

/** PUT: replaces every editable field; what is left out returns to its default. */
export const replaceTaskSchema = z.object({ ...taskFieldShape, version: z.number().int().min(1).optional() }).strict();
export type ReplaceTaskRequest = z.infer<typeof replaceTaskSchema>;

/** PATCH: merges; `completed` may be set here too. */
export const patchTaskSchema = z
  .object({
    ...taskFieldShape,
    title: titleSchema.optional(),
    completed: z.boolean().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type PatchTaskRequest = z.infer<typeof patchTaskSchema>;

export const completeTaskSchema = z.object({ completed: z.boolean().optional(), version: z.number().int().min(1).optional() }).strict();
/** POST /tasks/{id}/skip: the current occurrence of a recurring task moves to the series' next date. */
export const skipOccurrenceSchema = z.object({ version: z.number().int().min(1).optional() }).strict();
export const setPrioritySchema = z.object({ priority: prioritySchema, version: z.number().int().min(1).optional() }).strict();
export const editTagsSchema = z
  .object({
    tags: tagsSchema.optional(),
    add: tagsSchema.optional(),
    remove: tagsSchema.optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((v) => v.tags !== undefined || v.add !== undefined || v.remove !== undefined, {
    message: 'give tags, add or remove',
  })
  .refine((v) => v.tags === undefined || (v.add === undefined && v.remove === undefined), {
    message: 'tags replaces the list; do not combine it with add or remove',
  });
export const setDueDateSchema = z
  .object({
    due_date: isoDateInput.nullable(),
    remind_before_minutes: remindBefore.nullable().optional(),
    reminder_at: isoDateInput.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();

/** Body fields whose schema issues are reported as INVALID_RECURRENCE rather than VALIDATION_FAILED. */
export const RECURRENCE_FIELD_CODES: Readonly<Record<string, string>> = Object.fromEntries(
  ['recurrence', 'recurring', 'pattern', 'interval', 'by_weekday', 'from', 'until', 'count'].map((f) => [f, 'INVALID_RECURRENCE']),
);

export const createRecurringTaskSchema = z
  .object({
    title: titleSchema,
    description: descriptionSchema.optional(),
    priority: prioritySchema.optional(),
    tags: tagsSchema.optional(),
    due_date: isoDateInput.nullable().optional(),
    remind_before_minutes: remindBefore.nullable().optional(),
    reminder_at: isoDateInput.nullable().optional(),
    pattern: z.enum(PATTERNS),
    interval: z.number().int().min(1).max(INTERVAL_MAX).optional(),
    by_weekday: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
    from: z.enum(['due', 'completion']).optional(),
    until: isoDateInput.optional(),
    count: z.number().int().min(1).max(COUNT_MAX).optional(),
  })
  .strict();

export const quickAddSchema = z
  .object({
    text: z.string().trim().min(1, 'text must not be empty').max(QUICK_ADD_MAX, `text must be at most ${QUICK_ADD_MAX} characters`).describe('e.g. "buy milk tomorrow 5pm #errands !high"'),
  })
  .strict();

/** POST /tasks/recurring (pattern fields at the top level) as the create request it stands for. */
export function recurringToCreateRequest(body: z.output<typeof createRecurringTaskSchema>): CreateTaskRequest {
  const { pattern, interval, by_weekday, from, until, count, ...rest } = body;
  const recurrence: NonNullable<CreateTaskRequest['recurrence']> = { pattern };
  if (interval !== undefined) recurrence.interval = interval;
  if (by_weekday !== undefined) recurrence.by_weekday = by_weekday;
  if (from !== undefined) recurrence.from = from;
  if (until !== undefined) recurrence.until = until;
  if (count !== undefined) recurrence.count = count;
  return { ...rest, recurrence };
}
