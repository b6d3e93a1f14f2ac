// What a message asks for, before any task is looked at: an action on a target with changes, a
// question about a set of tasks, or a word about the conversation itself (yes, no, undo, "the first one").
import type { Priority } from '../task.ts';
import type { LocalDate, LocalDateTime } from '../time/zoned.ts';
import type { Repeat, TimeOfDay } from './parse-dates.ts';
import type { ToolCall } from './tools.ts';

/** Minutes of the day, `from` included, `to` excluded; `from > to` wraps past midnight. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Local days, both ends included. */
export interface DayWindow {
  from?: LocalDate;
  to?: LocalDate;
}

/** A set of tasks named by what they have in common ("my morning meetings", "everything due today"). */
export interface TaskSet {
  /** Words each task must have in its title or tags ("meetings", "errands"). */
  words?: string[];
  tags?: string[];
  days?: DayWindow;
  times?: TimeWindow;
  overdue?: boolean;
  priorities?: Priority[];
  status?: 'pending' | 'completed' | 'all';
  hasDue?: boolean;
}

export type Target =
  | { kind: 'ids'; ids: string[] }
  /** A name to match against titles, optionally only among tasks of a set ("tomorrow's meeting"). */
  | { kind: 'title'; text: string; within?: TaskSet }
  /** "it", "that one": what the conversation was last about. */
  | { kind: 'it' }
  /** "the 3rd task", "the first one": a place in the list the assistant showed last. */
  | { kind: 'position'; n: number }
  | { kind: 'set'; set: TaskSet };

export interface DueChange {
  clear?: true;
  date?: LocalDate;
  time?: TimeOfDay;
  /** "in 2 hours": an exact wall-clock minute. */
  exact?: LocalDateTime;
  /** "by a day", "back an hour": moves the current due date. */
  shiftMinutes?: number;
}

export interface Changes {
  title?: string;
  /** '' clears it. */
  description?: string;
  priority?: Priority;
  /** "raise/lower the priority": one step from where it is. */
  priorityStep?: 1 | -1;
  addTags?: string[];
  removeTags?: string[];
  clearTags?: true;
  due?: DueChange;
  /** Minutes before the due date; null clears the reminder. */
  remindBefore?: number | null;
  /** An exact reminder time ("remind me about it at 4pm"). */
  remindAt?: string;
  /** null stops the repetition. */
  repeat?: Repeat | null;
}

export type TaskAction = 'complete' | 'reopen' | 'delete' | 'update';

export type Command =
  | { kind: 'reply'; text: string }
  | { kind: 'add'; call: ToolCall }
  | { kind: 'act'; action: TaskAction; target: Target; changes: Changes }
  | { kind: 'query'; set: TaskSet; count: boolean; title?: string; ids?: string[] }
  /** "restore the report", "undelete task 12": bring back a deleted task. */
  | { kind: 'restore'; target: Target }
  | { kind: 'confirm' }
  | { kind: 'cancel' }
  | { kind: 'undo' }
  /** An answer to "which one?": a position in the list offered, or words that tell one candidate apart. */
  | { kind: 'choose'; ordinal?: number; text?: string; when?: LocalDate };
