// Security Command Center v2, the part Gatewarden uses: create, update (under a mask), setState and setMute of a
// finding of an organization source, and list a source's findings, with Google's validation of IDs and fields, so the
// SCC sink meets real refusals.
//
// Sources for each rule (Google's v2 reference: finding.proto and securitycenter_service.proto in
// github.com/googleapis/googleapis google/cloud/securitycenter/v2, and the REST pages under
// https://cloud.google.com/security-command-center/docs/reference/rest/v2/organizations.sources.locations.findings):
// - finding IDs: "alphanumeric and less than or equal to 32 characters and greater than 0 characters in length";
// - `state`, `createTime`, `muteUpdateTime`, `muteInfo`, `canonicalName`, `securityMarks`, `parentDisplayName`,
//   `externalSystems`, `contacts` are OUTPUT_ONLY: google.api.field_behavior says the server must ignore them in a
//   request and must not fail because of them, so they are dropped from bodies and masks, never refused. `state`
//   changes through :setState only, and a new finding is ACTIVE;
// - `resourceName`, `category` (and `parent`) are IMMUTABLE: an update may name them only with the value they have
//   (AIP-203: "ignore the field if the value matches, error with INVALID_ARGUMENT if a change is requested");
// - UpdateFinding's updateMask "should not be specified when creating a finding": a masked patch of a finding that does
//   not exist is refused here (stricter than Google may be, so a client that relies on it is caught); without a mask a
//   patch creates, and on an existing finding it updates "all mutable fields and replacing sourceProperties";
// - `eventTime` "must not be set to a value greater than the current timestamp";
// - sourceProperties keys: 1 to 255 characters, a letter first, then letters, digits or underscores;
// - enums: Severity, Mute, FindingClass as in finding.proto; list pages: default 10, at most 1000.
// Assumed, not documented: a create without `resourceName` or `category` is refused (every Gatewarden finding has both).

import { ApiError } from './api-error.js';
import type { HandlerResult } from './request-context.js';

const FINDING_ID = /^[a-zA-Z0-9]{1,32}$/;
const PROPERTY_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,254}$/;
const STATES = new Set(['ACTIVE', 'INACTIVE']);
const SEVERITIES = new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
const MUTES = new Set(['MUTED', 'UNMUTED', 'UNDEFINED']);
const FINDING_CLASSES = new Set([
  'THREAT',
  'VULNERABILITY',
  'MISCONFIGURATION',
  'OBSERVATION',
  'SCC_ERROR',
  'POSTURE_VIOLATION',
  'TOXIC_COMBINATION',
  'SENSITIVE_DATA_RISK',
]);
/** The Finding fields this simulator keeps that a client may write. */
const WRITABLE_FIELDS = new Set([
  'parent',
  'resourceName',
  'category',
  'externalUri',
  'sourceProperties',
  'eventTime',
  'severity',
  'mute',
  'findingClass',
  'description',
  'nextSteps',
]);
const OUTPUT_ONLY_FIELDS = new Set([
  'name',
  'state',
  'canonicalName',
  'createTime',
  'muteUpdateTime',
  'muteInfo',
  'securityMarks',
  'parentDisplayName',
  'externalSystems',
  'contacts',
]);
/** Set at creation, never changed by an update. */
const IMMUTABLE_FIELDS = ['parent', 'resourceName', 'category'] as const;
const PAGE_SIZE_DEFAULT = 10;
const PAGE_SIZE_MAX = 1000;

type StoredFinding = Record<string, unknown> & { name: string };

/** The findings of the sources that exist (an organization's sources are created by Terraform, not here). */
export class SccState {
  private readonly sources: Set<string>;
  private readonly findings = new Map<string, StoredFinding>();

  constructor(sources: readonly string[] = []) {
    this.sources = new Set(sources);
  }

