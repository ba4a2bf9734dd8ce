// The SCC sink against the simulator's SCC v2 source, with the mirror ledger: each transition is one logical write
// (create, or update then setState / setMute), a batch sent again (because another channel failed) writes each record
// once, a refused record is never sent again, and SCC busy keeps the batch.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSccClient } from '../../../src/adapters/scc/scc-client.js';
import { SccSink, SccUnavailableError } from '../../../src/adapters/scc/scc-sink.js';
import type { SccFindingView } from '../../../src/alerts/scc-finding.js';
import type { AlertRecord } from '../../../src/domain/alert.js';
import { emptyInventory } from '../../../src/domain/inventory.js';
import { systemClock } from '../../../src/ports/clock.js';
import { MemoryLogger } from '../../../src/ports/logger.js';
import { MemoryMirrorLedger } from '../../../src/ports/mirror-ledger.js';
import { type Simulator, startSimulator } from '../../../src/simulator/index.js';
import { alertOf } from '../../alerts/sample-alerts.js';
import { sccWritesTo } from '../../support/scc-requests.js';

const SOURCE = 'organizations/123456789012/sources/99';
const FAST = { baseDelayMs: 1, maxDelayMs: 5, budgetMs: 2_000, maxAttempts: 3 };
const alerts = ['orders-bs', 'payments-bs'].map((name) =>
  alertOf({
    ruleId: 'backend.logging-enabled',
    resource: `//compute.googleapis.com/projects/acme-edge/global/backendServices/${name}`,
    resourceType: 'compute.googleapis.com/BackendService',
    location: 'global',
    severity: 'MEDIUM',
    transition: 'opened',
    message: 'request logging is off',
  }),
);

let simulator: Simulator;
beforeEach(async () => {
  simulator = await startSimulator({ inventory: emptyInventory(), sccSources: [SOURCE] });
});
afterEach(async () => simulator?.close());

function sinkWith(ledger: MemoryMirrorLedger, log = new MemoryLogger()) {
  return new SccSink({
    client: createSccClient({ endpoint: simulator.url }),
    source: SOURCE,
    clock: systemClock,
    retryPolicy: FAST,
    ledger,
    log,
  });
}

const sccId = (index: number) => alertAt(index).finding.id.slice(0, 32);
const writesTo = (index: number) => sccWritesTo(simulator.requests(), sccId(index));

function alertAt(index: number): AlertRecord {
  const alert = alerts[index];
  if (!alert) throw new Error(`no sample alert ${index}`);
  return alert;
}

async function mirrored(index: number): Promise<SccFindingView | undefined> {
  const all = await createSccClient({ endpoint: simulator.url }).listFindings(SOURCE);
  return all.find((finding) => finding.name.endsWith(`/${sccId(index)}`));
}

function resolvedOf(index: number, at: string): AlertRecord {
  const alert = alertAt(index);
  return {
    ...alert,
    id: `${alert.id}-resolved-${at}`,
    transition: 'resolved',
    createdAt: at,
    finding: { ...alert.finding, state: 'resolved', resolvedAt: at },
  };
}

function reopenedOf(index: number, at: string): AlertRecord {
  const alert = alertAt(index);
  return {
    ...alert,
    id: `${alert.id}-reopened-${at}`,
    transition: 'reopened',
    createdAt: at,
    finding: { ...alert.finding, state: 'open', reopenCount: 1 },
  };
}

function mutedOf(index: number, at: string): AlertRecord {
  const alert = alertAt(index);
  return {
    ...alert,
    id: `${alert.id}-muted-${at}`,
    transition: 'muted',
    createdAt: at,
    quiet: true,
    finding: {
      ...alert.finding,
      state: 'muted',
      exemption: { reason: 'payments logs through the gateway (SEC-12)', expires: '2027-06-30' },
    },
  };
}

