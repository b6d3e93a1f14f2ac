import { randomUUID } from 'node:crypto';
import {
  bestMatches,
  type Changes,
  type Clock,
  clockAt,
  type Command,
  contentWords,
  describeTask,
  describeWhen,
  dueForWeekdays,
  epochDay,
  idToJson,
  mergeTags,
  plannedDue,
  resolveTarget,
  selectSet,
  sortForPeople,
  steppedPriority,
  type Target,
  type Task,
  type TaskAction,
  type TaskDto,
  type TaskSet,
  toLocal,
  toTaskDto,
} from '@dueflow/core';
import type { Caller } from '../tasks/task-service.ts';
import type { TaskTools, ToolResult } from './task-tools.ts';

export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  result: ToolResult;
}

/** A question the assistant is waiting on: yes/no before a bulk change or a loose match, or "which one?". */
export interface PendingAction {
  token: string;
  kind: 'confirm' | 'choose';
  prompt: string;
  tasks: { id: number; title: string; due_date: string | null }[];
  /** confirm: the tool call a "yes" runs. */
  run?: { name: string; arguments: Record<string, unknown> };
  /** choose, or confirm of one loosely matched task: what to do with the task picked. */
  act?: { action: TaskAction; changes: Changes };
}

/** What the runner needs from the conversation, and what it leaves for the next message. */
export interface TurnState {
  pending?: PendingAction | undefined;
  last_task_ids?: string[] | undefined;
  /** The tasks of the last list shown, in its order: what "the 3rd one" names. */
  last_list_ids?: string[] | undefined;
}

export interface Outcome {
  response: string;
  calls: ToolCallRecord[];
  /** undefined: keep as is; null: drop the question. */
  pending?: PendingAction | null;
  lastIds?: string[];
  /** A list was shown: its tasks in order. */
  listIds?: string[];
  /** The answer took a change back (nothing new to record for undo). */
  undone?: boolean;
}

const SHOWN = 10;

/**
 * Carries out what the built-in reader understood: finds the tasks a target names (asking when that is
 * not clear), runs the same tools the language model and MCP clients use, and words the answer.
 */
export class CommandRunner {
  constructor(
    private readonly tools: TaskTools,
    private readonly now: () => Date,
  ) {}

  async run(caller: Caller, command: Command, state: TurnState): Promise<Outcome> {
    const clock = clockAt(this.now(), caller.timezone);
    switch (command.kind) {
      case 'reply':
        return { response: command.text, calls: [] };
      case 'add':
        return this.plainCall(caller, command.call.name, command.call.arguments);
      case 'query':
        return this.query(caller, command, clock);
      case 'act':
        return this.act(caller, command.action, command.target, command.changes, state, clock);
      case 'confirm':
        return this.confirm(caller, state, clock);
      case 'cancel':
        return state.pending ? { response: 'OK, I left everything as it was.', calls: [], pending: null } : { response: 'OK.', calls: [] };
      case 'choose':
        return this.choose(caller, command, state, clock);
      case 'undo':
        return { response: 'There is nothing to undo.', calls: [] };
      case 'restore':
        return { response: 'Which deleted task should I bring back? Say its number, for example "restore task 12".', calls: [] };
    }
  }

  /** The message may answer "which one?" by naming one of the candidates ("send report"). */
  async answerByName(caller: Caller, text: string, state: TurnState): Promise<Outcome | null> {
    const pending = state.pending;
    if (pending?.kind !== 'choose' || !pending.act) return null;
    const matches = bestMatches(text, pending.tasks);
    if (matches.length !== 1 || !matches[0]) return null;
    return this.applyTo(caller, [String(matches[0].task.id)], pending.act, clockAt(this.now(), caller.timezone));
  }

  private async plainCall(caller: Caller, name: string, args: Record<string, unknown>): Promise<Outcome> {
    const call = await this.call(caller, name, args);
    const { result } = call;
    const single = result.task ?? (result.tasks?.length === 1 ? result.tasks[0] : undefined);
    return { response: result.ok ? result.message : `I could not do that: ${result.message}`, calls: [call], ...(single ? { lastIds: [String(single.id)] } : {}), pending: null };
  }

  private async call(caller: Caller, name: string, args: Record<string, unknown>): Promise<ToolCallRecord> {
    return { name, arguments: args, result: await this.tools.run(caller, name, args) };
  }

  // ---- questions

