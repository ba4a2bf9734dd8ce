// The three entry points as plain functions over injected dependencies: parse, call one use case, ack or ask for a retry.

import type { CloudEvent, Request, Response } from '@google-cloud/functions-framework';
import { auditChange, type StaleReadRetries } from '../src/app/audit-change.js';
import { type DeliveryOutcome, deliverAlerts } from '../src/app/deliver-alerts.js';
import type { SweepPublisher } from '../src/app/fan-out.js';
import { parseReportQuery } from '../src/app/report-query.js';
import {
  failedRunRecord,
  newRunId,
  type RunRecord,
  type RunRecordStore,
  runRecordOf,
  type ScopeRunRecord,
  scopeRunRecordOf,
} from '../src/app/run-record.js';
import { sweptScopeOf } from '../src/app/scope-membership.js';
import { buildStoredReport, renderStoredReportJson, type StoredReport } from '../src/app/stored-report.js';
import { type SweepOutcome, sweepProject } from '../src/app/sweep-project.js';
import {
  describeScope,
  parseSweepScope,
  projectsOfScope,
  type ScopeProjects,
} from '../src/app/sweep-scope.js';
import type { Baseline } from '../src/domain/baseline.js';
import { describeError, isRetryable } from '../src/domain/failure.js';
import { ALERTING_TRANSITIONS, type Transition } from '../src/domain/finding.js';
import { describeUnreadable, type HierarchyNode, type ScopeTree } from '../src/domain/scope-tree.js';
import type { Severity } from '../src/domain/severity.js';
import type { Policy } from '../src/engine/policy.js';
import { deliveryInfoOf, parseCloudEvent } from '../src/events/parse-cloud-event.js';
import type { AlertSink } from '../src/ports/alert-sink.js';
import type { Clock } from '../src/ports/clock.js';
import type { DeliveryLedger, SkipReason } from '../src/ports/delivery-ledger.js';
import type { FindingStore } from '../src/ports/finding-store.js';
import type { Logger } from '../src/ports/logger.js';
import type { QuarantineStore } from '../src/ports/quarantine-store.js';
import type { ResourceSource } from '../src/ports/resource-source.js';
import type { ScopeTreeReader, SweptScopeStore } from '../src/ports/scope-tree.js';
import type { SnapshotStore } from '../src/ports/snapshot-store.js';
import type { ProbeRunner } from '../src/probe/probe-results.js';
import { REPORT_CSP } from '../src/report/html.js';
import { REPORT_CONTENT_TYPES, renderReport } from '../src/report/render-report.js';
import type { Rule } from '../src/rules/define-rule.js';

export interface FunctionDeps {
  readonly source: ResourceSource;
  readonly snapshots: SnapshotStore;
  readonly findings: FindingStore;
  readonly quarantine: QuarantineStore;
  readonly sinks: readonly AlertSink[];
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
  readonly log: Logger;
  readonly loadBaseline?: (resources: readonly string[]) => Promise<Baseline | undefined>;
  /** The active exposure probe, when the policy enables it (`probe.enabled`). */
  readonly probe?: ProbeRunner;
  readonly minimumAlertSeverity?: Severity;
  readonly digestWindowMs?: number;
  /** Events whose entry is older than this are acknowledged and counted, not judged (the sweep covers them). */
  readonly maxEventAgeMs?: number;
  /** Deliveries of one event beyond this are acknowledged and counted, not judged; no limit when absent. */
  readonly maxDeliveryAttempts?: number;
  /** Redeliveries asked for while a re-read looks stale, before it is judged as read (default 3; 0: no check). */
  readonly staleReadRedeliveries?: number;
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
  /** Where each walk of the installation's tree is kept, for the event path's scope check. */
  readonly sweptScopes?: SweptScopeStore;
  /**
   * Publishes one message per project on the sweep topic (the topic the tick arrived on), so each project is swept
   * by its own invocation. Without it, a multi-project sweep runs in this invocation (dispatchSweep, or in turn).
   */
  readonly sweepPublisherFor?: (topic: string) => SweepPublisher;
  /** Runs the sweep of several projects in this invocation when there is no fan-out (one after another by default). */
  readonly dispatchSweep?: (
    projects: readonly string[],
    sweepOne: SweepOne,
  ) => Promise<readonly SweepResult[]>;
}

