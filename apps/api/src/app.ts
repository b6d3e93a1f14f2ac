import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { type Database, usersRepo } from '@dueflow/db';
import { childTrace, ENVELOPED_STATUS_HEADER, enterTrace, type Logger, type Metrics, parseTraceparent, type Span, startSpan } from '@dueflow/runtime';
import type { AccountService, ChatService, LiveCredential, RealtimeHub, TaskService, TaskTools, TokenService } from '@dueflow/services';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import type { Auth } from './auth.ts';
import { makeAuthenticate, registerAuthRoutes } from './auth-routes.ts';
import { type DaprAppOptions, registerDaprRoutes } from './dapr-app.ts';
import { installErrorHandling } from './errors.ts';
import { ApiDocument, type RouteContext } from './http.ts';
import { admitter, type UserLimitOptions, UserLimits } from './user-limits.ts';
import type { TrustedOrigins } from './origin.ts';
import { applySecurityHeaders, responseKind } from './security-headers.ts';
import { registerAccountRoutes } from './routes/account.ts';
import { registerChatRoutes } from './routes/chat.ts';
import { registerLiveRoute } from './routes/live.ts';
import { registerMcpRoute } from './routes/mcp.ts';
import { registerTaskRoutes } from './routes/tasks.ts';
import { registerTokenRoutes } from './routes/tokens.ts';
import { type ApiForwarder, registerWebRoutes, type WebPages } from './routes/web.ts';

export interface ApiDeps {
  database: Database;
  tasks: TaskService;
  accounts: AccountService;
  tokens: TokenService;
  /** Origins whose pages may use the session cookie (PUBLIC_URL, TRUSTED_ORIGINS, loopback on the listening port). */
  trustedOrigins: TrustedOrigins;
  /** Live (websocket) connections one user may hold in this process. */
  maxLiveConnectionsPerUser: number;
  /** The chat assistant and the tools it shares with MCP clients (the api role). */
  assistant: { chat: ChatService; tools: TaskTools; messagesPerMinute: number } | null;
  auth: Auth;
  /** Present when this process holds websocket connections (the realtime role). */
  hub: RealtimeHub | null;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  vapidPublicKey: string | null;
  baseURL: string;
  bodyLimitBytes: number;
  /** Named readiness checks (database, event bus, …); all must pass for /readyz. */
  readiness: () => Promise<Record<string, boolean>>;
  version: string;
  /** The public REST API and auth (the api role); other roles serve only health, metrics and callbacks. */
  publicRoutes: boolean;
  /** Dapr callbacks (subscriptions, jobs, bindings, service invocation) in distributed mode. */
  dapr: DaprAppOptions | null;
  /** Per-user request rate and concurrency on the REST API and MCP; null: unlimited. */
  userLimits: UserLimitOptions | null;
  /** The web UI (the web role), served for every page path on this port. */
  web: { pages: WebPages; forwardApi: ApiForwarder | null; liveUpstream: string[] | null } | null;
}