  private async query(caller: Caller, command: Extract<Command, { kind: 'query' }>, clock: Clock): Promise<Outcome> {
    const { set, count, title, ids } = command;
    const all = await this.tools.allTasks(caller);
    let found: Task[];
    if (ids) {
      found = all.filter((t) => ids.includes(t.id));
    } else if (title) {
      const pool = selectSet(all, { ...set, words: undefined }, clock);
      found = sortForPeople(bestMatches(title, pool).map((m) => m.task));
      // "what's in errands": the words may name a tag rather than a title.
      if (found.length === 0) found = selectSet(all, { ...set, words: contentWords(title) }, clock);
      if (found.length === 0 && set.status !== 'all') found = sortForPeople(bestMatches(title, all).map((m) => m.task));
    } else {
      found = selectSet(all, set, clock);
    }
    const lines = found.slice(0, SHOWN).map((t) => `- ${describeTask(t, caller.timezone, clock.now)}`);
    const more = found.length > SHOWN ? `\n…and ${found.length - SHOWN} more.` : '';
    const what = set.status === 'completed' ? 'completed ' : set.status === 'pending' ? 'open ' : '';
    let head: string;
    if (found.length === 0) head = title ? `I found no task about “${title}”.` : 'Nothing matches that.';
    else if (count) head = `You have ${found.length} ${what}task${found.length === 1 ? '' : 's'}${describeSet(set, clock)}:`;
    else head = found.length === 1 ? 'Here it is:' : `Here are ${found.length} tasks${describeSet(set, clock)}:`;
    const response = [head, ...lines].join('\n') + more;
    const filtered = Object.entries(set).some(([k, v]) => k !== 'status' && v !== undefined);
    const record: ToolCallRecord = {
      name: title || ids ? 'search_tasks' : filtered ? 'filter_tasks' : 'list_tasks',
      arguments: { ...(title ? { query: title } : {}), status: set.status ?? 'pending' },
      result: { ok: true, message: response, tasks: found.slice(0, 50).map(toTaskDto), total: found.length },
    };
    return { response, calls: [record], listIds: found.slice(0, SHOWN).map((t) => t.id), ...(found.length === 1 && found[0] ? { lastIds: [found[0].id] } : {}) };
  }

  // ---- actions

  private async act(caller: Caller, action: TaskAction, target: Target, changes: Changes, state: TurnState, clock: Clock): Promise<Outcome> {
    const all = await this.tools.allTasks(caller);
    const found = resolveTarget(target, all, action, clock, state.last_task_ids ?? [], state.last_list_ids ?? []);
    switch (found.kind) {
      case 'none':
        return { response: target.kind === 'ids' ? `There is no task ${found.text}.` : `I couldn't find a task matching “${found.text}”.`, calls: [], pending: null };
      case 'no-context':
        return { response: 'Which task do you mean? Say its number or its title.', calls: [], pending: null };
      case 'ask': {
        const tasks = found.candidates.slice(0, 8);
        const listed = tasks.map((t) => ({ id: idToJson(t.id), title: t.title, due_date: t.dueDate?.toISOString() ?? null }));
        if (found.loose && tasks.length === 1 && tasks[0]) {
          const prompt = `Did you mean “${tasks[0].title}”${this.dueText(caller, tasks[0])}? Say yes or no.`;
          return { response: prompt, calls: [], pending: { token: randomUUID(), kind: 'confirm', prompt, tasks: listed, act: { action, changes } } };
        }
        const lines = tasks.map((t, i) => `${i + 1}. ${t.title}${this.dueText(caller, t)}${t.completed ? ' (done)' : ''}`);
        const prompt = [`Which one do you mean?`, ...lines, 'Say the number, or no to leave them.'].join('\n');
        return { response: prompt, calls: [], pending: { token: randomUUID(), kind: 'choose', prompt, tasks: listed, act: { action, changes } } };
      }
      case 'tasks': {
        if (found.tasks.length === 0) return { response: 'No tasks match that, so nothing changed.', calls: [], pending: null };
        const bulk = target.kind === 'set' || found.tasks.length > 1;
        if (bulk && (action === 'complete' || action === 'delete')) return this.askBulk(caller, action, found.tasks);
        return this.apply(caller, found.tasks, { action, changes }, clock);
      }
    }
  }

  private async askBulk(caller: Caller, action: 'complete' | 'delete', tasks: Task[]): Promise<Outcome> {
    const name = action === 'delete' ? 'delete_tasks' : 'complete_tasks';
    const preview = await this.tools.run(caller, name, { task_ids: tasks.map((t) => t.id) });
    const details = preview.error?.details as { confirm_token?: string } | undefined;
    if (preview.ok || !details?.confirm_token) return { response: preview.message, calls: [], pending: null };
    const prompt = `${preview.message}\nSay yes to go ahead or no to leave them.`;
    const listed = (preview.tasks ?? []).map((t) => ({ id: t.id, title: t.title, due_date: t.due_date }));
    return { response: prompt, calls: [], pending: { token: randomUUID(), kind: 'confirm', prompt, tasks: listed, run: { name, arguments: { confirm_token: details.confirm_token } } } };
  }

