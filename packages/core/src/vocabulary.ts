// The task model's words and limits, shared by the server's schemas and the browser. Zod-free on
// purpose: the web bundle imports this through the browser entry (`@dueflow/core/browser`).

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PriorityRank: Record<Priority, number> = { high: 3, medium: 2, low: 1 };
/** The priority a task gets when none is given. */
export const DEFAULT_PRIORITY: Priority = 'medium';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const TAGS_MAX = 20;
export const TAG_LENGTH_MAX = 32;
/** Reminders may be set at most a year before the due date. */
export const REMIND_BEFORE_MAX_MINUTES = 525_600;

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const PATTERNS = ['daily', 'weekly', 'monthly', 'yearly'] as const;

export const TASK_STATUSES = ['all', 'pending', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const SORT_FIELDS = ['due_date', 'priority', 'title', 'created_at', 'completed_at', 'relevance'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';
/** The order each sort uses when none is given (priority descending puts high first). */
export const DEFAULT_ORDER: Readonly<Record<SortField, SortOrder>> = {
  due_date: 'asc',
  priority: 'desc',
  title: 'asc',
  created_at: 'desc',
  completed_at: 'desc',
  relevance: 'desc',
};
export const LIST_LIMIT_MAX = 200;
export const LIST_LIMIT_DEFAULT = 50;

/** The longest message the assistant accepts. */
export const CHAT_MESSAGE_MAX = 4000;
/** The longest line quick add reads. */
export const QUICK_ADD_MAX = 1000;

/** A tag as stored: NFC, trimmed, one leading '#' dropped, lower-cased, inner whitespace collapsed to '-'. */
export function normalizeTag(raw: string): string {
  return raw.normalize('NFC').trim().replace(/^#/, '').trim().toLowerCase().replace(/\s+/g, '-');
}

/** The characters a stored tag may contain. */
export const TAG_PATTERN = /^[\p{L}\p{M}\p{N}_\-.:/]+$/u;

/** Saved filters: how many a user keeps, and the length of a name and of its query. */
export const SAVED_FILTERS_MAX = 50;
export const SAVED_FILTER_NAME_MAX = 60;
export const SAVED_FILTER_QUERY_MAX = 1000;
/** The keys a saved filter's query may hold: the task list's search, filters and sort (as the web's URL names them). */
export const SAVED_FILTER_KEYS = ['q', 'status', 'priority', 'tags', 'due_after', 'due_before', 'overdue', 'sort', 'order'] as const;
