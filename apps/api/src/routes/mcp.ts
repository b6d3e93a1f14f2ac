import { DomainError } from '@dueflow/core';
import type { TaskTools } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticate, Authenticated } from '../auth-routes.ts';
import type { Admit } from '../user-limits.ts';

export interface McpRouteDeps {
  tools: TaskTools;
  authenticate: Authenticate;
  version: string;
  /** The same per-user limits as the REST API. */
  admit: Admit;
}

const bearerRequired = () => new DomainError('unauthenticated', 'UNAUTHENTICATED', 'send Authorization: Bearer <token>');

/**
 * MCP over Streamable HTTP at /mcp, stateless: every POST carries its own bearer token (a session token
 * or a personal access token) and gets a server bound to that caller, so replicas need no session
 * affinity. Cookies are not accepted here. A read-only token sees the read-only tools only.
 * Errors before the MCP transport takes over go through the API's error handler like any route.
 */
export function registerMcpRoute(app: FastifyInstance, deps: McpRouteDeps): void {
  const callers = new WeakMap<FastifyRequest, Authenticated>();
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    onRequest: async (request, reply) => {
      if (!/^Bearer\s+\S/i.test(request.headers.authorization ?? '')) {
        reply.header('www-authenticate', 'Bearer');
        throw bearerRequired();
      }
      const who = await deps.authenticate(request).catch((err: unknown) => {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw err;
      });
      await deps.admit(who.caller.userId, reply);
      callers.set(request, who);
    },
    handler: async (request, reply) => {
      if (request.method !== 'POST') {
        // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
        reply.header('allow', 'POST');
        throw new DomainError('method_not_allowed', 'METHOD_NOT_ALLOWED', 'this MCP endpoint takes POST only', { allow: ['POST'] });
      }
      const who = callers.get(request);
      if (!who) throw bearerRequired();
      const { createMcpServer, StreamableHTTPServerTransport } = await loadMcp();
      const server = createMcpServer(deps.tools, who.caller, deps.version, { readOnly: who.credential.scope === 'read' });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    },
  });
}

/** The MCP SDK is loaded on the first MCP request: a process that serves none does not carry it. */
let mcpModules: Promise<{ createMcpServer: typeof import('../mcp/server.ts').createMcpServer; StreamableHTTPServerTransport: typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js').StreamableHTTPServerTransport }> | null = null;
function loadMcp() {
  mcpModules ??= Promise.all([import('../mcp/server.ts'), import('@modelcontextprotocol/sdk/server/streamableHttp.js')]).then(([server, transport]) => ({
    createMcpServer: server.createMcpServer,
    StreamableHTTPServerTransport: transport.StreamableHTTPServerTransport,
  }));
  return mcpModules;
}