  private async applyTo(caller: Caller, ids: string[], act: NonNullable<PendingAction['act']>, clock: Clock): Promise<Outcome> {
    const all = await this.tools.allTasks(caller);
    const tasks = ids.map((id) => all.find((t) => t.id === id)).filter((t): t is Task => t !== undefined);
    if (tasks.length === 0) return { response: 'That task is gone, so nothing changed.', calls: [], pending: null };
    return this.apply(caller, tasks, act, clock);
  }

  private async apply(caller: Caller, tasks: Task[], act: NonNullable<PendingAction['act']>, clock: Clock): Promise<Outcome> {
    const calls: ToolCallRecord[] = [];
    const problems: string[] = [];
    for (const task of tasks) {
      if (act.action === 'complete') calls.push(await this.call(caller, 'complete_task', { task_id: task.id }));
      else if (act.action === 'reopen') calls.push(await this.call(caller, 'complete_task', { task_id: task.id, completed: false }));
      else if (act.action === 'delete') calls.push(await this.call(caller, 'delete_task', { task_id: task.id }));
      else {
        const planned = updateArguments(task, act.changes, clock);
        if (typeof planned === 'string') problems.push(planned);
        else calls.push(await this.call(caller, 'update_task', { task_id: task.id, ...planned }));
      }
    }
    const failed = calls.filter((c) => !c.result.ok);
    const lastIds = tasks.map((t) => t.id);
    if (tasks.length === 1) {
      const only = calls[0];
      const response = problems[0] ?? (only ? (only.result.ok ? only.result.message : `I could not do that: ${only.result.message}`) : 'Nothing to change.');
      return { response, calls, pending: null, lastIds };
    }
    const changed = calls.filter((c) => c.result.ok);
    const lines = changed.slice(0, SHOWN).map((c) => {
      const before = tasks.find((t) => String(t.id) === String(c.result.task?.id));
      return `- ${before && c.result.task ? describeChange(before, c.result.task, caller.timezone, clock.now) : c.result.message}`;
    });
    const verb = act.action === 'update' ? 'Changed' : act.action === 'reopen' ? 'Reopened' : act.action === 'delete' ? 'Deleted' : 'Completed';
    const more = changed.length > SHOWN ? [`…and ${changed.length - SHOWN} more.`] : [];
    const trouble = [...problems, ...failed.map((c) => `Could not change one: ${c.result.message}`)];
    const response = [`${verb} ${changed.length} task${changed.length === 1 ? '' : 's'}:`, ...lines, ...more, ...trouble].join('\n');
    return { response, calls, pending: null, lastIds };
  }

  // ---- answers to questions the assistant asked

  private async confirm(caller: Caller, state: TurnState, clock: Clock): Promise<Outcome> {
    const pending = state.pending;
    if (!pending) return { response: 'There is nothing waiting for a yes right now.', calls: [] };
    if (pending.run) {
      const outcome = await this.plainCall(caller, pending.run.name, pending.run.arguments);
      return { ...outcome, pending: null, lastIds: (outcome.calls[0]?.result.tasks ?? []).map((t) => String(t.id)) };
    }
    if (pending.act && pending.kind === 'confirm') return this.applyTo(caller, pending.tasks.map((t) => String(t.id)), pending.act, clock);
    return { response: 'Which one? Say its number.', calls: [] };
  }

  private async choose(caller: Caller, command: Extract<Command, { kind: 'choose' }>, state: TurnState, clock: Clock): Promise<Outcome> {
    const pending = state.pending;
    if (pending?.kind !== 'choose' || !pending.act) {
      return { response: 'I\'m not sure what you are choosing. Tell me what to do and with which task, for example "complete task 3".', calls: [] };
    }
    let picked: PendingAction['tasks'] = [];
    if (command.ordinal !== undefined) {
      const n = command.ordinal;
      const byId = pending.tasks.filter((t) => t.id === n);
      const byPosition = n === -1 ? pending.tasks.slice(-1) : n >= 1 && n <= pending.tasks.length ? [pending.tasks[n - 1]].filter((t) => t !== undefined) : [];
      picked = byPosition.length > 0 ? byPosition : byId;
    } else {
      picked = pending.tasks.filter((t) => {
        const day = command.when;
        if (day && (!t.due_date || epochDay(toLocal(new Date(t.due_date), caller.timezone)) !== epochDay(day))) return false;
        const words = contentWords(command.text ?? '');
        return words.length === 0 || bestMatches(command.text ?? '', [t]).length > 0;
      });
    }
    if (picked.length !== 1 || !picked[0]) return { response: `I still can't tell which one. ${pending.prompt}`, calls: [] };
    return this.applyTo(caller, [String(picked[0].id)], pending.act, clock);
  }

