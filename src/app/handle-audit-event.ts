// Use case: one delivery of an audit-log message, with the whole delivery policy -- poison quarantined, events too
// old or delivered too often skipped with a record, stale reads redelivered a bounded number of times, failures
// sorted into "ask for a redelivery" and "acknowledge with a record" -- and alerts sent when the judgement wrote some.
// It returns what happened, including what it wrote, so the entry point only maps it to ack or retry.

import { describeError, isBadInput, isRetryable } from '../domain/failure.js';
import type { ChangeEvent, ParseOutcome } from '../events/change-event.js';
import type { DeliveryInfo } from '../events/parse-cloud-event.js';
import type { DeliveryLedger, SkipReason } from '../ports/delivery-ledger.js';
import type { QuarantineRecord, QuarantineStore } from '../ports/quarantine-store.js';
import type { DeliveryOutcome } from './deliver-alerts.js';
import { once, recordOrRetry } from './delivery-steps.js';
import {
  type ChangeJudgement,
  type JudgeChangeDeps,
  judgeChange,
  type StaleReadBudget,
} from './judge-change.js';
import { type ProjectIdOf, withProjectId } from './project-ids.js';
import type { ScopeMembership } from './scope-membership.js';

export interface AuditEventDeps extends JudgeChangeDeps {
  readonly quarantine: QuarantineStore;
  /** Failed deliveries and skipped events (`deliveries/`, `skipped/`); attempts are not bounded without it. */
  readonly deliveries?: DeliveryLedger;
  /** Sends what the outbox holds (one delivery at a time per instance). */
  readonly deliverAlerts: () => Promise<DeliveryOutcome>;
  /** Events whose entry is older than this are acknowledged and counted, not judged (the sweep covers them). */
  readonly maxEventAgeMs?: number;
  /** Deliveries of one event beyond this are acknowledged and counted, not judged; no limit when absent. */
  readonly maxDeliveryAttempts?: number;
  /** Redeliveries asked for while a re-read looks stale, before it is judged as read (default 3; 0: no check). */
  readonly staleReadRedeliveries?: number;
  /**
   * Whether an event's project is inside the installation's scope (watched projects, or beneath its folder or
   * organisation). Events from outside are acknowledged and counted with no call to Compute or API Gateway.
   */
  readonly membership?: ScopeMembership;
  /** A project number's ID: an event named by number is judged under the ID its neighbourhood is stored by. */
  readonly projectIdOf?: ProjectIdOf;
}

/** How the message arrived: for logs and records, and the delivery attempt when the envelope numbers it. */
export interface AuditDelivery extends DeliveryInfo {
  /** 1 on the first delivery; undefined when the envelope does not say (see deliveryAttemptOf). */
  readonly attempt: number | undefined;
  /** What a quarantine record keeps of the envelope (built only for poison). */
  readonly envelope: () => Omit<QuarantineRecord, 'reason' | 'receivedAt'>;
}

export type AuditEventOutcome =
  | { readonly kind: 'quarantined'; readonly reason: string }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: SkipReason }
  /** The event's project is outside the installation's scope: acknowledged unjudged, nothing written. */
  | { readonly kind: 'out-of-scope'; readonly reason: string }
  | { readonly kind: 'judged'; readonly judgement: ChangeJudgement; readonly delivered?: DeliveryOutcome }
  /** Ask Pub/Sub for a redelivery (the entry point fails with `error`); `judgement` when the commit did happen. */
  | {
      readonly kind: 'retry';
      readonly stage: 'scope' | 'judge' | 'record' | 'deliver';
      readonly error: unknown;
      readonly judgement?: ChangeJudgement;
    };

export const DEFAULT_STALE_READ_REDELIVERIES = 3;

