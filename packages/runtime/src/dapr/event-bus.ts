import { type CloudEvent, cloudEventSchema, type Topic } from '@dueflow/core';
import type { Logger } from 'pino';
import { type EventBus, PermanentEventError, type PublishOptions, type Subscription } from '../ports/event-bus.ts';
import { currentTrace, parseTraceparent } from '../trace.ts';
import { inSpan } from '../tracing.ts';
import type { Sidecar } from './sidecar.ts';

export interface DaprPubSubNames {
  /** Shared consumer group per app id: work is split between replicas. */
  pubsub: string;
  /** A consumer group per replica: every replica gets every message (realtime fan-out). */
  broadcast: string;
}

/** What daprd expects back from a delivery. */
export type DeliveryStatus = 'SUCCESS' | 'RETRY' | 'DROP';

interface Route {
  pubsubname: string;
  topic: Topic;
  route: string;
  deadLetterTopic: string;
  subs: Subscription[];
}

/**
 * EventBus over Dapr pub/sub. Publishing goes through the sidecar (Kafka partition key = user);
 * subscribing is programmatic: the app serves `GET /dapr/subscribe` from `manifest()` and hands each
 * delivery to `deliver()`, which runs every local consumer of that topic (each idempotent) and maps
 * the outcome to SUCCESS / RETRY / DROP. Dropped and exhausted messages go to `<topic>-dlq`.
 */
export class DaprEventBus implements EventBus {
  private readonly routes = new Map<string, Route>();

  constructor(
    private readonly sidecar: Sidecar,
    private readonly names: DaprPubSubNames,
    private readonly logger: Logger,
    private readonly onHandled?: (consumer: string, topic: Topic, seconds: number, ok: boolean) => void,
  ) {}

  async publish(topic: Topic, event: CloudEvent, opts: PublishOptions): Promise<void> {
    const key = encodeURIComponent(opts.partitionKey);
    // A CloudEvent body is passed through as is (our id, type and source survive).
    const headers: Record<string, string> = { 'content-type': 'application/cloudevents+json' };
    // The trace of the change that wrote the event continues through Dapr and Kafka.
    const tp = (event as { traceparent?: unknown }).traceparent;
    if (typeof tp === 'string') headers['traceparent'] = tp;
    await this.sidecar.call('POST', `/v1.0/publish/${this.names.pubsub}/${topic}?metadata.partitionKey=${key}`, event, headers);
  }

  subscribe(sub: Subscription): void {
    const pubsubname = sub.broadcast ? this.names.broadcast : this.names.pubsub;
    const route = `/dapr/events/${pubsubname}/${sub.topic}`;
    const existing = this.routes.get(route);
    if (existing) existing.subs.push(sub);
    // Dead-letter topics have no dead-letter topic of their own.
    else this.routes.set(route, { pubsubname, topic: sub.topic, route, deadLetterTopic: sub.topic.endsWith('-dlq') ? '' : `${sub.topic}-dlq`, subs: [sub] });
  }

  /** The body of `GET /dapr/subscribe`. */
  manifest(): Array<{ pubsubname: string; topic: string; route: string; deadLetterTopic?: string }> {
    return [...this.routes.values()].map(({ pubsubname, topic, route, deadLetterTopic }) =>
      deadLetterTopic ? { pubsubname, topic, route, deadLetterTopic } : { pubsubname, topic, route },
    );
  }

  routePaths(): string[] {
    return [...this.routes.keys()];
  }

  /** Handles one delivery on `route`. Unknown or malformed events are dropped (to the DLQ). */
  async deliver(route: string, body: unknown): Promise<DeliveryStatus> {
    const r = this.routes.get(route);
    if (!r) return 'DROP';
    const parsed = cloudEventSchema.safeParse(body);
    if (!parsed.success) {
      this.logger.error({ route, err: parsed.error.message }, 'dropping a message that is not a CloudEvent');
      return 'DROP';
    }
    const event = { ...parsed.data, time: parsed.data.time ?? new Date().toISOString() } as CloudEvent;
    // The delivery request's context (daprd's traceparent header) when there is one, else the event's.
    const parent = currentTrace() ?? parseTraceparent((body as { traceparent?: unknown }).traceparent);
    const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': r.topic, 'messaging.message.id': event.id };
    return inSpan(`${r.topic} process`, 'consumer', parent, attributes, async (span) => {
      const status = await this.handleAll(r, event);
      span.setAttribute('dapr.delivery.status', status);
      if (status !== 'SUCCESS') span.fail(`delivery ${status}`);
      return status;
    });
  }

  private async handleAll(r: Route, event: CloudEvent): Promise<DeliveryStatus> {
    let status: DeliveryStatus = 'SUCCESS';
    for (const sub of r.subs) {
      const started = performance.now();
      try {
        await sub.handle(event);
        this.onHandled?.(sub.consumer, r.topic, (performance.now() - started) / 1000, true);
      } catch (err) {
        this.onHandled?.(sub.consumer, r.topic, (performance.now() - started) / 1000, false);
        const permanent = err instanceof PermanentEventError;
        this.logger.warn({ consumer: sub.consumer, topic: r.topic, event_id: event.id, permanent, err: err instanceof Error ? err.message : String(err) }, 'event handler failed');
        // One permanent failure drops the message; otherwise any failure asks for a redelivery
        // (consumers that already succeeded skip it by event id).
        if (permanent) return 'DROP';
        status = 'RETRY';
      }
    }
    return status;
  }

  async close(): Promise<void> {}
}
