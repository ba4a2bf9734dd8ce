import { describe, expect, test } from 'vitest';
import { createEstateSource } from '../../src/adapters/estate-files/estate-source.js';
import { hasOpenFindingAtOrAbove, scanInventory, scanSource } from '../../src/app/scan.js';
import type { Severity } from '../../src/domain/severity.js';
import { negNoNetworkEndpoints } from '../../src/rules/neg/no-network-endpoints.js';
import {
  FIXED_CLOCK,
  LEGACY_BS,
  SAMPLE_INVENTORY,
  SAMPLE_POLICY,
  SAMPLE_RULES,
  sampleReport,
} from '../report/table-and-json-sample.js';
import { apiGatewayNeg, backendService, computeLink, inventoryOf, negBackend } from '../support/records.js';

describe('scanInventory', () => {
  const report = sampleReport();

  test('findings are the failing results, most severe first, then by rule, resource and sub-key', () => {
    expect(report.findings.map((f) => [f.severity, f.ruleId, f.resource.split('/').pop(), f.subKey])).toEqual(
      [
        ['CRITICAL', 'sample.direct-url-protected', 'legacy-gw', null],
        ['HIGH', 'neg.no-network-endpoints', 'legacy-neg', null],
        ['HIGH', 'sample.direct-url-protected', 'orders-gw', null],
        ['MEDIUM', 'sample.cloud-armor-attached', 'billing-bs', null],
        ['MEDIUM', 'sample.cloud-armor-attached', 'legacy-bs', null],
        ['LOW', 'sample.one-neg-per-region', 'orders-bs', 'europe-west2'],
        ['LOW', 'sample.one-neg-per-region', 'orders-bs', 'us-central1'],
      ],
    );
  });

  test('an exempted failure stays in the findings, muted, with its exemption', () => {
    const muted = report.findings.filter((finding) => finding.state === 'muted');
    expect(muted).toHaveLength(1);
    expect(muted[0]).toMatchObject({
      resource: LEGACY_BS,
      exemption: { reason: 'legacy API retires in June (CHG-1142)', expires: '2026-06-30' },
    });
  });

  test('the summary counts findings, statuses, resources and rules', () => {
    expect(report.summary).toMatchObject({
      scannedAt: '2026-05-04T10:00:00.000Z',
      findings: 7,
      open: 6,
      muted: 1,
      bySeverity: { CRITICAL: 1, HIGH: 2, MEDIUM: 2, LOW: 2 },
      byStatus: { pass: 3, fail: 7, 'not-applicable': 2, error: 1 },
      resources: 9,
      rules: 5,
      skipped: 0,
    });
  });

  test('a rule that throws is listed as an error someone sees, not a finding', () => {
    expect(report.summary.errors).toEqual([
      {
        ruleId: 'sample.always-throws',
        resource: '//compute.googleapis.com/projects/acme-edge/global/forwardingRules/orders-fr',
        message: expect.stringMatching(
          /^rule sample.always-throws could not judge .*: cannot read properties/,
        ),
      },
    ]);
  });

  test('loading warnings are carried into the summary', () => {
    expect(report.summary.warnings).toEqual([
      'estate/network-endpoint-groups.json: 1 serverless NEG names no target (x)',
    ]);
  });

  test('an exemption past its expiry no longer mutes', () => {
    const later = scanInventory(SAMPLE_INVENTORY, {
      rules: SAMPLE_RULES,
      policy: SAMPLE_POLICY,
      clock: { now: () => new Date('2026-07-01T00:00:00Z') },
    });
    expect(later.summary.muted).toBe(0);
    expect(later.findings.find((finding) => finding.resource === LEGACY_BS)?.state).toBe('open');
  });

  test('a policy that disables a rule and overrides a severity', () => {
    const tuned = scanInventory(SAMPLE_INVENTORY, {
      rules: SAMPLE_RULES,
      clock: FIXED_CLOCK,
      policy: {
        rules: {
          'sample.always-throws': { enabled: false },
          'neg.no-network-endpoints': { severity: 'LOW' },
        },
        exemptions: [],
      },
    });
    expect(tuned.summary.rules).toBe(4);
    expect(tuned.summary.errors).toEqual([]);
    expect(tuned.findings.find((finding) => finding.ruleId === 'neg.no-network-endpoints')?.severity).toBe(
      'LOW',
    );
  });

  test('records that cannot be named are skipped and said so', () => {
    const skipped = scanInventory(
      inventoryOf({ backendService: [backendService('ok-bs'), { name: 'broken', selfLink: 'not-a-link' }] }),
      { rules: [negNoNetworkEndpoints], clock: FIXED_CLOCK },
    );
    expect(skipped.summary.skipped).toBe(1);
    expect(skipped.summary.warnings).toEqual([
      'skipped a backendService record: cannot tell which resource "not-a-link" names',
    ]);
  });

  // An export concatenated from overlapping reads may hold a name twice; the last record wins, and when the two
  // differ the one before was never judged (a failing protocol hidden behind a passing copy): said, not silent.
  test.each([
    {
      name: 'copies that differ are named',
      records: [backendService('orders-bs', { protocol: 'HTTP2' }), backendService('orders-bs')],
      warnings: [
        '2 different backendService records name //compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs; only the last of them was judged',
      ],
    },
    {
      name: 'identical copies are one record',
      records: [backendService('orders-bs'), backendService('orders-bs'), backendService('other-bs')],
      warnings: [],
    },
  ])('a name held by several records: $name', ({ records, warnings }) => {
    const report = scanInventory(inventoryOf({ backendService: records }), {
      rules: [negNoNetworkEndpoints],
      clock: FIXED_CLOCK,
    });
    expect(report.summary.warnings).toEqual(warnings);
    expect(report.summary.skipped).toBe(0);
  });

  // Links a hostile or broken export may carry: megabytes long, or cut where the warning is cut.
  const LINK_START = 'https://www.googleapis.com/compute/v1/projects/p/global/backendServices/';
  test.each([
    { name: 'a 5 MB link', link: `${LINK_START}${'a'.repeat(5_000_000)}`, end: 'aaaa" names' },
    {
      // Placed so that both cuts fall inside a surrogate pair.
      name: 'a long link of emoji (surrogate pairs)',
      link: `not-a-link-x${'😀'.repeat(1_000)}z`,
      end: '😀z" names',
    },
  ])('a skip warning for $name quotes its ends, not all of it', ({ link, end }) => {
    const { summary } = scanInventory(inventoryOf({ backendService: [{ name: 'broken', selfLink: link }] }), {
      rules: [negNoNetworkEndpoints],
      clock: FIXED_CLOCK,
    });
    const [warning = ''] = summary.warnings;
    expect(summary.warnings).toHaveLength(1);
    expect(warning.length).toBeLessThan(400);
    expect(
      warning.startsWith(`skipped a backendService record: cannot tell which resource "${link.slice(0, 40)}`),
    ).toBe(true);
    expect(warning.endsWith(end)).toBe(true);
    expect(warning).toMatch(/…\[\d+ characters left out\]…/);
    expect(warning).not.toMatch(/[\ud800-\udfff]/u);
  });

  test('a long name held by different records is quoted by its ends, as a skip warning is', () => {
    const name = `bs-${'n'.repeat(3_000)}`;
    const { summary } = scanInventory(
      inventoryOf({ backendService: [backendService(name, { protocol: 'HTTP2' }), backendService(name)] }),
      { rules: [negNoNetworkEndpoints], clock: FIXED_CLOCK },
    );
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]?.length).toBeLessThan(420);
    expect(summary.warnings[0]).toMatch(
      /^2 different backendService records name \/\/compute.*…\[\d+ characters left out\]…n+; only/,
    );
  });

  // A backend service in the load balancer's project holding a NEG of another project (itself a HIGH finding,
  // backend.gateways-same-project) when only the LB's project was scanned or exported: without the NEG the service
  // does not look like it fronts API Gateway, so every backend rule is not-applicable. Said, not silent.
  test('a backend group in a project that was not read is named, with the project to add', () => {
    const { summary, findings } = scanInventory(
      inventoryOf({
        backendService: [
          backendService('xp-bs', {
            backends: [
              negBackend('b-neg', 'us-central1', {}, 'xp-gw-host'),
              negBackend('b-neg-euw2', 'europe-west2', {}, '220000000002'),
              negBackend('own-neg', 'us-central1'),
              { group: computeLink('zones/us-central1-a/instanceGroups/ig-1', 'xp-gw-host') },
            ],
          }),
        ],
        networkEndpointGroup: [apiGatewayNeg('own-neg', 'us-central1', 'orders-gw')],
      }),
      { rules: SAMPLE_RULES, clock: FIXED_CLOCK },
    );
    expect(findings.filter((finding) => finding.resource.includes('xp-gw-host'))).toEqual([]);
    expect(summary.warnings).toEqual([
      'backend service xp-bs (acme-edge, global) holds 2 network endpoint group(s) of project(s) 220000000002, ' +
        'xp-gw-host, which were not read (e.g. //compute.googleapis.com/projects/xp-gw-host/regions/us-central1/' +
        'networkEndpointGroups/b-neg): its rules judge it without them; scan those projects too',
    ]);
  });

  // A backend service's groups are the export's to name: thousands of projects, or a project segment thousands of
  // characters long, must not make one warning line as long as the export.
  test.each([
    {
      name: 'a thousand NEGs, each of its own project',
      groups: Array.from({ length: 1000 }, (_, index) => ({ project: `gw-host-${index}`, name: 'b-neg' })),
      projects: 'gw-host-0, gw-host-1, gw-host-10, gw-host-100, gw-host-101 and 995 more',
    },
    {
      name: 'a project segment 4,000 characters long',
      groups: [{ project: `p${'x'.repeat(3998)}q`, name: 'b-neg' }],
      projects: /^px+…\[\d+ characters left out\]…x+q$/,
    },
  ])('$name: the warning stays one short line', ({ groups, projects }) => {
    const { summary } = scanInventory(
      inventoryOf({
        backendService: [
          backendService('xp-bs', {
            backends: groups.map(({ project, name }) => negBackend(name, 'us-central1', {}, project)),
          }),
        ],
      }),
      { rules: SAMPLE_RULES, clock: FIXED_CLOCK },
    );
    expect(summary.warnings).toHaveLength(1);
    const warning = summary.warnings[0] ?? '';
    expect(warning.length).toBeLessThan(1000);
    const named = /of project\(s\) (.*), which were not read/.exec(warning)?.[1];
    if (typeof projects === 'string') expect(named).toBe(projects);
    else expect(named).toMatch(projects);
    expect(warning).toMatch(
      new RegExp(`^backend service xp-bs \\(acme-edge, global\\) holds ${groups.length} `),
    );
  });

  test('an empty inventory gives an empty report, not an error', () => {
    const empty = scanInventory(inventoryOf({}), { rules: SAMPLE_RULES, clock: FIXED_CLOCK });
    expect(empty.findings).toEqual([]);
    expect(empty.summary).toMatchObject({ findings: 0, resources: 0, rules: 5 });
  });
});

