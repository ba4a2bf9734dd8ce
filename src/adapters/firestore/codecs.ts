// Document <-> domain value for every Firestore collection Gatewarden writes (DESIGN.md §3): findings, history,
// outbox entries, resource snapshots. Times are Firestore Timestamps (TTL on `events.expiresAt` needs one, and range
// queries on `lastSeenAt` compare them natively); the ports speak ISO strings. `lastChange.at` is the audit entry's
// own time and is kept verbatim as text.

import type { DocumentData, DocumentSnapshot } from '@google-cloud/firestore';
import { Timestamp } from '@google-cloud/firestore';
import type { AlertRecord } from '../../domain/alert.js';
import {
  type ChangeAttribution,
  type Finding,
  type FindingState,
  type HistoryRecord,
  type ResourceLabels,
  resourceLabelsOf,
  type Transition,
} from '../../domain/finding.js';
import type { ResourceKind } from '../../domain/resource-kind.js';
import type { ApiRecord } from '../../domain/resources.js';
import { SEVERITIES, type Severity } from '../../domain/severity.js';
import type { ResourceSnapshot } from '../../ports/snapshots.js';
import {
  decodeMap,
  documentIdOf,
  encodeMap,
  isoOf,
  MAX_DOCUMENT_BYTES,
  storedSizeOf,
  timestampOf,
  trimEvidence,
} from './encoding.js';

/** Room left for the outbox copy of a finding (alert fields, attribution) under the 1 MiB document limit. */
const DOCUMENT_MARGIN_BYTES = 32 * 1024;

export interface StoredFinding {
  readonly finding: Finding;
  /** Transitions recorded so far: orders history and proves it has no gaps. */
  readonly revision: number;
  readonly data: DocumentData;
}

/** Trims evidence so the finding, and the outbox entry that copies it, stay under Firestore's document limit. */
export function fitFinding(finding: Finding): Finding & { evidence: Record<string, unknown> } {
  const evidence = encodeMap(finding.evidence);
  const rest = storedSizeOf(encodeFinding({ ...finding, evidence: {} }));
  const budget = MAX_DOCUMENT_BYTES - DOCUMENT_MARGIN_BYTES - rest;
  return { ...finding, evidence: trimEvidence(evidence, budget).evidence };
}

/** Finding -> document fields; `evidence` must already be encoded (see fitFinding). */
export function encodeFinding(finding: Finding): DocumentData {
  return {
    ruleId: finding.ruleId,
    resource: finding.resource,
    resourceType: finding.resourceType,
    project: finding.project,
    location: finding.location,
    subKey: finding.subKey,
    severity: finding.severity,
    state: finding.state,
    message: finding.message,
    evidence: finding.evidence,
    // A stored finding comes from reconcile, which always records first seen; only scans leave it null.
    firstSeenAt: timestampOf(finding.firstSeenAt ?? finding.lastSeenAt, 'firstSeenAt'),
    lastSeenAt: timestampOf(finding.lastSeenAt, 'lastSeenAt'),
    resolvedAt: finding.resolvedAt === null ? null : timestampOf(finding.resolvedAt, 'resolvedAt'),
    reopenCount: finding.reopenCount,
    lastChange: encodeChange(finding.lastChange),
    ...(finding.exemption === undefined
      ? {}
      : { exemption: finding.exemption ? { ...finding.exemption } : null }),
    // Written as null when absent, so a relabelled resource that lost its labels loses them here too.
    labels: finding.labels ? { ...finding.labels } : null,
  };
}

/**
 * A stored finding whose fields are not what encodeFinding writes (edited by hand, or by another tool): named by
 * document ID and field. Readers leave it out with a warning; decoding it anyway crashed every report and sweep that
 * met it (a missing lastSeenAt, an unknown severity, an exemption that is not an object).
 */
export class MalformedFindingError extends Error {
  override readonly name = 'MalformedFindingError';
  readonly retryable = false;
  constructor(
    readonly findingId: string,
    readonly field: string,
    problem: string,
  ) {
    super(`stored finding ${findingId} is malformed: ${field} ${problem}`);
  }
}

export function storedFindingOf(doc: DocumentSnapshot): StoredFinding {
  const data = doc.data() ?? {};
  return { finding: decodeFinding(doc.id, data), revision: Number(data.revision ?? 0), data };
}