const UNTRACED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines would drown the structured events; latency goes to /metrics instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes,
    trustProxy: false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  installErrorHandling(app, { bodyLimitBytes: deps.bodyLimitBytes });
  const https = deps.baseURL.startsWith('https:');
  // Before anything else answers (errors, 404s, pages, MCP): every response carries the headers.
  app.addHook('onRequest', (request, reply, done) => {
    applySecurityHeaders(reply.raw, responseKind(request.url), { https });
    done();
  });
  app.addHook('onListen', (done) => {
    const address = app.server.address();
    if (address && typeof address === 'object') deps.trustedOrigins.addLoopback(address.port);
    done();
  });

  // JSON only: a text/plain body (what a cross-site form can send) gets 415, not a parse attempt.
  app.removeContentTypeParser('text/plain');
  // JSON bodies; an empty body counts as none (PATCH /complete is often sent with no body).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = Object.assign(new Error('invalid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
      done(err, undefined);
    }
  });

  // Any other type: a request without a body has none, however it is framed (a proxy or a Dapr
  // sidecar may send an empty body chunked and without a type); one with a body is refused.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    if (body.length === 0) return done(null, undefined);
    done(Object.assign(new Error('unsupported media type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
  });

  // W3C trace context: continue the caller's trace (or start one); logs and events carry it.
  // Callback style on purpose: `done()` runs the rest of the request inside the context just entered.
  // Probes and scrapes get a context for their log lines but no span: they would bury the traces.
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRequest', (request, reply, done) => {
    const parent = parseTraceparent(request.headers['traceparent']);
    const route = request.routeOptions.url;
    let trace = childTrace(parent);
    if (route && !UNTRACED_ROUTES.has(route)) {
      const span = startSpan(`${request.method} ${route}`, 'server', parent, { 'http.request.method': request.method, 'http.route': route });
      spans.set(request, span);
      trace = span.context;
    }
    enterTrace(trace);
    reply.header('traceparent', trace.traceparent);
    done();
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    // A 4xx sent in the service-invocation envelope (dapr-app.ts) is counted as what it is.
    const status = Number(reply.getHeader(ENVELOPED_STATUS_HEADER) ?? reply.statusCode);
    deps.metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, reply.elapsedTime / 1000);
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.fail(`HTTP ${status}`);
      span.end();
    }
    if (reply.statusCode >= 500) request.log.error({ method: request.method, route, status: reply.statusCode }, 'request failed');
  });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const doc = new ApiDocument();
  const authenticate = makeAuthenticate(deps.auth, deps.tokens);
  const admit = admitter(deps.userLimits ? new UserLimits(deps.userLimits) : null);
  const ctx: RouteContext = { app, doc, authenticate, trustedOrigins: deps.trustedOrigins, admit };

  if (deps.publicRoutes) {
    registerAuthRoutes(app, deps.auth, { baseURL: deps.baseURL, trustedOrigins: deps.trustedOrigins });
    registerTaskRoutes(ctx, deps.tasks, { compat: false });
    registerTaskRoutes(ctx, deps.tasks, { compat: true });
    registerAccountRoutes(ctx, deps.accounts, { vapidPublicKey: deps.vapidPublicKey });
    registerTokenRoutes(ctx, deps.tokens);
    if (deps.assistant) {
      registerChatRoutes(ctx, deps.assistant.chat, { messagesPerMinute: deps.assistant.messagesPerMinute });
      registerMcpRoute(app, { tools: deps.assistant.tools, authenticate, version: deps.version, admit });
    }
  }
  if (deps.dapr) registerDaprRoutes(app, deps.dapr);
  if (deps.hub) {
    const liveCredentials = async (held: LiveCredential[]): Promise<LiveCredential[]> => {
      const ids = (kind: LiveCredential['kind']) => [...new Set(held.filter((c) => c.kind === kind).map((c) => c.id))];
      const [sessions, tokens] = await Promise.all([usersRepo.liveSessionIds(deps.database.db, ids('session'), deps.now()), deps.tokens.live(ids('token'))]);
      return held.filter((c) => (c.kind === 'session' ? sessions : tokens).has(c.id));
    };
    registerLiveRoute(app, {
      hub: deps.hub,
      metrics: deps.metrics,
      authenticate,
      trustedOrigins: deps.trustedOrigins,
      maxConnectionsPerUser: deps.maxLiveConnectionsPerUser,
      liveCredentials,
    });
  }
  if (deps.web) registerWebRoutes(app, deps.web);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  // A web role that forwards to the API app forwards its document and viewer too (web.ts).
  if (deps.publicRoutes || !deps.web?.forwardApi) {
    const document = doc.render({ title: 'Dueflow API', version: deps.version });
    app.get('/openapi.json', async () => document);
    await app.register(swagger, { mode: 'static', specification: { document: document as never } });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }
  return app;
}
