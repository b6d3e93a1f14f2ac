import { z } from 'zod';
import { noNul } from '../task.ts';
import { PATTERNS, PRIORITIES, WEEKDAYS } from '../vocabulary.ts';

export const recurrenceDtoSchema = z.object({
  rrule: z.string(),
  pattern: z.enum([...PATTERNS, 'custom']),
  interval: z.number().int(),
  by_weekday: z.array(z.enum(WEEKDAYS)).nullable(),
  from: z.enum(['due', 'completion']),
  until: z.string().nullable(),
  count: z.number().int().nullable(),
  timezone: z.string(),
});

/** A recurrence as stored on a task and carried between services: the public one plus its anchor (DTSTART). */
export const storedRecurrenceSchema = recurrenceDtoSchema.extend({ anchor: z.string() });

export const taskDtoSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string(),
  completed: z.boolean(),
  completed_at: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  tags: z.array(z.string()),
  due_date: z.string().nullable(),
  reminder_at: z.string().nullable(),
  remind_before_minutes: z.number().int().nullable(),
  recurring: z.enum([...PATTERNS, 'custom']).nullable(),
  recurrence: recurrenceDtoSchema.nullable(),
  recurring_parent_id: z.number().int().nullable(),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const taskListSchema = z.object({
  tasks: z.array(taskDtoSchema),
  next_cursor: z.string().nullable(),
  total: z.number().int(),
});

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const tagCountsSchema = z.array(z.object({ tag: z.string(), count: z.number().int() }));

export const activityItemSchema = z.object({
  event_id: z.string(),
  event_type: z.string(),
  task_id: z.number().int(),
  occurred_at: z.string(),
  data: z.unknown(),
});
export const activityListSchema = z.object({ items: z.array(activityItemSchema), next_cursor: z.string().nullable() });
export const activityQuerySchema = z
  .object({
    task_id: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,19}$/, 'cursor must be the next_cursor of an earlier page')
      // Refinements run after a failed regex too: BigInt() only sees digits.
      .refine((c) => !/^\d{1,19}$/.test(c) || BigInt(c) <= 9_223_372_036_854_775_807n, 'cursor is out of range')
      .optional(),
  })
  .strict();

export const notificationDtoSchema = z.object({
  id: z.number().int(),
  task_id: z.number().int(),
  title: z.string(),
  due_at: z.string().nullable(),
  remind_at: z.string(),
  delivered_at: z.string(),
  read: z.boolean(),
});
export const notificationListSchema = z.object({
  notifications: z.array(notificationDtoSchema),
  unread: z.number().int(),
});
export const notificationsQuerySchema = z
  .object({
    unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
export const markNotificationSchema = z.object({ read: z.boolean() }).strict();

export const meSchema = z.object({ id: z.string(), name: z.string(), email: z.string(), timezone: z.string() });
export const patchMeSchema = z
  .object({
    timezone: z.string().min(1).max(64).optional(),
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine(...noNul('name'))
       
      .refine((s) => !/[\u0001-\u001f\u007f]/.test(s), 'name must not contain control characters')
      .optional(),
  })
  .strict();

export const pushSubscriptionSchema = z
  .object({
    // Push services are HTTPS; anything else is not a browser subscription.
    endpoint: z.url({ protocol: /^https$/ }).max(2000),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().min(10).max(200), auth: z.string().min(8).max(100) }).strict(),
  })
  .strict();
export const deletePushSubscriptionSchema = z.object({ endpoint: z.url().max(2000) }).strict();
export const vapidKeySchema = z.object({ public_key: z.string() });
