// One websocket per page to /api/v1/ws: reconnects with back-off, drops messages it has already
// seen (a replica can repeat one), and tells listeners to refetch after a gap.
import type { LiveMessage } from './types';

export type LiveEvent = LiveMessage | { type: 'resync' };
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

const SEEN_LIMIT = 500;

export class LiveConnection {
  private socket: WebSocket | null = null;
  private listeners = new Set<(event: LiveEvent) => void>();
  private statusListeners = new Set<(status: LiveStatus) => void>();
  private seen = new Set<string>();
  private attempts = 0;
  private everOpened = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  status: LiveStatus = 'connecting';

  constructor(private readonly url: string) {}

  start(): void {
    this.closed = false;
    this.open();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pinger) clearInterval(this.pinger);
    this.socket?.close();
    this.setStatus('closed');
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private open(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.setStatus('open');
      // Anything sent while we were away is fetched again rather than replayed.
      if (this.everOpened) this.emit({ type: 'resync' });
      this.everOpened = true;
      if (this.pinger) clearInterval(this.pinger);
      this.pinger = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send('ping'), 25_000);
    };
    socket.onmessage = (e: MessageEvent<string>) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(e.data) as LiveMessage;
      } catch {
        return;
      }
      if ('id' in message) {
        if (this.seen.has(message.id)) return;
        this.seen.add(message.id);
        if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string);
      }
      this.emit(message);
    };
    socket.onclose = () => {
      if (this.pinger) clearInterval(this.pinger);
      if (this.closed) return;
      this.setStatus('reconnecting');
      const delay = Math.min(30_000, 500 * 2 ** this.attempts) * (0.75 + Math.random() * 0.5);
      this.attempts += 1;
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  private emit(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

export function liveUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/ws`;
}
