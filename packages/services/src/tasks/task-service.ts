import { randomUUID } from 'node:crypto';
import {
  applyChanges,
  conflict,
  createTaskSchema,
  decodeCursor,
  DEFAULT_ORDER,
  encodeCursor,
  type EditableTaskFields,
  type FieldChanges,
  LIST_LIMIT_DEFAULT,
  type ListTasksQuery,
  mergeTags,
  notFound,
  parseUserDate,
  pickEditable,
  planNextOccurrence,
  readQuickAdd,
  planCreate,
  type Priority,
  sameFields,
  type Task,
  type TaskEventType,
  type TaskQuery,
  titleSchema,
  unprocessable,
  validationError,
} from '@dueflow/core';
import { type Database, type Db, type TaskUpdate, tasksRepo } from '@dueflow/db';
import { type EventWriter, UnitOfWork } from '../unit-of-work.ts';
import { SavedFilterService } from './saved-filters.ts';
import { taskChangeMessages } from './events.ts';

/** Who is asking: every operation is scoped to this user. */
export interface Caller {
  userId: string;
  timezone: string;
}

export interface TaskServiceDeps {
  database: Database;
  now: () => Date;
  /** Called after a commit that wrote outbox events (wakes the relay). */
  afterCommit: () => void;
}

export interface TaskList {
  tasks: Task[];
  nextCursor: string | null;
  total: number;
}

/**
 * The task use cases. Each change runs in one transaction that also writes its events to the
 * outbox; the relay publishes them after commit.
 */
export class TaskService {
  /** The caller's saved filters (names for searches, filters and sorts of this list). */
  readonly filters: SavedFilterService;
  private readonly work: UnitOfWork;

  constructor(private readonly deps: TaskServiceDeps) {
    this.work = new UnitOfWork(deps.database, deps.afterCommit);
    this.filters = new SavedFilterService(deps);
  }

  private get db(): Db {
    return this.deps.database.db;
  }

  async create(caller: Caller, fields: EditableTaskFields): Promise<Task> {
    const now = this.deps.now();
    return this.work.run(async (tx, events) => {
      const task = await tasksRepo.insertTask(tx, {
        ...fields,
        userId: caller.userId,
        seriesId: fields.recurrence ? randomUUID() : null,
      }, now);
      events.add(...taskChangeMessages('task.created', task, now));
      return task;
    });
  }

  /** Plans a new task from request fields in the caller's time zone, then creates it. */
  async createFromRequest(caller: Caller, req: Parameters<typeof planCreate>[0]): Promise<Task> {
    return this.create(caller, planCreate(req, { timezone: caller.timezone, now: this.deps.now() }));
  }

  /** Quick add: the text is read for due date, priority, tags, reminder and repetition; the rest is the title. */
  async quickAdd(caller: Caller, text: string): Promise<Task> {
    const reading = readQuickAdd(text, { now: this.deps.now(), timezone: caller.timezone });
    const title = titleSchema.safeParse(reading.request.title);
    if (!title.success) throw validationError('VALIDATION_FAILED', title.error.issues[0]?.message ?? 'title is not valid');
    return this.createFromRequest(caller, createTaskSchema.parse(reading.request));
  }

  async get(caller: Caller, id: string): Promise<Task> {
    const task = await tasksRepo.findTask(this.db, caller.userId, id);
    if (!task) throw taskNotFound(id);
    return task;
  }

  async list(caller: Caller, q: ListTasksQuery): Promise<TaskList> {
    const now = this.deps.now();
    const sort = q.sort ?? (q.search ? 'relevance' : 'created_at');
    const order = q.order ?? DEFAULT_ORDER[sort];
    const query: TaskQuery = {
      search: q.search && q.search.length > 0 ? q.search : null,
      status: q.status ?? 'all',
      priorities: q.priority ?? [],
      tags: q.tags ?? [],
      dueBefore: q.due_before ? parseUserDate(q.due_before, caller.timezone, 'due_before', 'end') : null,
      dueAfter: q.due_after ? parseUserDate(q.due_after, caller.timezone, 'due_after', 'start') : null,
      overdue: q.overdue ?? false,
      hasDueDate: q.has_due_date ?? null,
      sort: sort === 'relevance' && !q.search ? 'created_at' : sort,
      order,
      limit: q.limit ?? LIST_LIMIT_DEFAULT,
      cursor: null,
      now,
    };
    if (q.cursor) query.cursor = decodeCursor(q.cursor, query.sort, query.order);
    const page = await tasksRepo.listTasks(this.db, caller.userId, query);
    let nextCursor: string | null = null;
    if (page.offset !== null) nextCursor = encodeCursor({ kind: 'offset', offset: page.offset, sort: 'relevance', order: query.order });
    else if (page.last) {
      nextCursor = encodeCursor({ kind: 'key', sort: query.sort, order: query.order, ...page.last });
    }
    return { tasks: page.tasks, nextCursor, total: page.total };
  }

