// The one vocabulary of failure: an error says itself whether a retry could fix it (`retryable`) and whether the
// input was at fault (`badInput`); the function entry points, the CLI's exit codes and the run records read these.

/** What an error of ours declares about itself. Every error class of Gatewarden sets at least one of the two. */
export interface FailureTraits {
  /** The same call could succeed later (throttling, an outage, a resource still settling, contention). */
  readonly retryable?: boolean;
  /** The input is at fault (a file, a flag, a setting): one line for the user, exit code 2 in the CLI. */
  readonly badInput?: boolean;
  /** A refused permission: no retry fixes it, and a sweep reports the project as unread rather than empty. */
  readonly permissionDenied?: boolean;
}

// gRPC codes (Firestore, Pub/Sub) that mean "try again later": DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED,
// INTERNAL, UNAVAILABLE.
const TRANSIENT_GRPC_CODES = new Set([4, 8, 10, 13, 14]);
// gRPC INVALID_ARGUMENT is the caller's fault, except for a transaction the backend retired under it: Firestore
// answers "The referenced transaction has expired or is no longer valid", its emulator "Transaction is invalid or
// closed". Nothing was committed, so running the transaction again is safe; the Node SDK retries the first itself
// (googleapis/nodejs-firestore#1347) but not from inside our own commit, and not the emulator's wording.
const INVALID_ARGUMENT = 3;
const RETIRED_TRANSACTION =
  /transaction has expired|transaction is invalid or closed|^\d+ INVALID_ARGUMENT: invalid transaction/i;
// System error codes of a socket that broke on the way (Node's and undici's).
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * True when the same call could succeed later. An error that declares `retryable` is taken at its word; errors of
 * the client libraries (which declare nothing) are read by their gRPC or socket code; a wrapped error by its cause.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { retryable } = error as FailureTraits;
  if (typeof retryable === 'boolean') return retryable;
  const { code } = error as { code?: unknown };
  if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code)) return true;
  // The Firestore SDK gives up on a contended transaction with a plain Error (no code): contention passes.
  if (error.message.startsWith('Exceeded maximum number of retries allowed')) return true;
  if (code === INVALID_ARGUMENT && RETIRED_TRANSACTION.test(error.message)) return true;
  if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isRetryable(cause);
}

/** True when the error blames the input (read by the CLI for exit code 2, and by the event path to quarantine). */
export function isBadInput(error: unknown): error is Error {
  return error instanceof Error && (error as FailureTraits).badInput === true;
}

/** True when the error is a refused permission (a 403 for missing IAM). */
export function isPermissionDenied(error: unknown): error is Error {
  return error instanceof Error && (error as FailureTraits).permissionDenied === true;
}

/** `Name: message` cut to its first line and 500 characters: enough to tell failures apart in a log or a record. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return (text.split('\n', 1)[0] ?? '').slice(0, 500);
}
