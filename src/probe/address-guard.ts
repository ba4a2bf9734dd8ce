// Says whether the probe may connect to a resolved IP address: only public unicast addresses are allowed.

import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an address is refused; undefined means public unicast, safe to probe. */
export type RefusedAddressClass =
  | 'not an IP address'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'reserved'
  | 'metadata server';

interface Range {
  readonly network: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
  readonly class: RefusedAddressClass;
}

// The metadata addresses come first: they sit inside link-local and private ranges, and the more precise
// reason is the one worth reporting.
const METADATA_ADDRESSES = new Set(['169.254.169.254']);
const METADATA_IPV6 = ['fd00:ec2::254'].map((address) => ipaddr.IPv6.parse(address).toNormalizedString());

const RANGES: readonly Range[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', class: 'unspecified' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', class: 'loopback' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', class: 'private' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', class: 'private' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', class: 'private' },
  { network: '169.254.0.0', prefix: 16, family: 'ipv4', class: 'link-local' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', class: 'carrier-grade NAT' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', class: 'multicast' },
  // 240/4 (including the broadcast address) and the IETF protocol assignments: never a gateway.
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', class: 'reserved' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', class: 'reserved' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', class: 'reserved' },
  { network: '::', prefix: 128, family: 'ipv6', class: 'unspecified' },
  { network: '::1', prefix: 128, family: 'ipv6', class: 'loopback' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', class: 'private' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', class: 'link-local' },
  // Site-local is deprecated but still routed internally by some stacks.
  { network: 'fec0::', prefix: 10, family: 'ipv6', class: 'private' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', class: 'multicast' },
  { network: '100::', prefix: 64, family: 'ipv6', class: 'reserved' },
];

const BLOCKS = RANGES.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { list, range };
});

/**
 * The IPv4 address an IPv6 address carries, when it carries one whose reachability it decides: mapped
 * `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 (`64:ff9b::/96`, RFC 6052; the local-use `64:ff9b:1::/48` of RFC
 * 8215 with the address in the last 32 bits) and 6to4 (`2002:AABB:CCDD::/48`, RFC 3056, the address in bits 16-47).
 * `'unknown'` for a local-use NAT64 address laid out another way: which IPv4 address it reaches cannot be told.
 */
function embeddedIpv4(address: ipaddr.IPv6): string | 'unknown' | undefined {
  const bytes = address.toByteArray();
  const word = (index: number): number => ((bytes[index * 2] ?? 0) << 8) | (bytes[index * 2 + 1] ?? 0);
  const dotted = (from: number): string => bytes.slice(from, from + 4).join('.');
  const zero = (from: number, to: number): boolean => bytes.slice(from, to).every((byte) => byte === 0);
  if (zero(0, 10) && word(5) === 0xffff) return dotted(12);
  if (zero(0, 12) && (word(6) !== 0 || word(7) > 1)) return dotted(12);
  if (word(0) === 0x64 && word(1) === 0xff9b) {
    if (zero(4, 12)) return dotted(12);
    if (word(2) === 1) return zero(6, 12) ? dotted(12) : 'unknown';
    return undefined;
  }
  if (word(0) === 0x2002) return dotted(2);
  return undefined;
}

/** Why the probe must not connect to `address`, or undefined when it is a public unicast address. */
export function refusedAddressClass(address: string): RefusedAddressClass | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const bare = address.toLowerCase().replace(/%.*$/, '');
  if (family === 6) {
    if (!ipaddr.IPv6.isValid(bare)) return 'not an IP address';
    const parsed = ipaddr.IPv6.parse(bare);
    const embedded = embeddedIpv4(parsed);
    if (embedded === 'unknown') return 'reserved';
    if (embedded) return refusedAddressClass(embedded);
    const normal = parsed.toNormalizedString();
    if (METADATA_IPV6.some((metadata) => metadata === normal)) return 'metadata server';
    return BLOCKS.find(({ list, range }) => range.family === 'ipv6' && list.check(normal, 'ipv6'))?.range
      .class;
  }
  if (METADATA_ADDRESSES.has(bare)) return 'metadata server';
  return BLOCKS.find(({ list, range }) => range.family === 'ipv4' && list.check(bare, 'ipv4'))?.range.class;
}
