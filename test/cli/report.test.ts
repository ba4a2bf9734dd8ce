// `gatewarden report` over stored findings (an in-memory store injected where Firestore would be): filters, formats,
// muted findings with reason, owner and expiry, exemptions listed before they end, and bad input.

import { describe, expect, test } from 'vitest';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { createReportCommand } from '../../src/cli/commands/report.js';
import type { CliIo } from '../../src/cli/io.js';
import { type Finding, findingIdOf, type HistoryRecord } from '../../src/domain/finding.js';
import { fullName } from '../support/records.js';

const NOW = new Date('2026-05-11T15:00:00.000Z');
const ACTOR = 'hotfix-bot@acme-edge.iam.gserviceaccount.com';

function finding(overrides: Partial<Finding> & Pick<Finding, 'ruleId' | 'resource'>): Finding {
  return {
    id: findingIdOf(overrides.ruleId, overrides.resource, overrides.subKey ?? null),
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: null,
    severity: 'HIGH',
    state: 'open',
    message: `${overrides.ruleId} fails on ${overrides.resource}`,
    evidence: {},
    firstSeenAt: '2026-05-01T10:00:00.000Z',
    lastSeenAt: '2026-05-11T14:00:00.000Z',
    resolvedAt: null,
    reopenCount: 0,
    lastChange: null,
    ...overrides,
  };
}

const ARMOR = finding({
  ruleId: 'backend.cloud-armor-attached',
  resource: fullName('global/backendServices/orders-bs'),
  severity: 'MEDIUM',
  lastChange: {
    method: 'v1.compute.backendServices.setSecurityPolicy',
    actor: ACTOR,
    at: '2026-05-02T08:00:00Z',
    entryId: 'e1',
  },
});
const LOGGING_MUTED = finding({
  ruleId: 'backend.logging-enabled',
  resource: fullName('global/backendServices/legacy-vm-bs'),
  severity: 'MEDIUM',
  state: 'muted',
  exemption: {
    reason: 'legacy VM path, retired in June',
    owner: 'platform-team@acme.example',
    expires: '2026-05-20',
  },
});
const DRIFT_RESOLVED = finding({
  ruleId: 'drift.matches-baseline',
  resource: fullName('global/backendServices/storefront-bs'),
  subKey: 'securityPolicy',
  state: 'resolved',
  resolvedAt: '2026-05-03T09:00:00.000Z',
  firstSeenAt: '2026-05-02T08:00:00.000Z',
  lastSeenAt: '2026-05-03T09:00:00.000Z',
});
const OTHER_PROJECT = finding({
  ruleId: 'frontend.modern-tls',
  resource: fullName('global/forwardingRules/shop-fr', 'acme-shop'),
  project: 'acme-shop',
  severity: 'MEDIUM',
  firstSeenAt: '2026-05-09T10:00:00.000Z',
});
const CRITICAL = finding({
  ruleId: 'gateway.direct-url-protected',
  resource: '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1',
  resourceType: 'apigateway.googleapis.com/Gateway',
  location: 'us-central1',
  severity: 'CRITICAL',
  evidence: { directUrl: 'https://orders-gw-usc1-3x9k2m1p.uc.gateway.dev' },
});

function storeWith(findings: readonly Finding[]): MemoryStore {
  const store = new MemoryStore();
  for (const item of findings) {
    store.findingsById.set(item.id, item);
    const opened: HistoryRecord = {
      transition: item.state === 'muted' ? 'muted' : 'opened',
      from: null,
      to: item.state === 'muted' ? 'muted' : 'open',
      severity: item.severity,
      at: item.firstSeenAt ?? item.lastSeenAt,
      message: item.message,
      change: item.lastChange,
    };
    const resolved: HistoryRecord[] = item.resolvedAt
      ? [
          {
            ...opened,
            transition: 'resolved',
            from: 'open',
            to: 'resolved',
            at: item.resolvedAt,
            change: null,
          },
        ]
      : [];
    store.histories.set(item.id, [opened, ...resolved]);
  }
  return store;
}

