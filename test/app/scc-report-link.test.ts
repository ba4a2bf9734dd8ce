// The report link an SCC finding carries (externalUri, `?finding=ID`) opens that finding in the report, whatever its
// state: deploy.md sends the security team there for the full evidence and history that SCC's copy cuts.

import { expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { lookupCatalogueRule } from '../../src/alerts/rule-summary.js';
import { sccWriteOf } from '../../src/alerts/scc-finding.js';
import { parseReportQuery } from '../../src/app/report-query.js';
import { buildStoredReport } from '../../src/app/stored-report.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { memoryDeps, tickingClock } from '../support/memory-deps.js';

const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
const SOURCE = 'organizations/123456789012/sources/31337';
const REPORT_URL = 'https://gatewarden-report-abc123-ew.a.run.app/';

async function sweptTwice() {
  const estate = (await loadEstate('examples/acme-edge')).inventory;
  const source = new InventorySource(estate);
  const store = new MemoryStore();
  await sweepProject(
    'acme-edge',
    memoryDeps(source, store, { clock: tickingClock('2026-11-25T10:00:00.000Z') }),
  );
  source.inventory = {
    ...estate,
    backendService: estate.backendService.filter((service) => service.name !== 'orders-bs'),
  };
  await sweepProject(
    'acme-edge',
    memoryDeps(source, store, { clock: tickingClock('2026-11-26T10:00:00.000Z') }),
  );
  return store;
}

function linkedQuery(externalUri: string | undefined): Record<string, string> {
  if (!externalUri) throw new Error('no report link');
  return Object.fromEntries(new URL(externalUri).searchParams);
}

test.each([
  ['a resolved finding (its resource deleted)', 'backend.logging-enabled', ORDERS_BS, 'resolved'],
  [
    'an open finding among many',
    'gateway.direct-url-protected',
    '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/payments-gw-usc1',
    'open',
  ],
] as const)(
  'the SCC link of %s opens that finding, with its history',
  async (_name, ruleId, resource, state) => {
    const store = await sweptTwice();
    const [finding] = await store.query({ ruleId, resource });
    if (!finding) throw new Error('no finding');
    expect(finding.state).toBe(state);
    const write = sccWriteOf(
      { finding, transition: null, at: finding.lastSeenAt, change: null },
      { source: SOURCE, lookup: lookupCatalogueRule, reportUrl: REPORT_URL },
    );
    const query = parseReportQuery(linkedQuery(write.create.externalUri));
    if ('problem' in query) throw new Error(query.problem);
    const report = await buildStoredReport(store, query.filters, {
      rules: ALL_RULES,
      now: new Date('2026-11-26T12:00:00.000Z'),
    });
    expect(report.model.findings.map((listed) => listed.id)).toEqual([finding.id]);
    expect(report.model.findings[0]?.history.length).toBe((await store.history(finding.id)).length);
  },
);

test('a finding link narrowed by other filters still applies them; a malformed ID is refused', async () => {
  const store = await sweptTwice();
  const [resolved] = await store.query({ ruleId: 'backend.logging-enabled', resource: ORDERS_BS });
  const narrowed = parseReportQuery({ finding: resolved?.id, state: 'open' });
  if ('problem' in narrowed) throw new Error(narrowed.problem);
  const report = await buildStoredReport(store, narrowed.filters, { rules: ALL_RULES, now: new Date() });
  expect(report.model.findings).toEqual([]);
  expect(parseReportQuery({ finding: '../../etc/passwd' })).toMatchObject({
    status: 400,
    problem: expect.stringContaining('finding'),
  });
});