export type SweepOne = (project: string) => Promise<SweepOutcome>;
export type SweepResult =
  | { readonly project: string; readonly outcome: SweepOutcome }
  | { readonly project: string; readonly error: unknown };

/** Dependencies, or how to build them the first time an entry point runs (once per instance). */
export type DepsProvider = FunctionDeps | (() => Promise<FunctionDeps>);

export interface Handlers {
  onAuditLog(cloudEvent: CloudEvent<unknown>): Promise<void>;
  onSweep(cloudEvent: CloudEvent<unknown>): Promise<void>;
  report(request: Request, response: Response): Promise<void>;
  /** What this instance has seen, for run summaries and tests. */
  readonly counters: Readonly<
    Record<
      'stale' | 'overAttempts' | 'failed' | 'quarantined' | 'ignored' | 'judged' | 'duplicate' | 'sweeps',
      number
    >
  >;
}

/** A poison payload is kept whole up to this size; beyond it only the start is worth a look. */
export const QUARANTINE_PAYLOAD_CHARS = 16 * 1024;

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
    sweeps: 0,
  };
  // One delivery at a time per instance: two concurrent invocations hold the same claim, so they must not both send.
  let deliveries: Promise<unknown> = Promise.resolve();
  const deliverSerially = (deps: FunctionDeps): Promise<DeliveryOutcome> => {
    const run = () => deliverAlerts({ ...deps, claimant: deps.instanceId });
    const next = deliveries.then(run, run);
    deliveries = next.catch(() => undefined);
    return next;
  };

  async function onAuditLog(cloudEvent: CloudEvent<unknown>): Promise<void> {
    const deps = await getDeps();
    const delivery = deliveryInfoOf(cloudEvent);
    const parsed = parseCloudEvent(cloudEvent);
    if (parsed.outcome === 'malformed') {
      counters.quarantined += 1;
      deps.log.warn('message quarantined', { reason: parsed.reason, ...delivery, type: cloudEvent.type });
      await retryWhenTransient(deps.log, 'quarantine', () =>
        deps.quarantine.add(quarantineRecordOf(cloudEvent, parsed.reason, deps.clock)),
      );
      return;
    }
    if (parsed.outcome === 'ignored') {
      counters.ignored += 1;
      deps.log.info('event ignored', {
        reason: parsed.reason,
        method: parsed.method,
        entryId: parsed.entryId,
        ...delivery,
      });
      return;
    }
    const { event } = parsed;
    const attempt = deliveryAttemptOf(cloudEvent);
    const ageMs = deps.clock.now().getTime() - Date.parse(event.at);
    const skip = async (reason: SkipReason, extra: { deliveryAttempt?: number; error?: string } = {}) => {
      const skipped = {
        reason,
        entryId: event.entryId,
        resource: event.resource,
        method: event.method,
        at: event.at,
        skippedAt: deps.clock.now().toISOString(),
        ageMs,
        deliveryAttempt: extra.deliveryAttempt ?? attempt,
        messageId: delivery.messageId,
        ...(extra.error ? { error: extra.error } : {}),
      };
      await retryWhenTransient(deps.log, 'skipped-event record', async () =>
        deps.deliveries?.recordSkipped(skipped),
      );
    };
    if (deps.maxEventAgeMs !== undefined && ageMs > deps.maxEventAgeMs) {
      counters.stale += 1;
      deps.log.warn('stale event acknowledged unjudged; the next sweep covers it', {
        resource: event.resource,
        method: event.method,
        entryId: event.entryId,
        ageMs,
        maxEventAgeMs: deps.maxEventAgeMs,
        staleEvents: counters.stale,
        ...delivery,
      });
      await skip('too-old');
      return;
    }
    // Pub/Sub numbers deliveries only when a dead-letter policy is set, and the Functions Framework drops the
    // number when it converts a raw push; the ledger's failure count stands in for it then.
    const failuresSoFar = memoiseOnce(async () =>
      attempt !== undefined ? attempt - 1 : ((await deps.deliveries?.failuresOf(event.entryId)) ?? 0),
    );
    if (deps.maxDeliveryAttempts !== undefined && (attempt !== undefined || deps.deliveries)) {
      const thisAttempt = (await failuresSoFar()) + 1;
      if (thisAttempt > deps.maxDeliveryAttempts) {
        counters.overAttempts += 1;
        deps.log.warn('event delivered too often; acknowledged unjudged, the next sweep covers it', {
          resource: event.resource,
          entryId: event.entryId,
          deliveryAttempt: thisAttempt,
          maxDeliveryAttempts: deps.maxDeliveryAttempts,
          ...delivery,
        });
        await skip('too-many-attempts', { deliveryAttempt: thisAttempt });
        return;
      }
    }
    const staleReadRedeliveries = deps.staleReadRedeliveries ?? DEFAULT_STALE_READ_REDELIVERIES;
    const staleReads: StaleReadRetries | undefined =
      staleReadRedeliveries > 0 && (attempt !== undefined || deps.deliveries)
        ? {
            maxRedeliveries: staleReadRedeliveries,
            redeliveriesSoFar: failuresSoFar,
          }
        : undefined;
    let outcome: Awaited<ReturnType<typeof auditChange>> | undefined;
    try {
      outcome = await auditChange(event, { ...deps, staleReads });
    } catch (error) {
      counters.failed += 1;
      if (isRetryable(error)) {
        deps.log.warn('audit change failed; asking for redelivery', {
          error: describeError(error),
          entryId: event.entryId,
          ...delivery,
        });
        // Counted before failing, so the next delivery knows its number; losing the count only costs a retry.
        await deps.deliveries
          ?.recordFailure(event.entryId, describeError(error), deps.clock.now().toISOString())
          .catch((ledgerError: unknown) =>
            deps.log.warn('delivery failure not counted', { error: describeError(ledgerError) }),
          );
        throw error;
      }
      deps.log.error('audit change failed and would fail again; acknowledged', {
        error: describeError(error),
        resource: event.resource,
        entryId: event.entryId,
        ...delivery,
      });
      await skip('error', { error: describeError(error) });
      return;
    }
    if (outcome === undefined) return;
    if (outcome.status === 'duplicate') counters.duplicate += 1;
    else counters.judged += 1;
    deps.log.info('change judged', {
      status: outcome.status,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      resource: event.resource,
      method: event.method,
      actor: event.actor,
      entryId: event.entryId,
      judged: outcome.judged,
      transitions: outcome.transitions,
      ...delivery,
    });
    // The outbox is read when this commit wrote an alert, and on a duplicate: the first delivery may have committed
    // and then died before sending. An unchanged judgement (most events) skips the query; the sweep drains the rest.
    const wroteAlerts = outcome.transitions.some((change) =>
      ALERTING_TRANSITIONS.has(change.transition as Transition),
    );
    if (wroteAlerts || outcome.status === 'duplicate') {
      await retryWhenTransient(deps.log, 'alert delivery', () => deliverSerially(deps));
    }
  }

  async function onSweep(cloudEvent: CloudEvent<unknown>): Promise<void> {
    const deps = await getDeps();
    counters.sweeps += 1;
    const delivery = deliveryInfoOf(cloudEvent);
    const scope = parseSweepScope(sweepMessageText(cloudEvent));
    if ('problem' in scope) {
      deps.log.error('sweep message refused', { reason: scope.problem, ...delivery });
      return;
    }
    let found: ScopeProjects;
    const walkStarted = deps.clock.now().toISOString();
    try {
      found = await projectsOfScope(
        scope,
        deps.sweepRoot ? { root: deps.sweepRoot } : deps.sweepProjects,
        deps.treeReader,
      );
    } catch (error) {
      deps.log.error('sweep scope could not be resolved', {
        scope: describeScope(scope),
        error: describeError(error),
        ...delivery,
      });
      // A quota or outage on projects.search is worth a redelivery; a refused permission is not.
      if (isRetryable(error)) throw error;
      return;
    }
    if (found.tree) await recordWalk(deps, found.tree, walkStarted, delivery.messageId ?? null);
    const { projects } = found;
    if (projects.length === 0) {
      deps.log.error('sweep has no project: name them in the message or in GATEWARDEN_SWEEP_PROJECTS', {
        scope: describeScope(scope),
        ...delivery,
      });
      return;
    }
    const topic = topicOfSource(cloudEvent.source);
    if (projects.length > 1 && deps.sweepPublisherFor && topic) {
      // One message per project, each swept by its own invocation; a failed publish retries the whole tick,
      // which is safe because a project sweep of an unchanged estate writes nothing.
      await deps.sweepPublisherFor(topic).publishProjectSweeps(projects);
      deps.log.info('sweep fanned out', {
        scope: describeScope(scope),
        projects: projects.length,
        topic,
        ...(found.tree ? { unreadable: describeUnreadable(found.tree.unreadable) } : {}),
      });
      return;
    }
    const started = deps.clock.now().getTime();
    const messageId = delivery.messageId ?? null;
    const sweepOne: SweepOne = (project) => sweepWithRunRecord(project, deps, messageId);
    const results = await (deps.dispatchSweep ?? sweepInProcess)(projects, sweepOne);
    const failed = results.filter((result) => 'error' in result);
    for (const result of failed) {
      deps.log.error('project sweep failed', { project: result.project, error: describeError(result.error) });
    }
    const swept = results.flatMap((result) => ('outcome' in result ? [result.outcome] : []));
    let delivered: DeliveryOutcome | undefined;
    let deliveryError: unknown;
    try {
      delivered = await deliverSerially(deps);
    } catch (error) {
      deliveryError = error;
    }
    deps.log.info('sweep finished', {
      projects: projects.length,
      failedProjects: failed.map((result) => result.project),
      resources: sum(swept, 'resources'),
      failing: sum(swept, 'failing'),
      transitions: sum(swept, 'transitions'),
      snapshotsWritten: sum(swept, 'snapshotsWritten'),
      deleted: sum(swept, 'deleted'),
      incompleteScopes: swept.reduce((total, outcome) => total + outcome.incomplete.length, 0),
      incompleteProjects: swept.filter((outcome) => outcome.incomplete.length > 0).map((o) => o.project),
      alertsSent: delivered?.sent ?? 0,
      durationMs: deps.clock.now().getTime() - started,
    });
    const retryable = [...failed.map((result) => result.error), deliveryError].filter(isRetryable);
    if (retryable.length > 0) {
      // Sweeping again is idempotent, so the projects that did succeed cost reads but no writes.
      throw new SweepIncompleteError(retryable.length, retryable[0]);
    }
    if (deliveryError) throw deliveryError;
  }

  async function report(request: Request, response: Response): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.set('allow', 'GET, HEAD');
      sendJson(response, 405, { error: `method ${request.method} is not allowed; use GET` });
      return;
    }
    const query = parseReportQuery(request.query as Record<string, unknown>);
    if ('problem' in query) {
      sendJson(response, query.status, { error: query.problem });
      return;
    }
    const deps = await getDeps();
    let built: StoredReport;
    try {
      built = await buildStoredReport(deps.findings, query.filters, {
        rules: deps.rules,
        now: deps.clock.now(),
      });
    } catch (error) {
      deps.log.error('report query failed', { error: describeError(error) });
      sendJson(response, isRetryable(error) ? 503 : 500, { error: 'findings could not be read; try again' });
      return;
    }
    const body =
      query.format === 'json'
        ? renderStoredReportJson(built, query.filters)
        : renderReport(built.model, query.format);
    response
      .status(200)
      .set('content-type', REPORT_CONTENT_TYPES[query.format])
      .set('x-content-type-options', 'nosniff')
      // The HTML carries no script and needs none; the policy makes sure estate text could not add any.
      .set('content-security-policy', query.format === 'html' ? REPORT_CSP : "default-src 'none'")
      // Findings are confidential: no shared cache may keep them.
      .set('cache-control', 'private, no-store')
      .send(body);
  }

  return { onAuditLog, onSweep, report, counters };
}

