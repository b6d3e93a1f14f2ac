import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { DESTRUCTIVE_TOOLS, TOOL_DESCRIPTIONS, TOOL_NAMES, type ToolName, toolInputSchemas } from '@dueflow/core';
import type { Caller, TaskTools, ToolResult } from '@dueflow/services';

/** The tools a read-only access token may call: they change nothing. Any tool not listed here writes. */
export const READ_ONLY_TOOLS: ReadonlySet<ToolName> = new Set<ToolName>(['list_tasks', 'search_tasks', 'filter_tasks', 'sort_tasks']);

/** An MCP server whose tools act on one caller's tasks (a server per request: the caller is fixed). */
export function createMcpServer(tools: TaskTools, caller: Caller, version: string, opts: { readOnly?: boolean } = {}): McpServer {
  const server = new McpServer({ name: 'dueflow', version }, { capabilities: { tools: {} } });
  for (const name of TOOL_NAMES) {
    if (opts.readOnly && !READ_ONLY_TOOLS.has(name)) continue;
    // Clients that ask a person before destructive tools (destructiveHint) do so for these.
    const annotations = { destructiveHint: DESTRUCTIVE_TOOLS.includes(name), readOnlyHint: READ_ONLY_TOOLS.has(name) };
    server.registerTool(name, { description: TOOL_DESCRIPTIONS[name], inputSchema: toolInputSchemas[name], annotations }, async (args: unknown) =>
      toCallResult(await tools.run(caller, name, args)),
    );
  }
  return server;
}

/** The sentence for people first, then the data as JSON for programs. */
function toCallResult(result: ToolResult) {
  const { message, undo: _undo, ...data } = result;
  return {
    isError: !result.ok,
    content: [
      { type: 'text' as const, text: message },
      { type: 'text' as const, text: JSON.stringify(data) },
    ],
  };
}
