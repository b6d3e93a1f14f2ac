import { type CloudEvent, Topics } from '@dueflow/core';
import type { Subscription } from '@dueflow/runtime';
import { eventData } from '../consume.ts';

/** What the hub needs of a connection (a ws WebSocket fits). */
export interface LiveConnection {
  send(data: string): void;
  readonly readyState: number;
}

const OPEN = 1;
export const REALTIME_CONSUMER = 'realtime';

/**
 * The user's open connections in this replica. Every replica receives every `task-updates` message
 * (a broadcast subscription) and forwards it to the connections it holds.
 */
export class RealtimeHub {
  private readonly byUser = new Map<string, Set<LiveConnection>>();

  add(userId: string, conn: LiveConnection): () => void {
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(conn);
    return () => {
      set.delete(conn);
      if (set.size === 0) this.byUser.delete(userId);
    };
  }

  connectionCount(): number {
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  /** Sends to every open connection of the user; returns how many got it. */
  sendToUser(userId: string, message: unknown): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    const text = JSON.stringify(message);
    let sent = 0;
    for (const c of set) {
      if (c.readyState !== OPEN) continue;
      c.send(text);
      sent++;
    }
    return sent;
  }

  subscription(): Subscription {
    return {
      consumer: REALTIME_CONSUMER,
      topic: Topics.taskUpdates,
      broadcast: true,
      handle: async (event: CloudEvent) => {
        if (event.type === 'task.changed') {
          const d = eventData(event, 'task.changed');
          this.sendToUser(d.user_id, { type: 'task.changed', id: d.event_id, change: d.change, task_id: d.task_id, task: d.task, at: d.timestamp });
        } else if (event.type === 'notification.created') {
          const d = eventData(event, 'notification.created');
          this.sendToUser(d.user_id, { type: 'notification.created', id: d.event_id, notification: d.notification, at: d.timestamp });
        }
      },
    };
  }
}
