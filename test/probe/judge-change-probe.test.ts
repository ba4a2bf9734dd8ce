// The event path with the probe injected: it runs on the gateways in the change's scope before they are judged,
// its results become finding evidence, and a broken probe never stops the event from being judged.

import { beforeEach, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { type JudgeChangeDeps, judgeChange } from '../../src/app/judge-change.js';
import type { SweepDeps } from '../../src/app/sweep-project.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import type { ResourceGraph } from '../../src/domain/graph.js';
import type { ChangeEvent } from '../../src/events/change-event.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import type { GatewayProbeResult, ProbeResults, ProbeRunner } from '../../src/probe/probe-results.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { auditEntry } from '../support/audit-entries.js';

const GW_USC1 = 'projects/acme-edge/locations/us-central1/gateways/payments-gw-usc1';
const GW_USC1_FULL = `//apigateway.googleapis.com/${GW_USC1}`;
const RULE = 'gateway.direct-url-protected';
const clock: Clock = { now: () => new Date('2026-11-26T10:00:00.000Z'), sleep: async () => {} };

function gatewayUpdate(insertId: string): ChangeEvent {
  const parsed = parseLogEntry(
    auditEntry({
      method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
      resourceName: GW_USC1,
      insertId,
      principal: 'mallory@acme-edge.example',
    }),
  );
  if (parsed.outcome !== 'change') throw new Error(`not a change: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

const ANSWERED: GatewayProbeResult = {
  ran: true,
  url: 'https://payments-gw-usc1-8k2j4h1q.uc.gateway.dev/health',
  statusCode: 200,
  answeredUnauthenticated: true,
  probedAt: '2026-11-26T10:00:00.000Z',
  requests: [],
  authEnforced: true,
  summary: 'GET /health answered 200 without credentials',
};

/** A stand-in probe (an injected dependency): records the gateways it was shown and answers for each. */
function recordingProbe(seen: string[][]): ProbeRunner {
  return async (graph: ResourceGraph): Promise<ProbeResults> => {
    const gateways = [...graph.nodes('gateway')].map((gateway) => gateway.fullName);
    seen.push(gateways);
    return Object.fromEntries(gateways.map((name) => [name, ANSWERED]));
  };
}

describe('judgeChange with an injected probe', () => {
  let findings: MemoryStore;
  let log: MemoryLogger;
  let deps: JudgeChangeDeps & SweepDeps;

  beforeEach(async () => {
    const inventory = (await loadEstate('examples/acme-edge')).inventory;
    // One storage, as one Firestore database: the commit stores the changed resource's snapshot.
    findings = new MemoryStore();
    log = new MemoryLogger();
    deps = {
      source: new InventorySource(inventory),
      snapshots: findings,
      findings,
      judgements: findings,
      rules: ALL_RULES,
      policy: { rules: {}, exemptions: [] },
      clock,
      log,
    };
    await sweepProject('acme-edge', deps);
  });

  const probeEvidence = async () => {
    const [finding] = await findings.query({ ruleId: RULE, resource: GW_USC1_FULL });
    return finding?.evidence.probe;
  };

  test('the probe sees the changed gateway, and its answer becomes the finding evidence', async () => {
    expect(await probeEvidence()).toMatchObject({ ran: false });
    const seen: string[][] = [];
    await judgeChange(gatewayUpdate('probe-1'), { ...deps, probe: recordingProbe(seen) });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain(GW_USC1_FULL);
    expect(await probeEvidence()).toEqual(ANSWERED);
  });

  test('a probe that throws is logged, and the change is still judged without its results', async () => {
    const broken: ProbeRunner = async () => {
      throw new Error('resolver exploded');
    };
    const outcome = await judgeChange(gatewayUpdate('probe-2'), { ...deps, probe: broken });
    expect(outcome.status).toBe('judged');
    expect(outcome.judged).toBeGreaterThan(0);
    expect(await probeEvidence()).toMatchObject({ ran: false });
    expect(log.text()).toContain('active probe failed; judging without its results');
  });
});