  /**
   * Loads the task for update, checks the optimistic version, lets `change` compute the new
   * fields, writes them and the matching event.
   */
  private async mutate(
    caller: Caller,
    id: string,
    expectedVersion: number | undefined,
    change: (task: Task, now: Date) => { update: TaskUpdate; type: TaskEventType } | null,
  ): Promise<Task> {
    const now = this.deps.now();
    return this.work.run(async (tx, events) => {
      const task = await tasksRepo.findTask(tx, caller.userId, id, { forUpdate: true });
      if (!task) throw taskNotFound(id);
      if (expectedVersion !== undefined && expectedVersion !== task.version) {
        throw conflict('VERSION_CONFLICT', `task ${id} was changed by someone else (version ${task.version}); reload and retry`, {
          current_version: task.version,
        });
      }
      const plan = change(task, now);
      if (!plan) return task;
      const updated = await tasksRepo.updateTask(tx, caller.userId, id, plan.update, now);
      if (!updated) throw taskNotFound(id);
      events.add(...taskChangeMessages(plan.type, updated, now));
      if (plan.type === 'task.uncompleted') await this.removeUntouchedNextOccurrence(tx, events, caller, id, now);
      return updated;
    });
  }

  /** PUT (replace=true: omitted fields return to defaults) and PATCH (merge). */
  async update(
    caller: Caller,
    id: string,
    changes: FieldChanges & { completed?: boolean },
    opts: { replace: boolean; version?: number },
  ): Promise<Task> {
    return this.mutate(caller, id, opts.version, (task, now) => {
      const ctx = { timezone: caller.timezone, now };
      const base: EditableTaskFields = opts.replace ? planCreate({ title: task.title }, ctx) : pickEditable(task);
      const { completed, ...fieldChanges } = changes;
      const fields = applyChanges(base, fieldChanges, ctx);
      const completionChanges = completed !== undefined && completed !== task.completed;
      // A write that changes nothing keeps the version and emits no event.
      if (!completionChanges && sameFields(pickEditable(task), fields)) return null;
      const update: TaskUpdate = { ...fields };
      let type: TaskEventType = 'task.updated';
      if (completionChanges) {
        update.completed = completed;
        update.completedAt = completed ? now : null;
        type = completed ? 'task.completed' : 'task.uncompleted';
      }
      if (fields.recurrence && !task.seriesId) update.seriesId = randomUUID();
      return { update, type };
    });
  }

  /** Toggles, or sets when `completed` is given. */
  async complete(caller: Caller, id: string, completed: boolean | undefined, version?: number): Promise<Task> {
    return this.mutate(caller, id, version, (task, now) => {
      const target = completed ?? !task.completed;
      if (target === task.completed) return null;
      return {
        update: { completed: target, completedAt: target ? now : null },
        type: target ? 'task.completed' : 'task.uncompleted',
      };
    });
  }

  async setPriority(caller: Caller, id: string, priority: Priority, version?: number): Promise<Task> {
    return this.mutate(caller, id, version, (task) =>
      task.priority === priority ? null : { update: { priority }, type: 'task.updated' },
    );
  }

  async editTags(
    caller: Caller,
    id: string,
    edit: { tags?: string[]; add?: string[]; remove?: string[] },
    version?: number,
  ): Promise<Task> {
    return this.mutate(caller, id, version, (task) => {
      const tags = edit.tags ?? mergeTags(task.tags, edit.add ?? [], edit.remove ?? []);
      if (tags.length > 20) throw conflictTags();
      if (tags.length === task.tags.length && tags.every((t, i) => t === task.tags[i])) return null;
      return { update: { tags }, type: 'task.updated' };
    });
  }

