import { describe, expect, test } from 'vitest';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { AlertDeliveryError, deliverAlerts } from '../../src/app/deliver-alerts.js';
import type { AlertRecord } from '../../src/domain/alert.js';
import type { RuleResult } from '../../src/engine/evaluate.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { AlertSink } from '../../src/ports/alert-sink.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';

/** A channel that records what it was given, failing the first `failures` sends. */
class RecordingSink implements AlertSink {
  readonly batches: AlertRecord[][] = [];
  constructor(
    readonly name: string,
    private failures = 0,
  ) {}
  async send(alerts: readonly AlertRecord[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('503 from the channel');
    }
    this.batches.push([...alerts]);
  }
}

function manualClock(start: string): Clock & { advance(ms: number): void } {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
    advance(ms) {
      now += ms;
    },
  };
}

function failing(resource: string): RuleResult {
  return {
    ruleId: 'backend.no-health-checks',
    status: 'fail',
    severity: 'MEDIUM',
    resource,
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: null,
    message: `${resource} has health checks.`,
    evidence: {},
  };
}

async function storeWithAlerts(count: number, clock: Clock): Promise<MemoryStore> {
  const store = new MemoryStore();
  const results = Array.from({ length: count }, (_, index) =>
    failing(`//compute.googleapis.com/projects/acme-edge/global/backendServices/bs-${index}`),
  );
  await store.commit({
    resources: results.map((r) => r.resource),
    eventId: 'e1',
    decide: (previous) => reconcile({ previous, results, change: null, now: clock.now().toISOString() }),
  });
  return store;
}

/** A mirror (SCC): takes the quiet records channels skip. */
class RecordingMirror extends RecordingSink {
  readonly takesQuiet = true;
}

