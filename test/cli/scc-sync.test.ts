// `gatewarden scc sync` against the simulator's SCC v2 source: every stored finding once, in the state it is in (a
// create, then setState / setMute where needed); a second run updates rather than duplicates; a refusal is reported
// with exit 1; bad flags exit 2.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSccClient } from '../../src/adapters/scc/scc-client.js';
import { sccFindingIdOf } from '../../src/alerts/scc-finding.js';
import { createSccCommand } from '../../src/cli/commands/scc.js';
import { runCli } from '../../src/cli/main.js';
import type { Finding } from '../../src/domain/finding.js';
import { emptyInventory } from '../../src/domain/inventory.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { alertOf } from '../alerts/sample-alerts.js';
import { sccCallsOf, sccWritesTo } from '../support/scc-requests.js';
import { captureIo } from './report-run.js';

const SOURCE = 'organizations/123456789012/sources/31337';
const base = alertOf({
  ruleId: 'backend.logging-enabled',
  resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs',
  resourceType: 'compute.googleapis.com/BackendService',
  location: 'global',
  severity: 'MEDIUM',
  transition: 'opened',
  message: 'request logging is off',
}).finding;
const FINDINGS: Finding[] = [
  base,
  { ...base, id: `11111111${base.id.slice(8)}`, state: 'resolved', resolvedAt: '2026-11-27T10:00:00.000Z' },
  {
    ...base,
    id: `22222222${base.id.slice(8)}`,
    state: 'muted',
    exemption: { reason: 'legacy, retired in January', expires: '2027-01-31' },
  },
];

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ inventory: emptyInventory(), sccSources: [SOURCE] });
});
afterAll(async () => simulator?.close());

const store: FindingQueries = {
  query: async () => FINDINGS,
  resourcesWithFindings: async () => [],
  history: async () => [],
};
const command = createSccCommand({ openStore: async () => ({ store, close: async () => {} }) });
const sync = (...flags: string[]) => [
  'sync',
  '--organization',
  '123456789012',
  '--source',
  '31337',
  '--endpoint',
  simulator.url,
  ...flags,
];

describe('gatewarden scc sync', () => {
  it('mirrors every stored finding once, in its state, and a second run rewrites the same findings', async () => {
    for (let run = 0; run < 2; run += 1) {
      const capture = captureIo();
      expect(await command(sync('--report-url', 'https://report.example/'), capture.io)).toBe(0);
      expect(capture.stdout()).toContain(`Mirrored 3 of 3 finding(s) to ${SOURCE}`);
    }
    const mirrored = await createSccClient({ endpoint: simulator.url }).listFindings(SOURCE);
    expect(mirrored).toHaveLength(3);
    const byId = new Map(mirrored.map((finding) => [finding.name.split('/').pop(), finding]));
    expect(byId.get(sccFindingIdOf(FINDINGS[0]?.id ?? ''))).toMatchObject({
      state: 'ACTIVE',
      mute: 'UNDEFINED',
    });
    expect(byId.get(sccFindingIdOf(FINDINGS[1]?.id ?? ''))).toMatchObject({
      state: 'INACTIVE',
      eventTime: '2026-11-27T10:00:00.000Z',
    });
    expect(byId.get(sccFindingIdOf(FINDINGS[2]?.id ?? ''))).toMatchObject({
      mute: 'MUTED',
      sourceProperties: expect.objectContaining({ exemptionReason: 'legacy, retired in January' }),
    });
    const writes = FINDINGS.map((finding) => sccWritesTo(simulator.requests(), sccFindingIdOf(finding.id)));
    expect(writes).toEqual([
      ['create 200', 'create 409', 'update 200', 'setState 200'],
      ['create 200', 'setState 200', 'create 409', 'update 200', 'setState 200'],
      ['create 200', 'setMute 200', 'create 409', 'update 200', 'setState 200', 'setMute 200'],
    ]);
  });

  it('reports what SCC refused, exit 1, without retrying it', async () => {
    simulator.clearRequests();
    simulator.setFaults([{ pathRegex: '^/v2/.*/findings$', method: 'POST', status: 400 }]);
    const capture = captureIo();
    expect(await command(sync(), capture.io)).toBe(1);
    expect(capture.stdout()).toContain('Mirrored 0 of 3 finding(s)');
    expect(capture.stderr()).toContain('refused: finding');
    expect(sccCallsOf(simulator.requests()).map((call) => `${call.kind} ${call.status}`)).toEqual([
      'create 400',
      'create 400',
      'create 400',
    ]);
    simulator.setFaults([]);
  });

  it.each([
    [['sync', '--source', '31337'], /needs --organization and --source/],
    [['sync', '--organization', 'acme', '--source', '1'], /not an organization ID/],
    [['sync', '--organization', '1', '--source', 'organizations/2/sources/3'], /not in organizations\/1/],
    [['sync', '--organization', '1', '--source', '3', '--endpoint', 'ftp://x'], /not an http/],
    [['push'], /unknown scc command/],
  ])('bad input %j exits 2', async (args, message) => {
    const capture = captureIo();
    expect(await runCli(['scc', ...args], capture.io)).toBe(2);
    expect(capture.stderr()).toMatch(message);
  });
});
