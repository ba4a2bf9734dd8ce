// A finding transition as a Security Command Center v2 finding of Gatewarden's custom source: pure, so the sink,
// the backfill command and the simulator's tests all agree on one shape.

import type { ChangeAttribution, Finding, Transition } from '../domain/finding.js';
import { stableJson } from '../domain/stable-json.js';
import { type RuleLookup, summaryOf } from './rule-summary.js';

/**
 * SCC's client-chosen finding ID: "alphanumeric and less than or equal to 32 characters and greater than 0 characters
 * in length" (CreateFindingRequest.finding_id, securitycenter v1 and v2 reference).
 */
export const SCC_FINDING_ID_PATTERN = /^[a-zA-Z0-9]{1,32}$/;
/** `organizations/O/sources/S`: where Gatewarden's findings are written (Terraform creates the source). */
export const SCC_SOURCE_PATTERN = /^organizations\/\d{1,30}\/sources\/\d{1,30}$/;
/** Source property keys: a letter, then letters, digits or underscores, at most 255 characters (SCC's rule). */
export const SCC_PROPERTY_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,254}$/;
/**
 * Largest evidence text sent: SCC bounds the whole finding message, and a Gatewarden evidence object can hold a whole
 * URL map. 16 KiB keeps a finding far inside the limit with room for the other fields; the full evidence stays in the
 * report (externalUri).
 */
export const SCC_EVIDENCE_LIMIT = 16 * 1024;
/** SCC's description and next steps are plain text; long ones are cut rather than refused. */
export const SCC_TEXT_LIMIT = 4 * 1024;
/** Every field a Gatewarden write sets: one patch creates or replaces them, so a redelivery writes the same finding. */
export const SCC_UPDATE_MASK = [
  'resourceName',
  'state',
  'category',
  'externalUri',
  'sourceProperties',
  'eventTime',
  'severity',
  'mute',
  'findingClass',
  'description',
  'nextSteps',
].join(',');

export type SccState = 'ACTIVE' | 'INACTIVE';
export type SccMute = 'MUTED' | 'UNMUTED';
export type SccSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** The Finding fields Gatewarden writes (v2 JSON names). */
export interface SccFindingBody {
  readonly name: string;
  readonly parent: string;
  readonly resourceName: string;
  readonly state: SccState;
  readonly category: string;
  readonly externalUri?: string;
  readonly sourceProperties: Readonly<Record<string, string | number | boolean>>;
  readonly eventTime: string;
  readonly severity: SccSeverity;
  readonly mute: SccMute;
  readonly findingClass: 'MISCONFIGURATION';
  readonly description: string;
  readonly nextSteps: string;
}

export interface SccWrite {
  /** The finding's relative name, `organizations/O/sources/S/locations/global/findings/ID`. */
  readonly name: string;
  readonly findingId: string;
  readonly updateMask: string;
  readonly body: SccFindingBody;
}

/** One thing to mirror: a finding as it stands after `transition` (null from a backfill), at `at`. */
export interface SccTransition {
  readonly finding: Finding;
  readonly transition: Transition | null;
  readonly at: string;
  readonly change: ChangeAttribution | null;
}

export interface SccMappingOptions {
  /** `organizations/O/sources/S`. */
  readonly source: string;
  readonly lookup: RuleLookup;
  /** The report page; the finding's link adds `?finding=ID`. */
  readonly reportUrl?: string;
}

/** Stable and valid for SCC: the first 32 hex characters of Gatewarden's (SHA-256 derived, hex) finding ID. */
export function sccFindingIdOf(findingId: string): string {
  const id = findingId
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 32);
  if (!SCC_FINDING_ID_PATTERN.test(id))
    throw new Error(`finding ID ${JSON.stringify(findingId)} has no SCC form`);
  return id;
}

/**
 * ACTIVE while Gatewarden holds the resource failing (open, or undetermined: it could not show it passes) or muted
 * (SCC hides muted findings; their state stays what the resource is); INACTIVE once resolved.
 */
export function sccStateOf(finding: Finding): SccState {
  return finding.state === 'resolved' ? 'INACTIVE' : 'ACTIVE';
}

export function sccWriteOf(item: SccTransition, options: SccMappingOptions): SccWrite {
  const { finding } = item;
  if (!SCC_SOURCE_PATTERN.test(options.source)) {
    throw new Error(`SCC source ${JSON.stringify(options.source)} is not organizations/ORG/sources/SOURCE`);
  }
  const findingId = sccFindingIdOf(finding.id);
  const name = `${options.source}/locations/global/findings/${findingId}`;
  const summary = summaryOf(finding.ruleId, options.lookup);
  const body: SccFindingBody = {
    name,
    parent: `${options.source}/locations/global`,
    resourceName: finding.resource,
    state: sccStateOf(finding),
    category: finding.ruleId,
    ...(options.reportUrl ? { externalUri: reportLinkOf(options.reportUrl, finding.id) } : {}),
    sourceProperties: sourcePropertiesOf(item),
    eventTime: item.at,
    severity: finding.severity,
    mute: finding.state === 'muted' ? 'MUTED' : 'UNMUTED',
    findingClass: 'MISCONFIGURATION',
    description: cut(`${summary.title}. ${finding.message}`, SCC_TEXT_LIMIT),
    nextSteps: cut(summary.remediation, SCC_TEXT_LIMIT),
  };
  return { name, findingId, updateMask: SCC_UPDATE_MASK, body };
}

function sourcePropertiesOf(item: SccTransition): Record<string, string | number | boolean> {
  const { finding } = item;
  const properties: Record<string, string | number | boolean> = {
    gatewardenFindingId: finding.id,
    ruleId: finding.ruleId,
    project: finding.project,
    location: finding.location,
    resourceType: finding.resourceType,
    gatewardenState: finding.state,
    reopenCount: finding.reopenCount,
    ...(item.transition ? { transition: item.transition } : {}),
    ...(finding.subKey ? { subKey: finding.subKey } : {}),
    ...(finding.firstSeenAt ? { firstSeenAt: finding.firstSeenAt } : {}),
  };
  if (finding.state === 'muted' && finding.exemption) {
    // SCC keeps no reason with a static mute: the exemption's own words travel with the finding.
    properties.exemptionReason = cut(finding.exemption.reason, SCC_TEXT_LIMIT);
    properties.exemptionExpires = finding.exemption.expires;
    if (finding.exemption.owner) properties.exemptionOwner = finding.exemption.owner;
  }
  const change = item.change ?? finding.lastChange;
  if (change) {
    properties.changeMethod = change.method;
    if (change.actor) properties.changeActor = change.actor;
    properties.changeEntryId = change.entryId;
  }
  const evidence = stableJson(finding.evidence);
  if (evidence.length > SCC_EVIDENCE_LIMIT) {
    properties.evidence = cut(evidence, SCC_EVIDENCE_LIMIT);
    properties.evidenceTruncated = true;
    properties.evidenceLength = evidence.length;
  } else {
    properties.evidence = evidence;
  }
  return properties;
}

function reportLinkOf(reportUrl: string, findingId: string): string {
  const url = new URL(reportUrl);
  url.searchParams.set('finding', findingId);
  return url.toString();
}

/** At most `limit` characters, the cut marked, never splitting a surrogate pair. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const marker = '… [truncated]';
  let end = limit - marker.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + marker;
}