describe('hasOpenFindingAtOrAbove (--fail-on)', () => {
  const report = sampleReport();
  test.each([
    { minimum: 'LOW', fails: true },
    { minimum: 'CRITICAL', fails: true },
  ] as const)('$minimum on the sample report: $fails', ({ minimum, fails }) => {
    expect(hasOpenFindingAtOrAbove(report, minimum)).toBe(fails);
  });

  test.each<{ name: string; minimum: Severity; fails: boolean }>([
    { name: 'a HIGH finding fails --fail-on HIGH', minimum: 'HIGH', fails: true },
    { name: 'a HIGH finding does not fail --fail-on CRITICAL', minimum: 'CRITICAL', fails: false },
  ])('$name', ({ minimum, fails }) => {
    const single = scanInventory(
      inventoryOf({ networkEndpointGroup: [apiGatewayNeg('n', 'us-central1', 'g', { size: 1 })] }),
      { rules: [negNoNetworkEndpoints], clock: FIXED_CLOCK },
    );
    expect(hasOpenFindingAtOrAbove(single, minimum)).toBe(fails);
  });

  test('a muted finding never fails the run', () => {
    const mutedOnly = scanInventory(
      inventoryOf({ networkEndpointGroup: [apiGatewayNeg('n', 'us-central1', 'g', { size: 1 })] }),
      {
        rules: [negNoNetworkEndpoints],
        clock: FIXED_CLOCK,
        policy: {
          rules: {},
          exemptions: [{ ruleId: '*', resource: '**', reason: 'lab', expires: '2099-01-01' }],
        },
      },
    );
    expect(mutedOnly.summary.muted).toBe(1);
    expect(hasOpenFindingAtOrAbove(mutedOnly, 'LOW')).toBe(false);
  });
});

describe('scanSource', () => {
  test('reads through a ResourceSource, here the orders-edge estate', async () => {
    const report = await scanSource(createEstateSource('test/fixtures/estates/orders-edge'), ['acme-edge'], {
      rules: [negNoNetworkEndpoints],
      clock: FIXED_CLOCK,
    });
    expect(report.summary.resources).toBe(17);
    expect(report.findings.map((finding) => finding.resource)).toEqual([
      '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/legacy-neg-usc1',
    ]);
  });
});
