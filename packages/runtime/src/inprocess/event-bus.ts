import type { CloudEvent, Topic } from '@dueflow/core';
import type { Logger } from 'pino';
import { parseTraceparent } from '../trace.ts';
import { inSpan } from '../tracing.ts';
import { type DeadLetter, type EventBus, PermanentEventError, type PublishOptions, type Subscription } from '../ports/event-bus.ts';

export interface InProcessBusOptions {
  logger: Logger;
  /** Attempts per subscriber before the event is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: number;
  onDeadLetter: (d: DeadLetter) => Promise<void>;
  onHandled?: (consumer: string, topic: Topic, seconds: number, ok: boolean) => void;
}

/**
 * Delivers each published event to every subscriber of its topic and resolves when all of them
 * handled it (or it was dead-lettered), so the outbox marks an event published only after delivery:
 * a crash before that redelivers, and idempotent consumers absorb the repeat.
 */
export class InProcessEventBus implements EventBus {
  private readonly subs = new Map<Topic, Subscription[]>();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private closed = false;

  constructor(private readonly opts: InProcessBusOptions) {
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.retryDelayMs = opts.retryDelayMs ?? 100;
  }

  subscribe(sub: Subscription): void {
    const list = this.subs.get(sub.topic) ?? [];
    list.push(sub);
    this.subs.set(sub.topic, list);
  }

  async publish(topic: Topic, event: CloudEvent, _opts: PublishOptions): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    const list = this.subs.get(topic) ?? [];
    const parent = parseTraceparent((event as { traceparent?: unknown }).traceparent);
    await inSpan(`${topic} process`, 'consumer', parent, { 'messaging.destination.name': topic, 'messaging.message.id': event.id }, () =>
      Promise.all(list.map((s) => this.deliver(s, event))),
    );
  }

  private async deliver(sub: Subscription, event: CloudEvent): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const started = performance.now();
      try {
        await sub.handle(event);
        this.opts.onHandled?.(sub.consumer, sub.topic, (performance.now() - started) / 1000, true);
        return;
      } catch (err) {
        this.opts.onHandled?.(sub.consumer, sub.topic, (performance.now() - started) / 1000, false);
        lastError = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof PermanentEventError;
        this.opts.logger.warn(
          { consumer: sub.consumer, topic: sub.topic, event_id: event.id, attempt, permanent, err: lastError },
          'event handler failed',
        );
        if (permanent) {
          await this.deadLetter(sub, event, lastError, attempt);
          return;
        }
        if (attempt < this.maxAttempts) await sleep(this.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    await this.deadLetter(sub, event, lastError, this.maxAttempts);
  }

  private async deadLetter(sub: Subscription, event: CloudEvent, error: string, attempts: number) {
    this.opts.logger.error({ consumer: sub.consumer, topic: sub.topic, event_id: event.id, attempts, err: error }, 'event dead-lettered');
    await this.opts.onDeadLetter({ consumer: sub.consumer, topic: sub.topic, event, error, attempts });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
