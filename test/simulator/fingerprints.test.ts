// Fingerprints are bytes: the simulator accepts one sent back in either base64 alphabet, as the API does, and still
// refuses a stale one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSameFingerprint } from '../../src/simulator/compute-api.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { PROJECT } from '../support/records.js';
import { sampleEstate } from './sample-estate.js';

let simulator: Simulator;
const PATH = `projects/${PROJECT}/global/backendServices/orders-bs`;
// Standard base64 holding both `/` and `+`; gcloud sends it back as `ab_c-d8wXyE=`.
const STORED = 'ab/c+d8wXyE=';

beforeAll(async () => {
  simulator = await startSimulator({ inventory: sampleEstate() });
});
afterAll(() => simulator.close());

async function patch(fingerprint: string): Promise<number> {
  const current = simulator.store.get(PATH) ?? {};
  simulator.store.put(PATH, { ...current, fingerprint: STORED });
  const response = await fetch(`${simulator.url}/compute/v1/${PATH}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fingerprint, description: `sent ${fingerprint}` }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('fingerprint checks', () => {
  it.each([
    ['the stored text', STORED, 200],
    ['the same bytes, URL-safe (as gcloud sends them)', 'ab_c-d8wXyE=', 200],
    ['the same bytes without padding', 'ab_c-d8wXyE', 200],
    ['other bytes', 'Zb_c-d8wXyE=', 412],
    ['a fingerprint read before the last change', 'AAAAAAAAAAA=', 412],
  ])('%s -> %s', async (_case, fingerprint, status) => {
    expect(await patch(fingerprint)).toBe(status);
  });

  it('compares bytes, and anything that is not text as it is', () => {
    expect(isSameFingerprint('OP_enl2kyrk=', 'OP/enl2kyrk=')).toBe(true);
    expect(isSameFingerprint('OP-enl2kyrk=', 'OP/enl2kyrk=')).toBe(false);
    expect(isSameFingerprint(undefined, undefined)).toBe(true);
    expect(isSameFingerprint(12, '12')).toBe(false);
  });
});
