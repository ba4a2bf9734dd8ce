// The kind descriptors are the single source: every consumer's view is derived from them, and a kind added there
// appears in each of them.

import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { compute_beta } from 'googleapis/build/src/apis/compute/beta.js';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { describe, expect, it } from 'vitest';
import { ESTATE_FILES, estateFilesOf } from '../../src/adapters/estate-files/estate-layout.js';
import {
  FETCHERS,
  getFetcherId,
  kindFetchersOf,
  permissionsOf,
  REQUIRED_PERMISSIONS,
} from '../../src/adapters/googleapis/permissions.js';
import {
  assetTypeOf,
  HUB_KINDS,
  handledMethodFamilies,
  KIND_BY_COLLECTION,
  KIND_LABELS,
  RESOURCE_KIND_DESCRIPTORS,
  RESOURCE_KINDS,
  type ResourceKind,
  type ResourceKindDescriptor,
} from '../../src/domain/resource-kind.js';
import { kindOfRef, parseResourceRef } from '../../src/domain/resource-name.js';
import { matchHandledMethod } from '../../src/events/handled-methods.js';
import { computeMethodName } from '../../src/simulator/audit-entries.js';
import { computeCollectionsOf } from '../../src/simulator/compute-api.js';
import { judgedResourceTypesOf, RESOURCE_TYPES } from '../../src/terraform-plan/resource-types.js';

const variants = RESOURCE_KIND_DESCRIPTORS.flatMap((descriptor) =>
  descriptor.variants.map((variant) => ({ descriptor, variant })),
);
const computeVariants = variants.filter(({ descriptor }) => descriptor.service === 'compute');
const named = <T extends { descriptor: ResourceKindDescriptor; variant: { apiCollection: string } }>(
  items: readonly T[],
) => items.map((item) => [`${item.descriptor.kind} ${item.variant.apiCollection}`, item] as const);

/** A resource name in the variant's scope, as an audit log's `resourceName` carries it. */
function resourceNameIn(descriptor: ResourceKindDescriptor, scope: string): string {
  const where = { global: 'global', regions: 'regions/us-central1', zones: 'zones/us-central1-a' }[scope];
  return `projects/acme-edge/${where}/${descriptor.collection}/example`;
}

describe('one descriptor per kind', () => {
  it('describes every kind exactly once, in RESOURCE_KINDS order', () => {
    expect(RESOURCE_KIND_DESCRIPTORS.map((descriptor) => descriptor.kind)).toEqual([...RESOURCE_KINDS]);
  });

  it('names each collection, API collection, asset type and estate file once', () => {
    const distinct = (values: readonly string[]) => expect(new Set(values).size).toBe(values.length);
    distinct(RESOURCE_KIND_DESCRIPTORS.map((descriptor) => descriptor.collection));
    distinct(RESOURCE_KIND_DESCRIPTORS.map((descriptor) => descriptor.estateFile));
    distinct(variants.map(({ variant }) => variant.apiCollection));
    distinct(variants.map(({ variant }) => variant.getPermission));
    distinct(variants.flatMap(({ variant }) => variant.terraformTypes));
  });

  it('reads NEGs through the beta API (only it returns serverlessDeployment), every other Compute kind through v1', () => {
    const apis = Object.fromEntries(
      RESOURCE_KIND_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor.api]),
    );
    expect(apis).toMatchObject({ networkEndpointGroup: 'compute/beta', backendService: 'compute/v1' });
  });

  it.each(named(computeVariants))(
    '%s: the permission and audit family are the API collection’s own',
    (_n, item) => {
      const { variant } = item;
      expect(variant.getPermission).toBe(`compute.${variant.apiCollection}.get`);
      if (variant.listPermission)
        expect(variant.listPermission).toBe(`compute.${variant.apiCollection}.list`);
      expect(variant.auditFamilies).toEqual([`compute.${variant.apiCollection}`]);
      expect(variant.auditDocs).toMatch(
        /^https:\/\/cloud\.google\.com\/(compute|load-balancing|armor)\/docs\/audit-logging$/,
      );
    },
  );
});