const FINDING_STATES: readonly string[] = [
  'open',
  'resolved',
  'muted',
  'undetermined',
] satisfies FindingState[];
const TEXT_FIELDS = ['ruleId', 'resource', 'resourceType', 'project', 'location', 'message'] as const;

/** Document -> Finding; throws MalformedFindingError naming the first field that is not what Gatewarden writes. */
export function decodeFinding(id: string, data: DocumentData): Finding {
  const fault = (field: string, problem: string) => new MalformedFindingError(id, field, problem);
  if (!data || typeof data !== 'object') throw fault('document', 'has no fields');
  for (const field of TEXT_FIELDS) {
    if (typeof data[field] !== 'string') throw fault(field, `is ${describeValue(data[field])}, not text`);
  }
  if (data.subKey !== undefined && data.subKey !== null && typeof data.subKey !== 'string') {
    throw fault('subKey', `is ${describeValue(data.subKey)}, not text or null`);
  }
  if (!(SEVERITIES as readonly unknown[]).includes(data.severity)) {
    throw fault('severity', `is ${describeValue(data.severity)}, not one of ${SEVERITIES.join(', ')}`);
  }
  if (!FINDING_STATES.includes(data.state)) {
    throw fault('state', `is ${describeValue(data.state)}, not one of ${FINDING_STATES.join(', ')}`);
  }
  const reopenCount = Number(data.reopenCount ?? 0);
  if (!Number.isFinite(reopenCount))
    throw fault('reopenCount', `is ${describeValue(data.reopenCount)}, not a number`);
  return {
    id,
    ruleId: data.ruleId,
    resource: data.resource,
    resourceType: data.resourceType,
    project: data.project,
    location: data.location,
    subKey: (data.subKey as string | null | undefined) ?? null,
    severity: data.severity as Severity,
    state: data.state as FindingState,
    message: data.message,
    evidence: decodeMap(data.evidence),
    firstSeenAt: timeField(data, 'firstSeenAt', fault),
    lastSeenAt: timeField(data, 'lastSeenAt', fault),
    resolvedAt:
      data.resolvedAt === null || data.resolvedAt === undefined ? null : timeField(data, 'resolvedAt', fault),
    reopenCount,
    lastChange: decodeChange(data.lastChange),
    ...('exemption' in data ? { exemption: exemptionField(data.exemption, fault) } : {}),
    ...labelsField(data.labels),
  };
}

type Fault = (field: string, problem: string) => MalformedFindingError;

/** A Timestamp, as encodeFinding writes; ISO text is read too (isoOf has always accepted it). */
function timeField(data: DocumentData, field: string, fault: Fault): string {
  const value: unknown = data[field];
  if (value instanceof Timestamp) return isoOf(value);
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
  throw fault(field, `is ${describeValue(value)}, not a Firestore Timestamp`);
}

function exemptionField(value: unknown, fault: Fault): Finding['exemption'] {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw fault('exemption', `is ${describeValue(value)}, not an object`);
  }
  const exemption = value as Record<string, unknown>;
  for (const key of ['reason', 'expires']) {
    if (typeof exemption[key] !== 'string') {
      throw fault(`exemption.${key}`, `is ${describeValue(exemption[key])}, not text`);
    }
  }
  for (const key of ['owner', 'pattern']) {
    if (exemption[key] !== undefined && typeof exemption[key] !== 'string') {
      throw fault(`exemption.${key}`, `is ${describeValue(exemption[key])}, not text`);
    }
  }
  return { ...(exemption as unknown as NonNullable<Finding['exemption']>) };
}

/** A stored value in a warning: its type, and short values themselves (documents may hold anything, at any size). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (value instanceof Timestamp) return 'a Timestamp';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  // Printable ASCII only: the warning reaches terminals and logs, and stored text may hold escape sequences.
  const text = (JSON.stringify(value) ?? String(value)).replace(/[^\x20-\x7e]/g, '?');
  return text.length <= 40 ? `${typeof value} ${text}` : `${typeof value} of ${text.length} characters`;
}

/** Stored labels, string values only; findings written before labels were kept have none. */
function labelsField(value: unknown): { labels?: ResourceLabels } {
  const labels = resourceLabelsOf({ labels: value });
  return labels ? { labels } : {};
}

