import { type CloudEvent, type LiveMessage, notificationMessage, taskChangedMessage, Topics } from '@dueflow/core';
import type { Subscription } from '@dueflow/runtime';
import { eventData } from '../consume.ts';
import type { CredentialKind } from '../account/credential-events.ts';

/** What the hub needs of a connection (a ws WebSocket fits). */
export interface LiveConnection {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly readyState: number;
}

/** The sign-in a connection was opened with; when it ends, the connection is closed. */
export interface LiveCredential {
  kind: CredentialKind;
  id: string;
}

const OPEN = 1;
export const REALTIME_CONSUMER = 'realtime';
/** Close code for "your sign-in ended": the client should not reconnect with the same credential. */
export const CLOSE_CREDENTIAL_ENDED = 4401;
/** Event ids remembered per connection: far more than a redelivery can reach back. */
const REMEMBERED_IDS = 2000;

/** The last ids sent on one connection, oldest first out. */
class RecentIds {
  private readonly ids = new Set<string>();
  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > REMEMBERED_IDS) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

interface Entry {
  conn: LiveConnection;
  credential: LiveCredential | null;
  /** Event ids already sent on this connection (made on the first). */
  sent?: RecentIds;
}

/**
 * The user's open connections in this replica. Every replica receives every `task-updates` message
 * (a broadcast subscription) and forwards it to the connections it holds.
 */
export class RealtimeHub {
  private readonly byUser = new Map<string, Set<Entry>>();

  add(userId: string, conn: LiveConnection, credential: LiveCredential | null = null): () => void {
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    const entry: Entry = { conn, credential };
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    };
  }

  connectionCount(userId?: string): number {
    if (userId !== undefined) return this.byUser.get(userId)?.size ?? 0;
    let n = 0;
    for (const s of this.byUser.values()) n += s.size;
    return n;
  }

  /**
   * Sends to every open connection of the user; returns how many got it. A message with an `id`
   * goes to a connection at most once: the broker delivers at least once (a redelivery after an
   * outage or a rebalance), a live client sees each event once.
   */
  sendToUser(userId: string, message: LiveMessage): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    const text = JSON.stringify(message);
    let sent = 0;
    for (const entry of set) {
      if (entry.conn.readyState !== OPEN) continue;
      if ('id' in message && !(entry.sent ??= new RecentIds()).add(message.id)) continue;
      entry.conn.send(text);
      sent++;
    }
    return sent;
  }

  /** Closes the connections opened with a credential that ended; returns how many. */
  closeCredential(userId: string, credential: LiveCredential): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    let closed = 0;
    for (const e of [...set]) {
      if (e.credential?.kind !== credential.kind || e.credential.id !== credential.id) continue;
      set.delete(e);
      e.conn.close(CLOSE_CREDENTIAL_ENDED, 'sign-in ended');
      closed++;
    }
    if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    return closed;
  }

  /** Every credential with an open connection here, per user (for a periodic re-check). */
  credentials(): Array<{ userId: string; credential: LiveCredential }> {
    const out: Array<{ userId: string; credential: LiveCredential }> = [];
    for (const [userId, set] of this.byUser) for (const e of set) if (e.credential) out.push({ userId, credential: e.credential });
    return out;
  }

  subscription(): Subscription {
    return {
      consumer: REALTIME_CONSUMER,
      topic: Topics.taskUpdates,
      broadcast: true,
      handle: async (event: CloudEvent) => {
        if (event.type === 'task.changed') {
          const d = eventData(event, 'task.changed');
          this.sendToUser(d.user_id, taskChangedMessage(d));
        } else if (event.type === 'notification.created') {
          const d = eventData(event, 'notification.created');
          this.sendToUser(d.user_id, notificationMessage(d));
        } else if (event.type === 'credential.revoked') {
          const d = eventData(event, 'credential.revoked');
          this.closeCredential(d.user_id, { kind: d.credential, id: d.credential_id });
        }
      },
    };
  }
}
