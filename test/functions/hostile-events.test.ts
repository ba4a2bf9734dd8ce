// Events that cannot succeed on retry are quarantined on their first delivery, and no logged field grows past a
// bound, whatever an audit entry carries (issue 17, event path).

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createHandlers, type FunctionDeps } from '../../functions/handlers.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { GoogleApiError, UnreadableNameError } from '../../src/adapters/googleapis/errors.js';
import { createGoogleApisSource } from '../../src/adapters/googleapis/googleapis-source.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryQuarantineStore } from '../../src/adapters/memory/quarantine-store.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import type { AlertRecord } from '../../src/domain/alert.js';
import { isBadInput, isRetryable } from '../../src/domain/failure.js';
import type { ResourceRef } from '../../src/domain/resource-name.js';
import type { Clock } from '../../src/ports/clock.js';
import { jsonLogger, MAX_LOG_FIELD_CHARS } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { auditEntry } from '../support/audit-entries.js';
import { postJson, pushBody, type ServedFunctions, serveHandlers } from './framework-server.js';

const TOPIC_PATH = '/projects/acme-sec/topics/gatewarden-audit';
const clock: Clock = { now: () => new Date('2026-05-11T15:00:00.000Z'), sleep: async () => {} };

/** The "live project" (it counts its reads), failing its next reads as told. */
class ScriptedSource extends InventorySource {
  failNextReads: Error[] = [];
  override async readResource(ref: ResourceRef) {
    const failure = this.failNextReads.shift();
    if (failure) throw failure;
    return super.readResource(ref);
  }
}

