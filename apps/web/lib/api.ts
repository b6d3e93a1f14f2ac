// The browser's client for the Dueflow API: same origin, session cookie, JSON, typed errors.
import type { ActivityItem, CreateTaskInput, Me, Notification, PatchTaskInput, SavedFilter, TagCount, Task, TaskList } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One JSON call to the API; errors become ApiError (a 401 also tells the shell to go to sign-in). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Dueflow cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown }; message?: string; code?: string } | undefined) ?? {};
    // Better Auth answers {code, message}; the task API answers {error: {code, message}}.
    const code = err.error?.code ?? err.code ?? `HTTP_${res.status}`;
    const message = err.error?.message ?? err.message ?? `request failed (${res.status})`;
    if (res.status === 401 && typeof window !== 'undefined') window.dispatchEvent(new Event('dueflow:unauthenticated'));
    throw new ApiError(res.status, code, message, err.error?.details);
  }
  return json as T;
}

/** A personal access token as listed (never its secret). */
export interface AccessToken {
  id: string;
  name: string;
  scope: 'read' | 'read-write';
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}
/** The answer to creating one: the only time the token itself is shown. */
export interface CreatedAccessToken extends AccessToken {
  token: string;
}

/** What went wrong, in words for the user. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError || err instanceof Error) return err.message;
  return 'Something went wrong.';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  signUp: (input: { name: string; email: string; password: string; timezone: string }) => request<{ token: string; user: { id: string } }>('POST', '/api/auth/sign-up/email', input),
  signIn: (input: { email: string; password: string }) => request<{ token: string; user: { id: string } }>('POST', '/api/auth/sign-in/email', input),
  signOut: () => request<unknown>('POST', '/api/auth/sign-out', {}),

  me: () => request<Me>('GET', '/api/v1/me'),
  updateMe: (patch: { timezone?: string; name?: string }) => request<Me>('PATCH', '/api/v1/me', patch),

  listTasks: (query: URLSearchParams) => request<TaskList>('GET', `/api/v1/tasks?${query.toString()}`),
  getTask: (id: number) => request<Task>('GET', `/api/v1/tasks/${id}`),
  createTask: (input: CreateTaskInput) => request<Task>('POST', '/api/v1/tasks', input),
  /** Undo of a delete: the task comes back with its id. */
  restoreTask: (id: number) => request<Task>('POST', `/api/v1/tasks/${id}/restore`, {}),
  /** One line of text; the server reads due date, priority, tags, reminder and repetition from it. */
  quickAddTask: (text: string) => request<Task>('POST', '/api/v1/tasks/quick-add', { text }),
  patchTask: (id: number, patch: PatchTaskInput) => request<Task>('PATCH', `/api/v1/tasks/${id}`, patch),
  /** The current occurrence of a recurring task moves to the series' next date. */
  skipOccurrence: (id: number) => request<Task>('POST', `/api/v1/tasks/${id}/skip`, {}),
  setCompleted: (id: number, completed: boolean) => request<Task>('PATCH', `/api/v1/tasks/${id}/complete`, { completed }),
  deleteTask: (id: number) => request<void>('DELETE', `/api/v1/tasks/${id}`),
  tags: () => request<TagCount[]>('GET', '/api/v1/tags'),

  savedFilters: () => request<{ filters: SavedFilter[] }>('GET', '/api/v1/filters'),
  createFilter: (name: string, query: string) => request<SavedFilter>('POST', '/api/v1/filters', { name, query }),
  updateFilter: (id: number, changes: { name?: string; query?: string }) => request<SavedFilter>('PATCH', `/api/v1/filters/${id}`, changes),
  deleteFilter: (id: number) => request<void>('DELETE', `/api/v1/filters/${id}`),

  activity: (taskId?: number) => request<{ items: ActivityItem[]; next_cursor: string | null }>('GET', `/api/v1/activity${taskId ? `?task_id=${taskId}` : ''}`),
  notifications: () => request<{ notifications: Notification[]; unread: number }>('GET', '/api/v1/notifications'),
  markNotificationRead: (id: number) => request<Notification>('PATCH', `/api/v1/notifications/${id}`, { read: true }),

  listTokens: () => request<{ tokens: AccessToken[] }>('GET', '/api/v1/tokens'),
  createToken: (input: { name: string; scope: 'read' | 'read-write'; expires_at: string | null }) => request<CreatedAccessToken>('POST', '/api/v1/tokens', input),
  revokeToken: (id: string) => request<void>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`),
  vapidKey: () => request<{ public_key: string }>('GET', '/api/v1/push-subscriptions/vapid-public-key'),
  subscribePush: (subscription: PushSubscriptionJSON) => request<unknown>('POST', '/api/v1/push-subscriptions', subscription),
  unsubscribePush: (endpoint: string) => request<unknown>('DELETE', '/api/v1/push-subscriptions', { endpoint }),
};
