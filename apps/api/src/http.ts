import { errorBodySchema } from '@dueflow/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '@dueflow/services';
import { z } from 'zod';
import { DomainError } from '@dueflow/core';
import { type Authenticate, type Authenticated, authorizeRequest } from './auth-routes.ts';
import { fromZodError, type RequestPart } from './errors.ts';
import type { TrustedOrigins } from './origin.ts';
import type { Admit } from './user-limits.ts';

function parsePart(schema: z.ZodType, value: unknown, part: RequestPart, fieldCodes?: Record<string, string>): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZodError(parsed.error, fieldCodes, part);
  return parsed.data;
}

const ANONYMOUS: Authenticated = { caller: { userId: '', timezone: 'UTC' }, credential: { kind: 'session', id: '', scope: 'read' }, via: 'bearer' };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  url: string;
  summary: string;
  tag: string;
  /** Needs a signed-in caller (bearer token or session cookie). */
  auth: boolean;
  body?: B;
  /** The body may be left out (it then counts as `{}`); otherwise a route with a body schema requires one. */
  bodyOptional?: boolean;
  query?: Q;
  params?: P;
  /** Success status and body schema; omitted schema means no body (204). */
  status?: number;
  response?: z.ZodType;
  /** Error statuses worth listing in the document. */
  errors?: number[];
  /** Error code for a body issue under a top-level field (default VALIDATION_FAILED). */
  fieldCodes?: Record<string, string>;
  /** Checks the caller against the raw path parameters before anything is validated: a 403 comes before any 400. */
  authorize?: (caller: Caller, rawParams: Record<string, string>) => void;
}

export interface HandlerInput<B, Q, P> {
  /** The signed-in caller (routes with `auth: true`). */
  caller: Caller;
  /** What the caller signed in with. */
  credential: Authenticated['credential'];
  body: B;
  query: Q;
  params: P;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** Records routes as they are registered and renders them as OpenAPI 3.1 from the same zod schemas. */
export class ApiDocument {
  private readonly specs: RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] = [];

  add(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>) {
    this.specs.push(spec);
  }

  render(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' });
    for (const s of this.specs) {
      const path = s.url.replace(/:([a-zA-Z_]+)/g, '{$1}');
      const parameters: unknown[] = [];
      for (const [where, sch] of [['path', s.params], ['query', s.query]] as const) {
        if (!sch) continue;
        const js = schema(sch, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, p] of Object.entries(js.properties ?? {})) {
          parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: p });
        }
      }
      const status = String(s.status ?? 200);
      const responses: Record<string, unknown> = {
        [status]: s.response
          ? { description: 'OK', content: { 'application/json': { schema: schema(s.response, 'output') } } }
          : { description: 'No content' },
      };
      const errorContent = { 'application/json': { schema: schema(errorBodySchema, 'output') } };
      for (const e of [...(s.body || s.query ? [400] : []), ...(s.auth ? [401] : []), ...(s.errors ?? [])]) {
        responses[String(e)] = { description: 'Error', content: errorContent };
      }
      paths[path] ??= {};
      paths[path][s.method.toLowerCase()] = {
        summary: s.summary,
        tags: [s.tag],
        ...(s.auth ? { security: [{ bearer: [] }, { cookie: [] }] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(s.body ? { requestBody: { required: !s.bodyOptional, content: { 'application/json': { schema: schema(s.body, 'input') } } } } : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (dfp_…, POST /api/v1/tokens) or the session token from POST /api/auth/sign-in/email' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        },
      },
      paths,
    };
  }
}

/**
 * Registers a thin route: validate (zod) → handler (service call) → serialize. Validation errors
 * surface as ZodError and become a 400 in the central error handler.
 */
export interface RouteContext {
  app: FastifyInstance;
  doc: ApiDocument;
  /** Resolves the caller from the bearer token or session cookie; throws 401. */
  authenticate: Authenticate;
  trustedOrigins: TrustedOrigins;
  /** Per-user rate and concurrency limits, applied to every authenticated route. */
  admit: Admit;
}

export function defineRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, R>(
  ctx: RouteContext,
  spec: RouteSpec<B, Q, P>,
  handler: (input: HandlerInput<z.output<B>, z.output<Q>, z.output<P>>) => Promise<R>,
): void {
  ctx.doc.add(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
  const callers = new WeakMap<FastifyRequest, Authenticated>();
  ctx.app.route({
    method: spec.method,
    url: spec.url,
    // Before the body is read: a request without a valid token gets 401 (and a foreign path 403),
    // never a parse error or 413 that would reveal anything about the route.
    onRequest: async (request, reply) => {
      const who = spec.auth ? await ctx.authenticate(request) : ANONYMOUS;
      if (spec.auth) authorizeRequest(request, who, ctx.trustedOrigins);
      spec.authorize?.(who.caller, (request.params ?? {}) as Record<string, string>);
      if (spec.auth) await ctx.admit(who.caller.userId, reply);
      callers.set(request, who);
    },
    handler: async (request, reply) => {
      const who = callers.get(request) ?? ANONYMOUS;
      const params = spec.params ? parsePart(spec.params, request.params ?? {}, 'path') : undefined;
      const query = spec.query ? parsePart(spec.query, request.query ?? {}, 'query') : undefined;
      let body: unknown;
      if (spec.body) {
        if (request.body === undefined && !spec.bodyOptional) {
          throw new DomainError('validation', 'BODY_REQUIRED', 'this request needs a JSON body', [{ in: 'body', path: '', message: 'a JSON body is required', code: 'required' }]);
        }
        // A left-out optional body counts as `{}`; a JSON `null` (or any non-object) is rejected by the schema.
        body = parsePart(spec.body, request.body === undefined ? {} : request.body, 'body', spec.fieldCodes);
      }
      const result = await handler({
        caller: who.caller,
        credential: who.credential,
        body: body as z.output<B>,
        query: query as z.output<Q>,
        params: params as z.output<P>,
        request,
        reply,
      });
      reply.status(spec.status ?? 200);
      if (spec.response === undefined) return reply.send();
      return reply.send(result);
    },
  });
}
