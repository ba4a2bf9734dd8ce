// The entry points through the real Functions Framework, with in-memory stores and an in-memory "live project".

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createHandlers, type FunctionDeps, type Handlers } from '../../functions/handlers.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryQuarantineStore } from '../../src/adapters/memory/quarantine-store.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { kindOfName } from '../../src/app/change-scope.js';
import type { AlertRecord } from '../../src/domain/alert.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { ResourceRef } from '../../src/domain/resource-name.js';
import type { Gateway } from '../../src/domain/resources.js';
import type { AlertSink } from '../../src/ports/alert-sink.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { isGovernedKind } from '../../src/rules/drift/governed-fields.js';
import { auditEntry, eventarcCloudEvent } from '../support/audit-entries.js';
import { postJson, pushBody, type ServedFunctions, serveHandlers } from './framework-server.js';

const ORDERS_NEG_USC1 =
  '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg-usc1';
const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
const GW_USC1 = 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1';
const GW_EUW2 = 'projects/acme-edge/locations/europe-west2/gateways/orders-gw-euw2';
const DELETE_GATEWAY = 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway';
const UPDATE_GATEWAY = 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway';
const TOPIC_PATH = '/projects/acme-sec/topics/gatewarden-audit';

const clock: Clock = { now: () => new Date('2026-05-11T15:00:00.000Z'), sleep: async () => {} };

/** A channel that records what it got, failing the first `failures` sends. */
class RecordingSink implements AlertSink {
  readonly batches: AlertRecord[][] = [];
  constructor(
    readonly name: string,
    public failures = 0,
  ) {}
  async send(alerts: readonly AlertRecord[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('503 from the channel');
    }
    this.batches.push([...alerts]);
  }
  alerts(): AlertRecord[] {
    return this.batches.flat();
  }
}

/** Lets a test make the "live project" fail like the Google API would. */
class ScriptedSource extends InventorySource {
  failNextReads: Error[] = [];
  override async readResource(ref: ResourceRef) {
    const failure = this.failNextReads.shift();
    if (failure) throw failure;
    return super.readResource(ref);
  }
}

function withGateway(
  inventory: Inventory,
  name: string,
  change: (gateway: Gateway) => Gateway | undefined,
): Inventory {
  return {
    ...inventory,
    gateway: inventory.gateway.flatMap((gateway) => {
      if (gateway.name !== name) return [gateway];
      const changed = change(gateway);
      return changed ? [changed] : [];
    }),
  };
}

let insertCounter = 0;
function entryFor(
  method: string,
  resourceName: string,
  extra: Partial<Parameters<typeof auditEntry>[0]> = {},
) {
  insertCounter += 1;
  return auditEntry({
    method,
    resourceName,
    insertId: `fn-entry-${insertCounter}`,
    principal: 'mallory@acme-edge.example',
    ...extra,
  });
}

