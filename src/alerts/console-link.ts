// Cloud Console links to the resource a finding is about, so an alert reader lands one click from the fix.

import { kindOfRef, parseResourceRef, type ResourceRef } from '../domain/resource-name.js';

const CONSOLE = 'https://console.cloud.google.com';

/**
 * The Console page of a resource, or null when the name cannot be parsed. Console paths are not a documented
 * API: kinds whose detail page path differs between load balancer generations (URL maps, proxies, forwarding
 * rules) link to the project's load balancer list, which always exists.
 */
export function consoleLinkOf(resource: string): string | null {
  const ref = parseResourceRef(resource);
  if (!ref) return null;
  const project = `?project=${encodeURIComponent(ref.project)}`;
  const name = encodeURIComponent(ref.name);
  const location = encodeURIComponent(ref.location);
  switch (kindOfRef(ref)) {
    case 'backendService':
      return ref.scope === 'regions'
        ? `${CONSOLE}/net-services/loadbalancing/backends/details/regionBackendService/${location}/${name}${project}`
        : `${CONSOLE}/net-services/loadbalancing/backends/details/backendService/${name}${project}`;
    case 'networkEndpointGroup':
      return `${CONSOLE}/compute/networkendpointgroups/details/${location}/${name}${project}`;
    case 'urlMap':
    case 'targetHttpProxy':
    case 'targetHttpsProxy':
    case 'forwardingRule':
      return `${CONSOLE}/net-services/loadbalancing/list/loadBalancers${project}`;
    case 'sslPolicy':
      return `${CONSOLE}/net-security/sslpolicies/details/${name}${project}`;
    case 'securityPolicy':
      return `${CONSOLE}/net-security/securitypolicies/details/${name}${project}`;
    case 'gateway':
      return `${CONSOLE}/api-gateway/gateway/${name}/location/${location}${project}`;
    case 'apiConfig':
      return apiPageOf(ref, project);
    default:
      return null;
  }
}

/** An API config's page lives under its API: `locations/global/apis/A/configs/C`. */
function apiPageOf(ref: ResourceRef, project: string): string | null {
  const segments = ref.path.split('/');
  const api = segments[segments.indexOf('apis') + 1];
  if (!segments.includes('apis') || !api) return null;
  return `${CONSOLE}/api-gateway/api/${encodeURIComponent(api)}${project}`;
}