describe('SccSink', () => {
  it('a batch sent three times writes each record once', async () => {
    simulator.clearRequests();
    const ledger = new MemoryMirrorLedger();
    const sink = sinkWith(ledger);
    for (let round = 0; round < 3; round += 1) await sink.send(alerts);
    expect([writesTo(0), writesTo(1)]).toEqual([['create 200'], ['create 200']]);
    expect([...ledger.outcomes.values()]).toEqual(['written', 'written']);
  });

  it('a refused record is recorded and never sent again; the others still go', async () => {
    simulator.clearRequests();
    const ledger = new MemoryMirrorLedger();
    const log = new MemoryLogger();
    simulator.setFaults([
      { path: `/v2/${SOURCE}/locations/global/findings`, method: 'POST', status: 400, times: 1 },
    ]);
    const sink = sinkWith(ledger, log);
    await sink.send(alerts);
    await sink.send(alerts);
    expect([writesTo(0), writesTo(1)]).toEqual([['create 400'], ['create 200']]);
    expect(ledger.outcomes.get(alertAt(0).id)).toBe('refused');
    expect(log.text()).toContain('SCC refused the finding; not sending it again');
    simulator.setFaults([]);
  });

  it('SCC busy beyond the retry budget: the batch fails (stays in the outbox) and converges on the next send', async () => {
    simulator.clearRequests();
    simulator.setFaults([{ pathRegex: ':setState$', method: 'POST', status: 503, times: 3 }]);
    const ledger = new MemoryMirrorLedger();
    const sink = sinkWith(ledger);
    const resolved = resolvedOf(0, '2026-11-26T11:00:00.000Z');
    await sink.send(alerts.slice(0, 1));
    simulator.clearRequests();
    await expect(sink.send([resolved])).rejects.toBeInstanceOf(SccUnavailableError);
    await sink.send([resolved]);
    expect(writesTo(0)).toEqual([
      'create 409',
      'update 200',
      'setState 503',
      'setState 503',
      'setState 503',
      'create 409',
      'update 200',
      'setState 200',
    ]);
    expect((await mirrored(0))?.state).toBe('INACTIVE');
    simulator.setFaults([]);
  });

  it('each transition reaches SCC through the method Google takes for it, and an analyst mute survives updates', async () => {
    const sink = sinkWith(new MemoryMirrorLedger());
    await sink.send(alerts);
    const steps: [string, AlertRecord, string[], Partial<SccFindingView>][] = [
      [
        'resolved',
        resolvedOf(1, '2026-11-26T11:00:00.000Z'),
        ['create 409', 'update 200', 'setState 200'],
        { state: 'INACTIVE' },
      ],
      [
        'reopened',
        reopenedOf(1, '2026-11-26T12:00:00.000Z'),
        ['create 409', 'update 200', 'setState 200', 'setMute 200'],
        { state: 'ACTIVE', mute: 'UNMUTED' },
      ],
      [
        'muted',
        mutedOf(1, '2026-11-26T13:00:00.000Z'),
        ['create 409', 'update 200', 'setState 200', 'setMute 200'],
        { state: 'ACTIVE', mute: 'MUTED' },
      ],
    ];
    for (const [, alert, writes, expected] of steps) {
      simulator.clearRequests();
      await sink.send([alert]);
      expect(writesTo(1)).toEqual(writes);
      expect(await mirrored(1)).toMatchObject({ ...expected, eventTime: alert.createdAt });
    }
    // An analyst mutes in SCC; Gatewarden's later evidence update leaves the mute alone.
    await createSccClient({ endpoint: simulator.url }).setMute(
      `${SOURCE}/locations/global/findings/${sccId(0)}`,
      'MUTED',
    );
    simulator.clearRequests();
    await sink.send([
      {
        ...alertAt(0),
        id: 'evidence-update',
        transition: 'updated',
        createdAt: '2026-11-26T14:00:00.000Z',
        quiet: true,
      },
    ]);
    expect(writesTo(0)).toEqual(['create 409', 'update 200']);
    expect((await mirrored(0))?.mute).toBe('MUTED');
  });
});
