// Times the audit report (model + HTML, CSV, Markdown) for 10,000 stored findings with history, and checks the budgets.
// Run: npx tsc -p tsconfig.bench.json; node --expose-gc dist/bench/report-render.js [findings]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, HistoryRecord } from '../src/domain/finding.js';
import { findingIdOf } from '../src/domain/finding.js';
import { SEVERITIES } from '../src/domain/severity.js';
import { renderReport } from '../src/report/render-report.js';
import { type ReportModel, reportFromFindings } from '../src/report/report-model.js';
import { ALL_RULES } from '../src/rules/catalogue.js';

const HTML_BUDGET_MS = 2_000;
// 10 MB read the strict way (10^7 bytes, not 10 MiB).
const HTML_BUDGET_BYTES = 10_000_000;
const REPETITIONS = 5;
const NOW = new Date('2026-05-04T10:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Real-shaped findings spread over the catalogue, 100 projects and 90 days; every tenth muted, every fifth resolved. */
function generateFindings(count: number): { findings: Finding[]; histories: Map<string, HistoryRecord[]> } {
  const findings: Finding[] = [];
  const histories = new Map<string, HistoryRecord[]>();
  for (let index = 0; index < count; index++) {
    const rule = ALL_RULES[index % ALL_RULES.length];
    if (!rule) throw new Error('the catalogue is empty');
    const project = `acme-edge-${String(index % 100).padStart(3, '0')}`;
    const region = ['us-central1', 'europe-west2', 'asia-northeast1'][index % 3] ?? 'us-central1';
    const isGateway = rule.appliesTo.includes('gateway');
    const name = `svc-${index}`;
    const resource = isGateway
      ? `//apigateway.googleapis.com/projects/${project}/locations/${region}/gateways/${name}-gw`
      : `//compute.googleapis.com/projects/${project}/global/backendServices/${name}-bs`;
    const opened = NOW.getTime() - ((index * 7_919_000) % (90 * DAY_MS));
    const state = index % 10 === 0 ? 'muted' : index % 5 === 0 ? 'resolved' : 'open';
    const severity = SEVERITIES[(index * 31) % SEVERITIES.length] ?? 'HIGH';
    const resolvedAt = state === 'resolved' ? new Date(opened + DAY_MS * 3).toISOString() : null;
    const id = findingIdOf(rule.id, resource, null);
    const message = `${rule.title}: ${name} in ${project} does not comply (see evidence).`;
    const host = `${name}-gw-3xk2a9bc.uc.gateway.dev`;
    findings.push({
      id,
      ruleId: rule.id,
      resource,
      resourceType: isGateway ? 'apigateway.googleapis.com/Gateway' : 'compute.googleapis.com/BackendService',
      project,
      location: isGateway ? region : 'global',
      subKey: null,
      severity,
      state,
      message,
      evidence: isGateway
        ? {
            directUrl: `https://${host}`,
            backendServices: [
              {
                backendService: `//compute.googleapis.com/projects/${project}/global/backendServices/${name}-bs`,
                bypassed: ['securityPolicy'],
              },
            ],
            bypassed: ['securityPolicy'],
            apiConfig: `projects/${project}/locations/global/apis/orders/configs/orders-v${index % 9}`,
            unauthenticated: ['GET /orders', 'POST /orders/{id}:cancel'],
            probe: { ran: false, reason: 'the active probe is off (enable it in the policy file)' },
          }
        : {
            securityPolicy: null,
            backends: [
              `https://www.googleapis.com/compute/v1/projects/${project}/regions/${region}/networkEndpointGroups/${name}-neg`,
            ],
            logConfig: { enable: false },
          },
      firstSeenAt: new Date(opened).toISOString(),
      lastSeenAt: NOW.toISOString(),
      resolvedAt,
      reopenCount: 0,
      lastChange: null,
      ...(state === 'muted'
        ? {
            exemption: {
              reason: `migration ticket CHG-${1000 + (index % 50)}`,
              expires: new Date(NOW.getTime() + ((index % 60) - 5) * DAY_MS).toISOString().slice(0, 10),
              owner: 'platform-team@acme.example',
            },
          }
        : {}),
    });
    const change = {
      method: 'v1.compute.backendServices.patch',
      actor: `deployer-${index % 7}@${project}.iam.gserviceaccount.com`,
      at: new Date(opened).toISOString(),
      entryId: `entry-${index}`,
    };
    const history: HistoryRecord[] = [
      // History messages as reconcile writes them: the result's message; `Resolved: ...` when resolved.
      { transition: 'opened', from: null, to: 'open', severity, at: change.at, message, change },
    ];
    if (state !== 'open') {
      const at = resolvedAt ?? new Date(opened + DAY_MS).toISOString();
      history.push({
        transition: state,
        from: 'open',
        to: state,
        severity,
        at,
        message: state,
        change: null,
      });
    }
    histories.set(id, history);
  }
  return { findings, histories };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time<T>(work: () => T): { value: T; ms: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

const count = Number(process.argv[2] ?? 10_000);
const { findings, histories } = generateFindings(count);
const modelMs: number[] = [];
const formatMs: Record<'html' | 'csv' | 'markdown', number[]> = { html: [], csv: [], markdown: [] };
const bytes: Record<string, number> = {};
let model: ReportModel | undefined;
for (let rep = 0; rep < REPETITIONS; rep++) {
  const built = time(() => reportFromFindings(findings, histories, { rules: ALL_RULES, now: NOW }));
  model = built.value;
  modelMs.push(built.ms);
  for (const format of ['html', 'csv', 'markdown'] as const) {
    const rendered = time(() => renderReport(built.value, format));
    formatMs[format].push(rendered.ms);
    bytes[format] = Buffer.byteLength(rendered.value);
    // REPORT_BENCH_OUT=DIR keeps the last rendering of each format, to open and look at.
    if (process.env.REPORT_BENCH_OUT && rep === REPETITIONS - 1) {
      writeFileSync(join(process.env.REPORT_BENCH_OUT, `report-${count}.${format}`), rendered.value);
    }
  }
}

const htmlTotal = median(modelMs) + median(formatMs.html);
const result = {
  findings: count,
  chartDays: model?.openOverTime.length,
  medianMs: {
    model: Math.round(median(modelMs)),
    html: Math.round(median(formatMs.html)),
    csv: Math.round(median(formatMs.csv)),
    markdown: Math.round(median(formatMs.markdown)),
    modelPlusHtml: Math.round(htmlTotal),
  },
  bytes,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  node: process.version,
  withinBudget: htmlTotal < HTML_BUDGET_MS && (bytes.html ?? 0) < HTML_BUDGET_BYTES,
};
console.log(JSON.stringify(result, null, 2));
if (!result.withinBudget) {
  console.error(
    `over budget: HTML must render in < ${HTML_BUDGET_MS} ms and stay < ${HTML_BUDGET_BYTES} bytes`,
  );
  process.exitCode = 1;
}
