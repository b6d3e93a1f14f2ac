import type { Logger } from 'pino';
import type { FinishedSpan, SpanKind, SpanSink } from './tracing.ts';

export interface OtlpExporterOptions {
  /** The traces URL, e.g. http://otel-collector:4318/v1/traces (OTLP over HTTP, JSON encoding). */
  url: string;
  /** Resource attributes; `service.name` names this process in the trace backend. */
  resource: Record<string, string>;
  /** Extra request headers (an API key for a hosted backend). */
  headers?: Record<string, string>;
  logger: Logger;
  /** Batches go out at least this often (ms). */
  flushMs?: number;
  maxBatch?: number;
  /** Spans kept while the collector is unreachable; newer ones are dropped beyond it (never blocks work). */
  maxQueue?: number;
}

const KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
const anyValue = (v: string | number | boolean): AnyValue =>
  typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
const keyValues = (attrs: Record<string, string | number | boolean>) => Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));

/** The OTLP/HTTP JSON request body (ExportTraceServiceRequest) for `spans`. */
export function otlpTraceRequest(spans: FinishedSpan[], resource: Record<string, string>, scope = { name: 'dueflow', version: '0.1.0' }) {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues(resource) },
        scopeSpans: [
          {
            scope,
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: KIND[s.kind],
              startTimeUnixNano: String(s.startUnixNano),
              endTimeUnixNano: String(s.endUnixNano),
              attributes: keyValues(s.attributes),
              status: s.error ? { code: 2, message: s.error } : { code: 0 },
            })),
          },
        ],
      },
    ],
  };
}

/**
 * Sends ended spans to an OTLP/HTTP endpoint in batches, off the request path. A collector that is
 * down costs a warning (at most once a minute) and the spans of that time, nothing else.
 */
export class OtlpTraceExporter {
  private queue: FinishedSpan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private dropped = 0;
  private lastWarning = 0;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;

  constructor(private readonly opts: OtlpExporterOptions) {
    this.flushMs = opts.flushMs ?? 1000;
    this.maxBatch = opts.maxBatch ?? 512;
    this.maxQueue = opts.maxQueue ?? 4096;
  }

  readonly sink: SpanSink = (span) => {
    if (this.queue.length >= this.maxQueue) {
      this.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.maxBatch) void this.flush();
  };

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  /** Sends what is queued; resolves when every send started so far has finished. */
  flush(): Promise<void> {
    const next = this.sending.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.send(batch);
      }
    });
    this.sending = next;
    return next;
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async send(batch: FinishedSpan[]): Promise<void> {
    try {
      const res = await fetch(this.opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.opts.headers },
        body: JSON.stringify(otlpTraceRequest(batch, this.opts.resource)),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      this.dropped += batch.length;
      const t = Date.now();
      if (t - this.lastWarning > 60_000) {
        this.lastWarning = t;
        this.opts.logger.warn({ url: this.opts.url, dropped: this.dropped, err: err instanceof Error ? err.message : String(err) }, 'trace export failed');
      }
    }
  }
}
