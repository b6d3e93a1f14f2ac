import { assertTimeZone, DomainError, validationError } from '@dueflow/core';
import type { Caller } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Auth, CLIENT_IP_HEADER } from './auth.ts';
import { errorBody } from './errors.ts';

/** Node request headers as Web Headers, with the client IP set by us (never by the client). */
export function webHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  return headers;
}

/** Bearer header, session cookie, or (for websockets, which cannot set headers in browsers) `?token=`. */
export function makeAuthenticate(auth: Auth) {
  return async (request: FastifyRequest): Promise<Caller> => {
    const headers = webHeaders(request);
    const token = (request.query as Record<string, unknown> | undefined)?.['token'];
    if (!headers.has('authorization') && typeof token === 'string' && token.length > 0) {
      headers.set('authorization', `Bearer ${token}`);
    }
    let session: Awaited<ReturnType<typeof auth.api.getSession>> = null;
    if (headers.has('authorization') || headers.has('cookie')) {
      session = await auth.api.getSession({ headers });
    }
    if (!session) {
      throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'sign in and send Authorization: Bearer <token>');
    }
    const user = session.user as { id: string; timezone?: string | null };
    return { userId: user.id, timezone: user.timezone || 'UTC' };
  };
}

/** Mounts Better Auth at /api/auth/*; its errors are rewritten to the API's error envelope. */
export function registerAuthRoutes(app: FastifyInstance, auth: Auth, baseURL: string): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    handler: async (request, reply) => {
      const url = new URL(request.url, baseURL);
      // Better Auth stores `timezone` (sign-up, update-user) as given; an unknown zone would break every date later.
      const body = request.body as Record<string, unknown> | null | undefined;
      for (const [field, value] of Object.entries(body && typeof body === 'object' ? body : {})) {
        // PostgreSQL text cannot hold U+0000; Better Auth would fail in the database instead.
        if (typeof value === 'string' && value.includes('\u0000')) throw validationError('VALIDATION_FAILED', `${field} must not contain NUL characters`);
      }
      if (body && typeof body === 'object' && body['timezone'] !== undefined) {
        const tz = body['timezone'];
        if (typeof tz !== 'string') throw validationError('INVALID_TIMEZONE', 'timezone must be an IANA time zone name, e.g. Europe/Berlin');
        assertTimeZone(tz);
      }
      const init: RequestInit = { method: request.method, headers: webHeaders(request) };
      if (request.method !== 'GET' && request.body !== undefined) init.body = JSON.stringify(request.body);
      const res = await auth.handler(new Request(url, init));
      reply.status(res.status);
      res.headers.forEach((value, name) => {
        if (name !== 'set-cookie' && name !== 'content-length') reply.header(name, value);
      });
      const cookies = res.headers.getSetCookie();
      if (cookies.length > 0) reply.header('set-cookie', cookies);
      const text = await res.text();
      if (res.status >= 400) {
        let parsed: { code?: string; message?: string } = {};
        try {
          parsed = text ? (JSON.parse(text) as typeof parsed) : {};
        } catch {
          parsed = { message: text };
        }
        const code = res.status === 429 ? 'RATE_LIMITED' : parsed.code || `AUTH_${res.status}`;
        return reply.type('application/json').send(errorBody(code, parsed.message || res.statusText || 'authentication failed'));
      }
      return reply.send(text);
    },
  });
}
