import { google } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { PROJECT } from '../support/records.js';
import { sampleEstate } from './sample-estate.js';

let simulator: Simulator;
let computeV1: ReturnType<typeof v1>;

function v1() {
  return google.compute({ version: 'v1', rootUrl: `${simulator.url}/` });
}
function beta() {
  return google.compute({ version: 'beta', rootUrl: `${simulator.url}/` });
}

/** Status and Google error reason of a failed googleapis call. */
async function failureOf(call: Promise<unknown>): Promise<{ status: number; reason: string; body: unknown }> {
  try {
    await call;
  } catch (error) {
    const failure = error as {
      status?: number;
      response?: { data?: { error?: { errors?: { reason?: string }[] } } };
    };
    return {
      status: failure.status ?? 0,
      reason: failure.response?.data?.error?.errors?.[0]?.reason ?? '',
      body: failure.response?.data,
    };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  simulator = await startSimulator({ inventory: sampleEstate() });
  computeV1 = v1();
});
afterAll(() => simulator.close());

describe('Compute reads through the googleapis client', () => {
  beforeEach(() => simulator.clearRequests());

  it('gets a backend service with links pointing back at the simulator in the requested version', async () => {
    const { data } = await computeV1.backendServices.get({ project: PROJECT, backendService: 'orders-bs' });
    expect(data.kind).toBe('compute#backendService');
    expect(data.selfLink).toBe(
      `${simulator.url}/compute/v1/projects/${PROJECT}/global/backendServices/orders-bs`,
    );
    expect(data.backends?.[0]?.group).toBe(
      `${simulator.url}/compute/v1/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`,
    );
    expect(simulator.requests().map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['GET', `/compute/v1/projects/${PROJECT}/global/backendServices/orders-bs`, 200],
    ]);
  });

  it.each([{ version: 'v1' }, { version: 'beta' }])(
    'serves a serverless NEG through $version with serverlessDeployment only in beta',
    async ({ version }) => {
      const params = { project: PROJECT, region: 'us-central1', networkEndpointGroup: 'orders-neg-usc1' };
      const { data } =
        version === 'v1'
          ? await v1().regionNetworkEndpointGroups.get(params)
          : await beta().regionNetworkEndpointGroups.get(params);
      expect(data.selfLink).toBe(
        `${simulator.url}/compute/${version}/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`,
      );
      expect(data.networkEndpointType).toBe('SERVERLESS');
      expect((data as { serverlessDeployment?: unknown }).serverlessDeployment).toEqual(
        version === 'beta' ? { platform: 'apigateway.googleapis.com', resource: 'orders-gw' } : undefined,
      );
    },
  );

  it('answers a missing resource with 404 notFound in Google error shape', async () => {
    const failure = await failureOf(
      computeV1.backendServices.get({ project: PROJECT, backendService: 'nope' }),
    );
    expect(failure).toEqual({
      status: 404,
      reason: 'notFound',
      body: {
        error: {
          code: 404,
          message: `The resource 'projects/${PROJECT}/global/backendServices/nope' was not found`,
          errors: [
            {
              reason: 'notFound',
              message: `The resource 'projects/${PROJECT}/global/backendServices/nope' was not found`,
              domain: 'global',
            },
          ],
          status: 'NOT_FOUND',
        },
      },
    });
  });

  it('pages an aggregated list across scopes, with warnings for scopes empty on a page', async () => {
    const pages: {
      items: Record<string, { backendServices?: { name?: string }[]; warning?: { code?: string } }>;
    }[] = [];
    let pageToken: string | undefined;
    do {
      // googleapis@188 typings lack returnPartialSuccess although the REST API takes it.
      const params = {
        project: PROJECT,
        maxResults: 2,
        includeAllScopes: true,
        returnPartialSuccess: true,
        ...(pageToken ? { pageToken } : {}),
      };
      const { data } = await computeV1.backendServices.aggregatedList(params);
      pages.push(data as (typeof pages)[number]);
      pageToken = data.nextPageToken ?? undefined;
      expect(data.kind).toBe('compute#backendServiceAggregatedList');
      expect(data.unreachables).toEqual([]);
    } while (pageToken);

    expect(pages).toHaveLength(3);
    const namesByPage = pages.map((page) =>
      Object.entries(page.items).flatMap(([scope, entry]) =>
        (entry.backendServices ?? []).map((service) => `${scope}:${service.name}`),
      ),
    );
    expect(namesByPage).toEqual([
      ['global:billing-bs', 'global:catalog-bs'],
      ['global:orders-bs', 'regions/europe-west2:eu-bs'],
      ['regions/us-central1:run-bs'],
    ]);
    expect(pages[2]?.items.global).toEqual({
      warning: {
        code: 'NO_RESULTS_ON_PAGE',
        message: "There are no results for scope 'global' on this page.",
        data: [{ key: 'scope', value: 'global' }],
      },
    });
    expect(pages[0]?.items['regions/us-east1']?.warning?.code).toBe('NO_RESULTS_ON_PAGE');
  });

  it('aggregates NEGs over zonal and regional scopes', async () => {
    const { data } = await beta().networkEndpointGroups.aggregatedList({ project: PROJECT });
    const names = Object.entries(data.items ?? {}).flatMap(([scope, entry]) =>
      (entry.networkEndpointGroups ?? []).map((neg) => `${scope}:${neg.name}`),
    );
    expect(names).toEqual([
      'regions/us-central1:orders-neg-usc1',
      'regions/us-central1:run-neg',
      'zones/us-central1-a:vm-neg',
    ]);
  });

  it('pages a plain list with maxResults and refuses more than 500 per page', async () => {
    const first = await computeV1.backendServices.list({ project: PROJECT, maxResults: 2 });
    expect(first.data.items?.map((item) => item.name)).toEqual(['billing-bs', 'catalog-bs']);
    const second = await computeV1.backendServices.list({
      project: PROJECT,
      maxResults: 2,
      pageToken: first.data.nextPageToken ?? '',
    });
    expect(second.data.items?.map((item) => item.name)).toEqual(['orders-bs']);
    expect(second.data.nextPageToken).toBeUndefined();
    const failure = await failureOf(computeV1.backendServices.list({ project: PROJECT, maxResults: 501 }));
    expect([failure.status, failure.reason]).toEqual([400, 'invalid']);
  });
});