const DEFAULT_STALE_READ_REDELIVERIES = 3;

/**
 * `deliveryAttempt` (1 on the first delivery) where the envelope carries it: Pub/Sub sets it in the push body when
 * the subscription has a dead-letter policy, and Eventarc keeps it in the CloudEvent data. The Functions Framework's
 * conversion of a raw push (what our Terraform deploys) keeps only the message, so there it is undefined.
 */
export function deliveryAttemptOf(cloudEvent: CloudEvent<unknown>): number | undefined {
  const data = cloudEvent.data as { deliveryAttempt?: unknown; delivery_attempt?: unknown } | undefined;
  const value = data?.deliveryAttempt ?? data?.delivery_attempt;
  const attempt = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof attempt === 'number' && Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : undefined;
}

function memoiseOnce<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= compute();
    return value;
  };
}

/** Thrown when some projects of a sweep failed in a way a retry could fix. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
  readonly retryable = true;
  constructor(count: number, first: unknown) {
    super(`${count} part(s) of the sweep failed and may succeed on retry; first: ${describeError(first)}`);
  }
}

async function sweepInProcess(projects: readonly string[], sweepOne: SweepOne): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const project of projects) {
    try {
      results.push({ project, outcome: await sweepOne(project) });
    } catch (error) {
      results.push({ project, error });
    }
  }
  return results;
}

/**
 * Runs `work`; a failure a retry could fix is rethrown (the framework answers 500 and Pub/Sub redelivers),
 * anything else is logged and swallowed so the message is acknowledged rather than retried for a day.
 */
