import { childTrace, currentTrace, type TraceContext, withTrace } from './trace.ts';

/** OpenTelemetry span kinds (the OTLP numbering is in otlp-exporter.ts). */
export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanAttributes = Record<string, string | number | boolean>;

/** A span that has ended, as handed to the exporter. */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  startUnixNano: bigint;
  endUnixNano: bigint;
  attributes: SpanAttributes;
  /** Set when the work failed (the span's status is then ERROR). */
  error: string | null;
}

export type SpanSink = (span: FinishedSpan) => void;

// One per process, like OpenTelemetry's global tracer provider: spans are made where the work happens
// (HTTP hooks, the event buses, the outbox relay, the sidecar client) without threading a tracer through.
let sink: SpanSink | null = null;

/** Where ended spans go (an OTLP exporter), or null to only propagate the context. */
export function setSpanSink(next: SpanSink | null): void {
  sink = next;
}

const nowUnixNano = (): bigint => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

/** A unit of work in a trace: its context is what children and outgoing calls carry (traceparent). */
export class Span {
  readonly context: TraceContext;
  private readonly parentSpanId: string | null;
  private readonly start = nowUnixNano();
  private readonly attributes: SpanAttributes;
  private error: string | null = null;
  private ended = false;

  constructor(
    readonly name: string,
    readonly kind: SpanKind,
    parent: TraceContext | null | undefined,
    attributes: SpanAttributes = {},
  ) {
    this.context = childTrace(parent ?? null);
    this.parentSpanId = parent?.spanId ?? null;
    this.attributes = { ...attributes };
  }

  setAttribute(key: string, value: string | number | boolean): this {
    this.attributes[key] = value;
    return this;
  }

  /** Marks the span as failed (status ERROR) with the error's message. */
  fail(err: unknown): this {
    this.error = err instanceof Error ? err.message : String(err);
    return this;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    sink?.({
      traceId: this.context.traceId,
      spanId: this.context.spanId,
      parentSpanId: this.parentSpanId,
      name: this.name,
      kind: this.kind,
      startUnixNano: this.start,
      endUnixNano: nowUnixNano(),
      attributes: this.attributes,
      error: this.error,
    });
  }
}

/** A span whose parent is `parent`, or the current context when `parent` is undefined. */
export function startSpan(name: string, kind: SpanKind, parent?: TraceContext | null, attributes?: SpanAttributes): Span {
  return new Span(name, kind, parent === undefined ? currentTrace() : parent, attributes);
}

/** Runs `fn` as a span (its context current inside), failing the span when `fn` throws. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: TraceContext | null | undefined,
  attributes: SpanAttributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = startSpan(name, kind, parent, attributes);
  try {
    return await withTrace(span.context, () => fn(span));
  } catch (err) {
    span.fail(err);
    throw err;
  } finally {
    span.end();
  }
}
