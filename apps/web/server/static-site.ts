// Serves the static export of the web UI (apps/web/out) from memory: pages by their path, build assets
// cached for a year (their names change with their content), everything else revalidated by ETag.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg)/;
/** Content-hashed build output: never changes under the same name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages, the service worker, the manifest and icons: always asked again (a 304 when unchanged; the API's
 * page wrapper asks for pages in full, to hash their inline scripts). */
const REVALIDATE = 'no-cache';

interface Asset {
  path: string;
  type: string;
  cacheControl: string;
  etag: string;
  body: Buffer;
  gzip: Buffer | null | undefined;
}

export interface StaticSite {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

/**
 * Files are read once, when first asked for. URL → file: the exact file, else `<path>.html`, else
 * `<path>/index.html`; a page path with no page gets the UI's own 404 page (status 404), and a missing
 * asset a plain 404.
 */
export function createStaticSite(dir: string): StaticSite {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`no web UI build in ${dir}`);
  const files = new Set(listFiles(dir).map((f) => `/${relative(dir, f).split(sep).join('/')}`));
  const cache = new Map<string, Asset>();

  const load = (urlPath: string): Asset => {
    let asset = cache.get(urlPath);
    if (!asset) {
      const body = readFileSync(join(dir, ...urlPath.split('/')));
      asset = {
        path: urlPath,
        type: TYPES[extname(urlPath)] ?? 'application/octet-stream',
        cacheControl: urlPath.startsWith('/_next/static/') ? IMMUTABLE : REVALIDATE,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
        body,
        gzip: undefined,
      };
      cache.set(urlPath, asset);
    }
    return asset;
  };

  const resolve = (pathname: string): { asset: Asset; status: number } | null => {
    const clean = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
    for (const candidate of clean === '/' ? ['/index.html'] : [clean, `${clean}.html`, `${clean}/index.html`]) {
      if (files.has(candidate)) return { asset: load(candidate), status: 200 };
    }
    if (extname(clean) === '' && files.has('/404.html')) return { asset: load('/404.html'), status: 404 };
    return null;
  };

  return {
    async handle(req, res) {
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      } catch {
        pathname = '';
      }
      const found = pathname.startsWith('/') && !pathname.includes('\0') && !pathname.split('/').includes('..') ? resolve(pathname) : null;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed');
        return;
      }
      if (!found) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': REVALIDATE }).end('not found');
        return;
      }
      const { asset, status } = found;
      const headers: Record<string, string> = { 'content-type': asset.type, 'cache-control': asset.cacheControl, etag: asset.etag, vary: 'accept-encoding' };
      if (status === 200 && req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, headers).end();
        return;
      }
      let body = asset.body;
      if (COMPRESSIBLE.test(asset.type) && body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        if (asset.gzip === undefined) {
          const gz = gzipSync(asset.body, { level: 9 });
          asset.gzip = gz.length < asset.body.length ? gz : null;
        }
        if (asset.gzip) {
          body = asset.gzip;
          headers['content-encoding'] = 'gzip';
        }
      }
      headers['content-length'] = String(body.length);
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    },
    async close() {
      cache.clear();
    },
  };
}
