// A change event: the pointer an audit-log entry carries (what changed, how, by whom, when), never its body.

import type { ResourceRef } from '../domain/resource-name.js';

export interface ChangeEvent {
  /** Full resource name (CAI style) of the resource the call changed. */
  readonly resource: string;
  readonly ref: ResourceRef;
  /** `protoPayload.methodName`, verbatim: `beta.compute.regionNetworkEndpointGroups.insert`. */
  readonly method: string;
  readonly service: 'compute' | 'apigateway';
  /** `insert`, `patch`, `setSecurityPolicy`, `UpdateGateway`... */
  readonly verb: string;
  /** The call deleted the resource. */
  readonly deleted: boolean;
  /** `authenticationInfo.principalEmail`, when the entry names one. */
  readonly actor: string | undefined;
  /** Entry `timestamp` (when the change happened). */
  readonly at: string;
  /** Stable identity of the log entry (hash of logName, insertId, timestamp): the dedupe key. */
  readonly entryId: string;
  readonly operationId: string | undefined;
  readonly project: string;
}

/** What became of one delivered message. Only `change` leads to work; the others are acknowledged. */
export type ParseOutcome =
  | { readonly outcome: 'change'; readonly event: ChangeEvent }
  /** A valid entry Gatewarden deliberately does not act on (a `first` entry, a failed call, an unhandled method). */
  | {
      readonly outcome: 'ignored';
      readonly reason: string;
      readonly entryId?: string;
      readonly method?: string;
    }
  /** Poison: cannot be read as an audit entry at all. Acknowledged and quarantined, never retried. */
  | { readonly outcome: 'malformed'; readonly reason: string };
