// The probe against a local HTTPS server: what it sends, what it records, and every guard rail that stops it.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HostResolver } from '../../src/probe/pinned-address.js';
import {
  DEFAULT_PROBE_SETTINGS,
  PROBE_USER_AGENT,
  type ProbeDeps,
  ProbeSession,
  type ProbeSettings,
} from '../../src/probe/probe-session.js';
import {
  makeCertificate,
  opensslMissing,
  startHttpsServer,
  type TestCertificate,
  type TestServer,
} from './https-test-server.js';

const skipReason = opensslMissing();
const HUGE_BODY_BYTES = 8 * 1024 * 1024;

/** Resolves the test names; anything else fails as an unknown name would. */
const RESOLVED: Record<string, readonly string[]> = {
  'gw.probe.test': ['127.0.0.1'],
  'other.probe.test': ['127.0.0.1'],
  'ten.probe.test': ['10.0.0.1'],
  'meta.probe.test': ['169.254.169.254'],
  'v6loop.probe.test': ['::1'],
  'v6meta.probe.test': ['fd00:ec2::254'],
};

function recordingResolver(calls: string[]): HostResolver {
  return async (host) => {
    calls.push(host);
    const addresses = RESOLVED[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** A clock whose sleeps only move its own time: rate limiting is tested without waiting. */
function fakeClock() {
  let now = Date.parse('2026-05-03T10:00:00Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: {
      now: () => new Date(now),
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

describe.skipIf(skipReason !== undefined)(
  `probe session against a local HTTPS server${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let certificate: TestCertificate;
    let gateway: TestServer;
    let elsewhere: TestServer;
    const hugeClosedEarly: boolean[] = [];

    beforeAll(async () => {
      certificate = makeCertificate(['gw.probe.test', 'other.probe.test']);
      elsewhere = await startHttpsServer(certificate, {
        '/steal': (_request, response) => response.writeHead(200).end('should never be asked'),
      });
      gateway = await startHttpsServer(certificate, {
        '/health': (_request, response) =>
          response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
        '/orders': (_request, response) =>
          response
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"code":401,"message":"UNAUTHENTICATED: Method doesn\'t allow unregistered callers"}'),
        '/moved': (_request, response) =>
          response
            .writeHead(302, { location: `https://other.probe.test:${elsewhere.port}/steal?token=abc` })
            .end(),
        '/huge': (_request, response) => {
          response.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          let written = 0;
          const pump = () => {
            while (written < HUGE_BODY_BYTES && !response.destroyed) {
              written += chunk.length;
              if (!response.write(chunk)) return void response.once('drain', pump);
            }
            response.end();
          };
          response.on('close', () => hugeClosedEarly.push(!response.writableFinished));
          pump();
        },
        // Never answers: the probe's deadline must end it.
        '/slow': () => {},
      });
    });

    afterAll(async () => {
      await gateway?.close();
      await elsewhere?.close();
    });

    function session(
      overrides: Partial<ProbeSettings> = {},
      deps: Partial<ProbeDeps> = {},
      resolverCalls: string[] = [],
    ): ProbeSession {
      return new ProbeSession(
        {
          ...DEFAULT_PROBE_SETTINGS,
          allowHosts: ['*.probe.test'],
          trustedCa: certificate.cert,
          unsafeAllowLoopbackForTests: true,
          unsafePortForTests: gateway.port,
          ...overrides,
        },
        { resolve: recordingResolver(resolverCalls), clock: fakeClock().clock, ...deps },
      );
    }
    const url = (path: string) => `https://gw.probe.test:${gateway.port}${path}`;
    const requestsTo = (server: TestServer, path: string) =>
      server.received.filter((request) => request.path.split('?')[0] === path);

    test('an open GET answers 200, with our User-Agent, no credentials and no body', async () => {
      const outcome = await session().request(url('/health'), 'GET');
      expect(outcome).toEqual({ kind: 'answered', statusCode: 200, bytesRead: 2, truncated: false });
      const [received] = requestsTo(gateway, '/health');
      expect(received?.method).toBe('GET');
      expect(received?.headers['user-agent']).toBe(PROBE_USER_AGENT);
      expect(PROBE_USER_AGENT).toMatch(
        /^gatewarden-probe\/\d+\.\d+\.\d+ \(\+https:\/\/\S+; authorised exposure check\)$/,
      );
      expect(received?.headers.host).toBe(`gw.probe.test:${gateway.port}`);
      expect(received?.headers).not.toHaveProperty('authorization');
      expect(received?.headers).not.toHaveProperty('cookie');
      expect(received?.bodyBytes).toBe(0);
    });

    test('an operation that needs credentials answers 401', async () => {
      expect(await session().request(url('/orders'), 'GET')).toMatchObject({
        kind: 'answered',
        statusCode: 401,
      });
    });

    test('a redirect is recorded with its target host and never followed', async () => {
      const outcome = await session().request(url('/moved'), 'GET');
      expect(outcome).toMatchObject({
        kind: 'answered',
        statusCode: 302,
        redirectHost: `other.probe.test:${elsewhere.port}`,
      });
      expect(JSON.stringify(outcome)).not.toContain('token=abc');
      expect(elsewhere.received).toEqual([]);
    });

    test('a huge body is cut at the size cap and the connection dropped', async () => {
      const outcome = await session({ maxBodyBytes: 64 * 1024 }).request(url('/huge'), 'GET');
      expect(outcome).toEqual({ kind: 'answered', statusCode: 200, bytesRead: 64 * 1024, truncated: true });
      await expect.poll(() => hugeClosedEarly).toEqual([true]);
    });

    test('an endpoint that never answers is abandoned at the deadline', async () => {
      const outcome = await session({ timeoutMs: 300 }).request(url('/slow'), 'GET');
      expect(outcome).toEqual({ kind: 'failed', reason: 'no complete answer within 300 ms' });
    });

    test('the certificate is still verified: without the test CA the self-signed server is not trusted', async () => {
      const { trustedCa: _dropped, ...settings } = { ...DEFAULT_PROBE_SETTINGS, trustedCa: undefined };
      const strict = new ProbeSession(
        {
          ...settings,
          allowHosts: ['*.probe.test'],
          unsafeAllowLoopbackForTests: true,
          unsafePortForTests: gateway.port,
        },
        { resolve: recordingResolver([]), clock: fakeClock().clock },
      );
      const outcome = await strict.request(url('/health'), 'GET');
      expect(outcome).toMatchObject({
        kind: 'failed',
        reason: expect.stringMatching(/SELF_SIGNED|self-signed/i),
      });
    });

    describe('guard rails refuse before any connection', () => {
      test.each([
        ['plain http', 'http://gw.probe.test/health', /https only/],
        ['a host outside the allow-list', 'https://gw.example.test/health', /not on the probe allow-list/],
        [
          'the metadata server by name',
          'https://metadata.google.internal/computeMetadata/v1/',
          /metadata server/,
        ],
      ])('%s', async (_name, target, reason) => {
        const calls: string[] = [];
        const before = gateway.received.length;
        const outcome = await session({ allowHosts: ['*.probe.test', '*.internal'] }, {}, calls).request(
          target,
          'GET',
        );
        expect(outcome).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(reason) });
        expect(calls, 'refused before DNS').toEqual([]);
        expect(gateway.received.length).toBe(before);
      });

      test.each([
        ['gw.probe.test', '127.0.0.1', /loopback/],
        ['ten.probe.test', '10.0.0.1', /private/],
        ['meta.probe.test', '169.254.169.254', /metadata server/],
        ['v6loop.probe.test', '::1', /loopback/],
        ['v6meta.probe.test', 'fd00:ec2::254', /metadata server/],
      ])('%s resolving to %s, with the real address guard', async (host, address, reason) => {
        const calls: string[] = [];
        const before = gateway.received.length;
        const guarded = session({ unsafeAllowLoopbackForTests: false }, {}, calls);
        const outcome = await guarded.request(`https://${host}:${gateway.port}/health`, 'GET');
        expect(outcome).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(reason) });
        expect((outcome as { reason: string }).reason).toContain(address);
        expect(calls).toEqual([host]);
        expect(gateway.received.length, 'the local server got nothing').toBe(before);
        expect(guarded.requestsSent).toBe(0);
      });
    });

    test('the rate limit paces requests on the injected clock, without real sleeps', async () => {
      const { clock, sleeps } = fakeClock();
      const paced = session({ burst: 2, requestsPerSecond: 1 }, { clock });
      const before = requestsTo(gateway, '/health').length;
      const outcomes = [];
      for (let index = 0; index < 5; index++) outcomes.push(await paced.request(url('/health'), 'GET'));
      expect(outcomes.map((outcome) => ('statusCode' in outcome ? outcome.statusCode : outcome))).toEqual([
        200, 200, 200, 200, 200,
      ]);
      expect(sleeps).toEqual([1000, 1000, 1000]);
      expect(requestsTo(gateway, '/health').length - before).toBe(5);
    });

    test('the request budget of a run is never exceeded', async () => {
      const limited = session({ maxRequestsPerRun: 2 });
      const before = requestsTo(gateway, '/health').length;
      const outcomes = [];
      for (let index = 0; index < 4; index++) outcomes.push(await limited.request(url('/health'), 'GET'));
      expect(outcomes.slice(2)).toEqual([
        { outcome: 'skipped', reason: "the run's budget of 2 requests is spent" },
        { outcome: 'skipped', reason: "the run's budget of 2 requests is spent" },
      ]);
      expect(limited.requestsSent).toBe(2);
      expect(requestsTo(gateway, '/health').length - before).toBe(2);
    });

    test('only GET, HEAD and OPTIONS are ever sent', async () => {
      const probe = session();
      expect(await probe.request(url('/health'), 'HEAD')).toMatchObject({ statusCode: 200, bytesRead: 0 });
      expect(await probe.request(url('/health'), 'OPTIONS')).toMatchObject({ statusCode: 200 });
      const before = gateway.received.length;
      expect(await probe.request(url('/health'), 'POST' as never)).toEqual({
        outcome: 'refused',
        reason: 'method POST is never sent by the probe',
      });
      expect(gateway.received.length).toBe(before);
      expect(probe.requestsSent).toBe(2);
    });
  },
);
