// gcloud against the simulator for the regional load-balancer kinds: every mutation gcloud sends works, updates of
// every kind can go back and forth, and each change logs its audit entries under its own regional method family.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { matchHandledMethod } from '../../src/events/handled-methods.js';
import type { AuditLogEntry } from '../../src/simulator/audit-entries.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { hasGcloud } from '../support/emulators.js';
import {
  createRegionalLoadBalancer,
  GCLOUD_TIMEOUT_MS,
  type Gcloud,
  gcloudFor,
  REGION,
  REGIONAL,
  REGIONAL_UPDATES,
} from '../support/gcloud.js';

const ESTATE = new URL('../../examples/acme-edge', import.meta.url).pathname;
const GCLOUD = hasGcloud();
if (!GCLOUD) console.log('skipping the regional gcloud tests: gcloud is not on PATH');

let simulator: Simulator;
let gcloud: Gcloud;
const entries: AuditLogEntry[] = [];
const unknownRequests: string[] = [];

/** Updates of global kinds that carry a fingerprint (or label fingerprint) gcloud reads and sends back. */
const GLOBAL_UPDATES = {
  backendServices: (to: 'a' | 'b') => [
    'compute',
    'backend-services',
    'update',
    'orders-bs',
    '--global',
    to === 'a' ? '--enable-logging' : '--no-enable-logging',
  ],
  sslPolicies: (to: 'a' | 'b') => [
    'compute',
    'ssl-policies',
    'update',
    'legacy-clients',
    '--global',
    `--min-tls-version=${to === 'a' ? '1.2' : '1.0'}`,
  ],
} as const satisfies Record<string, (to: 'a' | 'b') => readonly string[]>;

describe.skipIf(!GCLOUD)('gcloud against the simulator: regional load balancers', () => {
  beforeAll(async () => {
    simulator = await startSimulator({
      inventory: (await loadEstate(ESTATE)).inventory,
      auditSink: { publish: async (published) => void entries.push(...published) },
      onUnknownRequest: (description) => unknownRequests.push(description),
    });
    gcloud = gcloudFor(simulator.url, 'acme-edge');
    await createRegionalLoadBalancer(gcloud);
  }, 6 * GCLOUD_TIMEOUT_MS);

  afterAll(async () => {
    await simulator?.close();
    gcloud?.cleanup();
    expect(unknownRequests).toEqual([]);
  });

  it('builds the regional load balancer, logging each insert under its regional family', () => {
    const state = simulator.store.snapshot();
    const link = (collection: string, name: string) =>
      `https://www.googleapis.com/compute/v1/projects/acme-edge/regions/${REGION}/${collection}/${name}`;
    expect(state[`projects/acme-edge/regions/${REGION}/forwardingRules/${REGIONAL.httpsRule}`]).toMatchObject(
      {
        target: link('targetHttpsProxies', REGIONAL.httpsProxy),
        region: `https://www.googleapis.com/compute/v1/projects/acme-edge/regions/${REGION}`,
      },
    );
    expect(
      state[`projects/acme-edge/regions/${REGION}/targetHttpsProxies/${REGIONAL.httpsProxy}`],
    ).toMatchObject({
      urlMap: link('urlMaps', REGIONAL.apiMap),
      sslPolicy: link('sslPolicies', REGIONAL.modernTls),
    });
    const inserts = entries
      .filter((entry) => entry.operation.last)
      .map((entry) => [entry.protoPayload.methodName, entry.protoPayload.resourceName]);
    expect(inserts).toEqual(
      expect.arrayContaining([
        [
          'v1.compute.regionSslPolicies.insert',
          `projects/acme-edge/regions/${REGION}/sslPolicies/${REGIONAL.oldTls}`,
        ],
        [
          'v1.compute.regionSecurityPolicies.insert',
          `projects/acme-edge/regions/${REGION}/securityPolicies/${REGIONAL.armor}`,
        ],
        [
          'v1.compute.regionBackendServices.insert',
          `projects/acme-edge/regions/${REGION}/backendServices/${REGIONAL.apiService}`,
        ],
        [
          'v1.compute.regionUrlMaps.insert',
          `projects/acme-edge/regions/${REGION}/urlMaps/${REGIONAL.apiMap}`,
        ],
        [
          'v1.compute.regionTargetHttpsProxies.insert',
          `projects/acme-edge/regions/${REGION}/targetHttpsProxies/${REGIONAL.httpsProxy}`,
        ],
        [
          'v1.compute.regionTargetHttpProxies.insert',
          `projects/acme-edge/regions/${REGION}/targetHttpProxies/${REGIONAL.httpProxy}`,
        ],
        [
          'v1.compute.forwardingRules.insert',
          `projects/acme-edge/regions/${REGION}/forwardingRules/${REGIONAL.httpsRule}`,
        ],
      ]),
    );
  });

  // Fingerprints are bytes: gcloud sends back URL-safe base64 what the API sent in standard base64, so a text
  // comparison failed whenever the fingerprint held a `/` or `+` (about one update in three). Three updates per kind,
  // nine kinds at once, would all but certainly hit one.
  it(
    'updates every kind back and forth, each change handled under its own family',
    async () => {
      const updates = { ...REGIONAL_UPDATES, ...GLOBAL_UPDATES };
      const failures: string[] = [];
      await Promise.all(
        Object.entries(updates).map(async ([family, command]) => {
          for (const to of ['a', 'b', 'a'] as const) {
            try {
              await gcloud(command(to));
            } catch (error) {
              failures.push(
                `${family} -> ${to}: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`,
              );
              return;
            }
          }
        }),
      );
      expect(failures).toEqual([]);

      const changed = new Map<string, number>();
      for (const entry of entries.filter((candidate) => candidate.operation.last)) {
        const method = String(entry.protoPayload.methodName);
        const family = method.split('.').slice(1, 3).join('.');
        changed.set(family, (changed.get(family) ?? 0) + 1);
        expect(matchHandledMethod(method), method).toBeDefined();
      }
      for (const family of Object.keys(updates))
        expect(changed.get(`compute.${family}`) ?? 0).toBeGreaterThanOrEqual(3);
    },
    10 * GCLOUD_TIMEOUT_MS,
  );

  it(
    'edits regional Cloud Armor rules (addRule, patchRule, removeRule)',
    async () => {
      const rules = ['compute', 'security-policies', 'rules'];
      const policy = [`--security-policy=${REGIONAL.armor}`, `--region=${REGION}`];
      await gcloud([
        ...rules,
        'create',
        '1000',
        ...policy,
        '--action=deny-403',
        '--src-ip-ranges=203.0.113.0/24',
      ]);
      await gcloud([...rules, 'update', '1000', ...policy, '--action=allow']);
      const path = `projects/acme-edge/regions/${REGION}/securityPolicies/${REGIONAL.armor}`;
      expect(simulator.store.get(path)?.rules).toEqual([
        expect.objectContaining({ priority: 1000, action: 'allow', match: expect.anything() }),
      ]);
      await gcloud([...rules, 'delete', '1000', ...policy]);
      expect(simulator.store.get(path)?.rules).toEqual([]);
      const methods = entries
        .filter((entry) => entry.operation.last)
        .map((entry) => entry.protoPayload.methodName);
      expect(methods.slice(-3)).toEqual([
        'v1.compute.regionSecurityPolicies.addRule',
        'v1.compute.regionSecurityPolicies.patchRule',
        'v1.compute.regionSecurityPolicies.removeRule',
      ]);
    },
    4 * GCLOUD_TIMEOUT_MS,
  );
});
