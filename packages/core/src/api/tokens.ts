import { z } from 'zod';

export const TOKEN_SCOPES = ['read', 'read-write'] as const;

export const createTokenSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
       
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'name must not contain control characters'),
    /** `read`: GET requests, read-only MCP tools and the websocket; `read-write`: everything a session can do but manage tokens. */
    scope: z.enum(TOKEN_SCOPES).default('read'),
    /** When the token stops working (ISO 8601 with an offset); null or left out: never. */
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();
export type CreateTokenRequest = z.infer<typeof createTokenSchema>;

export const tokenDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(TOKEN_SCOPES),
  /** The first characters of the token, to tell tokens apart. */
  prefix: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export const createdTokenSchema = tokenDtoSchema.extend({ token: z.string() });
export const tokenListSchema = z.object({ tokens: z.array(tokenDtoSchema) });
