import { type Database, eventsRepo, outboxRepo } from '@dueflow/db';
import type { Logger } from 'pino';
import { type Clock, sleepUntilWoken, systemClock } from './clock.ts';
import type { Metrics } from './metrics.ts';
import { SidecarError } from './dapr/sidecar.ts';
import type { EventBus } from './ports/event-bus.ts';
import { parseTraceparent } from './trace.ts';
import { inSpan } from './tracing.ts';

const REFUSED_MAX_BACKOFF_MS = 300_000;

export interface OutboxRelayOptions {
  database: Database;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  /** Time for claims, back-off, polling and housekeeping (default: the machine's). */
  clock?: Clock;
  /** Poll interval for events written by other processes; local writes wake the relay at once. */
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  maxBackoffMs?: number;
}

/**
 * Publishes outbox events in order. A failed publish keeps the event (and everything after it for
 * the same batch) for a later attempt with exponential back-off: a broker or sidecar outage delays
 * events, never loses them.
 */
export class OutboxRelay {
  private running = false;
  private wakeRequested = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** The batch in flight: batches of one relay run one at a time, so drain() is a barrier. */
  private batchInFlight: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxBackoffMs: number;

  /** A publish failed since the last time backed-off events were made due again. */
  private failedSinceRetry = false;
  private lastRetryAll = 0;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.clock = opts.clock ?? systemClock;
    this.pollMs = opts.pollMs ?? 1000;
    this.batchSize = opts.batchSize ?? 100;
    this.leaseMs = opts.leaseMs ?? 30_000;
    // Short: while the broker is down each relay tries one event this often, and once it is back the
    // backlog must go out within seconds (a publish that works makes the rest due at once, below).
    this.maxBackoffMs = opts.maxBackoffMs ?? 2000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Call after committing a transaction that wrote to the outbox. */
  notify(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  /** Stops after the batch in flight (graceful shutdown drains, it does not abandon). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /**
   * Publishes everything due now; returns how many were published. Also used by tests and shutdown:
   * it waits for a batch this relay's loop has claimed, so nothing it claimed is still in flight.
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.nextBatch();
      total += n.published;
      // Until nothing is claimable: a user's later event may have waited behind one just published
      // (here or by another relay), and no commit will wake us for it.
      if (n.claimed === 0 || n.failed) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      try {
        await this.drain();
        await this.updateLag();
        await this.housekeeping();
      } catch (err) {
        this.opts.logger.error({ err: errMessage(err) }, 'outbox relay iteration failed');
      }
      if (!this.running) break;
      if (this.wakeRequested) continue;
      const pause = sleepUntilWoken(this.clock, this.pollMs);
      this.wake = pause.wake;
      await pause.done;
      this.wake = null;
    }
  }

  private nextBatch() {
    const batch = this.batchInFlight.then(() => this.publishBatch());
    this.batchInFlight = batch.catch(() => undefined);
    return batch;
  }

  private async publishBatch(): Promise<{ claimed: number; published: number; failed: boolean }> {
    const { db } = this.opts.database;
    const batch = await outboxRepo.claimBatch(db, this.clock.now(), this.batchSize, this.leaseMs);
    const done: bigint[] = [];
    let failed = false;
    for (const m of batch) {
      if (failed) break;
      try {
        // The publish is a span of the trace that wrote the event; what follows (sidecar, broker,
        // consumers) continues from it.
        const attributes = { 'messaging.destination.name': m.topic, 'messaging.message.id': m.event.id, 'dueflow.outbox.attempt': m.attempts + 1 };
        await inSpan(`${m.topic} publish`, 'producer', parseTraceparent(m.event.traceparent), attributes, (span) =>
          this.opts.bus.publish(m.topic, { ...m.event, traceparent: span.context.traceparent }, { partitionKey: m.partitionKey }),
        );
        done.push(m.id);
        this.opts.metrics.outboxPublished.inc({ topic: m.topic });
        const written = Date.parse(m.event.time);
        if (!Number.isNaN(written)) this.opts.metrics.eventLatency.observe({ topic: m.topic }, (this.clock.now().getTime() - written) / 1000);
      } catch (err) {
        failed = true;
        this.failedSinceRetry = true;
        this.opts.metrics.outboxFailures.inc();
        // The sidecar refusing the event itself (4xx) is not an outage: wait much longer before the next try.
        const refused = err instanceof SidecarError && err.status >= 400 && err.status < 500;
        const backoff = Math.min(refused ? REFUSED_MAX_BACKOFF_MS : this.maxBackoffMs, 250 * 2 ** Math.min(m.attempts, 12));
        this.opts.logger.warn({ event_id: m.event.id, topic: m.topic, attempts: m.attempts + 1, err: errMessage(err) }, 'outbox publish failed');
        await outboxRepo.markFailed(db, m.id, errMessage(err), new Date(this.clock.now().getTime() + backoff));
      }
    }
    await outboxRepo.markPublished(db, done, this.clock.now());
    // Claimed but not attempted (after a failure): release them for the next round, in order.
    const rest = batch.filter((m) => !done.includes(m.id)).slice(1);
    await outboxRepo.releaseClaims(db, rest.map((m) => m.id));
    // Publishing works (again): events backing off after an outage, this relay's or another's, are
    // due now rather than at the end of their back-off. Checked at once after own failures, and at
    // most once a second otherwise.
    if (done.length > 0 && (this.failedSinceRetry || this.clock.now().getTime() - this.lastRetryAll >= 1000)) {
      const now = this.clock.now();
      this.failedSinceRetry = false;
      this.lastRetryAll = now.getTime();
      await outboxRepo.retryBackedOffNow(db, now, new Date(now.getTime() + this.maxBackoffMs));
    }
    return { claimed: batch.length, published: done.length, failed };
  }

  private lastHousekeeping = 0;

  /** Hourly: published events older than a day and handled-event records older than 30 days go. */
  private async housekeeping() {
    const now = this.clock.now();
    if (now.getTime() - this.lastHousekeeping < 3600_000) return;
    this.lastHousekeeping = now.getTime();
    const { db } = this.opts.database;
    await outboxRepo.purgePublished(db, new Date(now.getTime() - 24 * 3600_000));
    await eventsRepo.purgeProcessed(db, new Date(now.getTime() - 30 * 24 * 3600_000));
  }

  private lastLagUpdate = 0;

  /** At most once a second: these queries must not sit between a commit and its publish. */
  private async updateLag() {
    const t = this.clock.now().getTime();
    if (t - this.lastLagUpdate < 1000) return;
    this.lastLagUpdate = t;
    const { db } = this.opts.database;
    this.opts.metrics.outboxLag.set(await outboxRepo.oldestPendingAgeSeconds(db, this.clock.now()));
    this.opts.metrics.outboxPending.set(await outboxRepo.pendingCount(db));
  }
}

const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
