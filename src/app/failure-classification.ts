// Which failures a retry could fix (throttling, outages, a resource still settling) and which would fail again:
// the line between asking Pub/Sub for a redelivery and acknowledging with a logged error.

import { NeighbourhoodMovedError, ResourceSettlingError, StaleReadSuspectedError } from './audit-change.js';
import { AlertDeliveryError } from './deliver-alerts.js';

// gRPC codes (Firestore, Pub/Sub) that mean "try again later".
const TRANSIENT_GRPC_CODES = new Set([4, 8, 10, 13, 14]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const RETRYABLE_NAMES = new Set([
  ResourceSettlingError.name,
  StaleReadSuspectedError.name,
  NeighbourhoodMovedError.name,
  AlertDeliveryError.name,
  'RetriesExhaustedError',
  'SweepIncompleteError',
]);

/** True when the same call could succeed later: throttling, outages, a resource still settling. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // An error that already knows (ProjectSearchError, from the API failure it wraps) is taken at its word.
  const { retryable } = error as { retryable?: unknown };
  if (Object.hasOwn(error, 'retryable') && typeof retryable === 'boolean') return retryable;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  if (error.name === 'PermissionDeniedError') return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (error.name === 'GoogleApiError') {
    return status === undefined || status === 429 || (typeof status === 'number' && status >= 500);
  }
  if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code)) return true;
  // The Firestore SDK gives up on a contended transaction with a plain Error (no code): contention passes.
  if (error.message.startsWith('Exceeded maximum number of retries allowed')) return true;
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isRetryable(cause);
}

/** `Name: message` cut to its first line and 500 characters: enough to tell failures apart in a log or a record. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (text.split('\n', 1)[0] ?? '').slice(0, 500);
}
