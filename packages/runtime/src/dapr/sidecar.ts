import { currentTrace, parseTraceparent } from '../trace.ts';
import { startSpan } from '../tracing.ts';

/** HTTP client of the local Dapr sidecar (plain fetch; the SDK adds weight and lacks the Jobs API). */
export interface SidecarOptions {
  httpPort: number;
  /** Sent as dapr-api-token when the sidecar requires one (DAPR_API_TOKEN). */
  apiToken?: string;
  timeoutMs?: number;
}

/**
 * Service invocation and callers' mistakes: Dapr's resiliency counts every answer outside 2xx/3xx
 * as a failure of the target (its circuit breaker trips on them, its retries repeat them). A caller
 * that asks for the envelope gets a 4xx answer as 200 with the real status in a header, so only
 * 5xx and timeouts count; `Sidecar.invoke` asks for it and restores the status.
 */
export const STATUS_ENVELOPE_REQUEST_HEADER = 'x-dueflow-status-envelope';
export const ENVELOPED_STATUS_HEADER = 'x-dueflow-status';

export class SidecarError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SidecarError';
  }
}

export class Sidecar {
  readonly base: string;
  constructor(private readonly opts: SidecarOptions) {
    this.base = `http://127.0.0.1:${opts.httpPort}`;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    return this.send(method, path, h, payload);
  }

  /** Sends a body as it is (a forwarded request). */
  async send(method: string, path: string, headers: Record<string, string>, payload: string | Uint8Array | undefined, timeoutMs?: number): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    const parent = parseTraceparent(h['traceparent']) ?? currentTrace();
    // A client span for work that is part of a trace (health checks are not).
    const span = parent && !path.startsWith('/v1.0/healthz') ? startSpan(spanName(method, path), 'client', parent, { 'http.request.method': method, 'url.path': path.split('?')[0] ?? path }) : null;
    if (span) h['traceparent'] = span.context.traceparent;
    else if (parent) h['traceparent'] = parent.traceparent;
    if (this.opts.apiToken) h['dapr-api-token'] = this.opts.apiToken;
    try {
      const res = await fetch(this.base + path, {
        method,
        headers: h,
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.timeout(timeoutMs ?? this.opts.timeoutMs ?? 10_000),
      });
      span?.setAttribute('http.response.status_code', Number(res.headers.get(ENVELOPED_STATUS_HEADER) ?? res.status));
      if (span && res.status >= 500) span.fail(`HTTP ${res.status}`);
      return res;
    } catch (err) {
      span?.fail(err);
      throw err;
    } finally {
      span?.end();
    }
  }

  /**
   * Invokes `path` (with its query) on app `appId` through service invocation and answers with the
   * app's own status: a 4xx travels in the status envelope (see STATUS_ENVELOPE_REQUEST_HEADER), so
   * the target's circuit breaker and retries see only real failures. A request without a body that
   * may carry one is sent with an empty body (Content-Length: 0), never as a chunked stream.
   */
  async invoke(
    appId: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | Uint8Array | undefined,
    timeoutMs?: number,
  ): Promise<Response> {
    const bodyless = method === 'GET' || method === 'HEAD';
    const res = await this.send(
      method,
      `/v1.0/invoke/${encodeURIComponent(appId)}/method${path.startsWith('/') ? path : `/${path}`}`,
      { ...headers, [STATUS_ENVELOPE_REQUEST_HEADER]: '1' },
      // Bytes, not a string: fetch would label a string text/plain.
      bodyless ? undefined : (payload ?? new Uint8Array(0)),
      timeoutMs,
    );
    const enveloped = Number(res.headers.get(ENVELOPED_STATUS_HEADER));
    if (!(enveloped >= 400 && enveloped <= 499)) return res;
    const h = new Headers(res.headers);
    h.delete(ENVELOPED_STATUS_HEADER);
    return new Response(res.body, { status: enveloped, headers: h });
  }

  /** Like request, but a non-2xx answer throws with the sidecar's message. */
  async call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response> {
    const res = await this.request(method, path, body, headers);
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new SidecarError(`dapr ${method} ${path}: ${res.status} ${text.slice(0, 300)}`, res.status);
    }
    return res;
  }

  /** True when the sidecar answers and its components are ready. */
  async healthy(): Promise<boolean> {
    try {
      const res = await this.request('GET', '/v1.0/healthz/outbound');
      return res.status === 204 || res.ok;
    } catch {
      return false;
    }
  }

  /** Waits until the sidecar's components are ready (works before the app listens). */
  async waitForOutbound(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.healthy()) return;
      if (Date.now() > deadline) throw new Error(`dapr sidecar on ${this.base} not ready after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A low-cardinality span name for a sidecar call: `invoke api`, `publish task-events`, `state statestore`, … */
function spanName(method: string, path: string): string {
  const parts = (path.split('?')[0] ?? path).split('/').filter(Boolean);
  const [, api, first, second] = parts;
  if (api === 'invoke') return `invoke ${first ?? ''}`.trim();
  if (api === 'publish') return `publish ${second ?? first ?? ''}`.trim();
  if (api === 'state' || api === 'secrets') return `${api} ${first ?? ''}`.trim();
  return `dapr ${method} ${api ?? ''}`.trim();
}
