// API Gateway switched off in a project is an answer ("no gateways here"), not an outage: the simulator answers as
// Google does (403 PERMISSION_DENIED, ErrorInfo reason SERVICE_DISABLED), and the live source notes it and reads on.

import { afterEach, describe, expect, it } from 'vitest';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { classifyFailure, toApiFailure } from '../../../src/adapters/googleapis/api-failure.js';
import { PermissionDeniedError, ServiceDisabledError } from '../../../src/adapters/googleapis/errors.js';
import { createGoogleApisSource } from '../../../src/adapters/googleapis/googleapis-source.js';
import { UsageError } from '../../../src/cli/io.js';
import { liveSubject } from '../../../src/cli/live-source.js';
import type { FaultRule } from '../../../src/simulator/faults.js';
import { type Simulator, startSimulator } from '../../../src/simulator/server.js';

const PROJECT = 'acme-edge';
let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function serve(disabled: readonly string[], faults: FaultRule[] = []) {
  simulator = await startSimulator({
    inventory: (await loadEstate('examples/acme-edge')).inventory,
    faults,
    platform: { disabledServices: disabled.map((service) => ({ project: PROJECT, service })) },
  });
  const source = await createGoogleApisSource({ endpoint: simulator.url, retry: { maxAttempts: 2 } });
  return { simulator, source };
}

describe('the simulator answers a disabled API as Google does', () => {
  it('API Gateway: 403 PERMISSION_DENIED with an ErrorInfo SERVICE_DISABLED naming the service and project', async () => {
    const { simulator } = await serve(['apigateway.googleapis.com']);
    const response = await fetch(`${simulator.url}/v1/projects/${PROJECT}/locations/-/gateways`);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      message: expect.stringMatching(
        /^API Gateway API has not been used in project acme-edge before or it is disabled/,
      ),
      details: expect.arrayContaining([
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: expect.objectContaining({
            service: 'apigateway.googleapis.com',
            consumer: `projects/${PROJECT}`,
          }),
        },
      ]),
    });
    // One Platform APIs carry no legacy errors[] list; Compute's front end does (accessNotConfigured).
    expect(body.error.errors).toBeUndefined();
  });

  it('Compute: the same, with the legacy accessNotConfigured entry, and only in that project', async () => {
    const { simulator } = await serve(['compute.googleapis.com']);
    const disabled = await fetch(`${simulator.url}/compute/v1/projects/${PROJECT}/aggregated/urlMaps`);
    expect(disabled.status).toBe(403);
    const { error } = (await disabled.json()) as { error: { errors: { reason: string }[] } };
    expect(error.errors[0]?.reason).toBe('accessNotConfigured');
    const other = await fetch(`${simulator.url}/compute/v1/projects/elsewhere/aggregated/urlMaps`);
    expect(other.status).toBe(200);
  });
});

describe('the live source', () => {
  it('reads a project with API Gateway disabled as holding no gateways, and notes why', async () => {
    const { source } = await serve(['apigateway.googleapis.com']);
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.gateway).toEqual([]);
    expect(inventory.apiConfig).toEqual([]);
    expect(inventory.backendService.length).toBeGreaterThan(0);
    expect(inventory.incomplete).toEqual([]);
    expect(inventory.disabledServices).toEqual([
      { project: PROJECT, service: 'apigateway.googleapis.com', kinds: ['gateway', 'apiConfig'] },
    ]);
  });

  it('still fails on a 403 for a missing permission', async () => {
    const { source } = await serve(
      [],
      [{ path: `/v1/projects/${PROJECT}/locations/-/gateways`, status: 403, reason: 'forbidden' }],
    );
    await expect(source.readInventory([PROJECT])).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('does not take Compute disabled for a project without load balancers', async () => {
    const { source } = await serve(['compute.googleapis.com']);
    const error = await source.readInventory([PROJECT]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServiceDisabledError);
    expect(error).toMatchObject({ service: 'compute.googleapis.com', retryable: false });
  });
});

describe('gatewarden scan --project', () => {
  const io = () => ({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
  const fast = (options: Parameters<typeof createGoogleApisSource>[0]) =>
    createGoogleApisSource({ ...options, retry: { maxAttempts: 2 } });

  it('judges the project and warns that API Gateway is off', async () => {
    const { simulator } = await serve(['apigateway.googleapis.com']);
    const input = await liveSubject([PROJECT], simulator.url, io(), fast).read();
    expect(input.warnings).toEqual([
      'project acme-edge: apigateway.googleapis.com is not enabled, so it holds no API gateways or API configs; judged as such',
    ]);
  });

  it('exits 2 with one line when Compute is off', async () => {
    const { simulator } = await serve(['compute.googleapis.com']);
    const error = await liveSubject([PROJECT], simulator.url, io(), fast)
      .read()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /compute\.googleapis\.com is not enabled in the project \(SERVICE_DISABLED\)/,
    );
  });
});

describe('reading the failure', () => {
  const answer = (details: unknown[], errors?: unknown[]) => ({
    response: {
      status: 403,
      data: {
        error: {
          code: 403,
          message: 'disabled',
          status: 'PERMISSION_DENIED',
          details,
          ...(errors ? { errors } : {}),
        },
      },
    },
  });
  const errorInfo = (reason: string, metadata: Record<string, string> = {}) => ({
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata,
  });

  it.each([
    [
      'API Gateway (details only)',
      answer([errorInfo('SERVICE_DISABLED', { service: 'apigateway.googleapis.com' })]),
    ],
    [
      'Compute (legacy errors[] first)',
      answer(
        [errorInfo('SERVICE_DISABLED', { service: 'apigateway.googleapis.com' })],
        [{ reason: 'accessNotConfigured' }],
      ),
    ],
  ])(
    '%s: the disabled service is read, and the failure is fatal, not a permission problem',
    (_case, thrown) => {
      const failure = toApiFailure(thrown);
      expect(failure.disabledService).toBe('apigateway.googleapis.com');
      expect(classifyFailure(failure)).toBe('fatal');
    },
  );

  it('an IAM denial is not a disabled service', () => {
    const failure = toApiFailure(
      answer([errorInfo('IAM_PERMISSION_DENIED', { permission: 'apigateway.gateways.list' })]),
    );
    expect(failure.disabledService).toBeUndefined();
    expect(classifyFailure(failure)).toBe('permission-denied');
  });
});
