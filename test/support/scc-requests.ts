// The simulator's request log read as Security Command Center calls (`create 200`, `update 200`, `setState 200`,
// `setMute 200`), per SCC finding ID: what the SCC tests count writes with.

import type { RequestLogEntry } from '../../src/simulator/index.js';

export type SccCallKind = 'create' | 'update' | 'setState' | 'setMute' | 'list';

export interface SccCall {
  readonly kind: SccCallKind;
  /** The SCC finding ID the call is about (none for a list). */
  readonly findingId: string | null;
  readonly status: number;
}

const FINDINGS =
  /^\/v2\/organizations\/[^/]+\/sources\/[^/]+(?:\/locations\/[^/]+)?\/findings(?:\/([^/:]+)(?::(\w+))?)?$/;

export function sccCallsOf(requests: readonly RequestLogEntry[]): SccCall[] {
  return requests.flatMap((request): SccCall[] => {
    const match = FINDINGS.exec(request.path);
    if (!match) return [];
    const [, id, verb] = match;
    if (id === undefined) {
      return request.method === 'POST'
        ? [{ kind: 'create', findingId: request.query.findingId ?? null, status: request.status }]
        : [{ kind: 'list', findingId: null, status: request.status }];
    }
    const kind = verb === 'setState' || verb === 'setMute' ? verb : 'update';
    return [{ kind, findingId: id, status: request.status }];
  });
}

/** `['create 409', 'update 200', 'setState 200']`: the writes one SCC finding received, in order. */
export function sccWritesTo(requests: readonly RequestLogEntry[], findingId: string): string[] {
  return sccCallsOf(requests)
    .filter((call) => call.kind !== 'list' && call.findingId === findingId)
    .map((call) => `${call.kind} ${call.status}`);
}
