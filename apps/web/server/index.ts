// The web UI as a request handler, mounted by the HTTP server of the process that runs the `web` role.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import next from 'next';
import { WEB_DIR } from './build.ts';

export { ensureWebBuild, isBuildCurrent, WEB_DIR } from './build.ts';

export interface WebHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

export class WebNotBuiltError extends Error {
  constructor() {
    super('the web UI is not built: run `npm run build:web` (or `npm start`, which builds it when needed)');
    this.name = 'WebNotBuiltError';
  }
}

/** Loads the production build of the Next.js app (never the dev server). */
export async function createWebHandler(): Promise<WebHandler> {
  if (!existsSync(join(WEB_DIR, '.next', 'BUILD_ID'))) throw new WebNotBuiltError();
  const app = next({ dev: false, dir: WEB_DIR, quiet: true, customServer: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return {
    handle: (req, res) => handle(req, res),
    close: () => app.close(),
  };
}
