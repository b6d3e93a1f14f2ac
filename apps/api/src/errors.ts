import { DomainError, type ErrorKind, isDomainError } from '@dueflow/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';

export const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export const errorBody = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

type Issue = ZodError['issues'][number];
interface IssueDetail {
  path: string;
  message: string;
  code: string;
}

/**
 * The issues of a zod error, with each failed union replaced by the issues of its closest branch
 * (fewest issues), so `recurrence: {pattern: "hourly"}` reports the pattern, not "Invalid input".
 */
export function flattenIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): IssueDetail[] {
  const out: IssueDetail[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((b) => flattenIssues(b, path)).filter((b) => b.length > 0);
      const best = branches.sort((a, b) => a.length - b.length)[0];
      if (best) {
        out.push(...best);
        continue;
      }
    }
    out.push({ path: path.map(String).join('.'), message: issue.message, code: issue.code });
  }
  return out;
}

/**
 * A 400 for a failed schema. `fieldCodes` names a stable code for issues under a top-level field
 * (e.g. every `recurrence.*` issue is INVALID_RECURRENCE); the rest are VALIDATION_FAILED.
 */
export function fromZodError(err: ZodError, fieldCodes: Record<string, string> = {}): DomainError {
  const details = flattenIssues(err.issues);
  const first = details[0];
  const message = first ? `${first.path || 'body'}: ${first.message}` : 'invalid request';
  const top = first?.path.split('.')[0] ?? '';
  const code = Object.hasOwn(fieldCodes, top) ? (fieldCodes[top] as string) : 'VALIDATION_FAILED';
  return new DomainError('validation', code, message, details);
}

/** Maps every error to `{error:{code,message,details}}` in one place; unknown errors are a generic 500. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request, reply) => {
    if (isDomainError(err)) {
      return reply.status(STATUS[err.kind]).send(errorBody(err.code, err.message, err.details));
    }
    if (err instanceof ZodError) {
      const e = fromZodError(err);
      return reply.status(400).send(errorBody(e.code, e.message, e.details));
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', 'request body is too large'));
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', 'send JSON (Content-Type: application/json)'));
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && fe instanceof SyntaxError)) {
      return reply.status(400).send(errorBody('INVALID_JSON', 'request body is not valid JSON'));
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send(errorBody('BAD_REQUEST', fe.message));
    }
    // A value the database refused (out of range, bad encoding, bad time zone offset) came from the client.
    const sqlState = (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
      return reply.status(400).send(errorBody('INVALID_VALUE', 'a value in the request is out of range or malformed'));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL', 'something went wrong on our side'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
