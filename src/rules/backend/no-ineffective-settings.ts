// backend.no-ineffective-settings: backend services in front of serverless NEGs set nothing that has no effect there.

import type { BackendService } from '../../domain/resources.js';
import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

interface IneffectiveSetting {
  readonly field: string;
  readonly value: unknown;
  readonly why: string;
}

const SETS_NOTHING_IGNORED = passLater<'backendService'>((service) =>
  pass(`${describe(service)} sets nothing that serverless NEGs ignore.`),
);

export const backendNoIneffectiveSettings = defineRule({
  id: 'backend.no-ineffective-settings',
  title: 'Backend services with serverless NEGs set no settings that serverless NEGs ignore',
  severity: 'LOW',
  source: 'doc',
  appliesTo: ['backendService'],
  rationale:
    'Session affinity, locality load-balancing policies and consistent hashing do not work with serverless NEG ' +
    'backends, and outlier detection does not work on the classic Application Load Balancer or together with IAP. ' +
    'Such settings give a false sense of stickiness or resilience that the load balancer does not deliver.',
  remediation: {
    summary:
      'Remove sessionAffinity, localityLbPolicy and consistentHash; keep outlierDetection only on a global external ' +
      '(EXTERNAL_MANAGED) service without IAP.',
    gcloud:
      'gcloud compute backend-services update BACKEND_SERVICE --global --session-affinity=NONE\n' +
      'gcloud compute backend-services export BACKEND_SERVICE --global --destination=bs.yaml  # remove the fields\n' +
      'gcloud compute backend-services import BACKEND_SERVICE --global --source=bs.yaml',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  session_affinity = "NONE"\n' +
      '  # no locality_lb_policy, consistent_hash; outlier_detection only with EXTERNAL_MANAGED and no iap\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    const settings = ineffectiveSettingsOf(service.data);
    if (settings.length > 0) {
      return fail(
        `${describe(service)} sets ${settings.map((setting) => setting.field).join(', ')}, which ha${settings.length > 1 ? 've' : 's'} no effect with serverless NEGs.`,
        {
          settings: Object.fromEntries(settings.map((setting) => [setting.field, setting.value])),
          why: Object.fromEntries(settings.map((setting) => [setting.field, setting.why])),
        },
      );
    }
    return SETS_NOTHING_IGNORED;
  },
});

function ineffectiveSettingsOf(service: BackendService): IneffectiveSetting[] {
  const settings: IneffectiveSetting[] = [];
  if (service.sessionAffinity !== undefined && service.sessionAffinity !== 'NONE') {
    settings.push({
      field: 'sessionAffinity',
      value: service.sessionAffinity,
      why: 'session affinity does not work with serverless NEGs',
    });
  }
  if (service.localityLbPolicy) {
    settings.push({
      field: 'localityLbPolicy',
      value: service.localityLbPolicy,
      why: 'locality load-balancing policies are not supported with serverless NEGs',
    });
  }
  if (Array.isArray(service.localityLbPolicies) && service.localityLbPolicies.length > 0) {
    settings.push({
      field: 'localityLbPolicies',
      value: service.localityLbPolicies,
      why: 'locality load-balancing policies are not supported with serverless NEGs',
    });
  }
  if (isSet(service.consistentHash)) {
    settings.push({
      field: 'consistentHash',
      value: service.consistentHash,
      why: 'consistent hashing does not work with serverless NEGs',
    });
  }
  if (isSet(service.outlierDetection)) {
    // An absent scheme is EXTERNAL: what the API fills in for a backend service created without one.
    const isClassic = (service.loadBalancingScheme ?? 'EXTERNAL') === 'EXTERNAL';
    const hasIap = service.iap?.enabled === true;
    if (isClassic || hasIap) {
      settings.push({
        field: 'outlierDetection',
        value: service.outlierDetection,
        why: [
          ...(isClassic
            ? ['the classic Application Load Balancer (EXTERNAL) ignores outlier detection']
            : []),
          ...(hasIap ? ['outlier detection does not work together with IAP'] : []),
        ].join('; '),
      });
    }
  }
  return settings;
}

function isSet(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
