// One probe run: every guard rail in order (URL, allow-list, DNS vetting, rate limit, request budget), then the
// request to the pinned address; and the per-gateway evidence `gateway.direct-url-protected` reads.

import { lookup } from 'node:dns/promises';
import type { ResourceGraph } from '../domain/graph.js';
import { DEFAULT_PROBE_ALLOW_HOSTS, type Policy } from '../engine/policy.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { GATEWARDEN_VERSION } from '../version.js';
import { type HostResolver, resolveVettedAddress } from './pinned-address.js';
import { type GatewayProbePlan, type PlannedRequest, planGatewayProbes } from './plan-probes.js';
import {
  type GatewayProbeResult,
  isAnsweredUnauthenticated,
  type ProbeRequestRecord,
  type ProbeResults,
  type ProbeRunner,
} from './probe-results.js';
import { vetProbeUrl } from './probe-url.js';
import { isSafeMethod, type SafeMethod, type SendOutcome, sendPinnedRequest } from './send-request.js';
import { TokenBucket } from './token-bucket.js';

export const PROBE_VERSION = GATEWARDEN_VERSION;
export const PROBE_USER_AGENT = `gatewarden-probe/${PROBE_VERSION} (+https://github.com/acme/gatewarden; authorised exposure check)`;

export interface ProbeSettings {
  /** Host patterns (`*.gateway.dev`); a leading `*` stands for one or more labels. */
  readonly allowHosts: readonly string[];
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Requests one run may send in all; the rest are recorded as skipped. */
  readonly maxRequestsPerRun: number;
  readonly requestsPerSecond: number;
  readonly burst: number;
  /** Open operations probed per gateway (one authenticated operation is probed as well). */
  readonly maxOpenOperationsPerGateway: number;
  readonly userAgent: string;
  /** Extra trusted CA (PEM) for a test server's self-signed certificate; certificates are always verified. */
  readonly trustedCa?: string;
  /** TESTS ONLY: allow loopback addresses, so a test can reach its own server. Not settable from a policy file. */
  readonly unsafeAllowLoopbackForTests?: boolean;
  /** TESTS ONLY: the local test server's port instead of 443. Not settable from a policy file. */
  readonly unsafePortForTests?: number;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = {
  allowHosts: DEFAULT_PROBE_ALLOW_HOSTS,
  timeoutMs: 5_000,
  maxBodyBytes: 64 * 1024,
  maxRequestsPerRun: 200,
  requestsPerSecond: 5,
  burst: 5,
  maxOpenOperationsPerGateway: 3,
  userAgent: PROBE_USER_AGENT,
};

/** The settings a policy asks for; only the allow-list comes from the file, the limits are ours. */
export function probeSettingsOf(policy: Policy): ProbeSettings {
  return { ...DEFAULT_PROBE_SETTINGS, allowHosts: policy.probe?.allowHosts ?? DEFAULT_PROBE_ALLOW_HOSTS };
}

export interface ProbeDeps {
  readonly resolve: HostResolver;
  readonly clock: Pick<Clock, 'now' | 'sleep'>;
}

export class ProbeSession {
  private readonly bucket: TokenBucket;
  private sent = 0;

  constructor(
    readonly settings: ProbeSettings,
    private readonly deps: ProbeDeps,
  ) {
    this.bucket = new TokenBucket(settings.burst, settings.requestsPerSecond, () =>
      deps.clock.now().getTime(),
    );
  }

  /** Requests sent (or attempted on the wire) so far in this run. */
  get requestsSent(): number {
    return this.sent;
  }

  /** Runs every guard rail, then sends one request; never throws. */
  async request(
    url: string,
    method: SafeMethod,
  ): Promise<{ outcome: 'refused' | 'skipped'; reason: string } | SendOutcome> {
    if (!isSafeMethod(method))
      return { outcome: 'refused', reason: `method ${String(method)} is never sent by the probe` };
    const vetted = vetProbeUrl(url, this.settings);
    if (!vetted.ok) return { outcome: 'refused', reason: vetted.reason };
    const { host, port, path } = vetted.target;
    if (this.sent >= this.settings.maxRequestsPerRun) {
      return {
        outcome: 'skipped',
        reason: `the run's budget of ${this.settings.maxRequestsPerRun} requests is spent`,
      };
    }
    const address = await resolveVettedAddress(host, this.deps.resolve, this.settings);
    if (!address.ok) return { outcome: 'refused', reason: address.reason };
    await this.waitForToken();
    this.sent += 1;
    return sendPinnedRequest({
      method,
      host,
      port,
      path,
      pinned: address.pinned,
      userAgent: this.settings.userAgent,
      timeoutMs: this.settings.timeoutMs,
      maxBodyBytes: this.settings.maxBodyBytes,
      ...(this.settings.trustedCa ? { trustedCa: this.settings.trustedCa } : {}),
    });
  }

