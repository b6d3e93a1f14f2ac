// Cross-site request forgery and cross-site websocket hijacking defence: a browser always sends
// `Origin` on state-changing requests and websocket upgrades, so a browser request is accepted only
// from a trusted origin. Programs (curl, Node's fetch, scripts) send no Origin and no `Sec-Fetch-Site`;
// they cannot be made to act by another site, so they pass.
import { DomainError } from '@dueflow/core';
import type { IncomingHttpHeaders } from 'node:http';

/** The origins whose pages may act with a user's cookie: the public URL, loopback on the listening port, TRUSTED_ORIGINS. */
export class TrustedOrigins {
  private readonly origins = new Set<string>();

  constructor(configured: string[]) {
    for (const o of configured) this.add(o);
  }

  add(urlOrOrigin: string): void {
    try {
      const origin = new URL(urlOrOrigin).origin;
      if (origin !== 'null') this.origins.add(origin);
    } catch {
      /* not a URL: ignored (configuration is validated at start-up) */
    }
  }

  /** The port is known once the server listens (PORT=0 picks one). The Host header is never trusted. */
  addLoopback(port: number): void {
    this.add(`http://127.0.0.1:${port}`);
    this.add(`http://localhost:${port}`);
  }

  has(origin: string): boolean {
    return this.origins.has(origin);
  }

  list(): string[] {
    return [...this.origins];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

/** Throws 403 ORIGIN_NOT_ALLOWED unless the request comes from a trusted origin or from a program that is not a browser. */
export function assertTrustedOrigin(headers: IncomingHttpHeaders, trusted: TrustedOrigins): void {
  const origin = headers['origin'];
  if (typeof origin === 'string') {
    if (origin === 'null' || !trusted.has(origin)) {
      throw new DomainError('forbidden', 'ORIGIN_NOT_ALLOWED', `requests from ${origin} are not accepted; open Dueflow at its own address`, { origin });
    }
    return;
  }
  // No Origin: fine for programs. A browser that sends Fetch Metadata but hid Origin is not trusted.
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin') {
    throw new DomainError('forbidden', 'ORIGIN_NOT_ALLOWED', 'a cross-site browser request needs an Origin from a trusted site', { sec_fetch_site: site });
  }
}
