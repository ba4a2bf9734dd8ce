// `scan --project` reading: progress on stderr, incomplete scopes as warnings, permission errors as one line (exit 2).

import { afterEach, describe, expect, it } from 'vitest';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { createGoogleApisSource } from '../../../src/adapters/googleapis/googleapis-source.js';
import { type CliIo, UsageError } from '../../../src/cli/io.js';
import { liveSubject } from '../../../src/cli/live-source.js';
import type { FaultRule } from '../../../src/simulator/faults.js';
import { type Simulator, startSimulator } from '../../../src/simulator/server.js';

let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

function captureIo(): CliIo & { err: () => string } {
  let stderr = '';
  return {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    err: () => stderr,
  };
}

async function serveAcmeEdge(faults: FaultRule[] = []): Promise<Simulator> {
  simulator = await startSimulator({ inventory: (await loadEstate('examples/acme-edge')).inventory, faults });
  return simulator;
}

const fastSource = (options: Parameters<typeof createGoogleApisSource>[0]) =>
  createGoogleApisSource({ ...options, retry: { baseDelayMs: 5, maxDelayMs: 20, budgetMs: 2_000 } });

describe('liveSubject', () => {
  it('reads the project through the endpoint and reports counts per kind on stderr', async () => {
    const sim = await serveAcmeEdge();
    const io = captureIo();
    const subject = liveSubject(['acme-edge'], `${sim.url}/ignored/path`, io, fastSource);
    expect(subject.label).toBe(`project acme-edge via ${sim.url}`);
    const input = await subject.read();
    expect(input.recordCount).toBe(52);
    expect(input.warnings).toEqual([]);
    expect(io.err()).toContain('gatewarden: acme-edge: 7 backend services\n');
    expect(io.err()).toContain('gatewarden: acme-edge: 11 network endpoint groups\n');
    expect(io.err()).toContain('gatewarden: acme-edge: 6 API configs\n');
  });

  it('turns an unreachable scope into a warning, and shows retries as they happen', async () => {
    const sim = await serveAcmeEdge([
      { path: '/compute/v1/projects/acme-edge/aggregated/urlMaps', status: 503, times: 1 },
      {
        path: '/compute/beta/projects/acme-edge/aggregated/networkEndpointGroups',
        unreachableScopes: ['regions/asia-northeast1'],
      },
    ]);
    const io = captureIo();
    const input = await liveSubject(['acme-edge'], sim.url, io, fastSource).read();
    expect(input.warnings).toEqual([
      expect.stringMatching(
        /^project acme-edge: network endpoint groups in regions\/asia-northeast1 could not be read/,
      ),
    ]);
    expect(io.err()).toMatch(/acme-edge: urlMaps\.aggregatedList answered 503 backendError; retry 1 in/);
  });

  it('turns a list answered with an HTML page into a warning naming the method, not into an empty list', async () => {
    simulator = await startSimulator({
      inventory: (await loadEstate('examples/acme-edge')).inventory,
      reshapeAnswer: (request) =>
        request.path === '/compute/v1/projects/acme-edge/aggregated/backendServices'
          ? { status: 200, text: '<html>oops</html>', contentType: 'text/html' }
          : undefined,
    });
    const input = await liveSubject(['acme-edge'], simulator.url, captureIo(), fastSource).read();
    expect(input.warnings).toEqual([
      'project acme-edge: backend services could not be read (backendServices.aggregatedList answered with a body ' +
        'that is not a list: the answer is text (17 characters), not JSON); they are not judged and not taken as deleted',
    ]);
  });

  it('reports a permission error as one line naming project and permission (a UsageError: exit 2)', async () => {
    const sim = await serveAcmeEdge([
      { path: '/compute/v1/projects/acme-edge/aggregated/backendServices', status: 403, reason: 'forbidden' },
    ]);
    const error = await liveSubject(['acme-edge'], sim.url, captureIo(), fastSource)
      .read()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^permission denied in project "acme-edge": .*needs compute\.backendServices\.list/,
    );
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([
    {
      name: 'a project ID with capitals',
      projects: ['Acme-Edge'],
      endpoint: undefined,
      message: /--project "Acme-Edge"/,
    },
    {
      name: 'a path instead of a project',
      projects: ['../etc'],
      endpoint: undefined,
      message: /is not a project ID/,
    },
    {
      name: 'an endpoint that is not a URL',
      projects: ['acme-edge'],
      endpoint: 'localhost:8085',
      message: /not a URL|http or https/,
    },
    {
      name: 'a file: endpoint',
      projects: ['acme-edge'],
      endpoint: 'file:///etc/passwd',
      message: /http or https/,
    },
  ])('refuses $name before any call', ({ projects, endpoint, message }) => {
    expect(() => liveSubject(projects, endpoint, captureIo(), fastSource)).toThrow(message);
  });
});