  private async waitForToken(): Promise<void> {
    for (let wait = this.bucket.take(); wait > 0; wait = this.bucket.take())
      await this.deps.clock.sleep(wait);
  }

  /** Probes every fronted gateway of the graph, one request at a time; results keyed by gateway full name. */
  async probeGraph(graph: ResourceGraph): Promise<ProbeResults> {
    const results: Record<string, GatewayProbeResult> = {};
    for (const plan of planGatewayProbes(graph, this.settings.maxOpenOperationsPerGateway)) {
      results[plan.gateway] = await this.probeGateway(plan);
    }
    return results;
  }

  async probeGateway(plan: GatewayProbePlan): Promise<GatewayProbeResult> {
    if (!plan.host || plan.requests.length === 0) {
      return { ran: false, reason: plan.reason ?? 'nothing to probe', requests: [] };
    }
    const records: ProbeRequestRecord[] = [];
    for (const planned of plan.requests) records.push(await this.probeOperation(plan.host, planned));
    return summariseGateway(records, this.deps.clock.now().toISOString());
  }

  private async probeOperation(host: string, planned: PlannedRequest): Promise<ProbeRequestRecord> {
    const port = this.settings.unsafePortForTests;
    const url = `https://${host}${port === undefined ? '' : `:${port}`}${planned.path}`;
    const base = {
      operation: planned.operation,
      method: planned.method,
      url,
      expectation: planned.expectation,
    };
    const outcome = await this.request(url, planned.method);
    if (!('kind' in outcome)) return { ...base, ...outcome };
    if (outcome.kind === 'failed') return { ...base, outcome: 'failed', reason: outcome.reason };
    const { kind: _kind, ...answer } = outcome;
    return {
      ...base,
      outcome: 'answered',
      ...answer,
      answeredUnauthenticated: isAnsweredUnauthenticated(outcome.statusCode),
    };
  }
}

function summariseGateway(records: readonly ProbeRequestRecord[], probedAt: string): GatewayProbeResult {
  const answered = records.filter((record) => record.outcome === 'answered');
  const summary = records.map(describeRecord).join('; ');
  const guarded = answered.find((record) => record.expectation === 'auth-required');
  const authEnforced = guarded ? guarded.statusCode === 401 || guarded.statusCode === 403 : null;
  // The headline is the strongest proof: an open answer first, then any answer.
  const headline =
    answered.find((record) => record.answeredUnauthenticated && record.expectation === 'open') ??
    answered.find((record) => record.answeredUnauthenticated) ??
    answered[0];
  if (!headline) {
    const first = records[0];
    const why = first && 'reason' in first ? first.reason : 'no request was sent';
    return {
      ran: false,
      reason: `the direct URL gave no answer: ${why}`,
      requests: records,
      authEnforced,
      summary,
    };
  }
  return {
    ran: true,
    url: headline.url,
    statusCode: headline.statusCode,
    answeredUnauthenticated: answered.some((record) => record.answeredUnauthenticated),
    probedAt,
    requests: records,
    authEnforced,
    summary,
  };
}

function describeRecord(record: ProbeRequestRecord): string {
  const name = `${record.method} ${record.url.replace(/^https:\/\/[^/]+/, '')}`;
  if (record.outcome !== 'answered') return `${name} ${record.outcome}: ${record.reason}`;
  const redirect = record.redirectHost ? ` (redirect to ${record.redirectHost}, not followed)` : '';
  const meaning = record.answeredUnauthenticated
    ? ' without credentials'
    : record.statusCode === 401 || record.statusCode === 403
      ? ' (credentials required)'
      : '';
  return `${name} answered ${record.statusCode}${meaning}${redirect}`;
}

/** The system resolver: every address of the name, so each one is vetted. */
export const systemResolver: HostResolver = (host, options) => lookup(host, options);

/** A runner that opens one session (one rate limit, one request budget) per call. */
export function createProbeRunner(
  settings: ProbeSettings,
  deps: ProbeDeps = { resolve: systemResolver, clock: systemClock },
): ProbeRunner {
  return (graph) => new ProbeSession(settings, deps).probeGraph(graph);
}
