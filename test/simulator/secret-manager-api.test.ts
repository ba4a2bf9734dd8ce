// The simulator's Secret Manager answers the one call the channels make (versions/{v}:access), read through the
// real Secret Manager reader, so webhook URLs held "in Secret Manager" work on the local stack.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createSecretManagerReader,
  type SecretReader,
} from '../../src/adapters/secret-manager/secret-reader.js';
import { emptyInventory } from '../../src/domain/inventory.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';

const SECRET = 'projects/acme-sec/secrets/payments-slack';
const URL_VALUE = 'http://127.0.0.1:4242/hook/payments';

let simulator: Simulator;
let reader: SecretReader;

beforeAll(async () => {
  simulator = await startSimulator({
    inventory: emptyInventory(),
    secrets: { [SECRET]: `${URL_VALUE}\n` },
  });
  reader = createSecretManagerReader({ endpoint: simulator.url, getAccessToken: async () => 'local' });
});

afterAll(async () => {
  await simulator?.close();
});

describe('simulated Secret Manager', () => {
  test.each(['latest', '1'])(
    'versions/%s:access gives the value (the trailing newline trimmed by the reader)',
    async (version) => {
      expect(await reader.access(`${SECRET}/versions/${version}`)).toBe(URL_VALUE);
    },
  );

  test.each([
    ['a secret that does not exist', 'projects/acme-sec/secrets/nope/versions/latest'],
    ['a version it does not have', `${SECRET}/versions/2`],
  ])('%s: 404, and the reader says so without retrying', async (_name, version) => {
    const error = await reader.access(version).then(
      () => undefined,
      (caught: unknown) => caught as Error & { retryable?: boolean },
    );
    expect(error?.message).toContain('Secret Manager answered 404');
    expect(error?.retryable).toBe(false);
  });

  test('requests are in the request log like every other API', async () => {
    simulator.clearRequests();
    await reader.access(`${SECRET}/versions/latest`);
    expect(simulator.requests().map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `/v1/${SECRET}/versions/latest:access`, 200],
    ]);
  });
});
