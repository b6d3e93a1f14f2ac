import { randomBytes } from 'node:crypto';
import {
  clockAt,
  describeTask,
  describeTaskList,
  describeWhen,
  DomainError,
  type FieldChanges,
  idToJson,
  isToolName,
  type ListTasksQuery,
  notFound,
  type Recurrence,
  recurrenceToInput,
  recurringToCreateRequest,
  resolveTarget,
  type Task,
  type TaskDto,
  toolInputSchemas,
  type ToolName,
  toTaskDto,
} from '@dueflow/core';
import type { StateStore } from '@dueflow/runtime';
import type { z } from 'zod';
import type { Caller, TaskService } from '../tasks/task-service.ts';

/** How to take one tool call back: a created task goes, a deleted one returns, an edited one gets its old fields. */
export type UndoOp = { kind: 'created'; task_id: string } | { kind: 'deleted'; task_id: string; title?: string } | { kind: 'edited'; task_id: string; before: TaskDto };

/** What a tool returns to MCP clients and the LLM: a sentence for people plus the data. */
export interface ToolResult {
  ok: boolean;
  message: string;
  task?: TaskDto;
  tasks?: TaskDto[];
  total?: number;
  error?: { code: string; message: string; details?: unknown };
  /** Kept by the chat for "undo"; never sent to clients. */
  undo?: UndoOp[];
}

type Args<K extends ToolName> = z.output<(typeof toolInputSchemas)[K]>;
type TaskRef = { task_id?: number | string | undefined; task_title?: string | undefined };
type BulkArgs = Args<'delete_tasks'>;

const DEFAULT_LIMIT = 20;
/** A confirmation is good for this long, once. */
const CONFIRM_TTL_MS = 10 * 60_000;
const SHOWN = 10;

interface StoredConfirmation {
  tool: 'complete_tasks' | 'delete_tasks';
  task_ids: string[];
  expires_at: number;
}

const confirmKey = (userId: string, token: string) => `confirm:${userId}:${token}`;

/**
 * Runs the assistant's tools against the task service, always as the caller. Bad arguments and
 * domain errors come back as results (not exceptions) so an agent can read them and try again.
 * A title names a task only when it fits clearly (see core's resolveTarget); otherwise the answer
 * is AMBIGUOUS_TASK with the candidates, so no client can make the tools guess.
 */
