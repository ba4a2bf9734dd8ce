// Each guard rail of the probe on its own: addresses, host names, the allow-list, URLs, DNS vetting, pinning, rate.

import { describe, expect, test } from 'vitest';
import { refusedAddressClass } from '../../src/probe/address-guard.js';
import { isHostAllowed, isHostName, isMetadataHost } from '../../src/probe/host-guard.js';
import { type HostResolver, pinnedLookup, resolveVettedAddress } from '../../src/probe/pinned-address.js';
import { vetProbeUrl } from '../../src/probe/probe-url.js';
import { TokenBucket } from '../../src/probe/token-bucket.js';

describe('refusedAddressClass', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['169.254.169.254', 'metadata server'],
    ['fd00:ec2::254', 'metadata server'],
    ['FD00:EC2:0:0:0:0:0:254', 'metadata server'],
    // IPv4 inside IPv6 is judged as the IPv4 address it carries.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata server'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::a00:1', 'private'],
    // NAT64 (RFC 6052 well-known prefix, RFC 8215 local-use prefix) and 6to4 (RFC 3056) carry an IPv4 address too.
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata server'],
    ['64:ff9b:1::10.0.0.1', 'private'],
    ['64:ff9b:1::a9fe:a9fe', 'metadata server'],
    ['64:ff9b:1:a00:1::', 'reserved'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'metadata server'],
    ['2002:c0a8:101:1::1', 'private'],
    ['2002:0a00:0001:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['gw.probe.test', 'not an IP address'],
    ['', 'not an IP address'],
  ])('%s is refused as %s', (address, reason) => {
    expect(refusedAddressClass(address)).toBe(reason);
  });

  test.each([
    '216.239.36.21',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2001:4860:4802:32::15',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '64:ff9b:1::808:808',
    '2002:808:808::1',
  ])('%s is public and allowed', (address) => {
    expect(refusedAddressClass(address)).toBeUndefined();
  });
});

describe('host names and the allow-list', () => {
  test.each([
    ['orders-gw-8k2j4h1q.uc.gateway.dev', ['*.gateway.dev'], true],
    ['ORDERS-GW-8K2J4H1Q.UC.GATEWAY.DEV.', ['*.gateway.dev'], true],
    ['x.gateway.dev', ['*.gateway.dev'], true],
    ['gateway.dev', ['*.gateway.dev'], false],
    ['x.gateway.dev.evil.com', ['*.gateway.dev'], false],
    ['xgateway.dev', ['*.gateway.dev'], false],
    ['evil-gateway.dev', ['*.gateway.dev'], false],
    ['gw.probe.test', ['*.gateway.dev'], false],
    ['gw.probe.test', ['*.probe.test'], true],
    ['gw.probe.test', ['gw.probe.test'], true],
    ['a.gw.probe.test', ['gw.probe.test'], false],
  ] as const)('%s against %j: %s', (host, patterns, allowed) => {
    expect(isHostAllowed(host, patterns)).toBe(allowed);
  });

  test.each([
    ['orders-gw-8k2j4h1q.uc.gateway.dev', true],
    ['127.0.0.1', false],
    ['localhost', false],
    ['a..b.dev', false],
    ['-a.gateway.dev', false],
    ['a_b.gateway.dev', false],
    [`${'a'.repeat(64)}.gateway.dev`, false],
  ])('isHostName(%s) is %s', (host, expected) => {
    expect(isHostName(host)).toBe(expected);
  });

  test.each(['metadata.google.internal', 'METADATA.GOOGLE.INTERNAL.', 'metadata'])(
    '%s is the metadata server',
    (host) => {
      expect(isMetadataHost(host)).toBe(true);
    },
  );
});

describe('vetProbeUrl', () => {
  const allowHosts = ['*.probe.test'];
  test.each([
    ['http://gw.probe.test/health', /https only/],
    ['ftp://gw.probe.test/health', /https only/],
    ['https://gw.example.com/health', /not on the probe allow-list/],
    ['https://user:pass@gw.probe.test/health', /user info/],
    ['https://127.0.0.1/health', /not a DNS host name/],
    ['https://[::1]/health', /not a DNS host name/],
    ['https://gw.probe.test:8443/health', /port 8443 is refused/],
    ['not a url', /is not a URL/],
  ])('%s is refused', (url, reason) => {
    const vetted = vetProbeUrl(url, { allowHosts });
    expect(vetted.ok).toBe(false);
    if (!vetted.ok) expect(vetted.reason).toMatch(reason);
  });

  test('the metadata server is refused even when an allow-list names it', () => {
    const vetted = vetProbeUrl('https://metadata.google.internal/computeMetadata/v1/', {
      allowHosts: ['metadata.google.internal', '*.internal'],
    });
    expect(vetted).toEqual({ ok: false, reason: 'metadata.google.internal is the metadata server: refused' });
  });

  test('an allowed https URL keeps host, default port and path', () => {
    expect(vetProbeUrl('https://GW.probe.test/orders/x?y=1', { allowHosts })).toEqual({
      ok: true,
      target: { host: 'gw.probe.test', port: 443, path: '/orders/x?y=1' },
    });
  });
});