  findingsOf(source: string): StoredFinding[] {
    return [...this.findings.values()]
      .filter((finding) => finding.name.startsWith(`${source}/`))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  hasSource(source: string): boolean {
    return this.sources.has(source);
  }

  put(finding: StoredFinding): void {
    this.findings.set(finding.name, finding);
  }

  get(name: string): StoredFinding | undefined {
    return this.findings.get(name);
  }
}

/** The answer for an SCC v2 request, or undefined when `path` is not one. */
export function handleSccRequest(
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  scc: SccState,
  now: Date,
): HandlerResult | undefined {
  // "If no location is specified, finding is assumed to be in global": both bindings are served.
  const match = path.match(
    /^\/v2\/(organizations\/[^/]+\/sources\/[^/]+)(?:\/locations\/([^/]+))?\/findings(?:\/([^/:]*)(?::([A-Za-z]+))?)?$/,
  );
  if (!match) return undefined;
  const [, source = '', location = 'global', rawId, verb] = match;
  if (!scc.hasSource(source)) {
    throw new ApiError(404, 'notFound', `Requested entity was not found: ${source}`);
  }
  if (location !== 'global') {
    throw new ApiError(400, 'badRequest', `Location ${location} is not supported for this source`);
  }
  const parent = `${source}/locations/global`;
  if (rawId === undefined) {
    if (method === 'GET') return listFindings(scc.findingsOf(source), query);
    if (method === 'POST') {
      const findingId = validFindingId(query.get('findingId') ?? '');
      return { status: 200, body: createFinding(`${parent}/findings/${findingId}`, parent, body, scc, now) };
    }
    throw new ApiError(405, 'methodNotAllowed', `${method} is not allowed here`);
  }
  const name = `${parent}/findings/${validFindingId(decodeURIComponent(rawId))}`;
  if (verb === 'setState' || verb === 'setMute') {
    if (method !== 'POST') throw new ApiError(405, 'methodNotAllowed', `${method} is not allowed here`);
    return { status: 200, body: setField(verb, name, body, scc, now) };
  }
  if (verb !== undefined) throw new ApiError(404, 'notFound', `Method ${verb} is not served`);
  if (method !== 'PATCH') throw new ApiError(405, 'methodNotAllowed', `${method} is not allowed here`);
  return { status: 200, body: updateFinding(name, parent, query, body, scc, now) };
}

function validFindingId(findingId: string): string {
  if (!FINDING_ID.test(findingId)) {
    throw new ApiError(
      400,
      'badRequest',
      `Invalid finding ID "${findingId.slice(0, 80)}": it must be alphanumeric and between 1 and 32 characters`,
    );
  }
  return findingId;
}

function findingBodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'badRequest', 'The request body must be a Finding');
  }
  return body as Record<string, unknown>;
}

function createFinding(name: string, parent: string, body: unknown, scc: SccState, now: Date): StoredFinding {
  const finding = findingBodyOf(body);
  if (scc.get(name)) throw new ApiError(409, 'alreadyExists', `Finding ${name} already exists`);
  validateFields(finding, now);
  for (const required of ['resourceName', 'category']) {
    if (typeof finding[required] !== 'string' || finding[required] === '') {
      throw new ApiError(400, 'badRequest', `Creating a finding requires ${required}`);
    }
  }
  if (
    finding.parent !== undefined &&
    finding.parent !== parent &&
    `${finding.parent}/locations/global` !== parent
  ) {
    throw new ApiError(400, 'badRequest', `finding.parent ${String(finding.parent)} does not match the URL`);
  }
  const stored: StoredFinding = {
    ...writableOf(finding),
    name,
    parent,
    state: 'ACTIVE',
    mute: finding.mute ?? 'UNDEFINED',
    createTime: now.toISOString(),
  };
  scc.put(stored);
  return stored;
}

function updateFinding(
  name: string,
  parent: string,
  query: URLSearchParams,
  body: unknown,
  scc: SccState,
  now: Date,
): StoredFinding {
  const finding = findingBodyOf(body);
  if (finding.name !== undefined && finding.name !== name) {
    throw new ApiError(400, 'badRequest', `finding.name ${String(finding.name)} does not match the URL`);
  }
  const mask = (query.get('updateMask') ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field.length > 0);
  for (const field of mask) {
    const top = field.split('.')[0] ?? field;
    if (!WRITABLE_FIELDS.has(top) && !OUTPUT_ONLY_FIELDS.has(top)) {
      throw new ApiError(400, 'badRequest', `Invalid update mask path "${field}"`);
    }
    if (field.includes('.') && top !== 'sourceProperties') {
      throw new ApiError(400, 'badRequest', `Invalid update mask path "${field}"`);
    }
  }
  const existing = scc.get(name);
  if (!existing) {
    if (mask.length > 0) {
      throw new ApiError(400, 'badRequest', 'updateMask must not be specified when creating a finding');
    }
    return createFinding(name, parent, finding, scc, now);
  }
  validateFields(finding, now);
  // Output-only paths are ignored; an empty mask updates every mutable field and replaces sourceProperties.
  const fields = (mask.length > 0 ? mask : [...WRITABLE_FIELDS]).filter(
    (field) => !OUTPUT_ONLY_FIELDS.has(field.split('.')[0] ?? field),
  );
  for (const field of IMMUTABLE_FIELDS) {
    if (fields.includes(field) && finding[field] !== undefined && finding[field] !== existing[field]) {
      throw new ApiError(400, 'badRequest', `${field} is immutable after creation`);
    }
  }
  const stored: StoredFinding = { ...existing };
  for (const field of fields) {
    const top = field.split('.')[0] ?? field;
    if ((IMMUTABLE_FIELDS as readonly string[]).includes(top)) continue;
    if (top === 'sourceProperties' && field.includes('.')) {
      const key = field.slice('sourceProperties.'.length);
      const properties = { ...((stored.sourceProperties as Record<string, unknown>) ?? {}) };
      const value = (finding.sourceProperties as Record<string, unknown> | undefined)?.[key];
      if (value === undefined) delete properties[key];
      else properties[key] = value;
      stored.sourceProperties = properties;
    } else if (finding[top] !== undefined) {
      stored[top] = finding[top];
    } else {
      delete stored[top];
    }
  }
  if (stored.mute === undefined) stored.mute = 'UNDEFINED';
  if (stored.mute !== existing.mute) stored.muteUpdateTime = now.toISOString();
  scc.put(stored);
  return stored;
}

