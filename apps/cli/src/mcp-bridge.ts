// `dueflow mcp`: the MCP server on stdio for desktop clients. It relays every message to a running
// Dueflow's /mcp endpoint, so the tools act through the same service and auth as the web and REST API
// (and an embedded database, which one process holds, stays with the server).
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ConfigError } from './config.ts';

const bridgeEnvSchema = z.object({
  DUEFLOW_URL: z.url().default('http://127.0.0.1:3000'),
  DUEFLOW_TOKEN: z.string().min(1).optional(),
});

export async function runMcpBridge(rawEnv: NodeJS.ProcessEnv): Promise<number> {
  const parsed = bridgeEnvSchema.safeParse(rawEnv);
  if (!parsed.success) throw new ConfigError(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { DUEFLOW_URL: url, DUEFLOW_TOKEN: token } = parsed.data;
  if (!token) throw new ConfigError('dueflow mcp needs DUEFLOW_TOKEN (the token from POST /api/auth/sign-in/email)');

  const local = new StdioServerTransport();
  const remote = new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const closed = new Promise<void>((resolve) => {
    local.onclose = resolve;
  });
  remote.onmessage = (message) => void local.send(message);
  remote.onerror = (err) => process.stderr.write(`dueflow mcp: ${err.message}\n`);
  local.onmessage = (message) => {
    remote.send(message).catch(async (err: unknown) => {
      // A request still gets an answer, so the client is not left waiting.
      if ('id' in message && 'method' in message) await local.send(relayError(message.id, err));
    });
  };
  await remote.start();
  await local.start();
  await closed;
  await remote.close();
  return 0;
}

function relayError(id: string | number, err: unknown): JSONRPCMessage {
  const reason = err instanceof Error ? err.message : String(err);
  return { jsonrpc: '2.0', id, error: { code: -32000, message: `Dueflow is unreachable or refused the request: ${reason}` } };
}
