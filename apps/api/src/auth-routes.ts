import { assertTimeZone, DomainError, forbidden, validationError } from '@dueflow/core';
import { type Caller, isAccessToken, type TokenService } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Auth, CLIENT_IP_HEADER } from './auth.ts';
import { clientIp } from './client-ip.ts';
import { errorBody } from './errors.ts';
import { assertTrustedOrigin, isSafeMethod, type TrustedOrigins } from './origin.ts';

/** Node request headers as Web Headers, with the client IP set by us (never by the client). */
export function webHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === CLIENT_IP_HEADER) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  headers.set(CLIENT_IP_HEADER, clientIp(request));
  return headers;
}

export type TokenScope = 'read' | 'read-write';

/** Who is calling and with what: a session (cookie or its bearer token) or a personal access token. */
export interface Authenticated {
  caller: Caller;
  credential: { kind: 'session' | 'token'; id: string; scope: TokenScope };
  /** How the credential arrived: a cookie can be sent by a browser on another site's behalf, a header cannot. */
  via: 'bearer' | 'cookie' | 'query';
}

export type Authenticate = (request: FastifyRequest, opts?: { queryToken?: boolean }) => Promise<Authenticated>;

const unauthenticated = () => new DomainError('unauthenticated', 'UNAUTHENTICATED', 'sign in and send Authorization: Bearer <token>');

/**
 * Resolves the caller from `Authorization: Bearer` (a session token or a personal access token) or the
 * session cookie. `?token=` is read only where asked (the websocket: browsers cannot set its headers).
 */
export function makeAuthenticate(auth: Auth, tokens: TokenService | null): Authenticate {
  return async (request, opts = {}) => {
    const headers = webHeaders(request);
    let via: Authenticated['via'] = 'cookie';
    const header = headers.get('authorization');
    let bearer = header && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : null;
    if (header) via = 'bearer';
    const queryToken = (request.query as Record<string, unknown> | undefined)?.['token'];
    if (!header && opts.queryToken && typeof queryToken === 'string' && queryToken.length > 0) {
      bearer = queryToken;
      via = 'query';
      headers.set('authorization', `Bearer ${queryToken}`);
    }
    if (bearer !== null && isAccessToken(bearer)) {
      const token = tokens ? await tokens.verify(bearer) : null;
      if (!token) throw unauthenticated();
      return { caller: { userId: token.userId, timezone: token.timezone || 'UTC' }, credential: { kind: 'token', id: token.id, scope: token.scope }, via };
    }
    if (via === 'cookie' && !headers.has('cookie')) throw unauthenticated();
    // A session token sent as a bearer must not be mixed with a cookie of another session.
    if (via !== 'cookie') headers.delete('cookie');
    const session = await auth.api.getSession({ headers });
    if (!session) throw unauthenticated();
    const user = session.user as { id: string; timezone?: string | null };
    return { caller: { userId: user.id, timezone: user.timezone || 'UTC' }, credential: { kind: 'session', id: session.session.id, scope: 'read-write' }, via };
  };
}

/**
 * The checks every authenticated request passes after the caller is known: a browser's cookie acts only
 * for a trusted origin on anything that changes state, and a read-only token only reads.
 */
export function authorizeRequest(request: FastifyRequest, who: Authenticated, trusted: TrustedOrigins): void {
  const safe = isSafeMethod(request.method);
  if (who.via === 'cookie' && !safe) assertTrustedOrigin(request.headers, trusted);
  if (who.credential.scope === 'read' && !safe) {
    throw forbidden('INSUFFICIENT_SCOPE', 'this access token can only read; create a read-write token to make changes', { scope: 'read' });
  }
}

/** Mounts Better Auth at /api/auth/*; its errors are rewritten to the API's error envelope. */
export function registerAuthRoutes(app: FastifyInstance, auth: Auth, opts: { baseURL: string; trustedOrigins: TrustedOrigins }): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    // Before the body is read: a cross-site browser request is refused whatever it carries.
    onRequest: async (request) => {
      if (!isSafeMethod(request.method)) assertTrustedOrigin(request.headers, opts.trustedOrigins);
    },
    handler: async (request, reply) => {
      const url = new URL(request.url, opts.baseURL);
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
      const headers = webHeaders(request);
      // The origin was checked above; Better Auth's own check is off (it would refuse Node's fetch, which
      // sends Sec-Fetch-Mode without an Origin).
      const init: RequestInit = { method: request.method, headers };
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