describe('Compute mutations through the googleapis client', () => {
  it('patches with the current fingerprint, then refuses the stale one with 412 conditionNotMet', async () => {
    const before = (await computeV1.backendServices.get({ project: PROJECT, backendService: 'billing-bs' }))
      .data;
    const operation = await computeV1.backendServices.patch({
      project: PROJECT,
      backendService: 'billing-bs',
      requestBody: { enableCDN: true, fingerprint: before.fingerprint ?? '' },
    });
    expect(operation.data).toMatchObject({
      kind: 'compute#operation',
      status: 'DONE',
      operationType: 'patch',
    });
    const after = (await computeV1.backendServices.get({ project: PROJECT, backendService: 'billing-bs' }))
      .data;
    expect(after.enableCDN).toBe(true);
    expect(after.protocol).toBe(before.protocol);
    expect(after.fingerprint).not.toBe(before.fingerprint);

    const failure = await failureOf(
      computeV1.backendServices.update({
        project: PROJECT,
        backendService: 'billing-bs',
        requestBody: { ...before, enableCDN: false },
      }),
    );
    expect([failure.status, failure.reason]).toEqual([412, 'conditionNotMet']);
  });

  it('replaces on update (PUT) but keeps the output-only security policy', async () => {
    const before = (await computeV1.backendServices.get({ project: PROJECT, backendService: 'catalog-bs' }))
      .data;
    await computeV1.backendServices.update({
      project: PROJECT,
      backendService: 'catalog-bs',
      requestBody: { name: 'catalog-bs', protocol: 'HTTP', fingerprint: before.fingerprint ?? '' },
    });
    const after = (await computeV1.backendServices.get({ project: PROJECT, backendService: 'catalog-bs' }))
      .data;
    expect(after.protocol).toBe('HTTP');
    expect(after.logConfig).toBeUndefined();
    expect(after.securityPolicy).toBe(before.securityPolicy);
  });

  it('sets and clears the security policy, and refuses a policy that does not exist', async () => {
    const link = `${simulator.url}/compute/v1/projects/${PROJECT}/global/securityPolicies/strict-waf`;
    await computeV1.backendServices.setSecurityPolicy({
      project: PROJECT,
      backendService: 'orders-bs',
      requestBody: { securityPolicy: link },
    });
    const set = (await computeV1.backendServices.get({ project: PROJECT, backendService: 'orders-bs' })).data;
    expect(set.securityPolicy).toBe(link);
    const missing = await failureOf(
      computeV1.backendServices.setSecurityPolicy({
        project: PROJECT,
        backendService: 'orders-bs',
        requestBody: { securityPolicy: link.replace('strict-waf', 'no-such-policy') },
      }),
    );
    expect([missing.status, missing.reason]).toEqual([404, 'notFound']);
    await computeV1.backendServices.setSecurityPolicy({
      project: PROJECT,
      backendService: 'orders-bs',
      requestBody: { securityPolicy: null } as never,
    });
    const cleared = (await computeV1.backendServices.get({ project: PROJECT, backendService: 'orders-bs' }))
      .data;
    expect(cleared.securityPolicy).toBeUndefined();
  });

  it('inserts a serverless NEG through beta, refuses the beta body on v1, and deletes it', async () => {
    const body = {
      name: 'billing-neg',
      networkEndpointType: 'SERVERLESS',
      serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'billing-gw' },
    };
    const onV1 = await failureOf(
      computeV1.regionNetworkEndpointGroups.insert({
        project: PROJECT,
        region: 'us-central1',
        requestBody: body,
      }),
    );
    expect([onV1.status, onV1.reason]).toEqual([400, 'invalid']);

    const created = await beta().regionNetworkEndpointGroups.insert({
      project: PROJECT,
      region: 'us-central1',
      requestBody: body,
    });
    expect(created.data).toMatchObject({ status: 'DONE', operationType: 'insert' });
    expect(created.data.targetLink).toBe(
      `${simulator.url}/compute/beta/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/billing-neg`,
    );
    const polled = await beta().regionOperations.get({
      project: PROJECT,
      region: 'us-central1',
      operation: created.data.name ?? '',
    });
    expect(polled.data.status).toBe('DONE');
    const stored = (
      await beta().regionNetworkEndpointGroups.get({
        project: PROJECT,
        region: 'us-central1',
        networkEndpointGroup: 'billing-neg',
      })
    ).data;
    expect(stored).toMatchObject({ ...body, size: 0, kind: 'compute#networkEndpointGroup' });

    const duplicate = await failureOf(
      beta().regionNetworkEndpointGroups.insert({
        project: PROJECT,
        region: 'us-central1',
        requestBody: body,
      }),
    );
    expect([duplicate.status, duplicate.reason]).toEqual([409, 'alreadyExists']);

    await beta().regionNetworkEndpointGroups.delete({
      project: PROJECT,
      region: 'us-central1',
      networkEndpointGroup: 'billing-neg',
    });
    const gone = await failureOf(
      beta().regionNetworkEndpointGroups.get({
        project: PROJECT,
        region: 'us-central1',
        networkEndpointGroup: 'billing-neg',
      }),
    );
    expect(gone.status).toBe(404);
  });
  it.each([
    {
      name: 'a URL mask and no resource is accepted',
      serverlessDeployment: { platform: 'apigateway.googleapis.com', urlMask: '<gateway>.api.acme.example' },
      status: 200,
    },
    {
      name: 'neither resource nor URL mask is refused',
      serverlessDeployment: { platform: 'apigateway.googleapis.com' },
      status: 400,
    },
    {
      name: 'a deployment without a platform is refused',
      serverlessDeployment: { resource: 'billing-gw' },
      status: 400,
    },
    {
      name: 'two targets at once are refused',
      serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'billing-gw' },
      cloudRun: { service: 'billing' },
      status: 400,
    },
  ])('a serverless NEG insert: $name', async ({ name, status, ...fields }) => {
    const negName = `neg-${status}-${name.length}`;
    const call = beta().regionNetworkEndpointGroups.insert({
      project: PROJECT,
      region: 'us-central1',
      requestBody: { name: negName, networkEndpointType: 'SERVERLESS', ...fields },
    });
    if (status === 200) {
      await call;
      const { data } = await beta().regionNetworkEndpointGroups.get({
        project: PROJECT,
        region: 'us-central1',
        networkEndpointGroup: negName,
      });
      expect(data.serverlessDeployment).toEqual(fields.serverlessDeployment);
      return;
    }
    const refused = await failureOf(call);
    expect([refused.status, refused.reason]).toEqual([400, 'invalid']);
  });
});
