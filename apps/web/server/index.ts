// The web UI as a request handler, mounted by the HTTP server of the process that runs the `web` role.
// It serves the static export; Next.js itself is a build tool here and is not loaded at run time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './build.ts';
import { createStaticSite, type StaticSite } from './static-site.ts';

export { ensureWebBuild, hasWebSources, isBuildCurrent, OUT_DIR, WEB_DIR } from './build.ts';
export { createStaticSite, type StaticSite } from './static-site.ts';

export type WebHandler = StaticSite;

export class WebNotBuiltError extends Error {
  constructor() {
    super('the web UI is not built: run `npm run build:web` (or `npm start`, which builds it when needed)');
    this.name = 'WebNotBuiltError';
  }
}

/** The production build of the UI (apps/web/out), or DUEFLOW_WEB_DIR when the export lives elsewhere. */
export async function createWebHandler(dir = process.env['DUEFLOW_WEB_DIR'] ?? OUT_DIR): Promise<WebHandler> {
  if (!existsSync(join(dir, 'index.html'))) throw new WebNotBuiltError();
  return createStaticSite(dir);
}