  async setDueDate(
    caller: Caller,
    id: string,
    changes: Pick<FieldChanges, 'due_date' | 'remind_before_minutes' | 'reminder_at'>,
    version?: number,
  ): Promise<Task> {
    return this.mutate(caller, id, version, (task, now) => {
      const fields = applyChanges(pickEditable(task), changes, { timezone: caller.timezone, now });
      if (sameFields(pickEditable(task), fields)) return null;
      return { update: fields, type: 'task.updated' };
    });
  }

  /**
   * Undoing a completion takes back what it caused: the next occurrence that completion created,
   * while nobody has touched it (version 1, still open). An edited or completed one stays.
   */
  private async removeUntouchedNextOccurrence(tx: Db, events: EventWriter, caller: Caller, id: string, now: Date): Promise<void> {
    const next = await tasksRepo.findNextOccurrence(tx, id);
    if (!next || next.userId !== caller.userId || next.completed || next.version !== 1) return;
    const removed = await tasksRepo.deleteTask(tx, caller.userId, next.id, now);
    if (removed) events.add(...taskChangeMessages('task.deleted', removed, now));
  }

  /**
   * Skips the current occurrence of a recurring task: it moves to the series' next date (its
   * reminder with it) without being completed, and the rule keeps its anchor, so the series does
   * not drift (monthly on the 31st stays on month ends). 422 SERIES_ENDED when there is no next date.
   */
  async skipOccurrence(caller: Caller, id: string, version?: number): Promise<Task> {
    return this.mutate(caller, id, version, (task, now) => {
      if (!task.recurrence) throw unprocessable('NOT_RECURRING', `task ${id} does not repeat`);
      if (task.completed) throw unprocessable('TASK_COMPLETED', `task ${id} is completed; reopen it to skip this occurrence`);
      const next = planNextOccurrence(pickEditable(task), { completedAt: now, now, occurrenceNumber: task.seriesIndex });
      if (!next) throw unprocessable('SERIES_ENDED', 'this is the last occurrence of the series: complete or delete it');
      return { update: { dueDate: next.dueDate, reminderAt: next.reminderAt, seriesIndex: task.seriesIndex + 1 }, type: 'task.updated' };
    });
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const now = this.deps.now();
    await this.work.run(async (tx, events) => {
      const task = await tasksRepo.deleteTask(tx, caller.userId, id, now);
      if (!task) throw taskNotFound(id);
      events.add(...taskChangeMessages('task.deleted', task, now));
    });
  }

  /** Undoes a delete (within 30 days): the task returns with its id, fields and history; its reminder is rescheduled. */
  async restore(caller: Caller, id: string): Promise<Task> {
    const now = this.deps.now();
    return this.work.run(async (tx, events) => {
      const task = await tasksRepo.restoreTask(tx, caller.userId, id, now);
      if (!task) throw notFound('DELETED_TASK_NOT_FOUND', `no deleted task ${id} to restore`);
      events.add(...taskChangeMessages('task.created', task, now));
      return task;
    });
  }

  /**
   * Creates the next occurrence of a completed recurring task, exactly once per completed task:
   * a repeat returns the occurrence created the first time. Null when the completed task is gone
   * (deleted since) or is not the user's: the series ends there.
   */
  async createNextOccurrence(
    userId: string,
    parentId: string,
    fields: EditableTaskFields,
    seriesId: string | null,
  ): Promise<{ task: Task; created: boolean } | null> {
    const now = this.deps.now();
    return this.work.run(async (tx, events) => {
      const parent = await tasksRepo.findTask(tx, userId, parentId, { forUpdate: true });
      // Gone, or reopened since (its completion was undone): the series does not move on.
      if (!parent || !parent.completed) return null;
      const result = await tasksRepo.insertNextOccurrence(tx, {
        ...fields,
        userId,
        recurringParentId: parentId,
        seriesId,
        seriesIndex: parent.seriesIndex + 1,
      }, now);
      if (result.created) events.add(...taskChangeMessages('task.created', result.task, now));
      return result;
    });
  }

  async tags(caller: Caller) {
    return tasksRepo.tagCounts(this.db, caller.userId);
  }
}

const taskNotFound = (id: string) => notFound('TASK_NOT_FOUND', `task ${id} not found`);
const conflictTags = () => unprocessable('TOO_MANY_TAGS', 'a task has at most 20 tags');