async function report(
  args: readonly string[],
  findings = [ARMOR, LOGGING_MUTED, DRIFT_RESOLVED, OTHER_PROJECT, CRITICAL],
) {
  const store = storeWith(findings);
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  };
  const command = createReportCommand({
    clock: { now: () => NOW, sleep: async () => {} },
    openStore: async () => ({ store, close: async () => {} }),
  });
  const { runCommandForTest } = await import('./report-run.js');
  const code = await runCommandForTest(command, args, io);
  return { code, stdout, stderr };
}

type JsonReport = {
  findings: {
    ruleId: string;
    state: string;
    project: string;
    history: { actor: string | null }[];
    exemption: unknown;
  }[];
  expiringExemptions: { ruleId: string; owner: string; expires: string; daysLeft: number }[];
  summary: { total: number; truncated: boolean };
  filters: Record<string, unknown>;
};

const json = (stdout: string) => JSON.parse(stdout) as JsonReport;

describe('gatewarden report', () => {
  test.each([
    [
      'open findings by default, most severe first',
      [],
      ['gateway.direct-url-protected', 'backend.cloud-armor-attached', 'frontend.modern-tls'],
    ],
    ['one project', ['--project', 'acme-shop'], ['frontend.modern-tls']],
    ['a minimum severity', ['--severity', 'critical'], ['gateway.direct-url-protected']],
    [
      'one rule, any state',
      ['--rule', 'drift.matches-baseline', '--state', 'all'],
      ['drift.matches-baseline'],
    ],
    ['muted only', ['--state', 'muted'], ['backend.logging-enabled']],
    [
      'first seen up to a day',
      ['--until', '2026-05-05'],
      ['gateway.direct-url-protected', 'backend.cloud-armor-attached'],
    ],
    [
      'last seen since a time',
      ['--state', 'all', '--since', '2026-05-04T00:00:00Z'],
      [
        'gateway.direct-url-protected',
        'backend.cloud-armor-attached',
        'frontend.modern-tls',
        'backend.logging-enabled',
      ],
    ],
  ])('%s', async (_name, args, rules) => {
    const run = await report([...args, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout).findings.map((item) => item.ruleId)).toEqual(rules);
  });

  test('muted findings show reason, owner and expiry, and the exemption is listed before it ends', async () => {
    const table = await report(['--state', 'all']);
    expect(table.stdout).toContain(
      'legacy VM path, retired in June (owner platform-team@acme.example, expires 2026-05-20)',
    );
    expect(table.stdout).toContain('Exemptions ending within 30 days:');
    expect(table.stdout).toContain('backend.logging-enabled expires 2026-05-20 (9 days left)');

    const body = json((await report(['--state', 'muted', '--format', 'json'])).stdout);
    expect(body.findings[0]?.exemption).toMatchObject({
      reason: 'legacy VM path, retired in June',
      owner: 'platform-team@acme.example',
      expires: '2026-05-20',
    });
    expect(body.expiringExemptions).toEqual([
      expect.objectContaining({
        ruleId: 'backend.logging-enabled',
        owner: 'platform-team@acme.example',
        daysLeft: 9,
      }),
    ]);
  });

  test('history carries who changed what', async () => {
    const body = json((await report(['--rule', 'backend.cloud-armor-attached', '--format', 'json'])).stdout);
    expect(body.findings[0]?.history.map((entry) => entry.actor)).toEqual([ACTOR]);
  });

  test.each([
    ['csv', 'rule_id'],
    ['markdown', '# '],
    ['html', '<!DOCTYPE html>'],
  ])('--format %s renders the audit report', async (format, marker) => {
    const run = await report(['--state', 'all', '--format', format]);
    expect(run.code).toBe(0);
    expect(run.stdout.toLowerCase()).toContain(marker.toLowerCase());
    expect(run.stdout).toContain('legacy-vm-bs');
  });

  test("--format html: the chart's caption names the stored findings' history, never a scan's single point", async () => {
    const everyDay = (await report(['--state', 'all', '--format', 'html'])).stdout;
    expect(everyDay).toContain(
      '<p class="note">From the stored findings and their history: the findings open at the end of each day, 2026-05-01 to 2026-05-11.</p>',
    );
    expect(everyDay).not.toContain('a scan has no history');
    // From today only: one point, still the stored findings' history.
    const today = (await report(['--state', 'all', '--since', '2026-05-11', '--format', 'html'])).stdout;
    expect(today).toContain('the findings open at the end of 2026-05-11, the one day it covers so far.');
    expect(today).not.toContain('a scan has no history');
  });

  test('--format sarif lists open and muted findings as results (muted as suppressed), not resolved ones', async () => {
    const sarif = JSON.parse((await report(['--state', 'all', '--format', 'sarif'])).stdout) as {
      version: string;
      runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    expect(results.map((result) => result.ruleId).sort()).toEqual([
      'backend.cloud-armor-attached',
      'backend.logging-enabled',
      'frontend.modern-tls',
      'gateway.direct-url-protected',
    ]);
    expect(results.find((result) => result.ruleId === 'backend.logging-enabled')?.suppressions).toHaveLength(
      1,
    );
  });

  // DESIGN.md §3: undetermined is a state of its own (the rule could not decide), and `report` shows it by default
  // (README). Its counts were left out of every summary, so "3 findings: 1 open, 0 muted, 0 resolved" did not add up.
  test.each([
    ['table', ['3 findings: 1 open, 2 undetermined, 0 muted, 0 resolved']],
    [
      'markdown',
      [
        '| Severity | Open | Undetermined | Muted | Resolved | Total |',
        '| CRITICAL | 1 | 1 | 0 | 0 | 2 |',
        '| MEDIUM | 0 | 1 | 0 | 0 | 1 |',
        '| **All** | 1 | 2 | 0 | 0 | 3 |',
        '| Rule | Title | Severity | Open | Undetermined | Muted | Resolved |',
      ],
    ],
    [
      'html',
      [
        '<strong>1</strong> open · <strong>2</strong> undetermined · <strong>0</strong> muted',
        '<th class="num">Undetermined</th>',
      ],
    ],
  ])('--format %s counts undetermined findings in its summary', async (format, expected) => {
    const undetermined = (item: Finding): Finding => ({
      ...item,
      state: 'undetermined',
      evidence: { reason: 'the API config cannot be read' },
    });
    const run = await report(
      ['--format', format],
      [
        CRITICAL,
        undetermined(
          finding({
            ruleId: 'gateway.api-config-authenticated',
            resource: CRITICAL.resource,
            resourceType: CRITICAL.resourceType,
            location: 'us-central1',
            severity: 'CRITICAL',
          }),
        ),
        undetermined(ARMOR),
      ],
    );
    expect(run.code, run.stderr).toBe(0);
    for (const text of expected) expect(run.stdout).toContain(text);
  });

  test('--limit truncates and says so', async () => {
    const run = await report(['--limit', '1', '--format', 'json']);
    expect(json(run.stdout).summary).toMatchObject({ total: 1, truncated: true });
    expect(run.stderr).toContain('more than 1 findings match');
  });

  test.each([
    [['--state', 'closed'], '--state must be'],
    [['--severity', 'urgent'], '--severity must be one of'],
    [['--rule', 'DROP TABLE'], 'is not a rule ID'],
    [['--since', 'yesterday'], '--since must be a date'],
    [['--since', '2026-05-10', '--until', '2026-05-01'], '--since is after --until'],
    [['--project', '../etc'], 'is not a project ID'],
    [['--format', 'xml'], '--format must be one of'],
    [['--limit', '0'], '--limit must be'],
  ])('%j is bad input (exit 2)', async (args, message) => {
    const run = await report(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
