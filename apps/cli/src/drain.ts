import type { Server } from 'node:http';

/**
 * A replica going away keeps serving for a moment while load balancers stop sending it new
 * connections: while `draining()` is true every response carries `Connection: close`, so keep-alive
 * clients take their next request to another replica instead of finding this one closed.
 */
export function closeConnectionsWhileDraining(server: Server, draining: () => boolean): void {
  server.prependListener('request', (_req, res) => {
    if (draining()) res.setHeader('connection', 'close');
  });
}
