// drift.matches-baseline: governed fields of a resource equal the values approved in its baseline.

import type { BaselineEntry } from '../../domain/baseline.js';
import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
import { stableJson } from '../../domain/stable-json.js';
import {
  defineRule,
  describe,
  fail,
  notApplicable,
  notApplicableLater,
  pass,
  type Verdict,
} from '../define-rule.js';
import {
  captureGovernedFields,
  GOVERNED_KINDS,
  isGovernedKind,
  normaliseGovernedValue,
  resolveGovernedFields,
} from './governed-fields.js';

/**
 * Evidence of one drifted field. The event path adds `changedBy` (`{ actor, method, at, entryId }` of the
 * audit entry that made the change); a sweep cannot know who changed it and leaves it out.
 */
export interface DriftEvidence {
  readonly field: string;
  readonly baseline: unknown;
  readonly current: unknown;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  readonly changedBy?: {
    readonly actor: string;
    readonly method: string;
    readonly at: string;
    readonly entryId?: string;
  };
}

const NO_BASELINE = notApplicableLater((node) =>
  notApplicable(`No baseline was approved for ${describe(node)}.`),
);

const NOT_GOVERNED = notApplicableLater((node) => notApplicable(`${describe(node)} has no governed fields.`));

export const driftMatchesBaseline = defineRule({
  id: 'drift.matches-baseline',
  title: 'Governed settings match the approved baseline',
  severity: 'HIGH',
  source: 'design card',
  appliesTo: GOVERNED_KINDS,
  rationale:
    'The settings that make a load balancer in front of API Gateway safe (Cloud Armor, IAP, CDN cache mode, ' +
    'logging, which NEGs and gateways serve it, which API config a gateway serves, TLS policy and certificates) ' +
    'were reviewed when the baseline was approved. A change made outside that review (a console edit, a ' +
    'hot-fix with gcloud) silently removes a protection; comparing against the baseline makes it visible.',
  remediation: {
    summary:
      'Restore the approved value (re-apply the Terraform that owns the resource), or, when the change was ' +
      'intended, review it and approve it: `gatewarden baseline approve --project P --resource NAME` for the ' +
      'deployed functions (Firestore), or `gatewarden baseline save` for a baseline.json beside an estate.',
    gcloud:
      'gcloud compute backend-services update BACKEND_SERVICE --global --security-policy=APPROVED_POLICY',
    terraform: 'terraform plan   # shows the drift against the configuration; terraform apply restores it',
  },
  references: [
    'https://cloud.google.com/logging/docs/audit',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_backend_service',
  ],
  evaluate(node, context) {
    const entry = context.baseline?.resources[node.fullName];
    if (!entry) return NO_BASELINE;
    if (!isGovernedKind(node.kind)) return NOT_GOVERNED;
    const fieldSet = resolveGovernedFields(context.governedFields);
    return compareWithBaseline(
      node,
      context.graph,
      entry,
      captureGovernedFields(node, context.graph, fieldSet),
    );
  },
});

function compareWithBaseline(
  node: ResourceNode,
  graph: ResourceGraph,
  entry: BaselineEntry,
  current: Readonly<Record<string, unknown>>,
): Verdict | Verdict[] {
  const drifted: Verdict[] = [];
  const compared: string[] = [];
  for (const [field, value] of Object.entries(current)) {
    // A field added to the governed set after approval has no approved value: nothing to drift from.
    if (!Object.hasOwn(entry.fields, field)) continue;
    compared.push(field);
    const approved = normaliseGovernedValue(entry.fields[field], graph);
    if (stableJson(approved) === stableJson(value)) continue;
    const evidence: DriftEvidence = {
      field,
      baseline: approved,
      current: value,
      ...(entry.approvedBy ? { approvedBy: entry.approvedBy } : {}),
      ...(entry.approvedAt ? { approvedAt: entry.approvedAt } : {}),
    };
    drifted.push(
      fail(
        `${capitalise(describe(node))}: ${field} is ${summarise(value)}, the approved baseline has ${summarise(approved)}.`,
        { ...evidence },
        { subKey: field },
      ),
    );
  }
  if (drifted.length > 0) return drifted;
  return pass(`${capitalise(describe(node))} matches its approved baseline.`, { fields: compared });
}

function summarise(value: unknown): string {
  if (value === null) return 'none';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
