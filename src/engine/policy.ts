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
    /** The default channels: every alert no route matches (all alerts when there are no routes). */
    readonly channels?: readonly AlertChannel[];
    /** Channels routes send to, by name. */
    readonly namedChannels?: Readonly<Record<string, AlertChannel>>;
    /** Alert routes in policy order; the loader has checked that every channel they name is defined. */
    readonly routes?: readonly AlertRoute[];
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

/**
 * Sends the alerts of matching findings to the named channels instead of the default ones. Every criterion given
 * must hold (a route with none matches every alert at or above `alerts.minimumSeverity`); an alert matching several routes goes to each of their
 * channels, once per channel.
 */
export interface AlertRoute {
  readonly name: string;
  /** Project ID globs (`payments-*`): the finding's project matches one. */
  readonly projects?: readonly string[];
  /** Label key -> value glob (`*`: any value): the resource carries every one. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Rule IDs or globs (`gateway.*`): the finding's rule matches one. */
  readonly rules?: readonly string[];
  /** The finding is at least this severe; `alerts.minimumSeverity` when absent (this may be lower or higher). */
  readonly minimumSeverity?: Severity;
  /** Names in `alerts.namedChannels`. */
  readonly channels: readonly string[];
}

export const DEFAULT_PROBE_ALLOW_HOSTS: readonly string[] = ['*.gateway.dev'];

export const DEFAULT_POLICY: Policy = { rules: {}, exemptions: [] };
