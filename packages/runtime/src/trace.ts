import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** W3C trace context of the work in progress (a request, or the handling of an event). */
export interface TraceContext {
  traceId: string;
  spanId: string;
  traceparent: string;
}

const storage = new AsyncLocalStorage<TraceContext>();
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a `traceparent` header; null when absent or malformed (all-zero ids are invalid). */
export function parseTraceparent(value: unknown): TraceContext | null {
  if (typeof value !== 'string') return null;
  const m = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m || /^0+$/.test(m[1] ?? '') || /^0+$/.test(m[2] ?? '')) return null;
  return { traceId: m[1] ?? '', spanId: m[2] ?? '', traceparent: value.trim().toLowerCase() };
}

/** A child span of `parent` (same trace), or the root of a new trace. */
export function childTrace(parent: TraceContext | null): TraceContext {
  const traceId = parent?.traceId ?? randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

export const currentTrace = (): TraceContext | undefined => storage.getStore();

/** Runs `fn` with `trace` as the current context. */
export function withTrace<T>(trace: TraceContext, fn: () => T): T {
  return storage.run(trace, fn);
}

/** Makes `trace` current for the rest of this asynchronous flow (a request's hooks and handler). */
export function enterTrace(trace: TraceContext): void {
  storage.enterWith(trace);
}