export function encodeChange(change: ChangeAttribution | null): DocumentData | null {
  return change
    ? { method: change.method, actor: change.actor, at: change.at, entryId: change.entryId }
    : null;
}

export function decodeChange(value: unknown): ChangeAttribution | null {
  if (!value || typeof value !== 'object') return null;
  const change = value as Record<string, unknown>;
  return {
    method: String(change.method),
    actor: (change.actor as string | null | undefined) ?? null,
    at: String(change.at),
    entryId: String(change.entryId),
  };
}

export function encodeHistory(history: HistoryRecord): DocumentData {
  return {
    transition: history.transition,
    from: history.from,
    to: history.to,
    severity: history.severity,
    at: timestampOf(history.at, 'history.at'),
    message: history.message,
    change: encodeChange(history.change),
  };
}

export function decodeHistory(data: DocumentData): HistoryRecord {
  return {
    transition: data.transition as Transition,
    from: (data.from as FindingState | null | undefined) ?? null,
    to: data.to as FindingState,
    severity: data.severity as Severity,
    at: isoOf(data.at),
    message: String(data.message),
    change: decodeChange(data.change),
  };
}

export function encodeAlert(alert: AlertRecord, findingData: DocumentData): DocumentData {
  return {
    findingId: alert.findingId,
    transition: alert.transition,
    finding: findingData,
    change: encodeChange(alert.change),
    createdAt: timestampOf(alert.createdAt, 'alert.createdAt'),
    ...(alert.quiet ? { quiet: true } : {}),
    sentAt: null,
    claim: null,
  };
}

export function decodeAlert(id: string, data: DocumentData): AlertRecord {
  return {
    id,
    findingId: String(data.findingId),
    transition: data.transition as Transition,
    finding: decodeFinding(String(data.findingId), data.finding as DocumentData),
    change: decodeChange(data.change),
    createdAt: isoOf(data.createdAt),
    ...(data.quiet === true ? { quiet: true as const } : {}),
  };
}

/** What a stored snapshot document says of itself (read with a field mask: never its data). */
export interface StoredState {
  readonly name: string;
  readonly hash: string;
  readonly deleted: boolean;
  readonly references: readonly string[];
  readonly observedAt: string;
  /** Written since the judgement store kept the lists of findings (see snapshotWrites). */
  readonly findingsListed: boolean;
}

/** The fields of `resources/{id}` that StoredState needs. */
export const STORED_STATE_FIELDS = ['name', 'hash', 'deleted', 'references', 'observedAt', 'findingsListed'];

/** What a stored snapshot document says of itself; undefined for none. */
export function storedStateOf(data: DocumentData | undefined): StoredState | undefined {
  if (typeof data?.name !== 'string' || typeof data.hash !== 'string') return undefined;
  return {
    name: data.name,
    hash: data.hash,
    deleted: data.deleted === true,
    references: ((data.references as unknown[] | undefined) ?? []).map(String),
    observedAt: data.observedAt === undefined ? new Date(0).toISOString() : isoOf(data.observedAt),
    findingsListed: data.findingsListed === true,
  };
}

/**
 * The `resources/{id}` document of a snapshot, less the findingsListed flag snapshotWrites decides; the lists about the
 * resource (referrers, finding IDs) are kept in `resourceIndex/{id}`, never here.
 */
export function encodeSnapshot(snapshot: ResourceSnapshot): DocumentData {
  return {
    name: snapshot.name,
    type: snapshot.type,
    data: encodeMap(snapshot.data),
    references: [...snapshot.references],
    referenceKeys: [...new Set(snapshot.references.map(documentIdOf))],
    hash: snapshot.hash,
    observedAt: timestampOf(snapshot.observedAt, 'observedAt'),
    deleted: snapshot.deleted,
    project: snapshot.project,
  };
}

export function decodeSnapshot(data: DocumentData, index?: DocumentData): ResourceSnapshot {
  const referrers = ((index?.referrers as unknown[] | undefined) ?? []).map(String);
  return {
    name: String(data.name),
    type: data.type as ResourceKind,
    data: decodeMap(data.data) as ApiRecord,
    references: ((data.references as unknown[] | undefined) ?? []).map(String),
    hash: String(data.hash),
    observedAt: isoOf(data.observedAt),
    deleted: data.deleted === true,
    project: String(data.project),
    ...(referrers.length > 0 ? { referrers } : {}),
  };
}