describe('each consumer’s view is the descriptors’', () => {
  it.each(named(variants))(
    '%s: the googleapis client has the get the source calls',
    (_n, { descriptor, variant }) => {
      const clients = {
        'compute/v1': new compute_v1.Compute({}),
        'compute/beta': new compute_beta.Compute({}),
        'apigateway/v1': new apigateway_v1.Apigateway({}),
      };
      let collection: unknown = clients[descriptor.api];
      for (const segment of variant.apiCollection.split('.'))
        collection = (collection as Record<string, unknown>)[segment];
      expect(typeof (collection as Record<string, unknown>).get).toBe('function');
      if (descriptor.aggregatedList && variant.scope !== 'locations') {
        const aggregated = (clients[descriptor.api] as unknown as Record<string, Record<string, unknown>>)[
          descriptor.aggregatedList
        ];
        expect(typeof aggregated?.aggregatedList).toBe('function');
      }
    },
  );

  it.each(named(variants))(
    '%s: the source declares its get, and the role holds its permissions',
    (_n, item) => {
      const { descriptor, variant } = item;
      expect(FETCHERS[getFetcherId(variant)]).toEqual({
        api: descriptor.api,
        method: `${variant.apiCollection}.get`,
        reads: variant.reads,
        permissions: [variant.getPermission],
      });
      expect(REQUIRED_PERMISSIONS).toContain(variant.getPermission);
      if (variant.listPermission) expect(REQUIRED_PERMISSIONS).toContain(variant.listPermission);
    },
  );

  it('the role holds nothing a kind or another declared call does not need', () => {
    const fromKinds = variants.flatMap(({ variant }) => [
      variant.getPermission,
      ...(variant.listPermission ? [variant.listPermission] : []),
    ]);
    const others = Object.entries(FETCHERS)
      .filter(([id]) => !id.includes('.'))
      .flatMap(([, declaration]) => declaration.permissions);
    expect(new Set(REQUIRED_PERMISSIONS)).toEqual(new Set([...fromKinds, ...others]));
  });

  it('the estate layout names each kind’s file, export command and label', () => {
    expect(ESTATE_FILES).toEqual(
      RESOURCE_KIND_DESCRIPTORS.map((descriptor) => ({
        file: descriptor.estateFile,
        collection: descriptor.collection,
        kind: descriptor.kind,
        service: descriptor.service,
        exportedWith: descriptor.exportedWith,
        label: KIND_LABELS[descriptor.kind],
      })),
    );
  });

  it.each(named(variants))(
    '%s: check-plan reads its Terraform types as the kind',
    (_n, { descriptor, variant }) => {
      for (const type of variant.terraformTypes) {
        expect(RESOURCE_TYPES[type]).toMatchObject({
          kind: descriptor.kind,
          collection: descriptor.collection,
        });
      }
    },
  );

  it('check-plan judges no Terraform type that no descriptor declares', () => {
    const declared = new Set(variants.flatMap(({ variant }) => variant.terraformTypes));
    const judged = Object.entries(RESOURCE_TYPES).filter(([, spec]) => spec.kind !== undefined);
    expect(judged.map(([type]) => type).sort()).toEqual([...declared].sort());
  });

  it.each(named(computeVariants))(
    '%s: its changes are handled, and the simulator logs them under its family',
    (_n, item) => {
      const { descriptor, variant } = item;
      const resourceName = resourceNameIn(descriptor, variant.scope);
      for (const version of ['v1', 'beta', 'alpha']) {
        const method = computeMethodName(version, resourceName, 'patch');
        expect(method).toBe(`${version}.${variant.auditFamilies[0]}.patch`);
        expect(matchHandledMethod(method)).toMatchObject({
          service: 'compute',
          family: variant.auditFamilies[0],
        });
      }
      expect(kindOfRef(parseResourceRef(resourceName) ?? fail())).toBe(descriptor.kind);
      expect(assetTypeOf(descriptor.kind, variant.scope === 'regions')).toBe(variant.assetType);
    },
  );

  it.each([
    'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
    'google.cloud.apigateway.v1beta.ApiGatewayService.CreateApiConfig',
  ])('API Gateway changes (%s) are handled', (method) => {
    expect(matchHandledMethod(method)?.service).toBe('apigateway');
  });

  it('the simulator serves every Compute kind in the scopes its variants live in', () => {
    const collections = computeCollectionsOf(RESOURCE_KIND_DESCRIPTORS);
    for (const descriptor of RESOURCE_KIND_DESCRIPTORS.filter(
      (candidate) => candidate.service === 'compute',
    )) {
      expect(collections[descriptor.collection]).toEqual({
        singular: descriptor.kind,
        scopes: descriptor.variants.map((variant) => variant.scope),
      });
    }
    expect(Object.keys(collections)).toHaveLength(8);
  });

  it('hubs, collections and labels come from the descriptors', () => {
    expect([...HUB_KINDS].sort()).toEqual(['apiConfig', 'securityPolicy', 'sslPolicy']);
    expect(KIND_BY_COLLECTION.configs).toBe('apiConfig');
    expect(KIND_BY_COLLECTION.forwardingRules).toBe('forwardingRule');
  });
});