export async function handleAuditEvent(
  parsed: ParseOutcome,
  delivery: AuditDelivery,
  deps: AuditEventDeps,
): Promise<AuditEventOutcome> {
  const { envelope: _envelope, attempt: _attempt, ...logged } = delivery;
  /** Poison: kept for a person and acknowledged on this delivery, never redelivered to fail the same way. */
  const quarantine = async (reason: string, context: Record<string, unknown>): Promise<AuditEventOutcome> => {
    deps.log.warn('message quarantined', { reason, ...context, ...logged });
    const record = { ...delivery.envelope(), reason, receivedAt: deps.clock.now().toISOString() };
    const failed = await recordOrRetry(deps, 'quarantine', () => deps.quarantine.add(record));
    return failed ?? { kind: 'quarantined', reason };
  };
  if (parsed.outcome === 'malformed') {
    return quarantine(parsed.reason, { type: delivery.envelope().eventType });
  }
  if (parsed.outcome === 'ignored') {
    const { reason, method, entryId } = parsed;
    deps.log.info('event ignored', { reason, method, entryId, ...logged });
    return { kind: 'ignored', reason };
  }
  let event = parsed.event;
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
      deliveryAttempt: extra.deliveryAttempt ?? delivery.attempt,
      messageId: delivery.messageId,
      ...(extra.error ? { error: extra.error } : {}),
    };
    const failed = await recordOrRetry(deps, 'skipped-event record', async () =>
      deps.deliveries?.recordSkipped(skipped),
    );
    return failed ?? { kind: 'skipped' as const, reason };
  };
  if (deps.maxEventAgeMs !== undefined && ageMs > deps.maxEventAgeMs) {
    deps.log.warn('stale event acknowledged unjudged; the next sweep covers it', {
      resource: event.resource,
      method: event.method,
      entryId: event.entryId,
      ageMs,
      maxEventAgeMs: deps.maxEventAgeMs,
      ...logged,
    });
    return skip('too-old');
  }
  // Placed first: whether the event's project is in scope, and its ID when the entry named it by number.
  let placed: Placement;
  try {
    placed = await place(parsed.event, deps);
  } catch (error) {
    // A lookup that may succeed later (quota, an outage): ask again rather than judge or drop the event.
    if (isRetryable(error)) {
      deps.log.warn('project of the event could not be placed; asking for redelivery', {
        project: event.project,
        error: describeError(error),
        entryId: event.entryId,
        ...logged,
      });
      return { kind: 'retry', stage: 'scope', error };
    }
    // Resource Manager refusing the project's name (a 400) refuses it every time: poison. Redelivered, it would fail
    // until the attempts ran out, before the delivery count below could stop it.
    if (isBadInput(error)) {
      return quarantine(
        `project ${JSON.stringify(event.project)} cannot be placed: ${describeError(error)}`,
        {
          project: event.project,
          resource: event.resource,
          entryId: event.entryId,
        },
      );
    }
    // Anything else that will fail again (the API switched off, a 401) is the deployment's, not the entry's: said
    // loudly and recorded as skipped, as a judgement that would fail again is; the next sweep covers the change.
    deps.log.error('project of the event could not be placed and would fail again; acknowledged', {
      project: event.project,
      error: describeError(error),
      resource: event.resource,
      entryId: event.entryId,
      ...logged,
    });
    return skip('error', { error: describeError(error) });
  }
  if (placed.outside !== undefined) {
    deps.log.info('event outside the scope acknowledged unjudged', {
      project: event.project,
      reason: placed.outside,
      method: event.method,
      entryId: event.entryId,
      ...logged,
    });
    return { kind: 'out-of-scope', reason: placed.outside };
  }
  event = placed.event;
  // Pub/Sub numbers deliveries only when a dead-letter policy is set, and the Functions Framework drops the
  // number when it converts a raw push; the ledger's failure count stands in for it then.
  const counted = delivery.attempt !== undefined || deps.deliveries !== undefined;
  const failuresSoFar = once(async () =>
    delivery.attempt !== undefined
      ? delivery.attempt - 1
      : ((await deps.deliveries?.failuresOf(event.entryId)) ?? 0),
  );
  if (deps.maxDeliveryAttempts !== undefined && counted) {
    const thisAttempt = (await failuresSoFar()) + 1;
    if (thisAttempt > deps.maxDeliveryAttempts) {
      deps.log.warn('event delivered too often; acknowledged unjudged, the next sweep covers it', {
        resource: event.resource,
        entryId: event.entryId,
        deliveryAttempt: thisAttempt,
        maxDeliveryAttempts: deps.maxDeliveryAttempts,
        ...logged,
      });
      return skip('too-many-attempts', { deliveryAttempt: thisAttempt });
    }
  }
  const maxRedeliveries = deps.staleReadRedeliveries ?? DEFAULT_STALE_READ_REDELIVERIES;
  const staleReads: StaleReadBudget | undefined =
    maxRedeliveries > 0 && counted ? { maxRedeliveries, redeliveriesSoFar: failuresSoFar } : undefined;
  let judgement: ChangeJudgement;
  try {
    judgement = await judgeChange(event, deps, staleReads);
  } catch (error) {
    if (isRetryable(error)) {
      deps.log.warn('audit change failed; asking for redelivery', {
        error: describeError(error),
        entryId: event.entryId,
        ...logged,
      });
      // Counted before failing, so the next delivery knows its number; losing the count only costs a retry.
      await deps.deliveries
        ?.recordFailure(event.entryId, describeError(error), deps.clock.now().toISOString())
        .catch((ledgerError: unknown) =>
          deps.log.warn('delivery failure not counted', { error: describeError(ledgerError) }),
        );
      return { kind: 'retry', stage: 'judge', error };
    }
    if (isBadInput(error)) {
      // The entry names something no read can succeed on (a 400, a name the client refuses): poison, acknowledged on
      // this first delivery instead of retried until the attempts run out.
      return quarantine(`the change cannot be judged: ${describeError(error)}`, {
        resource: event.resource,
        entryId: event.entryId,
      });
    }
    deps.log.error('audit change failed and would fail again; acknowledged', {
      error: describeError(error),
      resource: event.resource,
      entryId: event.entryId,
      ...logged,
    });
    return skip('error', { error: describeError(error) });
  }
  deps.log.info('change judged', {
    status: judgement.status,
    ...(judgement.reason ? { reason: judgement.reason } : {}),
    resource: event.resource,
    method: event.method,
    actor: event.actor,
    entryId: event.entryId,
    judged: judgement.judged,
    transitions: judgement.transitions,
    ...logged,
  });
  // The outbox is read when this commit wrote an alert, and on a duplicate: the first delivery may have committed
  // and then died before sending. An unchanged judgement (most events) skips the query; the sweep drains the rest.
  if (judgement.alertsWritten === 0 && judgement.status !== 'duplicate') {
    return { kind: 'judged', judgement };
  }
  let delivered: DeliveryOutcome | undefined;
  const failed = await recordOrRetry(deps, 'alert delivery', async () => {
    delivered = await deps.deliverAlerts();
  });
  if (failed) return { ...failed, stage: 'deliver', judgement };
  return { kind: 'judged', judgement, ...(delivered ? { delivered } : {}) };
}

/** Where an event belongs: outside the scope (why), or in it, with its project named by ID. */
type Placement = { readonly outside: string } | { readonly outside?: undefined; readonly event: ChangeEvent };

async function place(event: ChangeEvent, deps: AuditEventDeps): Promise<Placement> {
  if (deps.membership) {
    const verdict = await deps.membership.check(event.project);
    if (!verdict.inScope) return { outside: verdict.reason };
  }
  return { event: deps.projectIdOf ? await withProjectId(event, deps.projectIdOf) : event };
}
