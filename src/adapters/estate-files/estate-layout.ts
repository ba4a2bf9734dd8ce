// The estate directory (DESIGN.md §7): which gcloud export each file holds, and what names its records.

import type { ResourceKind } from '../../domain/resource-kind.js';

export interface EstateFile {
  readonly file: string;
  readonly kind: ResourceKind;
  /** Compute records are named by `selfLink` (and carry `name`); API Gateway records by `name` alone. */
  readonly service: 'compute' | 'apigateway';
  /** What the file should be made with, for error messages. */
  readonly exportedWith: string;
  /** How a record of this kind is called in messages. */
  readonly label: string;
}

export const ESTATE_FILES: readonly EstateFile[] = [
  {
    file: 'backend-services.json',
    kind: 'backendService',
    service: 'compute',
    exportedWith: 'gcloud compute backend-services list --format=json',
    label: 'backend service',
  },
  {
    file: 'network-endpoint-groups.json',
    kind: 'networkEndpointGroup',
    service: 'compute',
    exportedWith: 'gcloud beta compute network-endpoint-groups list --format=json',
    label: 'network endpoint group',
  },
  {
    file: 'url-maps.json',
    kind: 'urlMap',
    service: 'compute',
    exportedWith: 'gcloud compute url-maps list --format=json',
    label: 'URL map',
  },
  {
    file: 'target-http-proxies.json',
    kind: 'targetHttpProxy',
    service: 'compute',
    exportedWith: 'gcloud compute target-http-proxies list --format=json',
    label: 'target HTTP proxy',
  },
  {
    file: 'target-https-proxies.json',
    kind: 'targetHttpsProxy',
    service: 'compute',
    exportedWith: 'gcloud compute target-https-proxies list --format=json',
    label: 'target HTTPS proxy',
  },
  {
    file: 'forwarding-rules.json',
    kind: 'forwardingRule',
    service: 'compute',
    exportedWith: 'gcloud compute forwarding-rules list --format=json',
    label: 'forwarding rule',
  },
  {
    file: 'ssl-policies.json',
    kind: 'sslPolicy',
    service: 'compute',
    exportedWith: 'gcloud compute ssl-policies list --format=json',
    label: 'SSL policy',
  },
  {
    file: 'security-policies.json',
    kind: 'securityPolicy',
    service: 'compute',
    exportedWith: 'gcloud compute security-policies list --format=json',
    label: 'security policy',
  },
  {
    file: 'gateways.json',
    kind: 'gateway',
    service: 'apigateway',
    exportedWith: 'gcloud api-gateway gateways list --format=json',
    label: 'gateway',
  },
  {
    file: 'api-configs.json',
    kind: 'apiConfig',
    service: 'apigateway',
    exportedWith:
      'gcloud api-gateway api-configs describe CONFIG --api=API --view=FULL --format=json, one per config',
    label: 'API config',
  },
];

/** Optional: `gcloud projects describe P --format=json` (one object) or `gcloud projects list --format=json`. */
export const PROJECTS_FILE = 'projects.json';

/** Optional: written by `gatewarden baseline save`. */
export const BASELINE_FILE = 'baseline.json';
