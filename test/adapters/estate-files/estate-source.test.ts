import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EstateError } from '../../../src/adapters/estate-files/estate-error.js';
import { createEstateSource } from '../../../src/adapters/estate-files/estate-source.js';
import { RESOURCE_KINDS } from '../../../src/domain/resource-kind.js';
import { parseResourceRef, type ResourceRef } from '../../../src/domain/resource-name.js';
import type { ReadProgress } from '../../../src/ports/resource-source.js';
import { backendService, gateway, PROJECT, PROJECT_NUMBER } from '../../support/records.js';

const FIXTURE = 'test/fixtures/estates/orders-edge';
const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-source-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

function ref(text: string): ResourceRef {
  const parsed = parseResourceRef(text);
  if (!parsed) throw new Error(`test bug: cannot parse ${text}`);
  return parsed;
}

/** Two projects: acme-edge (gateways named by number, mapped by projects.json) and acme-shared. */
async function twoProjectEstate(): Promise<string> {
  const dir = join(scratch, 'two-projects');
  await mkdir(dir, { recursive: true });
  const files = {
    'backend-services.json': [
      backendService('orders-bs'),
      backendService('shared-bs', {}, { project: 'acme-shared' }),
    ],
    'gateways.json': [
      gateway('orders-gw', 'us-central1', 'orders/configs/v7', {}, PROJECT_NUMBER),
      gateway('shared-gw', 'us-central1', 'shared/configs/v1', {}, 'acme-shared'),
    ],
    'projects.json': [{ projectId: PROJECT, projectNumber: PROJECT_NUMBER }],
  };
  for (const [name, content] of Object.entries(files))
    await writeFile(join(dir, name), JSON.stringify(content));
  return dir;
}

describe('createEstateSource', () => {
  test('readInventory with no projects returns the whole estate', async () => {
    const inventory = await createEstateSource(FIXTURE).readInventory([]);
    expect(inventory.backendService).toHaveLength(2);
    expect(inventory.apiConfig).toHaveLength(2);
  });

  test.each([
    { name: 'by project ID', projects: ['acme-shared'], services: ['shared-bs'], gateways: ['shared-gw'] },
    {
      name: 'by project ID, keeping records named by its number',
      projects: [PROJECT],
      services: ['orders-bs'],
      gateways: [`projects/${PROJECT_NUMBER}/locations/us-central1/gateways/orders-gw`],
    },
    {
      name: 'by project number',
      projects: [PROJECT_NUMBER],
      services: ['orders-bs'],
      gateways: [`projects/${PROJECT_NUMBER}/locations/us-central1/gateways/orders-gw`],
    },
    { name: 'a project not in the estate', projects: ['acme-other'], services: [], gateways: [] },
  ])('readInventory filters $name', async ({ projects, services, gateways }) => {
    const source = createEstateSource(await twoProjectEstate());
    const inventory = await source.readInventory(projects);
    expect(inventory.backendService.map((service) => service.name)).toEqual(services);
    expect(inventory.gateway.map((record) => String(record.name).split('/').pop())).toEqual(
      gateways.map((name) => name.split('/').pop()),
    );
    expect(inventory.projectIds).toEqual({ [PROJECT_NUMBER]: PROJECT });
  });

  test('readInventory reports progress per kind', async () => {
    const progress: ReadProgress[] = [];
    await createEstateSource(FIXTURE).readInventory([PROJECT], { onProgress: (step) => progress.push(step) });
    expect(progress).toContainEqual({ project: PROJECT, kind: 'networkEndpointGroup', count: 3, done: true });
    expect(progress).toHaveLength(10);
  });

  test.each([
    { name: 'named', projects: [PROJECT], reported: PROJECT },
    { name: 'all (none named)', projects: [], reported: '*' },
  ])(
    'readInventory reports, for the projects $name, each kind once with the count it returns',
    async ({ projects, reported }) => {
      const progress: ReadProgress[] = [];
      const inventory = await createEstateSource(FIXTURE).readInventory(projects, {
        onProgress: (step) => progress.push(step),
      });
      expect(progress).toEqual(
        RESOURCE_KINDS.map((kind) => ({
          project: reported,
          kind,
          count: inventory[kind].length,
          done: true,
        })),
      );
    },
  );

  test.each([
    {
      name: 'a selfLink of another API version',
      link: 'https://compute.googleapis.com/compute/v1/projects/acme-edge/regions/us-central1/networkEndpointGroups/legacy-neg-usc1',
      found: 'legacy-neg-usc1',
    },
    {
      name: 'an audit-log resource name',
      link: 'projects/acme-edge/global/backendServices/orders-bs',
      found: 'orders-bs',
    },
    {
      name: 'a full name using the project number',
      link: `//apigateway.googleapis.com/projects/${PROJECT_NUMBER}/locations/us-central1/gateways/legacy-gw`,
      found: 'projects/acme-edge/locations/us-central1/gateways/legacy-gw',
    },
    {
      name: 'a deleted resource',
      link: 'projects/acme-edge/global/backendServices/gone-bs',
      found: undefined,
    },
    {
      name: 'the right name in the wrong region',
      link: 'projects/acme-edge/regions/europe-west2/networkEndpointGroups/legacy-neg-usc1',
      found: undefined,
    },
  ])('readResource finds $name', async ({ link, found }) => {
    const record = await createEstateSource(FIXTURE).readResource(ref(link));
    expect(record?.name).toBe(found);
  });

  test('a broken estate rejects every read with the EstateError', async () => {
    const source = createEstateSource(join(scratch, 'missing'));
    await expect(source.readInventory([])).rejects.toBeInstanceOf(EstateError);
    await expect(source.readResource(ref('projects/p/global/urlMaps/m'))).rejects.toBeInstanceOf(EstateError);
  });

  test('load() exposes warnings and the baseline path', async () => {
    const estate = await createEstateSource(FIXTURE).load();
    expect(estate.warnings).toEqual([]);
    expect(estate.recordCount).toBe(17);
  });
});
