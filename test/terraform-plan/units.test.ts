// Addresses, references, rule-read table and .tf declaration lookup: the pieces the plan reader is built from.

import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { InputFileError } from '../../src/adapters/files/input-file.js';
import { RESOURCE_KINDS } from '../../src/domain/resource-kind.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { parseAddress } from '../../src/terraform-plan/address.js';
import { parsePlan } from '../../src/terraform-plan/plan-file.js';
import { readPlan } from '../../src/terraform-plan/read-plan.js';
import { isOverlapping, RULE_READS } from '../../src/terraform-plan/rule-reads.js';
import {
  findDeclarations,
  locateResources,
  MAX_TF_FILE_BYTES,
} from '../../src/terraform-plan/tf-locations.js';
import { loadPlan, PLANS_DIR } from './fixtures.js';

describe('parseAddress', () => {
  test.each([
    [
      'google_compute_backend_service.api',
      { modules: [], mode: 'managed', type: 'google_compute_backend_service', name: 'api' },
    ],
    [
      'module.edge["eu"].module.lb.google_compute_region_network_endpoint_group.neg[0]',
      {
        modules: [{ name: 'edge', key: 'eu' }, { name: 'lb' }],
        type: 'google_compute_region_network_endpoint_group',
        name: 'neg',
        key: 0,
      },
    ],
    [
      'data.google_compute_backend_service.existing',
      { mode: 'data', type: 'google_compute_backend_service' },
    ],
  ])('%s', (address, expected) => {
    expect(parseAddress(address)).toMatchObject(expected);
  });

  test.each(['', 'module.edge', 'google_compute_backend_service', 'google_x.y[unquoted]'])(
    '%j is no address',
    (text) => {
      expect(parseAddress(text)).toBeUndefined();
    },
  );
});

describe('references fill values unknown until apply', () => {
  test('a backend group referencing a planned NEG becomes that NEG selfLink', () => {
    const service = readPlan(loadPlan('guide')).inventory.backendService[0];
    expect(service?.backends?.[0]?.group).toBe(
      'https://www.googleapis.com/compute/v1/projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg-usc1',
    );
    expect(service?.securityPolicy).toBe(
      'https://www.googleapis.com/compute/v1/projects/acme-edge/global/securityPolicies/api-waf',
    );
  });

  test('a module output is followed to the resource inside the module', () => {
    const map = readPlan(loadPlan('module-nested')).inventory.urlMap[0];
    expect(map?.defaultService).toBe(
      'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/orders-api',
    );
  });

  test('a module variable is followed to the caller: an unknown gateway ID comes from the root module', () => {
    const plan = loadPlan('module-nested');
    const negAddress = 'module.edge.google_compute_region_network_endpoint_group.orders';
    const withUnknownResource = {
      ...plan,
      resource_changes: (plan.resource_changes ?? []).map((change) => {
        if (change.address !== negAddress) return change;
        const after = structuredClone(change.change.after) as {
          serverless_deployment: Record<string, unknown>[];
        };
        delete after.serverless_deployment[0]?.resource;
        const unknown = {
          ...(change.change.after_unknown as object),
          serverless_deployment: [{ resource: true }],
        };
        return { ...change, change: { ...change.change, after, after_unknown: unknown } };
      }),
    };
    const planned = readPlan(withUnknownResource);
    expect(planned.inventory.networkEndpointGroup[0]?.serverlessDeployment?.resource).toBe('orders-gw');
    expect(planned.resources.find((resource) => resource.address === negAddress)?.unknownFields).toEqual([]);
  });

  test('the identity of an API config created in the plan names its API and config ID', () => {
    const gateway = readPlan(loadPlan('guide')).inventory.gateway[0];
    expect(gateway?.apiConfig).toBe('projects/acme-edge/locations/global/apis/orders/configs/orders-v1');
  });

  test('unset computed backend service fields take the API defaults on create, not "unknown"', () => {
    const planned = readPlan(loadPlan('guide'));
    expect(planned.inventory.backendService[0]).toMatchObject({ portName: 'http', sessionAffinity: 'NONE' });
    const service = planned.resources.find((resource) => resource.kind === 'backendService');
    expect(service?.unknownFields).toEqual([]);
  });

  test('the IAP OAuth client secret never reaches the API record', () => {
    const plan = loadPlan('guide');
    const changes = (plan.resource_changes ?? []).map((change) =>
      change.address === 'google_compute_backend_service.api'
        ? {
            ...change,
            change: {
              ...change.change,
              after: {
                ...(change.change.after as object),
                iap: [{ enabled: true, oauth2_client_id: 'client-id', oauth2_client_secret: 's3cr3t-value' }],
              },
            },
          }
        : change,
    );
    const record = readPlan({ ...plan, resource_changes: changes }).inventory.backendService[0];
    expect(record?.iap).toEqual({ enabled: true, oauth2ClientId: 'client-id' });
    expect(JSON.stringify(record)).not.toContain('s3cr3t-value');
  });
});

