// The web UI on the same port as the API: every GET the API does not own is a page of the UI.
// In a web-only process (distributed mode) /api/* and /mcp are forwarded to the API app instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebSocket } from 'ws';
import { withPageCsp } from '../html-csp.ts';

export interface WebPages {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Forwards one API request and returns the API's answer (Dapr service invocation in distributed mode). */
export type ApiForwarder = (request: { method: string; url: string; headers: Record<string, string>; body: string | undefined }) => Promise<Response>;

// Request headers the API needs; hop-by-hop and host headers stay behind.
const FORWARDED_REQUEST_HEADERS = ['authorization', 'cookie', 'content-type', 'origin', 'referer', 'user-agent', 'accept', 'accept-language', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'traceparent']);

export function registerWebRoutes(app: FastifyInstance, opts: { pages: WebPages; forwardApi: ApiForwarder | null; liveUpstream?: string | null }): void {
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
  // replica (behind an ingress, /api/v1/ws is routed to the realtime role instead).
  const upstream = opts.liveUpstream;
  if (upstream) {
    app.get('/api/v1/ws', { websocket: true }, (client: WebSocket, request) => {
      const headers: Record<string, string> = {};
      for (const name of ['cookie', 'authorization', 'origin', 'user-agent']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const server = new WebSocket(`${upstream}/api/v1/ws${query}`, { headers });
      const pending: string[] = [];
      server.on('open', () => {
        for (const m of pending.splice(0)) server.send(m);
      });
      server.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
      client.on('message', (data) => {
        const text = data.toString();
        if (server.readyState === WebSocket.OPEN) server.send(text);
        else pending.push(text);
      });
      server.on('unexpected-response', (_req, res) => client.close(res.statusCode === 401 ? 1008 : 1011, 'live connection refused'));
      server.on('close', () => client.close());
      server.on('error', () => client.close(1011, 'live connection unavailable'));
      client.on('close', () => server.close());
    });
  }

  const forward = opts.forwardApi;
  if (!forward) return;
  const forwardRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const res = await forward({ method: request.method, url: request.url, headers, body });
    reply.status(res.status);
    res.headers.forEach((value, name) => {
      if (!DROPPED_RESPONSE_HEADERS.has(name) && name !== 'set-cookie') reply.header(name, value);
    });
    const cookies = res.headers.getSetCookie();
    if (cookies.length > 0) reply.header('set-cookie', cookies);
    return reply.send(Buffer.from(await res.arrayBuffer()));
  };
  app.all('/api/*', forwardRequest);
  // MCP clients are given the public URL, which is this process behind an ingress.
  app.all('/mcp', forwardRequest);
}