describe('deliverAlerts', () => {
  test('quiet records (below the alert severity, kept for a mirror) reach the mirror only', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const store = new MemoryStore();
    const results = [
      failing('//compute.googleapis.com/projects/acme-edge/global/backendServices/quiet-bs'),
      {
        ...failing('//compute.googleapis.com/projects/acme-edge/global/backendServices/loud-bs'),
        severity: 'HIGH' as const,
      },
    ];
    await store.commit({
      resources: results.map((r) => r.resource),
      eventId: 'e1',
      decide: (previous) =>
        reconcile({
          previous,
          results,
          change: null,
          now: clock.now().toISOString(),
          minimumAlertSeverity: 'HIGH',
          recordQuietTransitions: true,
        }),
    });
    const slack = new RecordingSink('slack');
    const scc = new RecordingMirror('scc');
    const outcome = await deliverAlerts({
      outbox: store,
      sinks: [slack, scc],
      clock,
      log: new MemoryLogger(),
      claimant: 'a',
    });
    expect(outcome.sent).toBe(2);
    expect(slack.batches.flat().map((alert) => alert.finding.resource.split('/').pop())).toEqual(['loud-bs']);
    expect(
      scc.batches
        .flat()
        .map((alert) => [alert.finding.resource.split('/').pop(), alert.quiet ?? false])
        .sort(),
    ).toEqual([
      ['loud-bs', false],
      ['quiet-bs', true],
    ]);
    expect(await store.pendingAlerts(10)).toEqual([]);
  });

  test('without a mirror, reconcile writes no quiet records', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const output = reconcile({
      previous: [],
      results: [failing('//compute.googleapis.com/projects/acme-edge/global/backendServices/quiet-bs')],
      change: null,
      now: clock.now().toISOString(),
      minimumAlertSeverity: 'HIGH',
    });
    expect(output.writes.map((write) => write.alert)).toEqual([null]);
  });

  test('twenty transitions from one apply leave as one digest per channel', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const findings = await storeWithAlerts(20, clock);
    const slack = new RecordingSink('slack');
    const chat = new RecordingSink('chat');
    const outcome = await deliverAlerts({
      outbox: findings,
      sinks: [slack, chat],
      clock,
      log: new MemoryLogger(),
      claimant: 'a',
      digestWindowMs: 5000,
    });
    expect(outcome.sent).toBe(20);
    expect(slack.batches.map((batch) => batch.length)).toEqual([20]);
    expect(chat.batches.map((batch) => batch.length)).toEqual([20]);
  });

  test('a backlog larger than one batch (a first sweep) is drained by one delivery, batch after batch', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const findings = await storeWithAlerts(5, clock);
    const pubsub = new RecordingSink('pubsub');
    const outcome = await deliverAlerts({
      outbox: findings,
      sinks: [pubsub],
      clock,
      log: new MemoryLogger(),
      claimant: 'sweep',
      batchSize: 2,
    });
    expect(outcome.sent).toBe(5);
    expect(pubsub.batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(await findings.pendingAlerts(10)).toEqual([]);
  });

  test('a crash before sending loses nothing, and the retry sends each alert exactly once', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const findings = await storeWithAlerts(1, clock);
    const pubsub = new RecordingSink('pubsub', 1);
    const deps = { outbox: findings, sinks: [pubsub], clock, log: new MemoryLogger(), leaseMs: 60_000 };
    await expect(deliverAlerts({ ...deps, claimant: 'first' })).rejects.toBeInstanceOf(AlertDeliveryError);
    clock.advance(61_000);
    await deliverAlerts({ ...deps, claimant: 'redelivery' });
    await deliverAlerts({ ...deps, claimant: 'another' });
    expect(pubsub.batches.flat().length).toBe(1);
  });

  test('a batch a slow channel takes two minutes to send is not claimed and sent again meanwhile', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const findings = await storeWithAlerts(2, clock);
    let release = (): void => {};
    let sending = (): void => {};
    const started = new Promise<void>((resolve) => {
      sending = resolve;
    });
    const sends: number[] = [];
    // Slow as a webhook retrying: the clock moves on two minutes while the send is still under way.
    const slow: AlertSink = {
      name: 'slack',
      send: async (alerts) => {
        sends.push(alerts.length);
        // Only the first send is slow: a second one (the duplicate this guards against) returns at once.
        if (sends.length > 1) return;
        clock.advance(120_000);
        sending();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    };
    const deps = { outbox: findings, sinks: [slow], clock, log: new MemoryLogger() };
    const first = deliverAlerts({ ...deps, claimant: 'first' });
    await started;
    const second = await deliverAlerts({ ...deps, claimant: 'second' });
    release();
    expect((await first).sent).toBe(2);
    expect(second.sent).toBe(0);
    expect(sends).toEqual([2]);
  });

  test('two invocations racing: only one holds the claim and sends', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const findings = await storeWithAlerts(3, clock);
    const sink = new RecordingSink('pubsub');
    const deps = { outbox: findings, sinks: [sink], clock, log: new MemoryLogger() };
    const outcomes = await Promise.all([
      deliverAlerts({ ...deps, claimant: 'a' }),
      deliverAlerts({ ...deps, claimant: 'b' }),
    ]);
    expect(outcomes.map((outcome) => outcome.sent).sort()).toEqual([0, 3]);
    expect(sink.batches.map((batch) => batch.length)).toEqual([3]);
  });

  test('nothing pending: no channel is called', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const sink = new RecordingSink('slack');
    const outcome = await deliverAlerts({
      outbox: new MemoryStore(),
      sinks: [sink],
      clock,
      log: new MemoryLogger(),
      claimant: 'a',
    });
    expect(outcome.sent).toBe(0);
    expect(sink.batches).toEqual([]);
  });
});

describe('a channel that refuses the message for good', () => {
  test('is logged and given up on; the other channels still get the alerts, and nothing is retried forever', async () => {
    const clock = manualClock('2026-11-26T10:00:00Z');
    const findings = await storeWithAlerts(2, clock);
    const refusing: AlertSink = {
      name: 'slack',
      send: async () => {
        throw Object.assign(new Error('slack webhook refused the message: 400 invalid_blocks'), {
          permanent: true,
        });
      },
    };
    const chat = new RecordingSink('chat');
    const log = new MemoryLogger();
    const outcome = await deliverAlerts({
      outbox: findings,
      sinks: [refusing, chat],
      clock,
      log,
      claimant: 'a',
    });
    expect(outcome).toMatchObject({ sent: 2, failedSinks: [], refusedBy: ['slack'] });
    expect(chat.batches.flat().length).toBe(2);
    expect(await findings.pendingAlerts(10)).toEqual([]);
    expect(log.text()).toMatch(/refused the alerts; not sending them to it again/);
  });
});

