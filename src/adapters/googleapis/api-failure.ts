// Turns whatever a Google API call threw (a gaxios error, a socket error) into one plain, inspectable shape.

export interface ApiFailure {
  /** HTTP status; undefined when no response arrived (socket error, timeout). */
  readonly status: number | undefined;
  /** `errors[0].reason` (`rateLimitExceeded`, `forbidden`) or the ErrorInfo reason (`IAM_PERMISSION_DENIED`). */
  readonly reason: string | undefined;
  readonly message: string;
  /** The raw `Retry-After` header value, when the server sent one. */
  readonly retryAfter: string | undefined;
  /** The IAM permission the server says is missing, when it names one. */
  readonly permission: string | undefined;
  /** A system error code (`ECONNRESET`) when the failure happened below HTTP. */
  readonly code: string | undefined;
  /**
   * The API the project has not enabled (`apigateway.googleapis.com`) when the answer is 403 with ErrorInfo reason
   * SERVICE_DISABLED: not a missing permission, and no retry changes it.
   */
  readonly disabledService?: string;
}

export type FailureClass = 'retryable' | 'permission-denied' | 'not-found' | 'fatal';

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
const RATE_LIMIT_REASONS: ReadonlySet<string> = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'RATE_LIMIT_EXCEEDED',
]);
const PERMISSION_REASONS: ReadonlySet<string> = new Set([
  'forbidden',
  'IAM_PERMISSION_DENIED',
  'PERMISSION_DENIED',
]);
// ECONNREFUSED is left out on purpose: Google never refuses, so it means a wrong --endpoint; fail fast.
const TRANSIENT_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  // gaxios aborts an attempt that outlives its `timeout` with a DOMException of this name.
  'TimeoutError',
]);

/**
 * Which way a failure goes. 403 is split by reason: Compute reports quota exhaustion as 403 `rateLimitExceeded`
 * (worth waiting for) and missing IAM as 403 `forbidden` / `IAM_PERMISSION_DENIED` (never worth waiting for).
 */
export function classifyFailure(failure: ApiFailure): FailureClass {
  const { status, reason } = failure;
  if (status === undefined) {
    return failure.code && TRANSIENT_SOCKET_CODES.has(failure.code) ? 'retryable' : 'fatal';
  }
  if (RETRYABLE_STATUSES.has(status)) return 'retryable';
  if (status === 403 && reason && RATE_LIMIT_REASONS.has(reason)) return 'retryable';
  // An API switched off is neither a missing permission nor worth waiting for.
  if (failure.disabledService) return 'fatal';
  if (status === 403 && (reason === undefined || PERMISSION_REASONS.has(reason))) return 'permission-denied';
  if (status === 404) return 'not-found';
  return 'fatal';
}

/** Reads a failure out of anything thrown by a googleapis call; never throws. */
export function toApiFailure(error: unknown): ApiFailure {
  const record = asRecord(error);
  const response = asRecord(record.response);
  const status = numberOr(response.status, numberOr(record.status, undefined));
  const body = asRecord(asRecord(response.data).error);
  const firstError = asRecord(Array.isArray(body.errors) ? body.errors[0] : undefined);
  const details = Array.isArray(body.details) ? body.details.map(asRecord) : [];
  const errorInfo = details.find((detail) => typeof detail.reason === 'string');
  const message =
    stringOr(body.message, undefined) ?? stringOr(record.message, undefined) ?? 'unknown error (no message)';
  const code = typeof record.code === 'string' ? record.code : undefined;
  const disabled = details.find((detail) => detail.reason === 'SERVICE_DISABLED');
  const disabledService =
    status === 403 && disabled
      ? (stringOr(asRecord(disabled.metadata).service, undefined) ?? 'unknown')
      : undefined;
  return {
    ...(disabledService ? { disabledService } : {}),
    status,
    reason: stringOr(firstError.reason, undefined) ?? stringOr(errorInfo?.reason, undefined),
    message,
    retryAfter: headerOf(response.headers, 'retry-after'),
    permission: stringOr(asRecord(errorInfo?.metadata).permission, undefined) ?? permissionInMessage(message),
    code: status === undefined ? (code ?? causeCode(record)) : undefined,
  };
}

// Compute names the missing permission only in prose: "Required 'compute.backendServices.list' permission for ...".
function permissionInMessage(message: string): string | undefined {
  return (
    message.match(/Required '([a-zA-Z0-9_.]+)' permission/)?.[1] ??
    message.match(/[Pp]ermission '([a-zA-Z0-9_.]+)' denied/)?.[1]
  );
}

function causeCode(record: Record<string, unknown>): string | undefined {
  const cause = asRecord(record.cause);
  return typeof cause.code === 'string' ? cause.code : undefined;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value: unknown = getter.call(headers, name);
    return typeof value === 'string' ? value : undefined;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
