import {
  DomainError,
  describeTask,
  describeTaskList,
  isToolName,
  type ListTasksQuery,
  notFound,
  recurringToCreateRequest,
  type Task,
  type TaskDto,
  toolInputSchemas,
  type ToolName,
  toTaskDto,
} from '@dueflow/core';
import type { z } from 'zod';
import type { Caller, TaskService } from '../tasks/task-service.ts';

/** What a tool returns to MCP clients and the LLM: a sentence for people plus the data. */
export interface ToolResult {
  ok: boolean;
  message: string;
  task?: TaskDto;
  tasks?: TaskDto[];
  total?: number;
  error?: { code: string; message: string; details?: unknown };
}

type Args<K extends ToolName> = z.output<(typeof toolInputSchemas)[K]>;
type TaskRef = { task_id?: number | string | undefined; task_title?: string | undefined };

const DEFAULT_LIMIT = 20;

/**
 * Runs the assistant's tools against the task service, always as the caller. Bad arguments and
 * domain errors come back as results (not exceptions) so an agent can read them and try again.
 */
export class TaskTools {
  constructor(
    private readonly tasks: TaskService,
    private readonly now: () => Date,
  ) {}

  async run(caller: Caller, name: string, rawArgs: unknown): Promise<ToolResult> {
    if (!isToolName(name)) return failure('UNKNOWN_TOOL', `there is no tool named ${name}`);
    const parsed = toolInputSchemas[name].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return failure('VALIDATION_FAILED', details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '), details);
    }
    try {
      return await this.dispatch(caller, name, parsed.data);
    } catch (err) {
      if (err instanceof DomainError) return failure(err.code, err.message, err.details);
      throw err;
    }
  }

  private dispatch(caller: Caller, name: ToolName, args: unknown): Promise<ToolResult> {
    switch (name) {
      case 'add_task':
        return this.created(caller, this.tasks.createFromRequest(caller, args as Args<'add_task'>));
      case 'create_recurring':
        return this.created(caller, this.tasks.createFromRequest(caller, recurringToCreateRequest(args as Args<'create_recurring'>)));
      case 'list_tasks': {
        const a = args as Args<'list_tasks'>;
        return this.listed(caller, { status: a.status ?? 'pending', limit: a.limit ?? DEFAULT_LIMIT }, 'You have no tasks here.');
      }
      case 'search_tasks': {
        const a = args as Args<'search_tasks'>;
        return this.listed(caller, { search: a.query, status: a.status ?? 'all', limit: a.limit ?? DEFAULT_LIMIT }, `No task matches “${a.query}”.`);
      }
      case 'filter_tasks': {
        const { limit, status, ...filters } = args as Args<'filter_tasks'>;
        return this.listed(caller, { ...filters, status: status ?? 'pending', limit: limit ?? DEFAULT_LIMIT }, 'No task matches these filters.');
      }
      case 'sort_tasks': {
        const { limit, status, ...sort } = args as Args<'sort_tasks'>;
        return this.listed(caller, { ...sort, status: status ?? 'pending', limit: limit ?? DEFAULT_LIMIT }, 'You have no tasks here.');
      }
      default:
        return this.onOneTask(caller, name, args as TaskRef);
    }
  }

  private async onOneTask(caller: Caller, name: ToolName, args: TaskRef): Promise<ToolResult> {
    const task = await this.resolve(caller, args);
    const { task_id: _id, task_title: _title, ...rest } = args as TaskRef & Record<string, unknown>;
    switch (name) {
      case 'complete_task': {
        const completed = (rest as { completed?: boolean }).completed ?? true;
        const done = await this.tasks.complete(caller, task.id, completed);
        const next = completed && done.recurrence ? ' The next one will appear shortly.' : '';
        return this.one(caller, done, `${completed ? 'Completed' : 'Reopened'}: `, next);
      }
      case 'delete_task':
        await this.tasks.delete(caller, task.id);
        return { ok: true, message: `Deleted: ${describeTask(task, caller.timezone, this.now())}`, task: toTaskDto(task) };
      case 'update_task':
        return this.one(caller, await this.tasks.update(caller, task.id, rest, { replace: false }), 'Updated: ');
      case 'set_priority':
        return this.one(caller, await this.tasks.setPriority(caller, task.id, (rest as Args<'set_priority'>).priority), 'Updated: ');
      case 'add_tag':
        return this.one(caller, await this.tasks.editTags(caller, task.id, { add: (rest as Args<'add_tag'>).tags }), 'Tagged: ');
      case 'remove_tag':
        return this.one(caller, await this.tasks.editTags(caller, task.id, { remove: (rest as Args<'remove_tag'>).tags }), 'Updated: ');
      case 'set_due_date':
        return this.one(caller, await this.tasks.setDueDate(caller, task.id, rest as Args<'set_due_date'>), 'Updated: ');
      case 'set_reminder': {
        const r = rest as Args<'set_reminder'>;
        if (r.remind_before_minutes === undefined && r.reminder_at === undefined) {
          return failure('VALIDATION_FAILED', 'give remind_before_minutes or reminder_at');
        }
        return this.one(caller, await this.tasks.setDueDate(caller, task.id, r), 'Reminder set: ');
      }
      default:
        return failure('UNKNOWN_TOOL', `there is no tool named ${name}`);
    }
  }

  /** A task named by id, or found by its title: an exact title first, then the only search match. */
  private async resolve(caller: Caller, ref: TaskRef): Promise<Task> {
    if (ref.task_id !== undefined) return this.tasks.get(caller, String(ref.task_id));
    const title = ref.task_title;
    if (!title) throw new DomainError('validation', 'TASK_REFERENCE_REQUIRED', 'name the task with task_id or task_title');
    const wanted = title.toLowerCase();
    for (const status of ['pending', 'all'] as const) {
      const { tasks } = await this.tasks.list(caller, { search: title, status, limit: 10 });
      const exact = tasks.filter((t) => t.title.toLowerCase() === wanted);
      const candidates = exact.length > 0 ? exact : tasks;
      if (candidates.length === 1 && candidates[0]) return candidates[0];
      if (candidates.length > 1) {
        const names = candidates.slice(0, 5).map((t) => `#${t.id} ${t.title}`).join(', ');
        throw new DomainError('conflict', 'AMBIGUOUS_TASK', `more than one task matches “${title}”: ${names}. Say which one by its number.`, {
          candidates: candidates.map((t) => ({ id: Number(t.id), title: t.title })),
        });
      }
    }
    throw notFound('TASK_NOT_FOUND', `no task matches “${title}”`);
  }

  private async created(caller: Caller, pending: Promise<Task>): Promise<ToolResult> {
    return this.one(caller, await pending, 'Added: ');
  }

  private one(caller: Caller, task: Task, prefix: string, suffix = ''): ToolResult {
    return { ok: true, message: `${prefix}${describeTask(task, caller.timezone, this.now())}.${suffix}`, task: toTaskDto(task) };
  }

  private async listed(caller: Caller, query: ListTasksQuery, empty: string): Promise<ToolResult> {
    const page = await this.tasks.list(caller, query);
    const message = describeTaskList(page.tasks, page.total, caller.timezone, this.now(), empty);
    return { ok: true, message, tasks: page.tasks.map(toTaskDto), total: page.total };
  }
}

function failure(code: string, message: string, details?: unknown): ToolResult {
  return { ok: false, message, error: { code, message, ...(details === undefined ? {} : { details }) } };
}
