// The web app's pages carry inline scripts (the framework's bootstrap and payload, the theme script).
// Rather than allow every inline script, each HTML page is sent with a CSP naming the SHA-256 of the
// inline scripts it contains: an injected script has another hash and does not run.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { webCsp } from './security-headers.ts';

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;

/** The CSP source expressions (`sha256-…`) of the executable inline scripts of a page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    const attrs = m[1] ?? '';
    const body = m[2] ?? '';
    if (/\bsrc\s*=/i.test(attrs) || body.length === 0) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1]?.toLowerCase();
    // JSON and other data blocks are not executed; CSP does not apply to them.
    if (type && type !== 'text/javascript' && type !== 'module' && type !== 'application/javascript') continue;
    hashes.add(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  return [...hashes];
}

const isHtml = (contentType: unknown) => typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/html');

/**
 * Prepares a page request: the HTML answer is held back until complete, then sent with its CSP.
 * Compression is asked of the page handler only for responses that are not pages (an HTML body is
 * hashed as plain text).
 */
export function withPageCsp(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith('/_next/static/') && req.headers['rsc'] === undefined) {
    delete req.headers['accept-encoding'];
    // Never a 304 for a page: a 304 carries no body to hash, and the browser (or the service worker's
    // fetch) would pair the cached page with a policy that allows none of its inline scripts.
    delete req.headers['if-none-match'];
    delete req.headers['if-modified-since'];
  }

  const original = { writeHead: res.writeHead.bind(res), write: res.write.bind(res), end: res.end.bind(res) };
  let mode: 'undecided' | 'html' | 'pass' = 'undecided';
  let head: Parameters<ServerResponse['writeHead']> | null = null;
  const chunks: Buffer[] = [];

  const headerType = (): unknown => {
    if (head) {
      const headers = head.find((a, i) => i > 0 && typeof a === 'object' && a !== null) as Record<string, unknown> | unknown[] | undefined;
      if (headers && !Array.isArray(headers)) {
        const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
        if (key) return headers[key];
      }
    }
    return res.getHeader('content-type');
  };
  const decide = () => {
    if (mode !== 'undecided') return;
    const status = typeof head?.[0] === 'number' ? head[0] : res.statusCode;
    // A 304's headers replace the cached page's: a policy without that page's hashes would block its scripts.
    if (status === 304) res.removeHeader('content-security-policy');
    mode = status !== 304 && isHtml(headerType()) ? 'html' : 'pass';
    if (mode === 'pass' && head) {
      original.writeHead(...head);
      head = null;
    }
  };
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer | null => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return null;
    if (Buffer.isBuffer(chunk)) return chunk;
    if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    return Buffer.from(chunk as Uint8Array);
  };

  res.writeHead = ((...args: Parameters<ServerResponse['writeHead']>) => {
    head = args;
    return res;
  }) as ServerResponse['writeHead'];
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    decide();
    if (mode === 'pass') return original.write(chunk as never, encoding as never, cb as never);
    const b = toBuffer(chunk, encoding);
    if (b) chunks.push(b);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    decide();
    if (mode === 'pass') return original.end(chunk as never, encoding as never, cb as never);
    const b = toBuffer(chunk, encoding);
    if (b) chunks.push(b);
    const body = Buffer.concat(chunks);
    if (!res.headersSent) {
      res.setHeader('content-security-policy', webCsp(inlineScriptHashes(body.toString('utf8'))));
      res.removeHeader('content-encoding');
      res.setHeader('content-length', body.length);
    }
    if (head) {
      const [status, ...rest] = head;
      // Headers given to writeHead win over setHeader; drop a stale length or policy from them.
      const headers = rest.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as Record<string, unknown> | undefined;
      if (headers) {
        for (const k of Object.keys(headers)) if (['content-length', 'content-security-policy', 'content-encoding'].includes(k.toLowerCase())) delete headers[k];
      }
      const message = rest.find((a) => typeof a === 'string') as string | undefined;
      if (message !== undefined) original.writeHead(status, message, headers as never);
      else original.writeHead(status, headers as never);
    }
    const done = typeof chunk === 'function' ? chunk : typeof encoding === 'function' ? encoding : cb;
    return original.end(body, done as never);
  }) as ServerResponse['end'];
}
