// The three entry points over one set of injected dependencies (built once per instance), with what an instance
// keeps between invocations: its counters and the one-at-a-time alert delivery.

import type { CloudEvent, Request, Response } from '@google-cloud/functions-framework';
import type { RoutedChannels } from '../src/alerts/routing.js';
import { type DeliveryOutcome, deliverAlerts } from '../src/app/deliver-alerts.js';
import type { AuditEventDeps } from '../src/app/handle-audit-event.js';
import type { SweepOne, SweepResult } from '../src/app/run-sweep.js';
import type { HierarchyNode } from '../src/domain/scope-tree.js';
import type { Severity } from '../src/domain/severity.js';
import type { AlertSink } from '../src/ports/alert-sink.js';
import type { DeliveryLedger } from '../src/ports/delivery-ledger.js';
import type { HeapPacing } from '../src/ports/heap-pacing.js';
import type { QuarantineStore } from '../src/ports/quarantine-store.js';
import type { RunRecordStore } from '../src/ports/run-records.js';
import type { ScopeTreeReader, SweptScopeStore } from '../src/ports/scope-tree.js';
import type { Stores } from '../src/ports/stores.js';
import type { SweepPublisher } from '../src/ports/sweep-publisher.js';
import { type AuditLogCounters, onAuditLog } from './onAuditLog.js';
import { onSweep } from './onSweep.js';
import { report } from './report.js';

export type { SweepOne, SweepResult } from '../src/app/run-sweep.js';

export interface FunctionDeps extends Stores, Omit<AuditEventDeps, 'deliverAlerts' | keyof Stores> {
  readonly quarantine: QuarantineStore;
  /** The default channels and the mirrors (SCC). */
  readonly sinks: readonly AlertSink[];
  /** The policy's alert routes with their channels: a matching alert goes there instead of the default channels. */
  readonly routes?: readonly RoutedChannels<AlertSink>[];
  /** The policy's alert minimum for the default channels, when routes may take lower alerts (deliver-alerts.ts). */
  readonly routingFloor?: Severity;
  readonly digestWindowMs?: number;
  /** Failed deliveries and skipped events (`deliveries/`, `skipped/`); attempts are not bounded without it. */
  readonly deliveries?: DeliveryLedger;
  /** Projects a sweep covers when its message names none. */
  readonly sweepProjects: readonly string[];
  /** Names this instance in outbox claims. */
  readonly instanceId: string;
  /** Where each project sweep's run record goes (`runs/`); none kept when absent. */
  readonly runs?: RunRecordStore;
  /** Walks a folder or organisation to every depth for a sweep (Cloud Resource Manager folders.list, projects.list). */
  readonly treeReader?: ScopeTreeReader;
  /** The installation's folder or organisation: a tick naming no scope sweeps the whole tree beneath it. */
  readonly sweepRoot?: HierarchyNode;
  /** Runs a sweep's judging and commits (functions/sweep-heap.ts keeps the heap tight for a large project). */
  readonly heapPacing?: HeapPacing;
  /** Where each walk of the installation's tree is kept, for the event path's scope check. */
  readonly sweptScopes?: SweptScopeStore;
  /** Publishes one message per project on the sweep topic the tick arrived on (fan-out). */
  readonly sweepPublisherFor?: (topic: string) => SweepPublisher;
  /** Runs the sweep of several projects in this invocation when there is no fan-out (one after another by default). */
  readonly dispatchSweep?: (
    projects: readonly string[],
    sweepOne: SweepOne,
  ) => Promise<readonly SweepResult[]>;
}

/** Dependencies, or how to build them the first time an entry point runs (once per instance). */
export type DepsProvider = FunctionDeps | (() => Promise<FunctionDeps>);

export interface Handlers {
  onAuditLog(cloudEvent: CloudEvent<unknown>): Promise<void>;
  onSweep(cloudEvent: CloudEvent<unknown>): Promise<void>;
  report(request: Request, response: Response): Promise<void>;
  /** What this instance has seen, for run summaries and tests. */
  readonly counters: Readonly<AuditLogCounters & { sweeps: number }>;
}

export function createHandlers(provider: DepsProvider): Handlers {
  const getDeps = memoise(provider);
  const counters = {
    stale: 0,
    overAttempts: 0,
    failed: 0,
    quarantined: 0,
    ignored: 0,
    judged: 0,
    duplicate: 0,
    outOfScope: 0,
    sweeps: 0,
  };
  // One delivery at a time per instance: two concurrent invocations hold the same claim, so they must not both send.
  let deliveries: Promise<unknown> = Promise.resolve();
  const deliverSerially = (deps: FunctionDeps) => (): Promise<DeliveryOutcome> => {
    const run = () => deliverAlerts({ ...deps, claimant: deps.instanceId });
    const next = deliveries.then(run, run);
    deliveries = next.catch(() => undefined);
    return next;
  };
  return {
    counters,
    async onAuditLog(cloudEvent) {
      const deps = await getDeps();
      await onAuditLog(cloudEvent, { ...deps, deliverAlerts: deliverSerially(deps) }, counters);
    },
    async onSweep(cloudEvent) {
      const deps = await getDeps();
      counters.sweeps += 1;
      await onSweep(cloudEvent, { ...deps, deliverAlerts: deliverSerially(deps) });
    },
    report: (request, response) => report(request, response, getDeps),
  };
}

function memoise(provider: DepsProvider): () => Promise<FunctionDeps> {
  if (typeof provider !== 'function') return () => Promise.resolve(provider);
  let built: Promise<FunctionDeps> | undefined;
  return () => {
    built ??= provider().catch((error: unknown) => {
      // A failed build (Secret Manager briefly down) is tried again by the next invocation.
      built = undefined;
      throw error;
    });
    return built;
  };
}