/** A sink that records each send with the route it was sent for. */
class RouteRecordingSink implements AlertSink {
  readonly sends: { route: string | null; resources: string[] }[] = [];
  constructor(readonly name: string) {}
  async send(alerts: readonly AlertRecord[], batch?: { route?: string }): Promise<void> {
    this.sends.push({
      route: batch?.route ?? null,
      resources: alerts.map((alert) => alert.finding.resource.split('/').pop() ?? ''),
    });
  }
}

describe('deliverAlerts with alert routes', () => {
  async function routedStore(clock: Clock): Promise<MemoryStore> {
    const store = new MemoryStore();
    const bs = (project: string, name: string) =>
      `//compute.googleapis.com/projects/${project}/global/backendServices/${name}`;
    const results: RuleResult[] = [
      { ...failing(bs('acme-edge', 'payments-bs')), labels: { team: 'payments' } },
      { ...failing(bs('acme-shop', 'shop-bs')), project: 'acme-shop' },
      { ...failing(bs('acme-shop', 'shop-payments-bs')), project: 'acme-shop', labels: { team: 'payments' } },
      failing(bs('acme-edge', 'orders-bs')),
      { ...failing(bs('acme-edge', 'quiet-bs')), severity: 'LOW' },
    ];
    await store.commit({
      resources: results.map((r) => r.resource),
      eventId: 'e1',
      decide: (previous) =>
        reconcile({
          previous,
          results,
          change: null,
          now: clock.now().toISOString(),
          minimumAlertSeverity: 'MEDIUM',
          recordQuietTransitions: true,
        }),
    });
    return store;
  }

  test('each alert reaches the channels of the routes it matches, once each; the rest the defaults; mirrors all', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    const store = await routedStore(clock);
    const payments = new RouteRecordingSink('slack:payments-slack');
    const shop = new RouteRecordingSink('chat:shop-chat');
    const soc = new RouteRecordingSink('pubsub:soc-feed');
    const security = new RouteRecordingSink('slack');
    const scc = new RecordingMirror('scc');
    const log = new MemoryLogger();
    const outcome = await deliverAlerts({
      outbox: store,
      sinks: [security, scc],
      routes: [
        {
          route: { name: 'payments', labels: { team: 'payments' }, channels: ['payments-slack', 'soc-feed'] },
          channels: [payments, soc],
        },
        {
          route: { name: 'shop', projects: ['acme-shop'], channels: ['shop-chat', 'soc-feed'] },
          channels: [shop, soc],
        },
      ],
      clock,
      log,
      claimant: 'a',
    });
    expect(outcome).toEqual({ sent: 5, failedSinks: [], refusedBy: [] });
    const sorted = (sink: RouteRecordingSink) =>
      sink.sends.map((send) => ({ ...send, resources: [...send.resources].sort() }));
    expect(sorted(payments)).toEqual([{ route: 'payments', resources: ['payments-bs', 'shop-payments-bs'] }]);
    expect(sorted(shop)).toEqual([{ route: 'shop', resources: ['shop-bs', 'shop-payments-bs'] }]);
    // In both routes: once per alert, grouped under the first route naming it.
    expect(sorted(soc).sort((a, b) => String(a.route).localeCompare(String(b.route)))).toEqual([
      { route: 'payments', resources: ['payments-bs', 'shop-payments-bs'] },
      { route: 'shop', resources: ['shop-bs'] },
    ]);
    // The quiet record (below MEDIUM) reaches no channel, routed or default.
    expect(sorted(security)).toEqual([{ route: null, resources: ['orders-bs'] }]);
    expect(scc.batches.flat()).toHaveLength(5);
    expect(await store.pendingAlerts(10)).toEqual([]);
    const sent = log.entries.find((entry) => entry.message === 'alerts sent');
    expect(sent?.fields).toMatchObject({ routes: ['payments', 'shop'] });
  });

  test('a routed channel that fails keeps the batch in the outbox; one that refuses is given up on alone', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    const store = await routedStore(clock);
    const refusing: AlertSink = {
      name: 'slack:payments-slack',
      send: async () => {
        throw Object.assign(new Error('400 invalid_blocks'), { permanent: true });
      },
    };
    const flaky = new RecordingSink('chat:shop-chat', 1);
    const security = new RouteRecordingSink('slack');
    const deps = {
      outbox: store,
      sinks: [security],
      routes: [
        { route: { name: 'payments', labels: { team: 'payments' }, channels: ['p'] }, channels: [refusing] },
        { route: { name: 'shop', projects: ['acme-shop'], channels: ['s'] }, channels: [flaky] },
      ],
      clock,
      log: new MemoryLogger(),
      claimant: 'a',
      leaseMs: 0,
    };
    await expect(deliverAlerts(deps)).rejects.toThrow(AlertDeliveryError);
    expect(await store.pendingAlerts(10)).toHaveLength(5);
    const second = await deliverAlerts(deps);
    expect(second.refusedBy).toEqual(['slack:payments-slack']);
    expect(flaky.batches.flat()).toHaveLength(2);
    expect(await store.pendingAlerts(10)).toEqual([]);
  });

  test("a channel refusing one route's digest still gets the next route's before the batch is marked sent", async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    const store = await routedStore(clock);
    const soc = new RouteRecordingSink('slack:soc');
    const refusingPayments: AlertSink = {
      name: soc.name,
      send: async (alerts, batch) => {
        if (batch?.route === 'payments') {
          throw Object.assign(new Error('400 invalid_blocks'), { permanent: true });
        }
        await soc.send(alerts, batch);
      },
    };
    const outcome = await deliverAlerts({
      outbox: store,
      sinks: [],
      routes: [
        {
          route: { name: 'payments', labels: { team: 'payments' }, channels: ['soc'] },
          channels: [refusingPayments],
        },
        { route: { name: 'shop', projects: ['acme-shop'], channels: ['soc'] }, channels: [refusingPayments] },
      ],
      clock,
      log: new MemoryLogger(),
      claimant: 'a',
    });
    expect(outcome.refusedBy).toEqual(['slack:soc']);
    expect(soc.sends).toEqual([{ route: 'shop', resources: ['shop-bs'] }]);
    expect(await store.pendingAlerts(10)).toEqual([]);
  });
});

