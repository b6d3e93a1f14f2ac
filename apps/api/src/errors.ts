import { DomainError, type ErrorKind, isDomainError } from '@dueflow/core';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ZodError } from 'zod';

export const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** Every error body has `details`: the failed fields for a 400, what was missing or refused otherwise. */
export const errorBody = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: { code, message, details: details ?? {} },
});

type Issue = ZodError['issues'][number];
/** Where in the request an invalid value was: the JSON body, the query string or the path. */
export type RequestPart = 'body' | 'query' | 'path';
interface IssueDetail {
  in: RequestPart;
  path: string;
  message: string;
  code: string;
}

/**
 * The issues of a zod error, with each failed union replaced by the issues of its closest branch
 * (fewest issues), so `recurrence: {pattern: "hourly"}` reports the pattern, not "Invalid input".
 * An unknown key is reported at its own path (`foo`), not at the object holding it.
 */
export function flattenIssues(issues: readonly Issue[], part: RequestPart = 'body', prefix: readonly PropertyKey[] = []): IssueDetail[] {
  const out: IssueDetail[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((b) => flattenIssues(b, part, path)).filter((b) => b.length > 0);
      const best = branches.sort((a, b) => a.length - b.length)[0];
      if (best) {
        out.push(...best);
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
      for (const key of issue.keys) out.push({ in: part, path: [...path, key].map(String).join('.'), message: `unknown field "${key}"`, code: issue.code });
      continue;
    }
    out.push({ in: part, path: path.map(String).join('.'), message: issue.message, code: issue.code });
  }
  return out;
}

/**
 * A 400 for a failed schema. `fieldCodes` names a stable code for issues under a top-level body field
 * (e.g. every `recurrence.*` issue is INVALID_RECURRENCE); the rest are VALIDATION_FAILED.
 */
export function fromZodError(err: ZodError, fieldCodes: Record<string, string> = {}, part: RequestPart = 'body'): DomainError {
  const details = flattenIssues(err.issues, part);
  const first = details[0];
  const message = first ? `${first.path ? `${part === 'body' ? '' : `${part} `}${first.path}` : part}: ${first.message}` : 'invalid request';
  const top = first?.path.split('.')[0] ?? '';
  const code = part === 'body' && Object.hasOwn(fieldCodes, top) ? (fieldCodes[top] as string) : 'VALIDATION_FAILED';
  return new DomainError('validation', code, message, details);
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

/**
 * The one mapping from an error to an HTTP answer, for routes, websocket upgrades and MCP alike.
 * Unknown errors become a generic 500 (reported through `onUnknown`, never shown to the caller).
 */
export function toErrorResponse(err: unknown, opts: { bodyLimitBytes?: number; onUnknown?: (err: unknown) => void } = {}): ErrorResponse {
  if (isDomainError(err)) return { status: STATUS[err.kind], body: errorBody(err.code, err.message, err.details) };
  if (err instanceof ZodError) {
    const e = fromZodError(err);
    return { status: 400, body: errorBody(e.code, e.message, e.details) };
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: errorBody('PAYLOAD_TOO_LARGE', 'request body is too large', opts.bodyLimitBytes ? { limit_bytes: opts.bodyLimitBytes } : {}) };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: errorBody('UNSUPPORTED_MEDIA_TYPE', 'send JSON (Content-Type: application/json)', { accepted: ['application/json'] }) };
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && fe instanceof SyntaxError)) {
    return { status: 400, body: errorBody('INVALID_JSON', 'request body is not valid JSON') };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: errorBody('BAD_REQUEST', fe.message) };
  }
  // A value the database refused (out of range, bad encoding, bad time zone offset) came from the client.
  const sqlState = (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return { status: 400, body: errorBody('INVALID_VALUE', 'a value in the request is out of range or malformed') };
  }
  opts.onUnknown?.(err);
  return { status: 500, body: errorBody('INTERNAL', 'something went wrong on our side') };
}

/** Sends an error through the one mapping (for handlers outside Fastify's error handler). */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const r = toErrorResponse(err, { onUnknown: (e) => reply.log.error({ err: e }, 'unhandled error') });
  return reply.status(r.status).type('application/json').send(r.body);
}

/** Maps every error to `{error:{code,message,details}}` in one place; unknown errors are a generic 500. */
export function installErrorHandling(app: FastifyInstance, opts: { bodyLimitBytes: number }): void {
  app.setErrorHandler((err: unknown, request, reply) => {
    const r = toErrorResponse(err, { bodyLimitBytes: opts.bodyLimitBytes, onUnknown: (e) => request.log.error({ err: e }, 'unhandled error') });
    const retryAfter = r.status === 429 ? (r.body.error.details as { retry_after?: unknown } | null)?.retry_after : undefined;
    if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retryAfter));
    return reply.status(r.status).send(r.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    reply.status(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${path}`, { method: request.method, path }));
  });
}

