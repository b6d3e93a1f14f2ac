// Changes made while Dueflow cannot be reached: kept on this device (localStorage, per user) in the
// order they were made, and replayed when the connection is back, by the same rules as online:
// a saved edit sends only its fields with the version it started from and is rebased field by field
// on a newer version (save-task.ts). A field that was changed elsewhere too keeps the other change
// (nobody is there to choose) and the user is told. Tested in offline-queue.unit.test.ts.
import { ApiError } from './api';
import { saveFields, type SaveApi } from './save-task';
import { changedFields, FIELD_LABEL, formFromTask, type FormValues } from './task-form';
import type { CreateTaskInput, Task } from './types';

export type QueuedChange =
  | { kind: 'create'; clientId: number; input: CreateTaskInput }
  | { kind: 'complete'; taskId: number; title: string; completed: boolean }
  | { kind: 'save'; taskId: number; base: Task; baseValues: FormValues; values: FormValues }
  | { kind: 'delete'; taskId: number; title: string };

export interface QueueEntry {
  id: string;
  change: QueuedChange;
}

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyOf = (userId: string) => `dueflow:offline:${userId}`;

export function loadQueue(storage: StorageLike | null, userId: string): QueueEntry[] {
  try {
    const raw = storage?.getItem(keyOf(userId));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? (parsed as QueueEntry[]) : [];
  } catch {
    return [];
  }
}

export function storeQueue(storage: StorageLike | null, userId: string, entries: readonly QueueEntry[]): void {
  try {
    if (entries.length === 0) storage?.removeItem(keyOf(userId));
    else storage?.setItem(keyOf(userId), JSON.stringify(entries));
  } catch {
    /* quota or private mode: the change lives only as long as this page */
  }
}

let counter = 0;
export function queueEntry(change: QueuedChange): QueueEntry {
  counter += 1;
  return { id: `${Date.now().toString(36)}-${counter}`, change };
}

/** A failure of the connection (offline, server unreachable), as opposed to a refusal. */
export const isOffline = (err: unknown): boolean => err instanceof ApiError && err.status === 0;

/** The entries with a task made offline (client id) named by the id the server gave it. */
export function remapClientId(entries: readonly QueueEntry[], clientId: number, taskId: number): QueueEntry[] {
  return entries.map((e) => {
    const c = e.change;
    if (c.kind === 'create' || c.taskId !== clientId) return e;
    if (c.kind === 'save') return { ...e, change: { ...c, taskId, base: { ...c.base, id: taskId } } };
    return { ...e, change: { ...c, taskId } };
  });
}

export interface ReplayApi extends SaveApi {
  createTask(input: CreateTaskInput): Promise<Task>;
  setCompleted(id: number, completed: boolean): Promise<Task>;
  deleteTask(id: number): Promise<void>;
}

export interface ReplayResult {
  /** Entries not sent yet (the connection went away again): kept for the next try. */
  remaining: QueueEntry[];
  applied: number;
  /** Tasks made from offline creates, by client id. */
  created: Map<number, Task>;
  /** Things the user should know ("“Pay rent”: Title was changed elsewhere too; that change was kept"). */
  notes: string[];
  /** The server's versions of tasks the replay changed. */
  tasks: Task[];
}

/** Sends the queued changes in order; stops at the first one the connection fails. */
export async function replayQueue(entries: readonly QueueEntry[], api: ReplayApi, timeZone: string): Promise<ReplayResult> {
  let queue = [...entries];
  const result: ReplayResult = { remaining: [], applied: 0, created: new Map(), notes: [], tasks: [] };
  while (queue.length > 0) {
    const entry = queue[0] as QueueEntry;
    const c = entry.change;
    try {
      if (c.kind === 'create') {
        const task = await api.createTask(c.input);
        result.created.set(c.clientId, task);
        result.tasks.push(task);
        queue = remapClientId(queue, c.clientId, task.id);
      } else if (c.taskId < 0) {
        // About a task whose creation was refused: nothing to do.
      } else if (c.kind === 'complete') {
        result.tasks.push(await api.setCompleted(c.taskId, c.completed));
      } else if (c.kind === 'delete') {
        await api.deleteTask(c.taskId).catch((err: unknown) => {
          if (!(err instanceof ApiError && err.status === 404)) throw err;
        });
      } else {
        const saved = await replaySave(api, c, timeZone, result.notes);
        if (saved) result.tasks.push(saved);
      }
      result.applied += 1;
    } catch (err) {
      if (isOffline(err)) {
        result.remaining = queue;
        return result;
      }
      result.notes.push(`${describeChange(c)} could not be saved: ${err instanceof Error ? err.message : 'refused'}`);
    }
    queue = queue.slice(1);
  }
  return result;
}

async function replaySave(api: ReplayApi, c: Extract<QueuedChange, { kind: 'save' }>, timeZone: string, notes: string[]): Promise<Task | null> {
  const outcome = await saveFields(api, c.base, c.baseValues, c.values, timeZone);
  if (outcome.ok) return outcome.task;
  if (outcome.kind === 'error') {
    if (isOffline(outcome.error)) throw outcome.error;
    if (outcome.error instanceof ApiError && outcome.error.status === 404) {
      notes.push(`“${c.values.title}” was deleted elsewhere; its offline changes were dropped`);
      return null;
    }
    throw outcome.error instanceof Error ? outcome.error : new Error(outcome.message);
  }
  // Changed elsewhere too: the other change stays for the fields both touched; the rest is sent.
  const theirs = formFromTask(outcome.latest, timeZone);
  const values: FormValues = { ...outcome.values };
  for (const key of outcome.conflicts) (values as unknown as Record<string, unknown>)[key] = theirs[key];
  notes.push(`“${outcome.latest.title}”: ${outcome.conflicts.map((k) => FIELD_LABEL[k]).join(', ')} was changed elsewhere too; that change was kept`);
  if (changedFields(theirs, values).length === 0) return outcome.latest;
  const again = await saveFields(api, outcome.latest, theirs, values, timeZone);
  if (again.ok) return again.task;
  if (again.kind === 'error') throw again.error instanceof Error ? again.error : new Error(again.message);
  return again.latest;
}

export function describeChange(c: QueuedChange): string {
  switch (c.kind) {
    case 'create':
      return `Adding “${c.input.title}”`;
    case 'complete':
      return `${c.completed ? 'Completing' : 'Reopening'} “${c.title}”`;
    case 'save':
      return `Changes to “${c.values.title}”`;
    case 'delete':
      return `Deleting “${c.title}”`;
  }
}