describe('the event path on entries that cannot succeed', () => {
  let source: ScriptedSource;
  let quarantine: MemoryQuarantineStore;
  let lines: string[];
  let served: ServedFunctions;
  let store: MemoryStore;
  let alerts: AlertRecord[];
  let insert = 0;

  beforeEach(async () => {
    source = new ScriptedSource((await loadEstate('examples/acme-edge')).inventory);
    quarantine = new MemoryQuarantineStore();
    lines = [];
    store = new MemoryStore();
    alerts = [];
    const deps: FunctionDeps = {
      source,
      snapshots: store,
      findings: store,
      judgements: store,
      outbox: store,
      quarantine,
      sinks: [
        { name: 'recording', send: async (batch: readonly AlertRecord[]) => void alerts.push(...batch) },
      ],
      rules: ALL_RULES,
      policy: { rules: {}, exemptions: [] },
      clock,
      log: jsonLogger((line) => lines.push(line)),
      digestWindowMs: 0,
      maxEventAgeMs: 24 * 60 * 60 * 1000,
      sweepProjects: ['acme-edge'],
      instanceId: 'test-instance',
    };
    served = await serveHandlers(createHandlers(deps));
  });

  afterEach(async () => {
    await served.close();
  });

  const push = (method: string, resourceName: string, phase?: 'none') => {
    insert += 1;
    const entry = auditEntry({
      method,
      resourceName,
      insertId: `hostile-${insert}`,
      principal: 'mallory@example.com',
      ...(phase ? { phase } : {}),
    });
    return postJson(`${served.onAuditLog}${TOPIC_PATH}`, pushBody(JSON.stringify(entry), `msg-${insert}`));
  };

  test('projects/../global/backendServices/x is quarantined on first delivery, without an API call', async () => {
    const response = await push('v1.compute.backendServices.patch', 'projects/../global/backendServices/x');
    expect(response.status).toBeLessThan(300);
    expect(quarantine.records).toHaveLength(1);
    expect(quarantine.records[0]?.reason).toContain('names no resource');
    expect(source.reads).toBe(0);
  });

  test.each([
    ['a 400 from the API', { status: 400, code: undefined }],
    [
      'a request the client refused itself (no status, no socket code)',
      { status: undefined, code: undefined },
    ],
  ])('%s is quarantined on first delivery, not retried', async (_name, failure) => {
    source.failNextReads.push(
      new GoogleApiError(
        {
          project: 'acme-edge',
          resource: 'projects/acme-edge/global/backendServices/orders-bs',
          fetcher: {
            reads: 'backend services',
            method: 'get',
            permissions: ['compute.backendServices.get'],
          } as never,
        },
        {
          ...failure,
          reason: undefined,
          message: 'Invalid value',
          retryAfter: undefined,
          permission: undefined,
        },
      ),
    );
    const response = await push(
      'v1.compute.backendServices.patch',
      'projects/acme-edge/global/backendServices/orders-bs',
    );
    expect(response.status).toBeLessThan(300);
    expect(quarantine.records).toHaveLength(1);
    expect(quarantine.records[0]?.reason).toContain('cannot be judged');
  });

  test('a 250 KB methodName is logged in bounded lines (Cloud Logging keeps entries under 256 KB)', async () => {
    // 250 KB (twice that in one line before: over Cloud Logging's limit): base64 in a Pub/Sub push stays under
    // the 512 KiB entry bound, so the entry is parsed and logged.
    const method = `v1.compute.${'x'.repeat(250 * 1024)}`;
    const response = await push(method, 'projects/acme-edge/global/backendServices/orders-bs');
    expect(response.status).toBeLessThan(300);
    expect(lines.length).toBeGreaterThan(0);
    const longest = Math.max(...lines.map((line) => line.length));
    expect(longest).toBeLessThan(4 * MAX_LOG_FIELD_CHARS + 4096);
    expect(lines.some((line) => line.includes('more characters]'))).toBe(true);
  });

  describe('undetermined', () => {
    test('a gateway whose API config cannot be read is stored undetermined and alerted once', async () => {
      // Both configs unreadable: whichever the gateway serves, the auth rule cannot decide it.
      source.inventory = {
        ...source.inventory,
        apiConfig: source.inventory.apiConfig.map((config) => ({
          ...config,
          openapiDocuments: [{ document: { path: 'openapi.yaml', contents: '!!not base64!!' } }],
        })),
      };
      const gateway = 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1';
      const update = 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway';
      const sweep = await postJson(
        `${served.onSweep}/projects/acme-sec/topics/gatewarden-sweep`,
        pushBody(JSON.stringify({ projects: ['acme-edge'] }), 'sweep-1'),
      );
      expect(sweep.status).toBeLessThan(300);
      const undetermined = await store.query({ states: ['undetermined'] });
      const auth = undetermined.filter((finding) => finding.ruleId === 'gateway.api-config-authenticated');
      expect(auth.length).toBeGreaterThan(0);
      expect(auth[0]?.evidence.reason).toContain('cannot be read');
      const alerted = alerts.filter((alert) => alert.transition === 'undetermined').length;
      expect(alerted).toBe(undetermined.length);
      // The same undecided state seen again by an event: stored already, alerted already.
      expect((await push(update, gateway, 'none')).status).toBeLessThan(300);
      expect(alerts.filter((alert) => alert.transition === 'undetermined')).toHaveLength(alerted);
    });
  });
});

describe('googleapis refusing a name client-side', () => {
  test('is not retryable and is bad input (the same call fails the same way)', async () => {
    const source = await createGoogleApisSource({
      endpoint: 'http://127.0.0.1:9',
      retry: { maxAttempts: 1 },
    });
    const ref: ResourceRef = {
      service: 'compute',
      project: '..',
      scope: 'global',
      location: 'global',
      collection: 'backendServices',
      name: 'x',
      path: 'global/backendServices/x',
    };
    const error = await source.readResource(ref).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(isRetryable(error)).toBe(false);
    expect(isBadInput(error)).toBe(true);
  });

  // It was acknowledged as a failure of the service, logged as an error, instead of kept as poison (a review's find).
  test('a collection in a scope Gatewarden does not read (zones/z/backendServices) is bad input, with no call', async () => {
    const source = await createGoogleApisSource({
      endpoint: 'http://127.0.0.1:9',
      retry: { maxAttempts: 1 },
    });
    const ref: ResourceRef = {
      service: 'compute',
      project: 'acme-edge',
      scope: 'zones',
      location: 'us-central1-a',
      collection: 'backendServices',
      name: 'x',
      path: 'zones/us-central1-a/backendServices/x',
    };
    const error = await source.readResource(ref).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnreadableNameError);
    expect(isRetryable(error)).toBe(false);
    expect(isBadInput(error)).toBe(true);
  });
});
