// Web Push endpoints are URLs a user hands us and the server later connects to, so every endpoint is
// checked before it is stored and again, on the address actually dialled, when a push is sent.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { DomainError, unprocessable } from '@dueflow/core';
import { isPublicAddress } from './network-address.ts';

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Host name → every address it resolves to (the system resolver by default). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface PushEndpointPolicyOptions {
  /** Push service host names allowed (`*.example.com` for subdomains); null: any public host. */
  allowedHosts: string[] | null;
  resolve?: Resolver;
  /** Addresses allowed although not public (a push service on this machine, in tests). Empty in production. */
  exemptAddresses?: string[];
}

/** Names that never lead to a push service: this machine, the local network, cloud metadata. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$|^metadata$/;

export interface PushTarget {
  url: URL;
  /** The checked address to connect to; the connection must use exactly this one. */
  address: string;
  family: number;
}

function refused(code: string, message: string, details?: unknown): DomainError {
  return unprocessable(code, message, details);
}

/**
 * Decides whether an endpoint may be contacted: https, an allowed host, and only public addresses
 * (every address the name resolves to must be public, so a name with one private address is refused).
 */
export class PushEndpointPolicy {
  private readonly allowed: string[] | null;
  private readonly resolve: Resolver;
  private readonly exempt: Set<string>;

  constructor(opts: PushEndpointPolicyOptions) {
    this.allowed = opts.allowedHosts?.map((h) => h.trim().toLowerCase()).filter(Boolean) ?? null;
    if (this.allowed?.length === 0) this.allowed = null;
    this.resolve = opts.resolve ?? systemResolver;
    this.exempt = new Set(opts.exemptAddresses ?? []);
  }

  /** Resolves and checks the endpoint; throws 422 PUSH_ENDPOINT_REFUSED (or _NOT_ALLOWED) with the reason. */
  async target(endpoint: string): Promise<PushTarget> {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw refused('PUSH_ENDPOINT_REFUSED', 'endpoint is not a URL');
    }
    if (url.protocol !== 'https:') throw refused('PUSH_ENDPOINT_REFUSED', 'push endpoints must be https');
    if (url.username || url.password) throw refused('PUSH_ENDPOINT_REFUSED', 'push endpoints carry no credentials');
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
    if (this.allowed && !this.allowed.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p))) {
      throw refused('PUSH_ENDPOINT_NOT_ALLOWED', `push service ${host} is not in PUSH_SERVICE_HOSTS`, { host });
    }
    let addresses: ResolvedAddress[];
    if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
    else {
      if (LOCAL_NAMES.test(host)) throw refused('PUSH_ENDPOINT_REFUSED', `${host} is a local name, not a push service`, { host });
      try {
        addresses = await this.resolve(host);
      } catch {
        throw refused('PUSH_ENDPOINT_UNRESOLVABLE', `${host} does not resolve`, { host });
      }
      if (addresses.length === 0) throw refused('PUSH_ENDPOINT_UNRESOLVABLE', `${host} does not resolve`, { host });
    }
    const bad = addresses.find((a) => !isPublicAddress(a.address) && !this.exempt.has(a.address));
    if (bad) throw refused('PUSH_ENDPOINT_REFUSED', `${host} leads to a non-public address`, { host, address: bad.address });
    const first = addresses[0] as ResolvedAddress;
    return { url, address: first.address, family: first.family };
  }
}

/** A `lookup` for net/tls that always answers with the checked address: no second resolution to rebind. */
export function pinnedLookup(target: PushTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, [{ address: target.address, family: target.family }]);
    } else callback(null, target.address, target.family);
  };
}
