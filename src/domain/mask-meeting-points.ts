// Where URL-mask NEGs and the gateways they reach find each other in stored snapshots: two names per project and
// region that no resource has, which gateways and mask NEGs reference and are listed under like referrers. A
// gateway's event reads the mask NEGs of its region from one, a mask NEG's event the gateways from the other, with
// no list call (RULES.md: a mask NEG reaches every gateway of its project in its region).

import type { ResourceKind } from './resource-kind.js';
import { parseResourceRef, regionOfRef } from './resource-name.js';
import type { ApiRecord, NetworkEndpointGroup } from './resources.js';
import { isMaskNeg } from './serverless.js';

/** The gateways of a project in a region: `//apigateway.googleapis.com/projects/P/locations/R/gateways`. */
export function gatewaysMeetingPoint(project: string, region: string): string {
  return `//apigateway.googleapis.com/projects/${project}/locations/${region}/gateways`;
}

/** The mask NEGs of a project in a region. The `#` keeps it from parsing as any resource's name. */
export function maskNegsMeetingPoint(project: string, region: string): string {
  return `//compute.googleapis.com/projects/${project}/regions/${region}/networkEndpointGroups#urlMask`;
}

const MEETING_POINT =
  /^\/\/(?:apigateway\.googleapis\.com\/projects\/[^/]+\/locations\/[^/]+\/gateways|compute\.googleapis\.com\/projects\/[^/]+\/regions\/[^/]+\/networkEndpointGroups#urlMask)$/;

export function isMeetingPoint(name: string): boolean {
  return MEETING_POINT.test(name);
}

interface Located {
  readonly project: string;
  readonly region: string;
}

/**
 * Where a resource is, from its own record's name where there is one: an audit entry may name a gateway's project by
 * number, while the record names it by ID, as snapshots do.
 */
function locationOf(name: string, data: ApiRecord | undefined): Located | undefined {
  const own = data?.selfLink ?? data?.name;
  const ref = parseResourceRef(typeof own === 'string' && parseResourceRef(own) ? own : name);
  const region = ref ? regionOfRef(ref) : undefined;
  return ref && region ? { project: ref.project, region } : undefined;
}

/** The meeting point a resource is listed under: a gateway under its region's gateways, a mask NEG under its masks. */
export function meetingPointsOf(kind: ResourceKind, name: string, data: ApiRecord | undefined): string[] {
  const at = locationOf(name, data);
  if (!at) return [];
  if (kind === 'gateway') return [gatewaysMeetingPoint(at.project, at.region)];
  if (kind === 'networkEndpointGroup' && data && isMaskNeg(data as NetworkEndpointGroup)) {
    return [maskNegsMeetingPoint(at.project, at.region)];
  }
  return [];
}

/**
 * The meeting points whose listed names belong in a resource's judgement: a gateway (live, deleted or new) needs the
 * mask NEGs of its region, which reach it; a mask NEG needs every gateway of its region.
 */
export function meetingPointsToRead(kind: ResourceKind, name: string, data: ApiRecord | undefined): string[] {
  const at = locationOf(name, data);
  if (!at) return [];
  if (kind === 'gateway') return [maskNegsMeetingPoint(at.project, at.region)];
  if (kind === 'networkEndpointGroup' && data && isMaskNeg(data as NetworkEndpointGroup)) {
    return [gatewaysMeetingPoint(at.project, at.region)];
  }
  return [];
}
