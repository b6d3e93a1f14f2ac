// The web UI on the same port as the API: every GET the API does not own is a page of the UI.
// In a web-only process (distributed mode) /api/* and /mcp are forwarded to the API app instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocket } from 'ws';
import { withPageCsp } from '../html-csp.ts';
import { FORWARDED_CLIENT_HEADER } from '../client-ip.ts';
import { errorBody } from '../errors.ts';

export interface WebPages {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * Forwards one API request and returns the API's answer (Dapr service invocation in distributed
 * mode). The body is passed on byte for byte, so the API alone validates it.
 */
export type ApiForwarder = (request: { method: string; url: string; headers: Record<string, string>; body: Buffer | undefined }) => Promise<Response>;

/** Paths the API app owns: the REST API and auth, MCP, and the API's document and its viewer. */
export const FORWARDED_PATHS = ['/api/*', '/mcp', '/openapi.json', '/docs', '/docs/*'];

// Request headers the API needs; hop-by-hop and host headers stay behind.
const FORWARDED_REQUEST_HEADERS = ['authorization', 'cookie', 'content-type', 'origin', 'referer', 'user-agent', 'accept', 'accept-language', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id', 'if-none-match', 'if-modified-since'];
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'traceparent']);

export function registerWebRoutes(app: FastifyInstance, opts: { pages: WebPages; forwardApi: ApiForwarder | null; liveUpstream?: string[] | null }): void {
  const servePage = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/api/')) return reply.callNotFound();
    reply.hijack();
    // The security headers are already on reply.raw (onRequest); pages get their script hashes added.
    if (request.method === 'GET') withPageCsp(request.raw, reply.raw);
    await opts.pages.handle(request.raw, reply.raw);
  };
  // GET routes answer HEAD too.
  app.get('/*', servePage);
  app.get('/', servePage);

  // Service invocation carries no websockets: the page's live connection is relayed to a realtime
  // replica, in turn, skipping one that refuses to connect (behind an ingress, /api/v1/ws is routed to
  // the realtime role instead).
  const upstreams = opts.liveUpstream ?? [];
  let nextUpstream = 0;
  /** An upstream connection opened before the client's upgrade, with what it sent meanwhile. */
  interface Opened {
    ws: WebSocket;
    early: Array<{ data: WebSocket.RawData; isBinary: boolean }>;
  }
  type Refused = { status: number; body: string; contentType: string };
  const opened = new WeakMap<FastifyRequest, Opened>();
  // The realtime replica judges the sign-in before the client is upgraded, so a refused one is the
  // client's 401 (as on the realtime role), not an upgrade that closes at once.
  const openUpstream = (request: FastifyRequest): Promise<Opened | Refused> => {
    const headers: Record<string, string> = {};
    for (const name of ['cookie', 'authorization', 'origin', 'user-agent']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return new Promise((resolvePromise) => {
      let settled = false;
      const resolve = (r: Opened | Refused) => {
        settled = true;
        resolvePromise(r);
      };
      const attempt = (tries: number) => {
        const upstream = upstreams[nextUpstream++ % upstreams.length] as string;
        const ws = new WebSocket(`${upstream}/api/v1/ws${query}`, { headers });
        const early: Opened['early'] = [];
        const keep = (data: WebSocket.RawData, isBinary: boolean) => early.push({ data, isBinary });
        ws.on('message', keep);
        ws.once('open', () => resolve({ ws, early }));
        ws.once('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, body, contentType: String(res.headers['content-type'] ?? 'application/json') }));
          res.on('error', () => resolve({ status: 502, body: '', contentType: 'application/json' }));
        });
        ws.once('error', () => {
          // Not connected: another replica may be up (errors after that are the handler's).
          if (settled) return;
          if (tries + 1 < upstreams.length) attempt(tries + 1);
          else resolve({ status: 503, body: JSON.stringify(errorBody('SERVICE_UNAVAILABLE', 'live updates are not reachable right now; try again shortly')), contentType: 'application/json' });
        });
      };
      attempt(0);
    });
  };
  if (upstreams.length > 0) {
    app.get(
      '/api/v1/ws',
      {
        websocket: true,
        preValidation: async (request, reply) => {
          const result = await openUpstream(request);
          if ('ws' in result) {
            opened.set(request, result);
            return;
          }
          await reply.status(result.status).header('content-type', result.contentType).send(result.body);
        },
      },
      (client: WebSocket, request) => {
        const upstream = opened.get(request);
        if (!upstream) return client.close(1011, 'live connection unavailable');
        opened.delete(request);
        const server = upstream.ws;
        server.removeAllListeners('message');
        for (const m of upstream.early.splice(0)) client.send(m.data, { binary: m.isBinary });
        server.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
        server.on('close', () => client.close());
        server.on('error', () => client.close(1011, 'live connection unavailable'));
        client.on('message', (data) => {
          if (server.readyState === WebSocket.OPEN) server.send(data.toString());
        });
        client.on('close', () => server.close());
      },
    );
  }

  const forward = opts.forwardApi;
  if (!forward) return;
  const forwardRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // Rate limits are per client: the API believes this only from its sidecar.
    headers[FORWARDED_CLIENT_HEADER] = request.ip;
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    let res: Response;
    try {
      res = await forward({ method: request.method, url: request.url, headers, body });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      request.log.warn({ url: request.url.split('?')[0], err: err instanceof Error ? err.message : String(err) }, 'api not reachable through the sidecar');
      return reply
        .status(timedOut ? 504 : 503)
        .header('retry-after', '5')
        .send(errorBody(timedOut ? 'UPSTREAM_TIMEOUT' : 'SERVICE_UNAVAILABLE', timedOut ? 'the API did not answer in time' : 'the API is not reachable right now; try again shortly'));
    }
    if (res.status >= 500) {
      // The sidecar's own errors (circuit breaker open, target unreachable, timeout) have Dapr's
      // shape; callers get the API's error envelope and a hint to come back.
      const text = await res.text();
      const daprError = parseDaprError(text);
      if (daprError !== null) {
        request.log.warn({ url: request.url.split('?')[0], status: res.status, dapr_error: daprError.code, dapr_message: daprError.message }, 'service invocation of the api failed');
        return reply.status(503).header('retry-after', '5').send(errorBody('SERVICE_UNAVAILABLE', 'the API is not available right now; try again shortly'));
      }
      res = new Response(text, { status: res.status, headers: res.headers });
    }
    reply.status(res.status);
    res.headers.forEach((value, name) => {
      if (!DROPPED_RESPONSE_HEADERS.has(name) && name !== 'set-cookie') reply.header(name, value);
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length > 0) reply.header('set-cookie', cookies);
    return reply.send(Buffer.from(await res.arrayBuffer()));
  };
  // Bodies stay raw bytes of any type here: the API parses (or refuses) them itself, so a client
  // gets the same answer through this door as from the API.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    for (const path of FORWARDED_PATHS) scope.all(path, forwardRequest);
  });
}

/** An error body written by daprd itself (`errorCode`, `message`), or null for any other body. */
function parseDaprError(text: string): { code: string; message: string } | null {
  try {
    const body = JSON.parse(text) as { errorCode?: unknown; message?: unknown };
    return typeof body.errorCode === 'string' ? { code: body.errorCode, message: String(body.message ?? '').slice(0, 300) } : null;
  } catch {
    return null;
  }
}