async function retryWhenTransient<T>(
  log: Logger,
  what: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (isRetryable(error)) {
      log.warn(`${what} failed; asking for redelivery`, { error: describeError(error) });
      throw error;
    }
    log.error(`${what} failed and would fail again; acknowledged`, { error: describeError(error) });
    return undefined;
  }
}

function quarantineRecordOf(
  cloudEvent: CloudEvent<unknown>,
  reason: string,
  clock: Clock,
): Parameters<QuarantineStore['add']>[0] {
  const delivery = deliveryInfoOf(cloudEvent);
  const data = cloudEvent.data as { subscription?: unknown; message?: { data?: unknown } } | undefined;
  const raw =
    typeof data?.message?.data === 'string'
      ? data.message.data
      : typeof cloudEvent.data === 'string'
        ? cloudEvent.data
        : (JSON.stringify(cloudEvent.data ?? null) ?? '');
  return {
    reason,
    eventType: typeof cloudEvent.type === 'string' ? cloudEvent.type : undefined,
    messageId: delivery.messageId,
    publishTime: delivery.publishTime,
    deliveredBy:
      typeof data?.subscription === 'string'
        ? data.subscription
        : typeof cloudEvent.source === 'string'
          ? cloudEvent.source
          : undefined,
    payload: raw.slice(0, QUARANTINE_PAYLOAD_CHARS),
    payloadBytes: Buffer.byteLength(raw, 'utf8'),
    truncated: raw.length > QUARANTINE_PAYLOAD_CHARS,
    receivedAt: clock.now().toISOString(),
  };
}

