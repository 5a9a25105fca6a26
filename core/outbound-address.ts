import ipaddr from 'ipaddr.js';

/**
 * Where Firebreak may connect on an admin's say-so (built-in checks, outgoing webhooks). A check
 * or webhook pointed inside the network Firebreak runs in would let whoever configures it read
 * internal services (a check's keyword is an oracle on the response body, a TCP check scans
 * ports) and cloud metadata (169.254.169.254). So addresses on this machine or a private network
 * are refused unless the operator allows them (FIREBREAK_ALLOW_PRIVATE_TARGETS). Pure: the caller
 * resolves names and asks about each address it would connect to.
 */

/** The kinds of address refused by default, each with the words a person reads. */
export const PRIVATE_RANGES = {
  loopback: 'on this machine (loopback)',
  private: 'on a private network (RFC 1918)',
  link_local: 'on a link-local network, where cloud metadata services answer',
  unique_local: 'on a private network (IPv6 unique-local)',
  unspecified: 'unspecified (0.0.0.0 or ::), which reaches this machine',
  carrier_grade_nat: 'on a carrier-grade NAT network (100.64.0.0/10)',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'in a reserved range, not on the internet',
} as const;

export type PrivateRange = keyof typeof PRIVATE_RANGES;

/** An allow-list entry: one address or a CIDR range, e.g. `10.0.0.0/8`, `127.0.0.2`, `fd00::/8`. */
export interface AllowedRange {
  text: string;
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

const V4_RANGES: Partial<Record<ReturnType<ipaddr.IPv4['range']>, PrivateRange>> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link_local',
  unspecified: 'unspecified',
  carrierGradeNat: 'carrier_grade_nat',
  multicast: 'multicast',
  broadcast: 'broadcast',
  reserved: 'reserved',
  benchmarking: 'reserved',
};

const V6_RANGES: Partial<Record<ReturnType<ipaddr.IPv6['range']>, PrivateRange>> = {
  loopback: 'loopback',
  linkLocal: 'link_local',
  uniqueLocal: 'unique_local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  reserved: 'reserved',
  benchmarking: 'reserved',
};

/** Not on the internet either: deprecated site-local, discard-only, and NAT64 for local use. */
const V6_EXTRA: [ipaddr.IPv6, number, PrivateRange][] = [
  [ipaddr.IPv6.parse('fec0::'), 10, 'unique_local'],
  [ipaddr.IPv6.parse('100::'), 64, 'reserved'],
  [ipaddr.IPv6.parse('64:ff9b:1::'), 48, 'reserved'],
];

/** Parses one address as the network layer sees it; null when it is not an IP address. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

/**
 * The IPv4 address an IPv6 address carries and the network delivers to: IPv4-mapped
 * (::ffff:127.0.0.1, also written ::ffff:7f00:1), IPv4-translated (::ffff:0:a.b.c.d),
 * IPv4-compatible (::127.0.0.1, deprecated), NAT64 (64:ff9b::/96) and 6to4 (2002:AABB:CCDD::) —
 * so none of them smuggles a private IPv4 address past the check.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = address.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && p[5] === 0xffff) return v4(p[6], p[7]);
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return v4(p[6], p[7]);
  // ::/96 but :: and ::1, which are IPv6's own unspecified and loopback.
  if (zeros(0, 6) && !(p[6] === 0 && p[7] <= 1)) return v4(p[6], p[7]);
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return v4(p[6], p[7]);
  if (p[0] === 0x2002) return v4(p[1], p[2]);
  return null;
}

/**
 * Which refused range an address is in, or null for an ordinary internet address. An address that
 * cannot be parsed is treated as reserved: refusing is the safe answer.
 */
export function privateRangeOf(address: string): PrivateRange | null {
  const parsed = parseAddress(address);
  if (!parsed) return 'reserved';
  if (parsed.kind() === 'ipv4') return V4_RANGES[(parsed as ipaddr.IPv4).range()] ?? null;
  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedIPv4(v6);
  if (inner) return V4_RANGES[inner.range()] ?? null;
  const extra = V6_EXTRA.find(([net, bits]) => v6.match(net, bits));
  if (extra) return extra[2];
  return V6_RANGES[v6.range()] ?? null;
}

/**
 * Reads FIREBREAK_ALLOW_PRIVATE_TARGETS: comma-separated addresses and CIDR ranges. Each entry
 * that is neither is a problem naming it, so a typo stops the start instead of allowing nothing.
 */
export function parseAllowList(text: string | undefined): { allowed: AllowedRange[]; problems: string[] } {
  const allowed: AllowedRange[] = [];
  const problems: string[] = [];
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [addressPart, bitsPart, ...rest] = entry.split('/');
    const address = parseAddress(addressPart);
    const max = address?.kind() === 'ipv4' ? 32 : 128;
    const bits = bitsPart === undefined ? max : /^\d{1,3}$/.test(bitsPart) ? Number(bitsPart) : Number.NaN;
    if (!address || rest.length > 0 || !(bits >= 0 && bits <= max)) {
      problems.push(`"${entry}" is neither an address (127.0.0.2, fd00::1) nor a CIDR range (10.0.0.0/8, fd00::/8)`);
      continue;
    }
    allowed.push({ text: entry, range: [address, bits] });
  }
  return { allowed, problems };
}

/** Whether an allow-list entry covers the address (or the IPv4 address it carries). */
function isAllowed(address: ipaddr.IPv4 | ipaddr.IPv6, allowed: readonly AllowedRange[]): boolean {
  const forms: (ipaddr.IPv4 | ipaddr.IPv6)[] = [address];
  if (address.kind() === 'ipv6') {
    const inner = embeddedIPv4(address as ipaddr.IPv6);
    if (inner) forms.push(inner);
  } else {
    forms.push((address as ipaddr.IPv4).toIPv4MappedAddress());
  }
  return allowed.some(({ range: [net, bits] }) => forms.some((form) => form.kind() === net.kind() && form.match(net, bits)));
}

/** Why Firebreak will not connect to an address, or null when it may. */
export interface AddressRefusal {
  address: string;
  range: PrivateRange;
}

export function refuseAddress(address: string, allowed: readonly AllowedRange[]): AddressRefusal | null {
  const range = privateRangeOf(address);
  if (!range) return null;
  const parsed = parseAddress(address);
  if (parsed && isAllowed(parsed, allowed)) return null;
  return { address, range };
}

/**
 * The sentence an admin reads (a 422 at configuration time, a failed probe or delivery later):
 * which address, where it is, and how to allow it. Names the host only, never a URL's path
 * (a chat webhook's path is its secret).
 */
export function describeRefusal(host: string, refusal: AddressRefusal): string {
  const where = PRIVATE_RANGES[refusal.range];
  const bareHost = host.replace(/^\[(.*)\]$/, '$1');
  const subject = bareHost === refusal.address ? `The address ${refusal.address}` : `${bareHost} resolves to ${refusal.address}, which`;
  return `${subject} is ${where}; allow it with FIREBREAK_ALLOW_PRIVATE_TARGETS`;
}
