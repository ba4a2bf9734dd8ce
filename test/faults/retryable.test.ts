// Which failures ask Pub/Sub for a redelivery (throw) and which are acknowledged: the faults this suite injects.

import { describe, expect, test } from 'vitest';
import type { ApiFailure } from '../../src/adapters/googleapis/api-failure.js';
import {
  type CallContext,
  GoogleApiError,
  PermissionDeniedError,
  RetriesExhaustedError,
} from '../../src/adapters/googleapis/errors.js';
import { FETCHERS } from '../../src/adapters/googleapis/permissions.js';
import { ResourceTreeError } from '../../src/adapters/googleapis/resource-tree.js';
import {
  NeighbourhoodMovedError,
  ResourceSettlingError,
  StaleReadSuspectedError,
} from '../../src/app/change-errors.js';
import { AlertDeliveryError } from '../../src/app/deliver-alerts.js';
import { isRetryable } from '../../src/domain/failure.js';

const CONTEXT: CallContext = {
  project: 'acme-edge',
  fetcher: Object.values(FETCHERS)[0] as CallContext['fetcher'],
  resource: 'projects/acme-edge/global/backendServices/orders',
};

function apiFailure(status: number | undefined, reason?: string): ApiFailure {
  return { status, reason, message: 'failed', retryAfter: undefined, permission: undefined, code: undefined };
}

/** An error as @grpc/grpc-js builds it: the numeric status in `code`, the status name in the message. */
function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const CASES: readonly { name: string; error: unknown; retryable: boolean }[] = [
  { name: 'a stale read suspected', error: new StaleReadSuspectedError('reads as before'), retryable: true },
  {
    name: 'a neighbourhood that kept moving',
    error: new NeighbourhoodMovedError('changed under 3 judgements'),
    retryable: true,
  },
  { name: 'a gateway still UPDATING', error: new ResourceSettlingError('UPDATING'), retryable: true },
  {
    name: 'alerts a channel failed to take (kept in the outbox)',
    error: new AlertDeliveryError(['slack'], 2),
    retryable: true,
  },
  {
    name: 'projects.search out of quota',
    error: new ResourceTreeError(
      'projects.search for parent:folders/1 failed: 429 RESOURCE_EXHAUSTED: quota exceeded',
      true,
    ),
    retryable: true,
  },
  {
    name: 'projects.search refused',
    error: new ResourceTreeError(
      'projects.search for parent:folders/1 failed: 403 PERMISSION_DENIED: caller lacks resourcemanager.projects.list',
      false,
    ),
    retryable: false,
  },
  {
    name: 'a 503 storm past the retry budget',
    error: new RetriesExhaustedError(CONTEXT, [apiFailure(503)], 45_000, 'budget used up'),
    retryable: true,
  },
  { name: 'a 400 from the API', error: new GoogleApiError(CONTEXT, apiFailure(400)), retryable: false },
  { name: 'a 503 from the API', error: new GoogleApiError(CONTEXT, apiFailure(503)), retryable: true },
  {
    name: 'an error merely named like a retryable one (names are not read)',
    error: Object.assign(new Error('x'), { name: 'RetriesExhaustedError' }),
    retryable: false,
  },
  {
    // What @google-cloud/firestore's backoff throws when a contended transaction used all its attempts.
    name: 'a Firestore transaction out of attempts',
    error: new Error('Exceeded maximum number of retries allowed.'),
    retryable: true,
  },
  {
    name: 'a Firestore transaction the backend retired (expired)',
    error: grpcError(3, '3 INVALID_ARGUMENT: The referenced transaction has expired or is no longer valid.'),
    retryable: true,
  },
  {
    name: "the Firestore emulator's closed transaction",
    error: grpcError(3, '3 INVALID_ARGUMENT: Transaction is invalid or closed'),
    retryable: true,
  },
  {
    name: 'any other INVALID_ARGUMENT (the request is at fault)',
    error: grpcError(3, '3 INVALID_ARGUMENT: Document path is not valid'),
    retryable: false,
  },
  {
    name: 'a missing IAM permission',
    error: new PermissionDeniedError(CONTEXT, apiFailure(403, 'forbidden')),
    retryable: false,
  },
  { name: 'a programming error', error: new TypeError('x is undefined'), retryable: false },
];

describe('isRetryable', () => {
  test.each(CASES)('$name: $retryable', ({ error, retryable }) => {
    expect(isRetryable(error)).toBe(retryable);
  });
});
