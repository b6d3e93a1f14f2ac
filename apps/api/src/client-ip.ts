import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * The web role forwards public requests through service invocation, so the API's socket peer is a
 * sidecar. The web role names the client in this header; the API believes it only on a request its
 * own sidecar delivered (one carrying the app token), never from anyone else.
 */
export const FORWARDED_CLIENT_HEADER = 'x-dueflow-forwarded-for';

const forwarded = new WeakMap<FastifyRequest, string>();

/** Records the client a trusted forwarder named for this request. */
export function trustForwardedClient(request: FastifyRequest, ip: string): void {
  if (isIP(ip)) forwarded.set(request, ip);
}

/** The address rate limits apply to: the forwarded client's, else the socket peer's. */
export function clientIp(request: FastifyRequest): string {
  return forwarded.get(request) ?? request.ip;
}
