import { z } from 'zod';

/** A message in the OpenAI chat-completions shape, which OpenRouter, OpenAI and local servers share. */
export type ModelMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ModelToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ModelToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ModelTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface ModelReply {
  content: string | null;
  toolCalls: ModelToolCall[];
}

/** One round with a language model: it answers, or asks for tool calls. */
export interface ChatModel {
  complete(messages: ModelMessage[], tools: ModelTool[]): Promise<ModelReply>;
}

export class ChatModelError extends Error {}

const replySchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z
            .array(z.object({ id: z.string(), type: z.literal('function').optional(), function: z.object({ name: z.string(), arguments: z.string() }) }))
            .nullable()
            .optional(),
        }),
      }),
    )
    .min(1),
});

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs?: number;
}

/** Any server that speaks POST {base}/chat/completions with function tools. */
export class OpenAiCompatibleModel implements ChatModel {
  constructor(private readonly opts: OpenAiCompatibleOptions) {}

  async complete(messages: ModelMessage[], tools: ModelTool[]): Promise<ModelReply> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.opts.model, messages, tools, tool_choice: 'auto' }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new ChatModelError(`language model unreachable: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) throw new ChatModelError(`language model answered ${res.status}`);
    const parsed = replySchema.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new ChatModelError('language model sent an answer that is not a chat completion');
    const message = parsed.data.choices[0]?.message;
    return {
      content: message?.content ?? null,
      toolCalls: (message?.tool_calls ?? []).map((c) => ({ id: c.id, type: 'function', function: c.function })),
    };
  }
}
