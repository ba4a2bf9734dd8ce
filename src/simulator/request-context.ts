// What a simulator route handler receives and returns.

import type { Mutation } from './audit-entries.js';
import type { FaultInjector } from './faults.js';
import type { SimulatorStore } from './store.js';

export interface RequestContext {
  readonly method: string;
  /** Path segments after the API version (`projects`, `P`, `global`, ...), URL-decoded. */
  readonly segments: readonly string[];
  /** `v1`, `beta`, `alpha` (Compute) or `v1` (API Gateway). */
  readonly version: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** `http://127.0.0.1:PORT`, from the request's Host header: links in answers point back here. */
  readonly base: string;
  readonly now: Date;
  readonly principal: string;
  readonly store: SimulatorStore;
  readonly faults: FaultInjector;
}

export interface HandlerResult {
  readonly status: number;
  readonly body: unknown;
  /** A successful change, for the audit log. */
  readonly mutation?: Mutation;
  /** Faults applied inside the handler (stale reads), for the request log. */
  readonly fault?: string;
}

/** Thrown for paths no route serves: answered 404 and reported so missing routes are easy to spot. */
export class UnknownRouteError extends Error {
  override readonly name = 'UnknownRouteError';
}
