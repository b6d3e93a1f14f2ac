// Which IP addresses a server-side request to a user-supplied URL may reach: public unicast only.
import { BlockList, isIP } from 'node:net';

const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also some clouds' metadata, e.g. 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const V6_BLOCKED_IN_GLOBAL: Array<[string, number]> = [
  ['2001::', 32], // Teredo (tunnels to any IPv4 address)
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
];

const v4Blocked = new BlockList();
for (const [net, prefix] of V4_BLOCKED) v4Blocked.addSubnet(net, prefix, 'ipv4');
const v6Blocked = new BlockList();
for (const [net, prefix] of V6_BLOCKED_IN_GLOBAL) v6Blocked.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail), or null. */
function hextets(ip: string): number[] | null {
  let text = ip.split('%')[0] ?? '';
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const o = tail[1].split('.').map(Number);
    if (o.some((n) => n > 255)) return null;
    const [a = 0, b = 0, c = 0, d = 0] = o;
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (s: string | undefined) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const head = part(halves[0]);
  const rest = part(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...new Array<number>(Math.max(0, fill)).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const v4From = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * True for a public unicast address. Refused: loopback, private (RFC 1918), carrier-grade NAT,
 * link-local (cloud metadata), unique-local, multicast, documentation and reserved ranges, and IPv6
 * forms that carry such an IPv4 address (mapped, compatible, NAT64, 6to4).
 */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !v4Blocked.check(ip, 'ipv4');
  if (family !== 6) return false;
  const g = hextets(ip);
  if (!g) return false;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; also :: and ::1): the IPv4 address decides.
  if (zeroPrefix && (g5 === 0xffff || g5 === 0)) return g5 === 0 && g6 === 0 ? false : isPublicAddress(v4From(g6, g7));
  // NAT64 well-known prefix 64:ff9b::/96.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPublicAddress(v4From(g6, g7));
  // 6to4 2002:AABB:CCDD::/48 reaches AA.BB.CC.DD.
  if (g0 === 0x2002) return isPublicAddress(v4From(g1, g2));
  // Only global unicast (2000::/3); unique-local fc00::/7, link-local fe80::/10, multicast ff00::/8 and the rest are not.
  if ((g0 & 0xe000) !== 0x2000) return false;
  return !v6Blocked.check(ip, 'ipv6');
}