/** :setState `{ state }` and :setMute `{ mute }`: the only ways SCC lets a state or a mute change on its own. */
function setField(
  verb: 'setState' | 'setMute',
  name: string,
  body: unknown,
  scc: SccState,
  now: Date,
): StoredFinding {
  const request = findingBodyOf(body);
  const existing = scc.get(name);
  if (!existing) throw new ApiError(404, 'notFound', `Requested entity was not found: ${name}`);
  const field = verb === 'setState' ? 'state' : 'mute';
  const allowed = verb === 'setState' ? STATES : MUTES;
  const value = request[field];
  if (typeof value !== 'string' || !allowed.has(value)) {
    throw new ApiError(400, 'badRequest', `Invalid value for ${field}: ${JSON.stringify(value)}`);
  }
  const stored: StoredFinding = { ...existing, [field]: value };
  if (field === 'mute' && value !== existing.mute) stored.muteUpdateTime = now.toISOString();
  scc.put(stored);
  return stored;
}

/** The writable fields of a request body (output-only ones dropped, as the server ignores them). */
function writableOf(finding: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(finding).filter(([field]) => WRITABLE_FIELDS.has(field)));
}

function validateFields(finding: Record<string, unknown>, now: Date): void {
  const oneOf = (field: string, allowed: ReadonlySet<string>) => {
    const value = finding[field];
    if (value !== undefined && (typeof value !== 'string' || !allowed.has(value))) {
      throw new ApiError(400, 'badRequest', `Invalid value for ${field}: ${JSON.stringify(value)}`);
    }
  };
  oneOf('severity', SEVERITIES);
  oneOf('mute', MUTES);
  oneOf('findingClass', FINDING_CLASSES);
  if (finding.eventTime !== undefined) {
    const time = typeof finding.eventTime === 'string' ? Date.parse(finding.eventTime) : Number.NaN;
    if (Number.isNaN(time)) throw new ApiError(400, 'badRequest', 'eventTime is not an RFC 3339 timestamp');
    if (time > now.getTime()) {
      throw new ApiError(400, 'badRequest', 'eventTime must not be greater than the current time');
    }
  }
  if (finding.externalUri !== undefined && !URL.canParse(String(finding.externalUri))) {
    throw new ApiError(400, 'badRequest', 'externalUri must be empty or a well formed URL');
  }
  const properties = finding.sourceProperties;
  if (properties !== undefined) {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new ApiError(400, 'badRequest', 'sourceProperties must be a map');
    }
    for (const key of Object.keys(properties)) {
      if (!PROPERTY_KEY.test(key)) {
        throw new ApiError(400, 'badRequest', `Invalid source property key "${key.slice(0, 80)}"`);
      }
    }
  }
}

function listFindings(findings: readonly StoredFinding[], query: URLSearchParams): HandlerResult {
  const size = Math.min(
    Number(query.get('pageSize') ?? PAGE_SIZE_DEFAULT) || PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
  );
  const token = query.get('pageToken');
  const start = token ? Number.parseInt(token, 10) : 0;
  if (Number.isNaN(start) || start < 0) throw new ApiError(400, 'badRequest', 'Invalid page token');
  const page = findings.slice(start, start + size);
  const next = start + size < findings.length ? String(start + size) : undefined;
  return {
    status: 200,
    body: {
      listFindingsResults: page.map((finding) => ({ finding })),
      totalSize: findings.length,
      ...(next ? { nextPageToken: next } : {}),
    },
  };
}