export class TaskTools {
  constructor(
    private readonly tasks: TaskService,
    private readonly now: () => Date,
    private readonly state: StateStore,
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

  /** Every task of the caller (open and done), for matching names and sets. */
  async allTasks(caller: Caller): Promise<Task[]> {
    const out: Task[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.tasks.list(caller, { status: 'all', limit: 200, sort: 'created_at', order: 'asc', ...(cursor ? { cursor } : {}) });
      out.push(...res.tasks);
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    return out;
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
      case 'complete_tasks':
      case 'delete_tasks':
        return this.bulk(caller, name, args as BulkArgs);
      default:
        return this.onOneTask(caller, name, args as TaskRef);
    }
  }

  private async onOneTask(caller: Caller, name: ToolName, args: TaskRef): Promise<ToolResult> {
    const task = await this.resolve(caller, args, name);
    const { task_id: _id, task_title: _title, ...rest } = args as TaskRef & Record<string, unknown>;
    const edited = (after: Task): UndoOp[] => (after.version !== task.version ? [{ kind: 'edited', task_id: task.id, before: toTaskDto(task) }] : []);
    switch (name) {
      case 'complete_task': {
        const completed = (rest as { completed?: boolean }).completed ?? true;
        if (task.completed === completed) {
          return { ...this.one(caller, task, completed ? 'Already done: ' : 'Already open: '), undo: [] };
        }
        const done = await this.tasks.complete(caller, task.id, completed);
        const next = completed && done.recurrence ? ' The next one will appear shortly.' : '';
        return { ...this.one(caller, done, `${completed ? 'Completed' : 'Reopened'}: `, next), undo: edited(done) };
      }
      case 'delete_task':
        await this.tasks.delete(caller, task.id);
        return { ok: true, message: `Deleted: ${describeTask(task, caller.timezone, this.now())}.`, task: toTaskDto(task), undo: [{ kind: 'deleted', task_id: task.id, title: task.title }] };
      case 'update_task': {
        const after = await this.tasks.update(caller, task.id, rest, { replace: false });
        return { ...this.one(caller, after, 'Updated: '), undo: edited(after) };
      }
      case 'set_priority': {
        const after = await this.tasks.setPriority(caller, task.id, (rest as Args<'set_priority'>).priority);
        return { ...this.one(caller, after, 'Updated: '), undo: edited(after) };
      }
      case 'add_tag': {
        const after = await this.tasks.editTags(caller, task.id, { add: (rest as Args<'add_tag'>).tags });
        return { ...this.one(caller, after, 'Tagged: '), undo: edited(after) };
      }
      case 'remove_tag': {
        const after = await this.tasks.editTags(caller, task.id, { remove: (rest as Args<'remove_tag'>).tags });
        return { ...this.one(caller, after, 'Updated: '), undo: edited(after) };
      }
      case 'set_due_date': {
        const after = await this.tasks.setDueDate(caller, task.id, rest as Args<'set_due_date'>);
        return { ...this.one(caller, after, 'Updated: '), undo: edited(after) };
      }
      case 'set_reminder': {
        const r = rest as Args<'set_reminder'>;
        if (r.remind_before_minutes === undefined && r.reminder_at === undefined) {
          return failure('VALIDATION_FAILED', 'give remind_before_minutes or reminder_at');
        }
        const after = await this.tasks.setDueDate(caller, task.id, r);
        return { ...this.one(caller, after, 'Reminder set: '), undo: edited(after) };
      }
      default:
        return failure('UNKNOWN_TOOL', `there is no tool named ${name}`);
    }
  }

  /**
   * A task named by id, or by a title that fits it clearly better than any other (word forms, articles and
   * small typos forgiven). Several equal fits, or only a loose one, is AMBIGUOUS_TASK with the candidates.
   */
  private async resolve(caller: Caller, ref: TaskRef, name: ToolName): Promise<Task> {
    if (ref.task_id !== undefined) return this.tasks.get(caller, String(ref.task_id));
    const title = ref.task_title;
    if (!title) throw new DomainError('validation', 'TASK_REFERENCE_REQUIRED', 'name the task with task_id or task_title');
    const action = name === 'delete_task' ? 'delete' : name === 'complete_task' ? 'complete' : 'update';
    const found = resolveTarget({ kind: 'title', text: title }, await this.allTasks(caller), action, clockAt(this.now(), caller.timezone));
    if (found.kind === 'tasks' && found.tasks.length === 1 && found.tasks[0]) return found.tasks[0];
    if (found.kind === 'ask' || found.kind === 'tasks') {
      const candidates = found.kind === 'ask' ? found.candidates : found.tasks;
      const names = candidates.slice(0, 5).map((t) => this.candidateLine(caller, t)).join('; ');
      throw new DomainError('conflict', 'AMBIGUOUS_TASK', `“${title}” could be: ${names}. Say which one by its number.`, {
        candidates: candidates.map((t) => ({ id: idToJson(t.id), title: t.title, due_date: t.dueDate?.toISOString() ?? null, completed: t.completed })),
      });
    }
    throw notFound('TASK_NOT_FOUND', `no task matches “${title}”`);
  }

  private candidateLine(caller: Caller, t: Task): string {
    const due = t.dueDate ? `, due ${describeWhen(t.dueDate, caller.timezone, this.now())}` : '';
    return `#${t.id} ${t.title}${due}${t.completed ? ', done' : ''}`;
  }

  /** First call: the list and a token, nothing changed. Second call (token only): exactly those tasks. */
  private async bulk(caller: Caller, name: 'complete_tasks' | 'delete_tasks', args: BulkArgs): Promise<ToolResult> {
    const verb = name === 'delete_tasks' ? 'delete' : 'complete';
    if (args.confirm_token) {
      const key = confirmKey(caller.userId, args.confirm_token);
      const stored = await this.state.get<StoredConfirmation>(key);
      if (!stored || stored.tool !== name || stored.expires_at < this.now().getTime()) {
        return failure('CONFIRMATION_INVALID', 'that confirmation is unknown, used or expired; ask again');
      }
      await this.state.delete(key);
      return this.applyBulk(caller, name, stored.task_ids);
    }
    const { confirm_token: _t, task_ids, search, ...filters } = args;
    let targets: Task[];
    if (task_ids) {
      targets = [];
      for (const id of [...new Set(task_ids.map(String))]) targets.push(await this.tasks.get(caller, id));
    } else {
      if (Object.keys(filters).length === 0 && !search) return failure('VALIDATION_FAILED', 'name the tasks with task_ids or filters');
      targets = (await this.tasks.list(caller, { ...filters, ...(search ? { search } : {}), status: filters.status ?? 'pending', limit: 100, sort: 'due_date' })).tasks;
    }
    if (verb === 'complete') targets = targets.filter((t) => !t.completed);
    if (targets.length === 0) return { ok: true, message: `No tasks to ${verb}.`, tasks: [], total: 0 };
    const token = randomBytes(18).toString('base64url');
    const expires = this.now().getTime() + CONFIRM_TTL_MS;
    await this.state.set(confirmKey(caller.userId, token), { tool: name, task_ids: targets.map((t) => t.id), expires_at: expires } satisfies StoredConfirmation);
    const list = describeTaskList(targets.slice(0, SHOWN), targets.length, caller.timezone, this.now(), '');
    const message = `${verb === 'delete' ? 'Delete' : 'Complete'} ${targets.length === 1 ? 'this task' : `these ${targets.length} tasks`}? Nothing has changed yet.\n${list}`;
    return {
      ok: false,
      message,
      tasks: targets.map(toTaskDto),
      total: targets.length,
      error: {
        code: 'CONFIRMATION_REQUIRED',
        message: `confirm with the user, then call ${name} again with only confirm_token`,
        details: { confirm_token: token, task_ids: targets.map((t) => idToJson(t.id)), expires_at: new Date(expires).toISOString() },
      },
    };
  }

  private async applyBulk(caller: Caller, name: 'complete_tasks' | 'delete_tasks', ids: string[]): Promise<ToolResult> {
    const done: Task[] = [];
    const undo: UndoOp[] = [];
    for (const id of ids) {
      const task = await this.tasks.get(caller, id).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'TASK_NOT_FOUND') return null;
        throw err;
      });
      if (!task) continue;
      if (name === 'delete_tasks') {
        await this.tasks.delete(caller, id);
        undo.push({ kind: 'deleted', task_id: id, title: task.title });
        done.push(task);
      } else if (!task.completed) {
        done.push(await this.tasks.complete(caller, id, true));
        undo.push({ kind: 'edited', task_id: id, before: toTaskDto(task) });
      }
    }
    const verb = name === 'delete_tasks' ? 'Deleted' : 'Completed';
    const list = describeTaskList(done.slice(0, SHOWN), done.length, caller.timezone, this.now(), '');
    return { ok: true, message: done.length === 0 ? 'Nothing left to change: those tasks are gone.' : `${verb} ${done.length} task${done.length === 1 ? '' : 's'}:\n${list}`, tasks: done.map(toTaskDto), total: done.length, undo };
  }

  /** Takes tool calls back, newest first: deleted tasks are restored, created ones deleted, edited ones get their old fields. */
  async revert(caller: Caller, ops: readonly UndoOp[]): Promise<Task[]> {
    const touched: Task[] = [];
    for (const op of [...ops].reverse()) {
      // A task restored or deleted since, or a field the service now refuses, is skipped, not a failure of the rest.
      const done = await this.revertOne(caller, op).catch((err: unknown) => {
        if (err instanceof DomainError) return null;
        throw err;
      });
      if (done) touched.push(done);
    }
    return touched;
  }

  /** Brings back a deleted task (kept 30 days) with its id and fields. */
  async restore(caller: Caller, id: string): Promise<ToolResult> {
    try {
      const task = await this.tasks.restore(caller, id);
      return { ...this.one(caller, task, 'Restored: '), undo: [{ kind: 'created', task_id: task.id }] };
    } catch (err) {
      if (err instanceof DomainError) return failure(err.code, err.message, err.details);
      throw err;
    }
  }

  private async revertOne(caller: Caller, op: UndoOp): Promise<Task | null> {
    if (op.kind === 'deleted') return this.tasks.restore(caller, op.task_id);
    const current = await this.tasks.get(caller, op.task_id).catch(() => null);
    if (!current) return null;
    if (op.kind === 'created') {
      await this.tasks.delete(caller, op.task_id);
      return current;
    }
    const before = op.before;
    if (before.completed !== current.completed) {
      await this.tasks.complete(caller, op.task_id, before.completed);
      if (!before.completed && current.recurrence) await this.dropNextOccurrence(caller, op.task_id);
    }
    const fields: Record<string, unknown> = {
      title: before.title,
      description: before.description,
      priority: before.priority,
      tags: before.tags,
      due_date: before.due_date,
      recurrence: before.recurrence ? recurrenceToInput(before.recurrence as Recurrence) : null,
    };
    if (before.remind_before_minutes !== null) fields['remind_before_minutes'] = before.remind_before_minutes;
    else if (before.reminder_at !== null && Date.parse(before.reminder_at) > this.now().getTime()) fields['reminder_at'] = before.reminder_at;
    else fields['remind_before_minutes'] = null;
    return this.tasks.update(caller, op.task_id, fields as FieldChanges, { replace: false });
  }

  /** The occurrence a completion just made goes with the undo, unless someone changed it since. */
  private async dropNextOccurrence(caller: Caller, parentId: string): Promise<void> {
    const next = (await this.allTasks(caller)).find((t) => t.recurringParentId === parentId && !t.completed && t.version === 1);
    if (next) await this.tasks.delete(caller, next.id);
  }

  private async created(caller: Caller, pending: Promise<Task>): Promise<ToolResult> {
    const task = await pending;
    return { ...this.one(caller, task, 'Added: '), undo: [{ kind: 'created', task_id: task.id }] };
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