describe('rule-reads table', () => {
  test('lists every rule of the catalogue, with real resource kinds', () => {
    for (const rule of ALL_RULES) expect(Object.keys(RULE_READS), rule.id).toContain(rule.id);
    for (const reads of Object.values(RULE_READS)) {
      for (const kind of Object.keys(reads)) expect([...RESOURCE_KINDS, '*']).toContain(kind);
    }
  });

  test.each([
    ['backends', 'backends[].group', true],
    ['logConfig.enable', 'logConfig', true],
    ['logConfig.enable', 'logConfig.sampleRate', false],
    ['protocol', 'portName', false],
    ['*', 'anything', true],
  ] as const)('%s overlaps %s: %s', (read, unknown, expected) => {
    expect(isOverlapping(read, unknown)).toBe(expected);
  });
});

describe('.tf declarations', () => {
  test('finds resource and module blocks with their lines', () => {
    const text = '# edge\n\nresource "google_compute_backend_service" "api" {\n}\n  module "edge" {\n';
    const found = findDeclarations(text);
    expect(found.resources.get('google_compute_backend_service.api')).toBe(3);
    expect(found.modules.get('edge')).toBe(5);
  });

  test('locates root resources in the plan directory and module resources in the module source', async () => {
    const planned = readPlan(loadPlan('module-nested'));
    const dir = join(PLANS_DIR, 'module-nested');
    const locations = await locateResources(planned.resources, planned.index, dir, PLANS_DIR);
    expect(locations.get('google_compute_url_map.api')).toEqual({ uri: 'module-nested/main.tf', line: 6 });
    expect(locations.get('module.edge.google_compute_backend_service.api')).toEqual({
      uri: 'module-nested/modules/edge/main.tf',
      line: 15,
    });
  });

  test('a resource in a registry module is located at the module block that calls it', async () => {
    const plan = loadPlan('module-nested');
    const registry = parsePlan(
      JSON.stringify({
        ...plan,
        configuration: {
          ...plan.configuration,
          root_module: {
            ...plan.configuration?.root_module,
            module_calls: {
              edge: { ...plan.configuration?.root_module?.module_calls?.edge, source: 'acme/edge/google' },
            },
          },
        },
      }),
      'plan.json',
    );
    const planned = readPlan(registry);
    const locations = await locateResources(
      planned.resources,
      planned.index,
      join(PLANS_DIR, 'module-nested'),
      PLANS_DIR,
    );
    expect(locations.get('module.edge.google_compute_backend_service.api')).toEqual({
      uri: 'module-nested/main.tf',
      line: 1,
    });
  });

  const scratch = mkdtemp(join(tmpdir(), 'gatewarden-tf-locations-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  // Each sits in the module's directory, beside the main.tf that declares the module's resources.
  test.each([
    {
      name: 'a FIFO',
      make: async (path: string) => execFileSync('mkfifo', [path]),
      problem: 'is a FIFO (named pipe), not a regular file',
    },
    {
      name: 'a symlink to /dev/zero',
      make: (path: string) => symlink('/dev/zero', path),
      problem: 'is a character device, not a regular file',
    },
    {
      name: 'a directory',
      make: (path: string) => mkdir(path),
      problem: 'is a directory, not a regular file',
    },
    {
      name: 'a file over the size bound',
      make: async (path: string) => {
        await writeFile(path, '');
        await truncate(path, MAX_TF_FILE_BYTES + 1);
      },
      problem: 'is larger than 16 MiB',
    },
  ])(
    'a *.tf that is $name is skipped and reported once; the rest is still located',
    async ({ make, problem }) => {
      const dir = await mkdtemp(join(await scratch, 'plan-'));
      await cp(join(PLANS_DIR, 'module-nested'), dir, { recursive: true });
      const odd = join(dir, 'modules', 'edge', 'zz.tf');
      await make(odd);
      const planned = readPlan(loadPlan('module-nested'));
      const skipped: InputFileError[] = [];
      const locations = await locateResources(planned.resources, planned.index, dir, dir, {
        onSkippedFile: (error) => skipped.push(error),
      });
      expect(skipped.map((error) => error.file)).toEqual([odd]);
      expect(skipped[0]?.problem).toContain(problem);
      expect(locations.get('module.edge.google_compute_backend_service.api')).toEqual({
        uri: 'modules/edge/main.tf',
        line: 15,
      });
    },
  );
});
