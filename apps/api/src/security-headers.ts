// Security headers on every response, by what the response is: the API (JSON, no active content),
// the API docs (Swagger UI) and the web app (its CSP is completed per page, see html-csp.ts).
import type { ServerResponse } from 'node:http';

export type ResponseKind = 'api' | 'docs' | 'web';

export interface SecurityHeaderOptions {
  /** PUBLIC_URL is https: browsers are told to use https only (HSTS). */
  https: boolean;
}

const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
};

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/**
 * The web app's policy. Scripts: the app's own files plus, per page, the hashes of the inline scripts
 * the page carries (framework bootstrap, theme) — no 'unsafe-inline' or 'unsafe-eval' for scripts.
 * Styles allow inline (React style attributes); connections go to this origin only (REST and websocket).
 */
export function webCsp(scriptHashes: readonly string[] = []): string {
  const scripts = ["'self'", ...scriptHashes.map((h) => `'${h}'`)].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function responseKind(url: string): ResponseKind {
  const path = url.split('?')[0] ?? '/';
  if (path === '/docs' || path.startsWith('/docs/')) return 'docs';
  if (path.startsWith('/api/') || path === '/mcp' || path === '/openapi.json' || path === '/healthz' || path === '/readyz' || path === '/metrics') {
    return 'api';
  }
  return 'web';
}

/** Sets the headers on the raw response, so they hold for Fastify's replies and for hijacked ones (pages, MCP). */
export function applySecurityHeaders(res: ServerResponse, kind: ResponseKind, opts: SecurityHeaderOptions): void {
  for (const [name, value] of Object.entries(COMMON)) res.setHeader(name, value);
  res.setHeader('content-security-policy', kind === 'api' ? API_CSP : kind === 'docs' ? DOCS_CSP : webCsp());
  if (opts.https) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
