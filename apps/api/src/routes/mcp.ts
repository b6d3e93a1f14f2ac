import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { DomainError } from '@dueflow/core';
import type { Caller, TaskTools } from '@dueflow/services';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createMcpServer } from '../mcp/server.ts';

export interface McpRouteDeps {
  tools: TaskTools;
  authenticate(request: FastifyRequest): Promise<Caller>;
  version: string;
}

/**
 * MCP over Streamable HTTP at /mcp, stateless: every POST carries its own bearer token and gets a
 * server bound to that caller, so replicas need no session affinity. Cookies are not accepted here.
 */
export function registerMcpRoute(app: FastifyInstance, deps: McpRouteDeps): void {
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    onRequest: async (request, reply) => {
      if (!/^Bearer\s+\S/i.test(request.headers.authorization ?? '')) {
        reply.header('www-authenticate', 'Bearer');
        throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'send Authorization: Bearer <token>');
      }
      const caller = await deps.authenticate(request).catch((err: unknown) => {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw err;
      });
      callers.set(request, caller);
    },
    handler: async (request, reply) => {
      if (request.method !== 'POST') {
        // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
        return reply.status(405).header('allow', 'POST').send({ error: { code: 'METHOD_NOT_ALLOWED', message: 'this MCP endpoint takes POST only' } });
      }
      const caller = callers.get(request);
      if (!caller) throw new DomainError('unauthenticated', 'UNAUTHENTICATED', 'send Authorization: Bearer <token>');
      const server = createMcpServer(deps.tools, caller, deps.version);
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

const callers = new WeakMap<FastifyRequest, Caller>();
