// Security Command Center v2, the part Gatewarden uses: patch (create or update) a finding of an organization source
// and list a source's findings, with Google's validation of IDs and fields, so the SCC sink meets real refusals.

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
]);
/** Fields a client may write; the rest of the Finding is output only. */
const MUTABLE_FIELDS = new Set([
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
]);
/** Set at creation, never changed by an update. */
const IMMUTABLE_FIELDS = new Set(['resourceName', 'category']);
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
  const match = path.match(
    /^\/v2\/(organizations\/[^/]+\/sources\/[^/]+)\/locations\/([^/]+)\/findings(?:\/([^/]*))?$/,
  );
  if (!match) return undefined;
  const [, source = '', location = '', rawId] = match;
  if (!scc.hasSource(source)) {
    throw new ApiError(404, 'notFound', `Requested entity was not found: ${source}`);
  }
  if (location !== 'global') {
    throw new ApiError(400, 'badRequest', `Location ${location} is not supported for this source`);
  }
  if (rawId === undefined) {
    if (method !== 'GET') throw new ApiError(405, 'methodNotAllowed', `${method} is not allowed here`);
    return listFindings(scc.findingsOf(source), query);
  }
  if (method !== 'PATCH') throw new ApiError(405, 'methodNotAllowed', `${method} is not allowed here`);
  const findingId = decodeURIComponent(rawId);
  if (!FINDING_ID.test(findingId)) {
    throw new ApiError(
      400,
      'badRequest',
      `Invalid finding ID "${findingId}": it must be alphanumeric and between 1 and 32 characters`,
    );
  }
  return patchFinding(`${source}/locations/global/findings/${findingId}`, source, query, body, scc, now);
}

function patchFinding(
  name: string,
  source: string,
  query: URLSearchParams,
  body: unknown,
  scc: SccState,
  now: Date,
): HandlerResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'badRequest', 'The request body must be a Finding');
  }
  const finding = body as Record<string, unknown>;
  if (finding.name !== undefined && finding.name !== name) {
    throw new ApiError(400, 'badRequest', `finding.name ${String(finding.name)} does not match the URL`);
  }
  const mask = (query.get('updateMask') ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field.length > 0);
  for (const field of mask) {
    const top = field.split('.')[0] ?? field;
    if (!MUTABLE_FIELDS.has(top)) {
      throw new ApiError(400, 'badRequest', `Invalid update mask path "${field}"`);
    }
  }
  validateFields(finding, now);

  const existing = scc.get(name);
  const fields = mask.length > 0 ? mask : [...MUTABLE_FIELDS];
  if (!existing) {
    for (const required of ['resourceName', 'category', 'state']) {
      if (typeof finding[required] !== 'string' || finding[required] === '') {
        throw new ApiError(400, 'badRequest', `Creating a finding requires ${required}`);
      }
    }
  } else {
    for (const field of IMMUTABLE_FIELDS) {
      if (fields.includes(field) && finding[field] !== undefined && finding[field] !== existing[field]) {
        throw new ApiError(400, 'badRequest', `${field} is immutable after creation`);
      }
    }
  }
  const stored: StoredFinding = existing
    ? { ...existing }
    : { name, parent: `${source}/locations/global`, createTime: now.toISOString(), mute: 'UNDEFINED' };
  for (const field of existing ? fields : [...MUTABLE_FIELDS]) {
    const top = field.split('.')[0] ?? field;
    if (top === 'sourceProperties' && field.includes('.')) {
      const key = field.slice('sourceProperties.'.length);
      const properties = { ...((stored.sourceProperties as Record<string, unknown>) ?? {}) };
      const value = (finding.sourceProperties as Record<string, unknown> | undefined)?.[key];
      if (value === undefined) delete properties[key];
      else properties[key] = value;
      stored.sourceProperties = properties;
    } else if (finding[top] !== undefined) {
      stored[top] = finding[top];
    } else if (existing) {
      delete stored[top];
    }
  }
  if (existing && stored.mute !== existing.mute) stored.muteUpdateTime = now.toISOString();
  scc.put(stored);
  return { status: 200, body: stored };
}

function validateFields(finding: Record<string, unknown>, now: Date): void {
  const oneOf = (field: string, allowed: ReadonlySet<string>) => {
    const value = finding[field];
    if (value !== undefined && (typeof value !== 'string' || !allowed.has(value))) {
      throw new ApiError(400, 'badRequest', `Invalid value for ${field}: ${JSON.stringify(value)}`);
    }
  };
  oneOf('state', STATES);
  oneOf('severity', SEVERITIES);
  oneOf('mute', MUTES);
  oneOf('findingClass', FINDING_CLASSES);
  if (finding.eventTime !== undefined) {
    const time = typeof finding.eventTime === 'string' ? Date.parse(finding.eventTime) : Number.NaN;
    if (Number.isNaN(time)) throw new ApiError(400, 'badRequest', 'eventTime is not an RFC 3339 timestamp');
    // SCC refuses an event time after the time of the request (a small allowance for clock skew).
    if (time > now.getTime() + 60_000) {
      throw new ApiError(400, 'badRequest', 'eventTime must not be in the future');
    }
  }
  if (finding.externalUri !== undefined && !/^https?:\/\//.test(String(finding.externalUri))) {
    throw new ApiError(400, 'badRequest', 'externalUri must be an http(s) URL');
  }
  const properties = finding.sourceProperties;
  if (properties !== undefined) {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      throw new ApiError(400, 'badRequest', 'sourceProperties must be a map');
    }
    for (const key of Object.keys(properties)) {
      if (!PROPERTY_KEY.test(key)) {
        throw new ApiError(400, 'badRequest', `Invalid source property key "${key}"`);
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
