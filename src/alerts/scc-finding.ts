// A finding transition as a Security Command Center v2 finding of Gatewarden's custom source: pure, so the sink,
// the backfill command and the simulator's tests all agree on one shape.

import type { ChangeAttribution, Finding, Transition } from '../domain/finding.js';
import { stableJson } from '../domain/stable-json.js';
import { type RuleLookup, summaryOf } from './rule-summary.js';

// Facts this module relies on, from Google's Security Command Center v2 reference (google/cloud/securitycenter/v2 in
// github.com/googleapis/googleapis, finding.proto and securitycenter_service.proto; the REST pages under
// https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings):
// - `state` is OUTPUT_ONLY: it changes only through setState (`POST .../findings/ID:setState {state}`). A new finding
//   is created ACTIVE (Google's v2 create sample sends `state: ACTIVE`, which the server ignores as output only).
//   gcloud 528's `scc findings update --state` sends `state` in a PATCH mask instead; whether the server honours that
//   is not documented, so the sink uses setState, which holds either way.
// - `mute`: "a finding provider shouldn't set the value of mute": it changes only through setMute
//   (`POST .../findings/ID:setMute {mute}`), and only on Gatewarden's own mute / unmute, so an analyst's mute in SCC is
//   not undone by a content update.
// - `resourceName` and `category` are IMMUTABLE (set at creation, never in an update mask).
// - UpdateFinding (PATCH) "creates or updates", but its updateMask "should not be specified when creating a finding":
//   a write creates the finding first (CreateFinding, 409 ALREADY_EXISTS when it is there) and patches under a mask
//   of the content fields only when it exists, as Cloud Custodian's post-finding also does (create, 409 ignored).
// - `eventTime` "must not be set to a value greater than the current timestamp"; on a resolved finding it is when it
//   was resolved.
// - finding IDs: "alphanumeric and less than or equal to 32 characters and greater than 0 characters in length".
// - sourceProperties keys: 1 to 255 characters, starting with a letter, then letters, digits or underscores.
// - No per-finding size limit is documented; https://cloud.google.com/security-command-center/quotas bounds finding
//   uploads at 500 MB a day and writes at 1,000 a minute, hence the evidence and text limits below.

/** SCC's client-chosen finding ID (CreateFindingRequest.finding_id). */
export const SCC_FINDING_ID_PATTERN = /^[a-zA-Z0-9]{1,32}$/;
/** `organizations/O/sources/S`: where Gatewarden's findings are written (Terraform creates the source). */
export const SCC_SOURCE_PATTERN = /^organizations\/\d{1,30}\/sources\/\d{1,30}$/;
/** Source property keys (Finding.source_properties). */
export const SCC_PROPERTY_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,254}$/;
/**
 * Largest evidence text sent. A Gatewarden evidence object can hold a whole URL map; 16 KiB keeps a busy day (a few
 * thousand transitions) far inside SCC's 500 MB daily upload quota. The full evidence stays in the report
 * (externalUri).
 */
export const SCC_EVIDENCE_LIMIT = 16 * 1024;
/** Description and next steps are plain text; long ones are cut rather than sent whole (no documented limit). */
export const SCC_TEXT_LIMIT = 4 * 1024;
/**
 * The fields an update of an existing finding sets: content only. Not `state` (output only: setState), not `mute`
 * (setMute), not `resourceName` or `category` (immutable). An empty mask would mean "every mutable field", mute
 * included, so the mask is always named.
 */
export const SCC_UPDATE_MASK = [
  'eventTime',
  'severity',
  'findingClass',
  'externalUri',
  'sourceProperties',
  'description',
  'nextSteps',
].join(',');

export type SccState = 'ACTIVE' | 'INACTIVE';
export type SccMute = 'MUTED' | 'UNMUTED';
export type SccSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** What an update of an existing finding sends (v2 JSON names): exactly the fields of SCC_UPDATE_MASK. */
export interface SccFindingContent {
  readonly eventTime: string;
  readonly severity: SccSeverity;
  readonly findingClass: 'MISCONFIGURATION';
  readonly externalUri?: string;
  readonly sourceProperties: Readonly<Record<string, string | number | boolean>>;
  readonly description: string;
  readonly nextSteps: string;
}

