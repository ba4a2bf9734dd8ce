// Turns one Cloud Audit Log entry into a change event, or says precisely why it is not one. Pure; never throws.

import { createHash } from 'node:crypto';
import { fullNameOf, parseResourceRef } from '../domain/resource-name.js';
import type { ParseOutcome } from './change-event.js';
import { matchHandledMethod } from './handled-methods.js';

interface LogEntryShape {
  readonly logName?: unknown;
  readonly insertId?: unknown;
  readonly timestamp?: unknown;
  readonly protoPayload?: {
    readonly serviceName?: unknown;
    readonly methodName?: unknown;
    readonly resourceName?: unknown;
    readonly status?: { readonly code?: unknown; readonly message?: unknown };
    readonly authenticationInfo?: { readonly principalEmail?: unknown };
  };
  readonly operation?: { readonly id?: unknown; readonly first?: unknown; readonly last?: unknown };
  readonly split?: { readonly uid?: unknown; readonly index?: unknown };
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** `String(value)` for messages; objects without a prototype (or with a throwing `toString`) cannot be printed. */
export function printable(value: unknown): string {
  try {
    return String(value ?? '');
  } catch {
    return `[unprintable ${typeof value}]`;
  }
}

/**
 * Verbs that change nothing a rule reads, named whole (a write whose name merely starts with `get` must not be missed):
 * Compute's reads, IAM calls, URL map validation and CDN cache invalidation (Admin Activity writes that leave the map
 * as it was), and API Gateway's `Get…`, `List…` and IAM calls.
 */
const LEAVES_RECORD_AS_IT_WAS =
  /^(?:get|list|aggregatedList|getHealth|getRule|getEffectiveSecurityPolicies|listUsable|listNetworkEndpoints|listPreconfiguredExpressionSets|listAvailableFeatures|getIamPolicy|setIamPolicy|testIamPermissions|validate|invalidateCache|(?:Get|List)[A-Z][A-Za-z]*|GetIamPolicy|SetIamPolicy|TestIamPermissions)$/;

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

/** `2026-05-11T14:12:25.678Z` (or with an offset) that Date.parse reads (it rolls a 30 February over; harmless). */
function isRfc3339(text: string): boolean {
  return RFC_3339.test(text) && !Number.isNaN(Date.parse(text));
}

/** Hash of the entry's identity (`logName`, `insertId`, `timestamp`); a split entry is one identity across its parts. */
export function entryIdOf(logName: string, insertId: string, timestamp: string): string {
  return createHash('sha256').update(`${logName}\n${insertId}\n${timestamp}`).digest('hex').slice(0, 40);
}

export function parseLogEntry(entry: unknown): ParseOutcome {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { outcome: 'malformed', reason: 'the message is not a JSON object' };
  }
  const log = entry as LogEntryShape;
  const payload = log.protoPayload;
  if (typeof payload !== 'object' || payload === null) {
    return { outcome: 'malformed', reason: 'the log entry has no protoPayload: not a Cloud Audit Log entry' };
  }
  const logName = asString(log.logName);
  const insertId = asString(log.insertId);
  const timestamp = asString(log.timestamp);
  const method = asString(payload.methodName);
  if (!logName || !insertId || !timestamp || !method) {
    const missing = [
      ['logName', logName],
      ['insertId', insertId],
      ['timestamp', timestamp],
      ['protoPayload.methodName', method],
    ]
      .filter(([, value]) => !value)
      .map(([field]) => field);
    return { outcome: 'malformed', reason: `the log entry lacks ${missing.join(', ')}` };
  }
  // Cloud Logging writes RFC 3339 in UTC. Anything else could not be aged (NaN passes the age gate) and would be
  // stored as the findings' lastChange.at.
  if (!isRfc3339(timestamp)) {
    return {
      outcome: 'malformed',
      reason: `the log entry's timestamp ${JSON.stringify(timestamp.slice(0, 60))} is not an RFC 3339 date`,
    };
  }
  const splitUid = asString(log.split?.uid);
  const entryId = splitUid
    ? entryIdOf(logName, `split:${splitUid}`, '')
    : entryIdOf(logName, insertId, timestamp);

  const handled = matchHandledMethod(method);
  if (!handled)
    return { outcome: 'ignored', reason: `method ${method} is not one Gatewarden watches`, entryId, method };

  // Reads (in Data Access logs, if a sink routes them), IAM policy writes and cache invalidations (Admin Activity) leave
  // what a GET returns as it was: judged, each would look like a stale read and be redelivered until those
  // redeliveries ran out.
  if (LEAVES_RECORD_AS_IT_WAS.test(handled.verb)) {
    return {
      outcome: 'ignored',
      reason: `${method} reads, checks, invalidates a cache or sets access, and leaves the resource as it was`,
      entryId,
      method,
    };
  }
  const statusCode = payload.status?.code;
  if (typeof statusCode === 'number' && statusCode !== 0) {
    return {
      outcome: 'ignored',
      reason: `the call failed (status ${statusCode}) and changed nothing`,
      entryId,
      method,
    };
  }
  // DESIGN.md §2: Compute logs a `last` entry for every operation, and that one is acted on. API Gateway's entries
  // are acted on as they come, first included: the judgement waits while the resource is still CREATING, UPDATING
  // or DELETING (judge-change.ts), so its final state is what is judged, whether or not a `last` entry follows.
  if (handled.service === 'compute' && log.operation?.first === true && log.operation.last !== true) {
    return {
      outcome: 'ignored',
      reason: 'first entry of a long-running Compute operation: acted on when its last entry arrives',
      entryId,
      method,
    };
  }
  if (
    splitUid &&
    typeof log.split?.index === 'number' &&
    log.split.index > 0 &&
    !asString(payload.resourceName)
  ) {
    return { outcome: 'ignored', reason: 'continuation of a split log entry', entryId, method };
  }

  const ref = parseResourceRef(payload.resourceName);
  if (!ref) {
    return {
      outcome: 'malformed',
      reason: `protoPayload.resourceName ${JSON.stringify(printable(payload.resourceName)).slice(0, 200)} names no resource`,
    };
  }
  return {
    outcome: 'change',
    event: {
      resource: fullNameOf(ref),
      ref,
      method,
      service: handled.service,
      verb: handled.verb,
      deleted: handled.deletes,
      actor: asString(payload.authenticationInfo?.principalEmail),
      at: timestamp,
      entryId,
      operationId: asString(log.operation?.id),
      project: ref.project,
    },
  };
}
