// The SCC sink against the simulator's SCC v2 source, with the mirror ledger: a batch sent again (because another
// channel failed) writes each record once, a refused record is never sent again, and SCC busy keeps the batch.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSccClient } from '../../../src/adapters/scc/scc-client.js';
import { SccSink, SccUnavailableError } from '../../../src/adapters/scc/scc-sink.js';
import { emptyInventory } from '../../../src/domain/inventory.js';
import { systemClock } from '../../../src/ports/clock.js';
import { MemoryLogger } from '../../../src/ports/logger.js';
import { MemoryMirrorLedger } from '../../../src/ports/mirror-ledger.js';
import { type Simulator, startSimulator } from '../../../src/simulator/index.js';
import { alertOf } from '../../alerts/sample-alerts.js';

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
beforeAll(async () => {
  simulator = await startSimulator({ inventory: emptyInventory(), sccSources: [SOURCE] });
});
afterAll(async () => simulator?.close());

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

const patches = () => simulator.requests().filter((request) => request.method === 'PATCH');

describe('SccSink', () => {
  it('a batch sent three times writes each record once', async () => {
    simulator.clearRequests();
    const ledger = new MemoryMirrorLedger();
    const sink = sinkWith(ledger);
    for (let round = 0; round < 3; round += 1) await sink.send(alerts);
    expect(patches().map((request) => request.status)).toEqual([200, 200]);
    expect([...ledger.outcomes.values()]).toEqual(['written', 'written']);
  });

  it('a refused record is recorded and never sent again; the others still go', async () => {
    simulator.clearRequests();
    const ledger = new MemoryMirrorLedger();
    const log = new MemoryLogger();
    const refusedPath = `/v2/${SOURCE}/locations/global/findings/${alerts[0]!.finding.id.slice(0, 32)}`;
    simulator.setFaults([{ path: refusedPath, method: 'PATCH', status: 400 }]);
    const sink = sinkWith(ledger, log);
    await sink.send(alerts);
    await sink.send(alerts);
    expect(patches().map((request) => [request.path === refusedPath, request.status])).toEqual([
      [true, 400],
      [false, 200],
    ]);
    expect(ledger.outcomes.get(alerts[0]!.id)).toBe('refused');
    expect(log.text()).toContain('SCC refused the finding; not sending it again');
    simulator.setFaults([]);
  });

  it('SCC busy beyond the retry budget: the batch fails (stays in the outbox) and converges on the next send', async () => {
    simulator.clearRequests();
    simulator.setFaults([{ pathRegex: '^/v2/', method: 'PATCH', status: 503, times: 3 }]);
    const ledger = new MemoryMirrorLedger();
    const sink = sinkWith(ledger);
    await expect(sink.send(alerts.slice(0, 1))).rejects.toBeInstanceOf(SccUnavailableError);
    await sink.send(alerts.slice(0, 1));
    expect(patches().map((request) => request.status)).toEqual([503, 503, 503, 200]);
    const mirrored = await createSccClient({ endpoint: simulator.url }).listFindings(SOURCE);
    expect(mirrored.some((finding) => finding.name.endsWith(alerts[0]!.finding.id.slice(0, 32)))).toBe(true);
    simulator.setFaults([]);
  });
});