  private dueText(caller: Caller, t: Task): string {
    return t.dueDate ? ` (due ${describeWhen(t.dueDate, caller.timezone, this.now())})` : '';
  }
}

/** The update_task arguments for a change on one task, or a sentence saying why it cannot be made. */
export function updateArguments(task: Task, changes: Changes, clock: Clock): Record<string, unknown> | string {
  const args: Record<string, unknown> = {};
  if (changes.title !== undefined) args['title'] = changes.title;
  if (changes.description !== undefined) args['description'] = changes.description;
  if (changes.priority !== undefined) args['priority'] = changes.priority;
  if (changes.priorityStep !== undefined) args['priority'] = steppedPriority(task.priority, changes.priorityStep);
  if (changes.clearTags) args['tags'] = [];
  else if (changes.addTags || changes.removeTags) args['tags'] = mergeTags(task.tags, changes.addTags ?? [], changes.removeTags ?? []);
  if (changes.due) {
    if (changes.due.shiftMinutes !== undefined && !task.dueDate) return `“${task.title}” has no due date to move. When is it due?`;
    args['due_date'] = plannedDue(task.dueDate, changes.due, clock);
    if (args['due_date'] === null && task.recurrence && changes.repeat === undefined) args['recurrence'] = null;
  }
  if (changes.remindBefore !== undefined) {
    const due = args['due_date'] !== undefined ? args['due_date'] : task.dueDate;
    if (changes.remindBefore !== null && !due) return `“${task.title}” has no due date, so there is nothing to remind you before. When is it due?`;
    args['remind_before_minutes'] = changes.remindBefore;
    if (changes.remindBefore === null) args['reminder_at'] = null;
  }
  if (changes.remindAt !== undefined) args['reminder_at'] = changes.remindAt;
  if (changes.repeat !== undefined) {
    if (changes.repeat === null) args['recurrence'] = null;
    else {
      const { pattern, interval, by_weekday } = changes.repeat;
      args['recurrence'] = { pattern, ...(interval ? { interval } : {}), ...(by_weekday ? { by_weekday } : {}) };
      if (args['due_date'] === undefined) {
        const moved = dueForWeekdays(task.dueDate, changes.repeat, clock);
        if (moved) args['due_date'] = moved;
      }
    }
  }
  return Object.keys(args).length > 0 ? args : 'I did not see what to change. Say for example "move it to friday" or "make it high priority".';
}

/** "Team meeting: due tomorrow 09:00 → tomorrow 14:00". */
export function describeChange(before: Task, after: TaskDto, timezone: string, now: Date): string {
  const when = (iso: string | null) => (iso ? describeWhen(new Date(iso), timezone, now) : 'no date');
  const parts: string[] = [];
  const wasDue = before.dueDate?.toISOString() ?? null;
  if (before.title !== after.title) parts.push(`renamed to “${after.title}”`);
  if (wasDue !== after.due_date) parts.push(`due ${when(wasDue)} → ${when(after.due_date)}`);
  if (before.priority !== after.priority) parts.push(`priority ${before.priority} → ${after.priority}`);
  if (before.tags.join(',') !== after.tags.join(',')) parts.push(`tags ${before.tags.map((t) => `#${t}`).join(' ') || 'none'} → ${after.tags.map((t) => `#${t}`).join(' ') || 'none'}`);
  if (before.description !== after.description) parts.push(after.description ? 'new notes' : 'notes cleared');
  if (before.remindBeforeMinutes !== after.remind_before_minutes) parts.push(after.remind_before_minutes === null ? 'no reminder' : `reminder ${after.remind_before_minutes} min before`);
  if ((before.recurrence?.pattern ?? null) !== after.recurring) parts.push(after.recurring ? `repeats ${after.recurring}` : 'no longer repeats');
  if (before.completed !== after.completed) parts.push(after.completed ? 'done' : 'open again');
  return `${after.title}: ${parts.length > 0 ? parts.join(', ') : 'unchanged'}`;
}

function describeSet(set: TaskSet, clock: Clock): string {
  const bits: string[] = [];
  if (set.overdue) bits.push('overdue');
  if (set.priorities?.length) bits.push(`${set.priorities.join('/')} priority`);
  if (set.tags?.length) bits.push(`tagged ${set.tags.map((t) => `#${t}`).join(' ')}`);
  if (set.days?.from && set.days.to && epochDay(set.days.from) === epochDay(set.days.to)) {
    const d = epochDay(set.days.from) - epochDay(clock.today);
    bits.push(d === 0 ? 'due today' : d === 1 ? 'due tomorrow' : 'due that day');
  } else if (set.days?.to) bits.push('due by then');
  return bits.length > 0 ? ` (${bits.join(', ')})` : '';
}
