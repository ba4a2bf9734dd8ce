// backend.serverless-not-mixed: serverless NEGs do not share a backend service with any other kind of backend.

import type { BackendLink } from '../../domain/graph.js';
import { isServerlessNeg } from '../../domain/serverless.js';
import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

/** Said from the service's links again (the graph's, unchanged): no closure per passing service. */
const HOLDS_ONLY_SERVERLESS_NEGS = passLater<'backendService'>((service, { graph }) => {
  const evidence = evidenceOf(graph.backendsOf(service));
  const caveat = evidence.notJudged ? ` (${evidence.notJudged.length} backend(s) not in the inventory)` : '';
  return pass(`${describe(service)} holds only serverless NEGs${caveat}.`, evidence);
});

export const backendServerlessNotMixed = defineRule({
  id: 'backend.serverless-not-mixed',
  title: 'Serverless NEGs do not share a backend service with other backends',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'A backend service holding serverless NEGs cannot also hold instance groups or zonal, internet, hybrid or ' +
    'Private Service Connect NEGs. Mixed services are rejected or misroute traffic, and the health checks the ' +
    'other backends need are forbidden with serverless NEGs.',
  remediation: {
    summary:
      'Move the non-serverless backends to their own backend service and route to it from the URL map.',
    gcloud:
      'gcloud compute backend-services remove-backend BACKEND_SERVICE --global --instance-group=GROUP ' +
      '--instance-group-zone=ZONE\ngcloud compute backend-services create OTHER_SERVICE --global ...',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  # serverless NEG backends only\n  backend {\n' +
      '    group = google_compute_region_network_endpoint_group.neg.id\n  }\n}\n' +
      'resource "google_compute_backend_service" "vms" {\n  # instance groups and other NEGs here\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    const links = graph.backendsOf(service);
    const mixed = links.some((link) => {
      // As evidenceOf sorts them: an empty type is a backend not judged.
      const type = backendTypeOf(link);
      return type !== undefined && type !== '' && type !== 'SERVERLESS';
    });
    if (!mixed) return HOLDS_ONLY_SERVERLESS_NEGS;
    const evidence = evidenceOf(links);
    return fail(
      `${describe(service)} mixes serverless NEGs with ${evidence.other.length} other backend(s).`,
      evidence,
    );
  },
});

/** Each backend's group, sorted by kind: serverless NEGs, other kinds, and groups the inventory does not hold. */
function evidenceOf(links: readonly BackendLink[]): {
  serverless: string[];
  other: { group: string; type: string }[];
  notJudged?: string[];
} {
  const serverless: string[] = [];
  const other: { group: string; type: string }[] = [];
  const notJudged: string[] = [];
  for (const link of links) {
    const group = link.groupName ?? String(link.backend.group);
    const type = backendTypeOf(link);
    if (type === 'SERVERLESS') serverless.push(group);
    else if (type) other.push({ group, type });
    else notJudged.push(group);
  }
  return { serverless, other, ...(notJudged.length > 0 ? { notJudged } : {}) };
}

/** The NEG type, `instance group`, or undefined when the backend cannot be judged. */
function backendTypeOf(link: BackendLink): string | undefined {
  if (link.neg)
    return isServerlessNeg(link.neg.data)
      ? 'SERVERLESS'
      : (link.neg.data.networkEndpointType ?? 'unknown NEG type');
  // An instance group link says what it is; a NEG absent from the inventory could be of any type.
  return link.isInstanceGroup ? 'instance group' : undefined;
}
