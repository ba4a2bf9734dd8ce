// The probe's evidence (per request and per gateway): pure, so the use cases can hand results to the engine (which
// gives them to `gateway.direct-url-protected` in its rule context) without importing the network code.

import type { ResourceGraph } from '../domain/graph.js';
import type { DirectUrlProbe } from '../rules/gateway/direct-url-protected.js';
import type { ProbeExpectation } from './plan-probes.js';
import type { SafeMethod } from './send-request.js';

/** What happened to one request, as evidence. */
export type ProbeRequestRecord = {
  readonly operation: string;
  readonly method: SafeMethod;
  readonly url: string;
  readonly expectation: ProbeExpectation;
} & (
  | {
      readonly outcome: 'answered';
      readonly statusCode: number;
      readonly answeredUnauthenticated: boolean;
      readonly redirectHost?: string;
      readonly bytesRead: number;
      readonly truncated: boolean;
    }
  /** A guard rail stopped it before any connection. */
  | { readonly outcome: 'refused'; readonly reason: string }
  /** Sent, but no answer (timeout, TLS or connection error). */
  | { readonly outcome: 'failed'; readonly reason: string }
  /** Not sent: the run's request budget was spent. */
  | { readonly outcome: 'skipped'; readonly reason: string }
);

/** The rule's `DirectUrlProbe`, with every request behind it. */
export type GatewayProbeResult = DirectUrlProbe & {
  readonly requests: readonly ProbeRequestRecord[];
  /** The authenticated operation was refused (401/403): the gateway enforces its config. null when not tested. */
  readonly authEnforced?: boolean | null;
  /** One line a person reads: `GET /health answered 200 without credentials; GET /orders answered 401`. */
  readonly summary?: string;
};

export type ProbeResults = Readonly<Record<string, GatewayProbeResult>>;

/** Probes the fronted gateways of a graph (I/O); how the use cases receive the probe, injected. */
export type ProbeRunner = (graph: ResourceGraph) => Promise<ProbeResults>;

/** 2xx and 3xx: the gateway let the unauthenticated request through (401/403/404 and 5xx do not show that). */
export function isAnsweredUnauthenticated(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 400;
}