describe('a kind added to the descriptors appears everywhere', () => {
  // A made-up kind: backend buckets, global and regional, as the next kind Gatewarden might judge.
  const added: ResourceKindDescriptor = {
    kind: 'backendBucket' as ResourceKind,
    service: 'compute',
    api: 'compute/v1',
    collection: 'backendBuckets',
    label: 'backend bucket',
    pluralLabel: 'backend buckets',
    hub: false,
    estateFile: 'backend-buckets.json',
    exportedWith: 'gcloud compute backend-buckets list --format=json',
    aggregatedList: 'backendBuckets',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'backendBuckets',
        reads: 'a backend bucket',
        assetType: 'compute.googleapis.com/BackendBucket',
        getPermission: 'compute.backendBuckets.get',
        listPermission: 'compute.backendBuckets.list',
        auditFamilies: ['compute.backendBuckets'],
        auditDocs: 'https://cloud.google.com/compute/docs/audit-logging',
        terraformTypes: ['google_compute_backend_bucket'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionBackendBuckets',
        reads: 'a regional backend bucket',
        assetType: 'compute.googleapis.com/RegionBackendBucket',
        getPermission: 'compute.regionBackendBuckets.get',
        listPermission: 'compute.regionBackendBuckets.list',
        auditFamilies: ['compute.regionBackendBuckets'],
        auditDocs: 'https://cloud.google.com/compute/docs/audit-logging',
        terraformTypes: ['google_compute_region_backend_bucket'],
      },
    ],
  };
  const descriptors = [...RESOURCE_KIND_DESCRIPTORS, added];

  it('in the source’s calls and the Terraform role', () => {
    const fetchers = kindFetchersOf(descriptors);
    expect(fetchers['backendBucket.aggregatedList']?.permissions).toEqual([
      'compute.backendBuckets.list',
      'compute.regionBackendBuckets.list',
    ]);
    expect(fetchers['regionBackendBuckets.get']?.method).toBe('regionBackendBuckets.get');
    expect(permissionsOf(fetchers)).toEqual(
      expect.arrayContaining([
        'compute.backendBuckets.get',
        'compute.regionBackendBuckets.get',
        'compute.backendBuckets.list',
        'compute.regionBackendBuckets.list',
      ]),
    );
  });

  it('in the estate layout', () => {
    expect(estateFilesOf(descriptors).at(-1)).toMatchObject({
      file: 'backend-buckets.json',
      label: 'backend bucket',
    });
  });

  it('in check-plan’s type table', () => {
    expect(judgedResourceTypesOf(descriptors).google_compute_region_backend_bucket).toEqual({
      kind: 'backendBucket',
      scope: 'region',
      collection: 'backendBuckets',
      nameAttribute: 'name',
    });
  });

  it('in the handled methods (and so the sink filter)', () => {
    expect(handledMethodFamilies(descriptors).compute.slice(-2)).toEqual([
      'compute.backendBuckets',
      'compute.regionBackendBuckets',
    ]);
  });

  it('in the simulator’s collections', () => {
    expect(computeCollectionsOf(descriptors).backendBuckets).toEqual({
      singular: 'backendBucket',
      scopes: ['global', 'regions'],
    });
  });
});

function fail(): never {
  throw new Error('the resource name did not parse');
}