describe('deliverAlerts: a route asking for alerts below the floor', () => {
  test('the route gets its MEDIUM; the default channels, at the HIGH floor, do not', async () => {
    const clock = manualClock('2026-12-04T10:00:00Z');
    const store = new MemoryStore();
    const bs = (name: string) => `//compute.googleapis.com/projects/acme-edge/global/backendServices/${name}`;
    const results: RuleResult[] = [
      { ...failing(bs('payments-bs')), labels: { team: 'payments' } },
      failing(bs('orders-bs')),
      { ...failing(bs('edge-bs')), severity: 'HIGH' },
    ];
    await store.commit({
      resources: results.map((r) => r.resource),
      eventId: 'e1',
      // The outbox minimum compose derives: the payments route's MEDIUM, below the HIGH floor.
      decide: (previous) =>
        reconcile({
          previous,
          results,
          change: null,
          now: clock.now().toISOString(),
          minimumAlertSeverity: 'MEDIUM',
        }),
    });
    const payments = new RouteRecordingSink('slack:payments-slack');
    const security = new RouteRecordingSink('slack');
    const outcome = await deliverAlerts({
      outbox: store,
      sinks: [security],
      routes: [
        {
          route: {
            name: 'payments',
            labels: { team: 'payments' },
            minimumSeverity: 'MEDIUM',
            channels: ['p'],
          },
          channels: [payments],
        },
      ],
      routingFloor: 'HIGH',
      clock,
      log: new MemoryLogger(),
      claimant: 'a',
    });
    expect(outcome.sent).toBe(3);
    expect(payments.sends).toEqual([{ route: 'payments', resources: ['payments-bs'] }]);
    // orders-bs (MEDIUM, no route) is below the floor: marked sent, posted nowhere.
    expect(security.sends).toEqual([{ route: null, resources: ['edge-bs'] }]);
    expect(await store.pendingAlerts(10)).toEqual([]);
  });
});
