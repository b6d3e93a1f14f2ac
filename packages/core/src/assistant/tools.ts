import { z } from 'zod';
import { createRecurringTaskSchema, createTaskSchema, patchTaskSchema } from '../api/task-requests.ts';
import { REMIND_BEFORE_MAX_MINUTES, prioritySchema, tagsSchema, titleSchema } from '../task.ts';

/**
 * The assistant's tools: one vocabulary for the MCP server, the LLM agent and the built-in parser.
 * Arguments are snake_case like the REST API; a task is named by `task_id` or by `task_title`.
 */

const dateInput = z.string().min(10).max(40).describe('ISO 8601 date or date-time; without an offset it is the user\'s local time');
const status = z.enum(['all', 'pending', 'completed']).describe('which tasks (default pending)');
const limit = z.number().int().min(1).max(100).describe('how many tasks at most (default 20)');

/** Names a task: its id, or (part of) its title. The first wins when both are given. */
export const taskRefShape = {
  task_id: z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]).optional().describe('the task id'),
  task_title: z.string().trim().min(1).max(200).optional().describe('the task title, or enough of it to find the task'),
};

export const TOOL_NAMES = [
  'add_task',
  'list_tasks',
  'complete_task',
  'delete_task',
  'update_task',
  'search_tasks',
  'set_priority',
  'add_tag',
  'remove_tag',
  'set_due_date',
  'set_reminder',
  'create_recurring',
  'filter_tasks',
  'sort_tasks',
  'complete_tasks',
  'delete_tasks',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

const { version: _v, title: _t, completed: _c, ...patchFields } = patchTaskSchema.shape;

/**
 * Completing or deleting several tasks takes two calls: the first names the tasks (by ids or filters) and
 * changes nothing; it answers CONFIRMATION_REQUIRED with the list and a single-use `confirm_token`. Only a
 * second call with that token acts, on exactly the tasks listed. In the chat the token never reaches the
 * language model: the user confirms with "yes" or the panel's button.
 */
function bulkShape(verb: 'complete' | 'delete') {
  return {
    task_ids: z.array(z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)])).min(1).max(100).optional().describe(`the tasks to ${verb}`),
    status: status.optional(),
    priority: z.array(prioritySchema).max(3).optional(),
    tags: tagsSchema.optional().describe('tasks carrying all of these tags'),
    due_before: dateInput.optional(),
    due_after: dateInput.optional(),
    overdue: z.boolean().optional(),
    search: z.string().trim().min(1).max(200).optional().describe('words in the title or description'),
    confirm_token: z.string().min(10).max(100).optional().describe('from the CONFIRMATION_REQUIRED answer of the first call, once the user agreed'),
  };
}

/** Tools whose first call only asks: the chat gives the language model these without `confirm_token`. */
export const CONFIRMED_TOOLS: readonly ToolName[] = ['complete_tasks', 'delete_tasks'];
/** Tools that remove or close tasks: MCP clients are told so (destructiveHint). */
export const DESTRUCTIVE_TOOLS: readonly ToolName[] = ['delete_task', 'complete_task', 'complete_tasks', 'delete_tasks'];

/** Object shapes (not refined schemas): MCP clients and LLMs receive them as JSON Schema. */
export const toolInputShapes = {
  add_task: createTaskSchema.shape,
  list_tasks: { status: status.optional(), limit: limit.optional() },
  complete_task: { ...taskRefShape, completed: z.boolean().optional().describe('false re-opens the task (default true)') },
  delete_task: { ...taskRefShape },
  update_task: { ...taskRefShape, title: titleSchema.optional().describe('the new title'), ...patchFields },
  search_tasks: { query: z.string().trim().min(1).max(200).describe('words to find in titles and descriptions'), status: status.optional(), limit: limit.optional() },
  set_priority: { ...taskRefShape, priority: prioritySchema },
  add_tag: { ...taskRefShape, tags: tagsSchema.describe('tags to add') },
  remove_tag: { ...taskRefShape, tags: tagsSchema.describe('tags to remove') },
  set_due_date: {
    ...taskRefShape,
    due_date: dateInput.nullable().describe('the new due date; null clears it'),
    remind_before_minutes: z.number().int().min(0).max(REMIND_BEFORE_MAX_MINUTES).nullable().optional(),
  },
  set_reminder: {
    ...taskRefShape,
    remind_before_minutes: z.number().int().min(0).max(REMIND_BEFORE_MAX_MINUTES).nullable().optional().describe('minutes before the due date; null clears the reminder'),
    reminder_at: dateInput.nullable().optional().describe('an exact reminder time instead; null clears the reminder'),
  },
  create_recurring: createRecurringTaskSchema.shape,
  filter_tasks: {
    status: status.optional(),
    priority: z.array(prioritySchema).max(3).optional(),
    tags: tagsSchema.optional().describe('tasks carrying all of these tags'),
    due_before: dateInput.optional(),
    due_after: dateInput.optional(),
    overdue: z.boolean().optional(),
    has_due_date: z.boolean().optional(),
    limit: limit.optional(),
  },
  sort_tasks: {
    sort: z.enum(['due_date', 'priority', 'title', 'created_at']),
    order: z.enum(['asc', 'desc']).optional(),
    status: status.optional(),
    limit: limit.optional(),
  },
  complete_tasks: bulkShape('complete'),
  delete_tasks: bulkShape('delete'),
} as const satisfies Record<ToolName, z.ZodRawShape>;

export const TOOL_DESCRIPTIONS: Record<ToolName, string> = {
  add_task: 'Create a task with optional description, priority, tags, due date, reminder and recurrence.',
  list_tasks: 'List the user\'s tasks, newest first (pending ones unless status says otherwise).',
  complete_task: 'Mark a task as done (or not done with completed=false). A recurring task gets its next occurrence.',
  delete_task: 'Delete a task.',
  update_task: 'Change a task\'s title, description, priority, tags, due date, reminder or recurrence.',
  search_tasks: 'Find tasks whose title or description matches the words.',
  set_priority: 'Set a task\'s priority (high, medium, low).',
  add_tag: 'Add tags to a task.',
  remove_tag: 'Remove tags from a task.',
  set_due_date: 'Set or clear a task\'s due date.',
  set_reminder: 'Set a reminder: minutes before the due date, or an exact time.',
  create_recurring: 'Create a task that repeats daily, weekly, monthly or yearly.',
  filter_tasks: 'List tasks by status, priority, tags, due range or overdue.',
  sort_tasks: 'List tasks sorted by due date, priority, title or creation time.',
  complete_tasks:
    'Complete several tasks (by ids or filters). The first call changes nothing and returns the list with a confirm_token; show it to the user and call again with only confirm_token once they agree.',
  delete_tasks:
    'Delete several tasks (by ids or filters). The first call changes nothing and returns the list with a confirm_token; show it to the user and call again with only confirm_token once they agree.',
};

export const toolInputSchemas = Object.fromEntries(
  TOOL_NAMES.map((name) => [name, z.object(toolInputShapes[name]).strict()]),
) as { [K in ToolName]: z.ZodObject<(typeof toolInputShapes)[K]> };

export type ToolInput<K extends ToolName> = z.input<(typeof toolInputSchemas)[K]>;

/** A tool call as the parser or an LLM proposes it; arguments are validated before running. */
export interface ToolCall {
  name: ToolName;
  arguments: Record<string, unknown>;
}

export const isToolName = (s: string): s is ToolName => (TOOL_NAMES as readonly string[]).includes(s);