describe('functions through the Functions Framework (injected dependencies)', () => {
  let source: ScriptedSource;
  let findings: MemoryStore;
  let snapshots: MemoryStore;
  let quarantine: MemoryQuarantineStore;
  let sink: RecordingSink;
  let log: MemoryLogger;
  let handlers: Handlers;
  let served: ServedFunctions;
  let deps: FunctionDeps;

  beforeEach(async () => {
    const original = (await loadEstate('examples/acme-edge')).inventory;
    const ordersV7 = original.apiConfig.find((config) => config.name?.endsWith('/configs/orders-v7'));
    const ordersV8 = { ...ordersV7, name: ordersV7?.name?.replace('orders-v7', 'orders-v8') };
    source = new ScriptedSource({ ...original, apiConfig: [...original.apiConfig, ordersV8] });
    findings = new MemoryStore();
    snapshots = findings;
    quarantine = new MemoryQuarantineStore();
    sink = new RecordingSink('recording');
    log = new MemoryLogger();
    deps = {
      source,
      snapshots,
      findings,
      judgements: findings,
      outbox: findings,
      quarantine,
      sinks: [sink],
      rules: ALL_RULES,
      policy: { rules: {}, exemptions: [] },
      clock,
      log,
      digestWindowMs: 0,
      maxEventAgeMs: 24 * 60 * 60 * 1000,
      sweepProjects: ['acme-edge'],
      instanceId: 'test-instance',
    };
    handlers = createHandlers(deps);
    served = await serveHandlers(handlers);
  });

  afterEach(async () => {
    await served.close();
  });

  const sweep = (body: unknown = { projects: ['acme-edge'] }) =>
    postJson(
      `${served.onSweep}/projects/acme-sec/topics/gatewarden-sweep`,
      pushBody(JSON.stringify(body), `sweep-${Date.now()}`),
    );
  const pushEntry = (entry: unknown, messageId = `msg-${insertCounter}`) =>
    postJson(`${served.onAuditLog}${TOPIC_PATH}`, pushBody(JSON.stringify(entry), messageId));
  const openOn = async (ruleId: string, resource: string) =>
    findings.query({ ruleId, resource, states: ['open'] });

  describe('poison is acknowledged, quarantined, and reads nothing', () => {
    const rawPush = (data: string) => ({
      message: { data, messageId: 'poison-1', publishTime: '2026-05-11T14:12:27.004Z' },
      subscription: 'projects/acme-sec/subscriptions/audit-push',
    });
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    test.each([
      ['data that is not base64', rawPush('%%% not base64 %%%'), 'not base64'],
      ['data that is not JSON', rawPush(b64('{"protoPayload": ')), 'not JSON'],
      [
        'a log entry without protoPayload',
        rawPush(
          b64(JSON.stringify({ logName: 'projects/acme-edge/logs/syslog', insertId: 'x', jsonPayload: {} })),
        ),
        'no protoPayload',
      ],
      [
        'a Cloud Asset feed welcome string',
        rawPush(
          b64(
            "You have successfully configured real time feed 'gatewarden' on parent 'projects/123456789012'",
          ),
        ),
        'welcome message',
      ],
      [
        'a Cloud Asset feed TemporalAsset',
        rawPush(b64(JSON.stringify({ asset: { name: ORDERS_BS }, priorAssetState: 'PRESENT' }))),
        'TemporalAsset',
      ],
      ['a JSON array', rawPush(b64('[1,2,3]')), 'not a JSON object'],
    ])('%s', async (_name, body, reason) => {
      const answer = await postJson(`${served.onAuditLog}${TOPIC_PATH}`, body);
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(300);
      expect(quarantine.records).toHaveLength(1);
      expect(quarantine.records[0]?.reason).toContain(reason);
      expect(quarantine.records[0]).toMatchObject({
        messageId: 'poison-1',
        eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
        payload: body.message.data,
        truncated: false,
      });
      expect(source.reads).toBe(0);
      expect(handlers.counters.quarantined).toBe(1);
    });

    test('a CloudEvent of another type (structured mode)', async () => {
      const answer = await postJson(
        served.onAuditLog,
        {
          specversion: '1.0',
          type: 'google.cloud.storage.object.v1.finalized',
          source: '//storage.googleapis.com/projects/_/buckets/b',
          id: 'ce-1',
          data: { name: 'x' },
        },
        { 'content-type': 'application/cloudevents+json' },
      );
      expect(answer.status).toBeLessThan(300);
      expect(quarantine.records[0]?.reason).toContain('neither');
      expect(source.reads).toBe(0);
    });

    test('a CloudEvent whose data nests too deep to serialise again (structured mode)', async () => {
      // JSON.parse reads any depth; JSON.stringify of the same data overflows the stack.
      const depth = 100_000;
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      for (const type of ['google.cloud.storage.object.v1.finalized', 'google.cloud.audit.log.v1.written']) {
        const answer = await postJson(
          served.onAuditLog,
          `{"specversion":"1.0","type":"${type}","source":"//x","id":"ce-deep","data":${deep}}`,
          { 'content-type': 'application/cloudevents+json' },
        );
        expect(answer.status).toBeLessThan(300);
      }
      expect(quarantine.records).toHaveLength(2);
      expect(quarantine.records[0]?.payload).toContain('not serialisable');
      expect(source.reads).toBe(0);
    });

    test('an oversized payload is kept cut to a bounded size', async () => {
      const huge = 'x'.repeat(800 * 1024);
      const answer = await postJson(`${served.onAuditLog}${TOPIC_PATH}`, rawPush(b64(huge)));
      expect(answer.status).toBeLessThan(300);
      expect(quarantine.records[0]).toMatchObject({ truncated: true });
      expect(quarantine.records[0]?.payload.length).toBe(16 * 1024);
      expect(source.reads).toBe(0);
    });
  });

  test("a Compute operation's first entry and an unwatched method are ignored with a logged reason, reading nothing", async () => {
    const patchFirst = entryFor(
      'v1.compute.backendServices.patch',
      'projects/acme-edge/global/backendServices/orders-bs',
      {
        phase: 'first',
      },
    );
    expect((await pushEntry(patchFirst)).status).toBeLessThan(300);
    expect(
      (
        await pushEntry(
          entryFor('v1.compute.instances.insert', 'projects/acme-edge/zones/us-central1-a/instances/vm-1'),
        )
      ).status,
    ).toBeLessThan(300);
    expect(handlers.counters.ignored).toBe(2);
    expect(quarantine.records).toHaveLength(0);
    expect(source.reads).toBe(0);
    expect(log.text()).toContain('first entry of a long-running Compute operation');
    expect(log.text()).toContain('not one Gatewarden watches');
  });

  test('an unchanged judgement does not read the outbox; a duplicate delivery does (it may follow a crash)', async () => {
    await sweep();
    let outboxReads = 0;
    const pendingAlerts = findings.pendingAlerts.bind(findings);
    findings.pendingAlerts = (limit) => {
      outboxReads += 1;
      return pendingAlerts(limit);
    };
    const entry = entryFor(
      'v1.compute.backendServices.patch',
      'projects/acme-edge/global/backendServices/orders-bs',
      {
        timestamp: '2026-05-11T14:00:00.000Z',
      },
    );
    expect((await pushEntry(entry, 'unchanged-1')).status).toBe(204);
    expect(outboxReads).toBe(0);
    expect((await pushEntry(entry, 'unchanged-2')).status).toBe(204);
    expect(outboxReads).toBe(1);
  });

  test('the Eventarc audit.log.v1.written envelope is handled like the Pub/Sub one', async () => {
    await sweep();
    source.inventory = withGateway(source.inventory, GW_USC1, () => undefined);
    const answer = await postJson(served.onAuditLog, eventarcCloudEvent(entryFor(DELETE_GATEWAY, GW_USC1)), {
      'content-type': 'application/cloudevents+json',
    });
    expect(answer.status).toBe(204);
    expect(await openOn('neg.gateway-exists', ORDERS_NEG_USC1)).toHaveLength(1);
  });

  test('a channel failing after the commit: 500, and the redelivery sends the alert exactly once', async () => {
    await sweep();
    sink.batches.length = 0;
    sink.failures = 1;
    source.inventory = withGateway(source.inventory, GW_USC1, () => undefined);
    const entry = entryFor(DELETE_GATEWAY, GW_USC1);
    expect((await pushEntry(entry, 'crash-1')).status).toBe(500);
    expect(sink.alerts()).toHaveLength(0);
    expect((await pushEntry(entry, 'crash-1')).status).toBe(204);
    expect(handlers.counters.duplicate).toBe(1);
    const alerts = sink.alerts().filter((alert) => alert.finding.ruleId === 'neg.gateway-exists');
    expect(alerts).toHaveLength(1);
    expect((await pushEntry(entry, 'crash-1')).status).toBe(204);
    expect(sink.alerts().filter((alert) => alert.finding.ruleId === 'neg.gateway-exists')).toHaveLength(1);
  });

  test.each([
    [
      'a gateway still UPDATING',
      500,
      () => {
        source.inventory = withGateway(source.inventory, GW_EUW2, (gateway) => ({
          ...gateway,
          state: 'UPDATING',
        }));
      },
    ],
    [
      'the API answering 503 after its retries',
      500,
      () => {
        source.failNextReads.push(
          // What the googleapis adapter's RetriesExhaustedError declares of itself.
          Object.assign(new Error('gave up'), { name: 'RetriesExhaustedError', retryable: true }),
        );
      },
    ],
    [
      'Firestore unavailable',
      500,
      () => {
        source.failNextReads.push(Object.assign(new Error('14 UNAVAILABLE: no connection'), { code: 14 }));
      },
    ],
    [
      'a missing IAM permission (a retry cannot help)',
      204,
      () => {
        source.failNextReads.push(
          Object.assign(new Error('permission denied'), {
            name: 'PermissionDeniedError',
            retryable: false,
            permissionDenied: true,
          }),
        );
      },
    ],
    [
      'a bug (a retry cannot help)',
      204,
      () => {
        source.failNextReads.push(new TypeError('cannot read properties of undefined'));
      },
    ],
  ])('%s -> %i', async (_name, status, arrange) => {
    arrange();
    expect((await pushEntry(entryFor(UPDATE_GATEWAY, GW_EUW2))).status).toBe(status);
    expect(log.entries.some((entry) => entry.severity !== 'INFO')).toBe(true);
  });

  test('an entry older than the maximum age is acknowledged and counted, not judged', async () => {
    const answer = await pushEntry(
      entryFor(UPDATE_GATEWAY, GW_EUW2, { timestamp: '2026-05-09T10:00:00.000Z' }),
    );
    expect(answer.status).toBe(204);
    expect(handlers.counters.stale).toBe(1);
    expect(source.reads).toBe(0);
    expect(log.text()).toContain('stale event');
  });

  describe('onSweep', () => {
    test('the projects named in the message are swept and the summary logged', async () => {
      expect((await sweep({ projects: ['acme-edge'] })).status).toBe(204);
      expect((await findings.query({ project: 'acme-edge', states: ['open'] })).length).toBeGreaterThan(0);
      const summary = log.entries.find((entry) => entry.message === 'sweep finished');
      expect(summary?.fields).toMatchObject({ projects: 1, failedProjects: [] });
      expect(Number(summary?.fields.resources)).toBeGreaterThan(10);
    });

    test.each([
      ['an empty scheduler tick', ''],
      ['a body that is not JSON', 'tick'],
      ['JSON without projects', '{"reason":"nightly"}'],
    ])('%s falls back to the configured projects', async (_name, text) => {
      const answer = await postJson(`${served.onSweep}/projects/acme-sec/topics/gatewarden-sweep`, {
        message: { data: Buffer.from(text || ' ').toString('base64'), messageId: 'tick-1' },
        subscription: 'projects/acme-sec/subscriptions/sweep',
      });
      expect(answer.status).toBe(204);
      expect((await findings.query({ project: 'acme-edge', states: ['open'] })).length).toBeGreaterThan(0);
    });

    test("a sweep reads the project's snapshots once and asks once for the approvals of the governed resources it read", async () => {
      expect((await sweep()).status).toBe(204);
      const known = (await snapshots.namesOfProject('acme-edge')).sort();
      // Nothing was deleted since: what the sweep reads is what is stored. Only governed kinds can have an approval.
      const governed = known.filter((name) => isGovernedKind(kindOfName(name) ?? ''));
      const projectReads = vi.spyOn(snapshots, 'namesOfProject');
      const asked: string[][] = [];
      const withBaseline = await serveHandlers(
        createHandlers({
          ...deps,
          loadBaseline: async (resources) => {
            asked.push([...resources].sort());
            return undefined;
          },
        }),
      );
      try {
        const answer = await postJson(
          `${withBaseline.onSweep}/projects/acme-sec/topics/gatewarden-sweep`,
          pushBody(JSON.stringify({ projects: ['acme-edge'] }), 'sweep-with-baseline'),
        );
        expect(answer.status).toBe(204);
      } finally {
        await withBaseline.close();
      }
      expect(projectReads).toHaveBeenCalledTimes(1);
      expect(governed.length).toBeGreaterThan(10);
      expect(governed.length).toBeLessThan(known.length);
      expect(asked).toEqual([governed]);
    });

    test('a message naming bad projects is refused (acknowledged, nothing read)', async () => {
      expect((await sweep({ projects: ['Not A Project'] })).status).toBe(204);
      expect(source.reads).toBe(0);
      expect(log.text()).toContain('sweep message refused');
    });
  });

  describe('report', () => {
    beforeEach(async () => {
      await sweep();
    });

    const get = async (query: string) => {
      const response = await fetch(`${served.report}/${query}`);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: (await response.json()) as Record<string, unknown>,
      };
    };

    test('GET / returns the open findings as JSON, most severe first', async () => {
      const answer = await get('');
      expect(answer.status).toBe(200);
      expect(answer.type).toContain('application/json');
      const listed = answer.body.findings as { severity: string; state: string }[];
      expect(listed.length).toBe((await findings.query({ states: ['open'] })).length);
      expect(listed.every((finding) => finding.state === 'open')).toBe(true);
      expect(listed[0]?.severity).toBe('CRITICAL');
      expect(answer.body.summary).toMatchObject({ total: listed.length, truncated: false });
    });

    test.each([
      [
        'severity',
        '?format=json&severity=high',
        (f: Record<string, unknown>) => ['HIGH', 'CRITICAL'].includes(String(f.severity)),
      ],
      [
        'rule',
        '?rule=backend.cloud-armor-attached',
        (f: Record<string, unknown>) => f.ruleId === 'backend.cloud-armor-attached',
      ],
      ['project', '?project=acme-edge', (f: Record<string, unknown>) => f.project === 'acme-edge'],
    ])('filters by %s', async (_name, query, keep) => {
      const answer = await get(query);
      const listed = answer.body.findings as Record<string, unknown>[];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.every(keep)).toBe(true);
    });

    test('another project has no findings; resolved ones appear only when asked for', async () => {
      expect((await get('?project=acme-other')).body.findings).toEqual([]);
      expect((await get('?state=resolved')).body.findings).toEqual([]);
    });

    test.each([
      ['a bad severity', '?severity=urgent', 400, 'severity must be'],
      ['a bad state', '?state=closed', 400, 'state must be'],
      ['a bad project', '?project=../../etc', 400, 'not a project ID'],
      ['a bad limit', '?limit=0', 400, 'limit must be'],
      ['an unknown format', '?format=xml', 400, 'format must be json'],
    ])('%s -> %s', async (_name, query, status, message) => {
      const answer = await get(query);
      expect(answer.status).toBe(status);
      expect(String(answer.body.error)).toContain(message);
    });

    test('POST is refused with 405', async () => {
      const response = await fetch(served.report, { method: 'POST', body: '{}' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    });
  });
});
