// The policy a run is judged under: which rules run, at what severity, with which parameters and exemptions.
// Loaded and validated at the edge (src/config/policy-file.ts); the engine only reads it.

import type { Severity } from '../domain/severity.js';

export interface RulePolicy {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface Exemption {
  /** A rule ID, or `*` for every rule. */
  readonly ruleId: string;
  /** Full resource name; `*` matches within one path segment, `**` across segments. */
  readonly resource: string;
  readonly reason: string;
  /** ISO date (`2027-01-31`) or timestamp; the exemption stops applying after it. */
  readonly expires: string;
  readonly owner?: string;
}

export interface Policy {
  readonly rules: Readonly<Record<string, RulePolicy>>;
  readonly exemptions: readonly Exemption[];
  /** Governed fields per resource kind for `drift.matches-baseline`; the default set when absent. */
  readonly governedFields?: Readonly<Record<string, readonly string[]>>;
  readonly alerts?: {
    readonly minimumSeverity?: Severity;
    readonly channels?: readonly AlertChannel[];
  };
  readonly probe?: {
    readonly enabled?: boolean;
    readonly allowHosts?: readonly string[];
  };
}

/**
 * Where alerts go. Webhook URLs are secrets: the policy names the Secret Manager secret that holds one,
 * never the URL itself, so policy files can be committed and logged.
 */
export type AlertChannel =
  | { readonly type: 'pubsub'; readonly topic: string }
  | { readonly type: 'slack' | 'google-chat'; readonly webhookSecret: string };

export const DEFAULT_PROBE_ALLOW_HOSTS: readonly string[] = ['*.gateway.dev'];

export const DEFAULT_POLICY: Policy = { rules: {}, exemptions: [] };
