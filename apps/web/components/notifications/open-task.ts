// Opening a task from a reminder. The task view opens `/?task=<id>` when it loads; a view that is
// already on screen may handle the `dueflow:open-task` window event instead (calling
// preventDefault()), which saves a page load.
import { taskUrl } from '../../lib/push';

export const OPEN_TASK_EVENT = 'dueflow:open-task';

export function openTask(taskId: number): void {
  const event = new CustomEvent<{ taskId: number }>(OPEN_TASK_EVENT, { detail: { taskId }, cancelable: true });
  if (window.dispatchEvent(event)) location.assign(taskUrl(taskId));
}
