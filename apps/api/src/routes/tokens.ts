import { createdTokenSchema, createTokenSchema, tokenListSchema } from '@dueflow/core';
import type { ApiToken } from '@dueflow/db';
import { TokenService } from '@dueflow/services';
import { z } from 'zod';
import { defineRoute, type RouteContext } from '../http.ts';

const toDto = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  prefix: t.prefix,
  created_at: t.createdAt.toISOString(),
  expires_at: t.expiresAt?.toISOString() ?? null,
  last_used_at: t.lastUsedAt?.toISOString() ?? null,
});

/** Personal access tokens for scripts, the CLI and MCP clients; managed from a signed-in session. */
export function registerTokenRoutes(ctx: RouteContext, tokens: TokenService): void {
  defineRoute(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/tokens',
      summary: 'Create a personal access token (the token is in this answer only)',
      tag: 'tokens',
      auth: true,
      body: createTokenSchema,
      status: 201,
      response: createdTokenSchema,
      errors: [403, 422],
    },
    async ({ caller, credential, body, reply }) => {
      TokenService.assertSession(credential.kind);
      const created = await tokens.create(caller, { name: body.name, scope: body.scope, expiresAt: body.expires_at ? new Date(body.expires_at) : null });
      reply.header('cache-control', 'no-store');
      return { ...toDto(created.token), token: created.secret };
    },
  );

  defineRoute(
    ctx,
    { method: 'GET', url: '/api/v1/tokens', summary: 'Your personal access tokens (never the secrets)', tag: 'tokens', auth: true, response: tokenListSchema, errors: [403] },
    async ({ caller, credential }) => {
      TokenService.assertSession(credential.kind);
      return { tokens: (await tokens.list(caller)).map(toDto) };
    },
  );

  defineRoute(
    ctx,
    {
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      summary: 'Revoke a personal access token (its live connections close)',
      tag: 'tokens',
      auth: true,
      params: z.object({ id: z.string().min(1).max(64) }),
      status: 204,
      errors: [403, 404],
    },
    async ({ caller, credential, params }) => {
      TokenService.assertSession(credential.kind);
      await tokens.revoke(caller, params.id);
    },
  );
}
