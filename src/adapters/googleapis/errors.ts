// Typed errors of the live source: each names the project, what was being read, and what to do about it.

import type { ApiFailure } from './api-failure.js';
import type { FetcherDeclaration } from './permissions.js';
import { formatSeconds, summariseFailures } from './retry-policy.js';

export interface CallContext {
  readonly project: string;
  readonly fetcher: FetcherDeclaration;
  /** The resource or collection read: `projects/P/aggregated/backendServices`, a gateway name... */
  readonly resource: string;
}

/** 403 for missing IAM: never retried; the caller has to grant a permission. */
export class PermissionDeniedError extends Error {
  override readonly name = 'PermissionDeniedError';
  readonly retryable = false;
  readonly permissionDenied = true;
  readonly project: string;
  readonly resource: string;
  readonly permission: string;
  readonly method: string;

  constructor(context: CallContext, failure: ApiFailure) {
    const permission = failure.permission ?? context.fetcher.permissions[0] ?? 'unknown';
    super(
      `permission denied in project "${context.project}": reading ${context.fetcher.reads} (${context.resource}) ` +
        `needs ${permission}; grant it to the caller (the Gatewarden role includes it)`,
    );
    this.project = context.project;
    this.resource = context.resource;
    this.permission = permission;
    this.method = context.fetcher.method;
  }
}

/**
 * 403 SERVICE_DISABLED: the project has not enabled the API. Not a missing permission and never retried; for API
 * Gateway it means the project has no gateways, which the live source records instead of failing.
 */
export class ServiceDisabledError extends Error {
  override readonly name = 'ServiceDisabledError';
  readonly retryable = false;
  readonly project: string;
  readonly resource: string;
  /** `apigateway.googleapis.com` */
  readonly service: string;

  constructor(context: CallContext, failure: ApiFailure & { readonly disabledService: string }) {
    super(
      `reading ${context.fetcher.reads} (${context.resource}) in project "${context.project}" failed: ` +
        `${failure.disabledService} is not enabled in the project (SERVICE_DISABLED)`,
    );
    this.project = context.project;
    this.resource = context.resource;
    this.service = failure.disabledService;
  }
}

/**
 * An answer holding a record that cannot be judged: of the wrong shape, nested too deep, or naming another resource
 * than the one asked for. Not retried (the same answer comes back) and not the request's fault (not poison): an event
 * that reads it is acknowledged and logged, and the next sweep names the record among its incomplete scopes.
 */
export class UnfitRecordError extends Error {
  override readonly name = 'UnfitRecordError';
  readonly retryable = false;
  readonly project: string;
  readonly resource: string;

  constructor(context: CallContext, problem: string) {
    super(
      `reading ${context.fetcher.reads} (${context.resource}) in project "${context.project}": the answer ` +
        `cannot be judged: ${problem}`,
    );
    this.project = context.project;
    this.resource = context.resource;
  }
}

/**
 * A name of a collection in a scope Gatewarden does not read (`zones/z/backendServices/x`): no call is made, and none
 * could succeed, so an event naming it is poison, quarantined rather than acknowledged as a failure of the service.
 */
export class UnreadableNameError extends Error {
  override readonly name = 'UnreadableNameError';
  readonly badInput = true;
  readonly retryable = false;
}

/** A retryable failure that kept happening until the policy gave up. */
export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
  /** The failures were retryable: a later invocation, with a fresh budget, may get through. */
  readonly retryable = true;
  readonly project: string;
  readonly resource: string;
  readonly attempts: number;

  constructor(context: CallContext, failures: readonly ApiFailure[], elapsedMs: number, why: string) {
    super(
      `gave up reading ${context.fetcher.reads} (${context.resource}) in project "${context.project}" after ` +
        `${failures.length} attempts over ${formatSeconds(elapsedMs)} (${summariseFailures(failures)}): ${why}`,
    );
    this.project = context.project;
    this.resource = context.resource;
    this.attempts = failures.length;
  }
}

/** Any other failure (400, 401, API disabled, refused connection): reported with the server's own message. */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  readonly project: string;
  readonly resource: string;
  readonly status: number | undefined;
  /** System error code when no answer came (`ECONNREFUSED`); undefined for errors raised inside the client. */
  readonly code: string | undefined;

  constructor(context: CallContext, failure: ApiFailure) {
    const what = failure.status === undefined ? (failure.code ?? 'no response') : `HTTP ${failure.status}`;
    super(
      `reading ${context.fetcher.reads} (${context.resource}) in project "${context.project}" failed: ${what}` +
        `${failure.reason ? ` ${failure.reason}` : ''}: ${failure.message}`,
    );
    this.project = context.project;
    this.resource = context.resource;
    this.status = failure.status;
    this.code = failure.code;
  }

  /**
   * Throttling and outages (429, 5xx, no answer at the socket) may pass; any other answer would be the same again.
   * With no answer and no socket code the client refused the call itself (googleapis: `Invalid value .. for
   * project`): the same request fails the same way every time.
   */
  get retryable(): boolean {
    const { status } = this;
    if (status === undefined) return this.code !== undefined;
    return status === 429 || status >= 500;
  }

  /** The request named something that cannot be read (a 400, or a name the client refused): quarantine, never retry. */
  get badInput(): boolean {
    return this.status === 400 || (this.status === undefined && this.code === undefined);
  }
}