describe('resolveVettedAddress', () => {
  const resolverOf =
    (answers: Record<string, readonly string[]>): HostResolver =>
    async (host) => {
      const addresses = answers[host];
      if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
  const resolve = resolverOf({
    'public.probe.test': ['216.239.36.21', '2001:4860:4802:32::15'],
    'loop.probe.test': ['127.0.0.1'],
    'ten.probe.test': ['10.0.0.1'],
    'meta.probe.test': ['169.254.169.254'],
    'v6loop.probe.test': ['::1'],
    'v6meta.probe.test': ['fd00:ec2::254'],
    'mixed.probe.test': ['216.239.36.21', '10.0.0.1'],
    'empty.probe.test': [],
  });

  test.each([
    ['loop.probe.test', /127\.0\.0\.1, a loopback address/],
    ['ten.probe.test', /10\.0\.0\.1, a private address/],
    ['meta.probe.test', /169\.254\.169\.254, a metadata server address/],
    ['v6loop.probe.test', /::1, a loopback address/],
    ['v6meta.probe.test', /fd00:ec2::254, a metadata server address/],
    ['mixed.probe.test', /10\.0\.0\.1, a private address/],
    ['empty.probe.test', /resolves to no address/],
    ['missing.probe.test', /does not resolve \(ENOTFOUND\)/],
  ])('%s is refused', async (host, reason) => {
    const vetting = await resolveVettedAddress(host, resolve);
    expect(vetting.ok).toBe(false);
    if (!vetting.ok) expect(vetting.reason).toMatch(reason);
  });

  test('a name with only public addresses is pinned to the first', async () => {
    expect(await resolveVettedAddress('public.probe.test', resolve)).toEqual({
      ok: true,
      pinned: { address: '216.239.36.21', family: 4 },
      resolved: ['216.239.36.21', '2001:4860:4802:32::15'],
    });
  });

  test('the test-only override lets loopback through and nothing else', async () => {
    const unsafe = { unsafeAllowLoopbackForTests: true };
    expect((await resolveVettedAddress('loop.probe.test', resolve, unsafe)).ok).toBe(true);
    expect((await resolveVettedAddress('v6loop.probe.test', resolve, unsafe)).ok).toBe(true);
    for (const host of ['ten.probe.test', 'meta.probe.test', 'v6meta.probe.test']) {
      expect((await resolveVettedAddress(host, resolve, unsafe)).ok, host).toBe(false);
    }
  });
});

describe('pinnedLookup', () => {
  const lookup = pinnedLookup('gw.probe.test', { address: '216.239.36.21', family: 4 });

  test('answers with the vetted address in both callback shapes', () => {
    const single: unknown[] = [];
    lookup('gw.probe.test', {}, (...args) => single.push(...args));
    expect(single).toEqual([null, '216.239.36.21', 4]);
    const all: unknown[] = [];
    lookup('GW.probe.test', { all: true }, (...args) => all.push(...args));
    expect(all).toEqual([null, [{ address: '216.239.36.21', family: 4 }]]);
  });

  test('refuses to answer for any other name', () => {
    let error: NodeJS.ErrnoException | null = null;
    lookup('other.probe.test', {}, (failure) => {
      error = failure;
    });
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('TokenBucket', () => {
  test('lets a burst through, then paces requests at the refill rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 4, () => now);
    expect([bucket.take(), bucket.take()]).toEqual([0, 0]);
    expect(bucket.take()).toBe(250);
    now += 250;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(250);
  });

  test('never stores more than its capacity, and a clock going backwards mints nothing', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 1, () => now);
    now = 60_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 1000]);
    now = 0;
    expect(bucket.take()).toBe(1000);
  });

  test('refuses a bucket that could never give a token', () => {
    expect(() => new TokenBucket(0, 1, () => 0)).toThrow(/capacity >= 1/);
    expect(() => new TokenBucket(1, 0, () => 0)).toThrow(/positive rate/);
  });
});
