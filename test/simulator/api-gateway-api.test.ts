import { google } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { PROJECT } from '../support/records.js';
import { OPENAPI, sampleEstate } from './sample-estate.js';

let simulator: Simulator;
let apigateway: ReturnType<typeof client>;

function client() {
  return google.apigateway({ version: 'v1', rootUrl: `${simulator.url}/` });
}

beforeAll(async () => {
  simulator = await startSimulator({ inventory: sampleEstate() });
  apigateway = client();
});
afterAll(() => simulator.close());

describe('API Gateway reads through the googleapis client', () => {
  it('lists gateways in every location with "-", page by page', async () => {
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await apigateway.projects.locations.gateways.list({
        parent: `projects/${PROJECT}/locations/-`,
        pageSize: 2,
        ...(pageToken ? { pageToken } : {}),
      });
      names.push(...(data.gateways ?? []).map((gateway) => gateway.name ?? ''));
      pageToken = data.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(names).toEqual([
      `projects/${PROJECT}/locations/europe-west2/gateways/orders-gw-eu`,
      `projects/${PROJECT}/locations/us-central1/gateways/billing-gw`,
      `projects/${PROJECT}/locations/us-central1/gateways/orders-gw`,
    ]);
  });

  it('lists only one location when named', async () => {
    const { data } = await apigateway.projects.locations.gateways.list({
      parent: `projects/${PROJECT}/locations/europe-west2`,
    });
    expect(data.gateways?.map((gateway) => gateway.name)).toEqual([
      `projects/${PROJECT}/locations/europe-west2/gateways/orders-gw-eu`,
    ]);
  });

  it.each([
    { view: undefined, contents: undefined },
    { view: 'BASIC', contents: undefined },
    { view: 'FULL', contents: Buffer.from(OPENAPI).toString('base64') },
  ])('gets an API config with view $view', async ({ view, contents }) => {
    const { data } = await apigateway.projects.locations.apis.configs.get({
      name: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v7`,
      ...(view ? { view } : {}),
    });
    expect(data.openapiDocuments?.[0]?.document?.path).toBe('openapi.yaml');
    expect(data.openapiDocuments?.[0]?.document?.contents).toBe(contents);
  });

  it('derives the APIs from the configs it serves', async () => {
    const { data } = await apigateway.projects.locations.apis.list({
      parent: `projects/${PROJECT}/locations/global`,
    });
    expect(data.apis?.map((api) => api.name)).toEqual([
      `projects/${PROJECT}/locations/global/apis/billing`,
      `projects/${PROJECT}/locations/global/apis/orders`,
    ]);
  });

  it('answers a missing gateway with 404 NOT_FOUND', async () => {
    const failure = await apigateway.projects.locations.gateways
      .get({ name: `projects/${PROJECT}/locations/us-central1/gateways/nope` })
      .catch((error: { status?: number; response?: { data?: { error?: { status?: string } } } }) => error);
    expect([
      (failure as { status?: number }).status,
      (failure as { response?: { data?: { error?: { status?: string } } } }).response?.data?.error?.status,
    ]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('API Gateway changes through the googleapis client', () => {
  const parent = `projects/${PROJECT}/locations/us-central1`;
  const name = `${parent}/gateways/payments-gw`;

  it('creates, patches with an update mask and deletes a gateway, each a done operation', async () => {
    const created = await apigateway.projects.locations.gateways.create({
      parent,
      gatewayId: 'payments-gw',
      requestBody: {
        apiConfig: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v7`,
        displayName: 'payments',
      },
    });
    expect(created.data.done).toBe(true);
    expect(created.data.response).toMatchObject({ name, state: 'ACTIVE' });
    const polled = await apigateway.projects.locations.operations.get({ name: created.data.name ?? '' });
    expect(polled.data.done).toBe(true);

    await apigateway.projects.locations.gateways.patch({
      name,
      updateMask: 'apiConfig',
      requestBody: {
        apiConfig: `projects/${PROJECT}/locations/global/apis/billing/configs/billing-v1`,
        displayName: 'ignored: not in the mask',
      },
    });
    const patched = (await apigateway.projects.locations.gateways.get({ name })).data;
    expect(patched.apiConfig).toBe(`projects/${PROJECT}/locations/global/apis/billing/configs/billing-v1`);
    expect(patched.displayName).toBe('payments');
    expect(patched.defaultHostname).toMatch(/^payments-gw-[0-9a-f]{8}\.uc\.gateway\.dev$/);

    const deleted = await apigateway.projects.locations.gateways.delete({ name });
    expect(deleted.data).toMatchObject({
      done: true,
      response: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
    });
    const gone = await apigateway.projects.locations.gateways.get({ name }).catch((error) => error);
    expect((gone as { status?: number }).status).toBe(404);
  });

  it('refuses to create a gateway that exists', async () => {
    const failure = await apigateway.projects.locations.gateways
      .create({ parent, gatewayId: 'orders-gw', requestBody: {} })
      .catch((error) => error);
    expect((failure as { status?: number }).status).toBe(409);
  });
});
