// The simulator offers a set* action exactly where the Compute v1 API does: each one the googleapis client has, and
// none it lacks (a regional HTTPS proxy has no setSslPolicy; gcloud patches it instead).

import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_KIND_DESCRIPTORS } from '../../src/domain/resource-kind.js';
import { SET_ACTIONS } from '../../src/simulator/compute-api.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { PROJECT } from '../support/records.js';
import { sampleEstate } from './sample-estate.js';

const client = new compute_v1.Compute({}) as unknown as Record<string, Record<string, unknown> | undefined>;
const computeVariants = RESOURCE_KIND_DESCRIPTORS.filter(
  (descriptor) => descriptor.service === 'compute',
).flatMap((descriptor) => descriptor.variants.map((variant) => variant.apiCollection));

describe('set* actions', () => {
  it.each(Object.entries(SET_ACTIONS))(
    '%s is served on the collections whose client has it, and only those',
    (action, spec) => {
      const offering = computeVariants.filter(
        (collection) => typeof client[collection]?.[action] === 'function',
      );
      expect([...spec.apiCollections].sort()).toEqual(offering.sort());
    },
  );
});

describe('over HTTP', () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({ inventory: sampleEstate() });
  });
  afterAll(() => simulator.close());

  it('answers 404 for setSslPolicy on a regional HTTPS proxy, as the API has no such method', async () => {
    const response = await fetch(
      `${simulator.url}/compute/v1/projects/${PROJECT}/regions/us-central1/targetHttpsProxies/any/setSslPolicy`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    );
    expect(response.status).toBe(404);
  });
});