/** What a create sends: the content, the immutable identity, and `state: ACTIVE` as Google's create sample does. */
export interface SccFindingBody extends SccFindingContent {
  readonly parent: string;
  readonly resourceName: string;
  readonly category: string;
  readonly state: 'ACTIVE';
}

/** A finding as SCC answers it (list), the fields Gatewarden reads. */
export interface SccFindingView extends Partial<Omit<SccFindingBody, 'state'>> {
  readonly name: string;
  readonly state?: string;
  readonly mute?: string;
}

/**
 * One transition mirrored: create (or, when the finding exists, update the content), then set the state and the mute
 * where the transition changed them. Every call is idempotent, so a redelivered write changes nothing.
 */
export interface SccWrite {
  /** The finding's relative name, `organizations/O/sources/S/locations/global/findings/ID`. */
  readonly name: string;
  /** `organizations/O/sources/S/locations/global`: CreateFinding's parent. */
  readonly parent: string;
  readonly findingId: string;
  readonly create: SccFindingBody;
  readonly update: { readonly updateMask: string; readonly body: SccFindingContent };
  /** The state to set (setState), or null when the transition left it alone (an escalation, an evidence update). */
  readonly state: SccState | null;
  /** The mute to set (setMute), or null to leave SCC's mute as it is (an analyst's, or none). */
  readonly mute: SccMute | null;
}

/** The calls after the content is written: a new finding is already ACTIVE, so it needs no setState to be ACTIVE. */
export function sccFollowUpsOf(
  write: SccWrite,
  created: boolean,
): readonly (
  | { readonly call: 'setState'; readonly state: SccState }
  | { readonly call: 'setMute'; readonly mute: SccMute }
)[] {
  return [
    ...(write.state && !(created && write.state === 'ACTIVE')
      ? [{ call: 'setState' as const, state: write.state }]
      : []),
    ...(write.mute ? [{ call: 'setMute' as const, mute: write.mute }] : []),
  ];
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

/** Transitions that change whether the finding is active; an escalation or an evidence update leaves SCC's state. */
const STATE_TRANSITIONS: ReadonlySet<Transition> = new Set([
  'opened',
  'reopened',
  'resolved',
  'undetermined',
  'muted',
]);

/**
 * MUTED when Gatewarden mutes (an exemption, or a backfill of a muted finding); UNMUTED when a finding counts again
 * (`reopened` covers an expired exemption, and a muted finding that resolved and failed again would otherwise stay
 * muted); otherwise SCC's mute is left alone.
 */
function sccMuteOf(item: SccTransition): SccMute | null {
  if (item.finding.state === 'muted' && (item.transition === 'muted' || item.transition === null))
    return 'MUTED';
  if (item.transition === 'reopened') return 'UNMUTED';
  return null;
}

export function sccWriteOf(item: SccTransition, options: SccMappingOptions): SccWrite {
  const { finding } = item;
  if (!SCC_SOURCE_PATTERN.test(options.source)) {
    throw new Error(`SCC source ${JSON.stringify(options.source)} is not organizations/ORG/sources/SOURCE`);
  }
  const findingId = sccFindingIdOf(finding.id);
  const parent = `${options.source}/locations/global`;
  const summary = summaryOf(finding.ruleId, options.lookup);
  const content: SccFindingContent = {
    eventTime: item.at,
    severity: finding.severity,
    findingClass: 'MISCONFIGURATION',
    ...(options.reportUrl ? { externalUri: reportLinkOf(options.reportUrl, finding.id) } : {}),
    sourceProperties: sourcePropertiesOf(item),
    description: cut(`${summary.title}. ${finding.message}`, SCC_TEXT_LIMIT),
    nextSteps: cut(summary.remediation, SCC_TEXT_LIMIT),
  };
  return {
    name: `${parent}/findings/${findingId}`,
    parent,
    findingId,
    create: { parent, resourceName: finding.resource, category: finding.ruleId, state: 'ACTIVE', ...content },
    update: { updateMask: SCC_UPDATE_MASK, body: content },
    state: item.transition === null || STATE_TRANSITIONS.has(item.transition) ? sccStateOf(finding) : null,
    mute: sccMuteOf(item),
  };
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