/** The sweep message's body as text (Pub/Sub carries it base64-encoded); '' when there is none. */
function sweepMessageText(cloudEvent: CloudEvent<unknown>): string {
  const encoded = (cloudEvent.data as { message?: { data?: unknown } } | undefined)?.message?.data;
  if (typeof encoded !== 'string') return '';
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** `projects/P/topics/T` from a Pub/Sub CloudEvent source (`//pubsub.googleapis.com/projects/P/topics/T`). */
export function topicOfSource(source: unknown): string | undefined {
  if (typeof source !== 'string') return undefined;
  return /^\/\/pubsub\.googleapis\.com\/(projects\/[^/]+\/topics\/[^/]+)$/.exec(source)?.[1];
}

/**
 * Records a walk of a folder or organisation: its run record names the folders that could not be read, and the
 * installation's own tree is kept for the event path's scope check. Neither failing stops the sweep.
 */
async function recordWalk(
  deps: FunctionDeps,
  tree: ScopeTree,
  startedAt: string,
  messageId: string | null,
): Promise<void> {
  const finishedAt = deps.clock.now().toISOString();
  const record: ScopeRunRecord = scopeRunRecordOf(
    tree,
    { id: newRunId(tree.root, startedAt), startedAt, finishedAt },
    messageId,
  );
  if (tree.unreadable.length > 0) {
    deps.log.warn('parts of the tree could not be read: nothing beneath them is swept', {
      scope: tree.root,
      unreadable: describeUnreadable(tree.unreadable),
    });
  }
  try {
    await deps.runs?.save(record);
  } catch (error) {
    deps.log.error('run record not saved', {
      scope: tree.root,
      runId: record.id,
      error: describeError(error),
    });
  }
  if (tree.root !== deps.sweepRoot || !deps.sweptScopes) return;
  try {
    await deps.sweptScopes.save(sweptScopeOf(tree, finishedAt));
  } catch (error) {
    // Events still place unlisted projects by ancestry, at one lookup each.
    deps.log.error('swept scope not saved', { scope: tree.root, error: describeError(error) });
  }
}

/** Sweeps one project and records the run (`runs/`), whether it judged, found scopes missing, or failed. */
async function sweepWithRunRecord(
  project: string,
  deps: FunctionDeps,
  messageId: string | null,
): Promise<SweepOutcome> {
  const startedAt = deps.clock.now().toISOString();
  const id = newRunId(project, startedAt);
  const save = async (record: RunRecord) => {
    try {
      await deps.runs?.save(record);
    } catch (error) {
      // The sweep's own work is done and committed; losing its record is logged, not retried.
      deps.log.error('run record not saved', { project, runId: id, error: describeError(error) });
    }
  };
  let outcome: SweepOutcome;
  try {
    outcome = await sweepProject(project, deps);
  } catch (error) {
    await save(
      failedRunRecord(
        project,
        error,
        { id, startedAt, finishedAt: deps.clock.now().toISOString() },
        messageId,
      ),
    );
    throw error;
  }
  await save(runRecordOf(outcome, { id, startedAt, finishedAt: deps.clock.now().toISOString() }, messageId));
  if (outcome.incomplete.length > 0) {
    deps.log.warn('project sweep incomplete: nothing judged or resolved', {
      project,
      runId: id,
      incompleteScopes: outcome.incomplete,
      errors: outcome.errors,
    });
  }
  return outcome;
}

function sendJson(response: Response, status: number, body: unknown): void {
  response
    .status(status)
    .set('content-type', 'application/json; charset=utf-8')
    .send(`${JSON.stringify(body, null, 2)}\n`);
}

function sum(
  outcomes: readonly SweepOutcome[],
  key: 'resources' | 'failing' | 'transitions' | 'snapshotsWritten' | 'deleted',
): number {
  return outcomes.reduce((total, outcome) => total + outcome[key], 0);
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
