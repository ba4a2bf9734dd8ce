// Says whether the probe may connect to a resolved IP address: only public unicast addresses are allowed.

import { BlockList, isIP } from 'node:net';

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
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

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

/** The IPv4 address an IPv6 address carries (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::`). */
function embeddedIpv4(address: string): string | undefined {
  const words = expandIpv6(address);
  if (!words) return undefined;
  const high = words.slice(0, 6);
  const isMapped = high.slice(0, 5).every((word) => word === 0) && high[5] === 0xffff;
  const isCompatible = high.every((word) => word === 0) && (words[6] !== 0 || (words[7] ?? 0) > 1);
  const isNat64 = high[0] === 0x64 && high[1] === 0xff9b && high.slice(2).every((word) => word === 0);
  if (!isMapped && !isCompatible && !isNat64) return undefined;
  const [a = 0, b = 0] = words.slice(6);
  return `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
}

/** Eight 16-bit words of an IPv6 address, or undefined when it is not one. */
function expandIpv6(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headWords = head ? head.split(':') : [];
  const tailWords = tail ? tail.split(':') : [];
  const missing = 8 - headWords.length - tailWords.length;
  const words = [...headWords, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailWords];
  return words.length === 8 ? words.map((word) => Number.parseInt(word, 16)) : undefined;
}

/** Why the probe must not connect to `address`, or undefined when it is a public unicast address. */
export function refusedAddressClass(address: string): RefusedAddressClass | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const lower = address.toLowerCase().replace(/%.*$/, '');
  const embedded = family === 6 ? embeddedIpv4(lower) : undefined;
  if (embedded) return refusedAddressClass(embedded);
  if (METADATA_ADDRESSES.has(lower) || (family === 6 && isSameIpv6(lower, 'fd00:ec2::254'))) {
    return 'metadata server';
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return BLOCKS.find(({ list, range }) => range.family === type && list.check(lower, type))?.range.class;
}

function isSameIpv6(a: string, b: string): boolean {
  const left = expandIpv6(a);
  const right = expandIpv6(b);
  return !!left && !!right && left.every((word, index) => word === right[index]);
}
