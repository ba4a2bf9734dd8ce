// Use case: send what the outbox holds. Alerts were written with their transitions, so a crash before sending
// loses nothing: the next invocation (or the sweep) finds them pending. A short digest window lets one burst of
// changes (a Terraform apply) leave as one message per channel, whichever invocation claims it. With alert routes,
// each alert goes to the channels of the routes it matches (one digest per route), the rest to the default channels.

import { createAlertRouter, type DeliveryGroup, type RoutedChannels } from '../alerts/routing.js';
import type { AlertRecord } from '../domain/alert.js';
import type { Severity } from '../domain/severity.js';
import { type AlertSink, isPermanentDeliveryFailure } from '../ports/alert-sink.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Outbox } from '../ports/outbox.js';

export interface DeliverAlertsDeps {
  readonly outbox: Outbox;
  /** The default channels (every alert no route matches) and the mirrors (every record, quiet ones too). */
  readonly sinks: readonly AlertSink[];
  /** The policy's alert routes with their channels, in policy order; none: every channel gets every alert. */
  readonly routes?: readonly RoutedChannels<AlertSink>[];
  /**
   * The policy's alert minimum, when a route asked for lower alerts (the outbox then holds them): the default channels
   * and routes without a minimum of their own skip what is below it.
   */
  readonly routingFloor?: Severity;
  readonly clock: Clock;
  readonly log: Logger;
  /** Identifies this invocation in outbox claims. */
  readonly claimant: string;
  /** Wait until the newest pending alert is this old before sending, so a burst joins one digest. */
  readonly digestWindowMs?: number;
  /** A claim older than this is taken to belong to a crashed invocation. */
  readonly leaseMs?: number;
  readonly batchSize?: number;
}

export interface DeliveryOutcome {
  readonly sent: number;
  readonly failedSinks: readonly string[];
  /** Channels that refused the batch for good: logged and given up on, so one bad webhook cannot block the rest. */
  readonly refusedBy: readonly string[];
}

/** Batches one delivery sends at most (5,000 alerts at the default batch size); the rest wait for the next one. */
const MAX_BATCHES = 10;

/**
 * How long a claim keeps a batch from other invocations: longer than one batch's sends can take, or a slow channel's
 * batch is claimed and sent again by the next invocation while the first still sends it. A webhook post is up to four
 * attempts of 10 s with 30 s of waits, twice when its URL was rotated (~140 s), and a channel's digests go one after
 * another. It is also how long a crashed invocation's batch waits before another sends it.
 */
const DEFAULT_LEASE_MS = 5 * 60_000;

export async function deliverAlerts(deps: DeliverAlertsDeps): Promise<DeliveryOutcome> {
  const batchSize = deps.batchSize ?? 500;
  const routed = (deps.routes ?? []).some((route) => route.channels.length > 0);
  if (deps.sinks.length === 0 && !routed) return { sent: 0, failedSinks: [], refusedBy: [] };
  let pending = await deps.outbox.pendingAlerts(batchSize);
  if (pending.length === 0) return { sent: 0, failedSinks: [], refusedBy: [] };

  const window = deps.digestWindowMs ?? 0;
  const newest = Math.max(...pending.map((alert) => Date.parse(alert.createdAt)));
  const wait = newest + window - deps.clock.now().getTime();
  if (wait > 0) {
    await deps.clock.sleep(wait);
    pending = await deps.outbox.pendingAlerts(batchSize);
  }
  let sent = 0;
  const refusedBy = new Set<string>();
  // A full batch may leave more behind it (a first sweep opens thousands; a mirror's quiet records pile up): the
  // outbox is drained here, batch after batch, rather than one batch per alerting event or sweep. The bound keeps
  // one invocation finite while other instances keep writing.
  for (let round = 1; ; round++) {
    const batch = await deliverBatch(pending, deps);
    sent += batch.sent;
    for (const sink of batch.refusedBy) refusedBy.add(sink);
    if (batch.sent === 0 || pending.length < batchSize || round >= MAX_BATCHES) break;
    pending = await deps.outbox.pendingAlerts(batchSize);
    if (pending.length === 0) break;
  }
  return { sent, failedSinks: [], refusedBy: [...refusedBy] };
}

/** Claims, sends and marks one batch; throws (the batch left in the outbox) when a channel failed it. */
async function deliverBatch(
  pending: readonly AlertRecord[],
  deps: DeliverAlertsDeps,
): Promise<{ sent: number; refusedBy: readonly string[] }> {
  const claimed = await deps.outbox.claimAlerts(
    pending.map((alert) => alert.id),
    deps.claimant,
    deps.leaseMs ?? DEFAULT_LEASE_MS,
    deps.clock.now().toISOString(),
  );
  if (claimed.length === 0) return { sent: 0, refusedBy: [] };

  const { failedSinks, refusedBy, sent, routes } = await sendToEverySink(claimed, deps);
  if (failedSinks.length > 0) {
    // Not marked sent: the claim lapses and a redelivery sends again (receivers dedupe on the alert ID).
    throw new AlertDeliveryError(failedSinks, claimed.length);
  }
  await deps.outbox.markAlertsSent(
    claimed.map((alert) => alert.id),
    deps.clock.now().toISOString(),
  );
  deps.log.info('alerts sent', {
    count: claimed.length,
    sinks: sent.map((sink) => sink.name).filter((name) => !refusedBy.includes(name)),
    ...(routes.length > 0 ? { routes } : {}),
  });
  return { sent: claimed.length, refusedBy };
}

/** Each sink's sends for this batch: mirrors take every record; channels the alerts routed to them. */
function planSends(
  alerts: readonly AlertRecord[],
  deps: DeliverAlertsDeps,
): Map<AlertSink, DeliveryGroup<AlertSink>[]> {
  const channels = deps.sinks.filter((sink) => !sink.takesQuiet);
  const route = createAlertRouter(deps.routes ?? [], channels, deps.routingFloor);
  const plan = new Map<AlertSink, DeliveryGroup<AlertSink>[]>();
  for (const mirror of deps.sinks.filter((sink) => sink.takesQuiet)) {
    plan.set(mirror, [{ channel: mirror, route: null, alerts }]);
  }
  for (const group of route(alerts.filter((alert) => !alert.quiet))) {
    plan.set(group.channel, [...(plan.get(group.channel) ?? []), group]);
  }
  return plan;
}

async function sendToEverySink(
  alerts: readonly AlertRecord[],
  deps: DeliverAlertsDeps,
): Promise<{ failedSinks: string[]; refusedBy: string[]; sent: AlertSink[]; routes: string[] }> {
  const plan = [...planSends(alerts, deps)];
  const outcomes = await Promise.allSettled(
    plan.map(async ([sink, groups]) => {
      // One digest per route, one after another: a channel's messages arrive in policy order.
      let refusal: unknown;
      for (const group of groups) {
        try {
          await sink.send(group.alerts, group.route === null ? undefined : { route: group.route });
        } catch (error) {
          if (!isPermanentDeliveryFailure(error)) throw error;
          // That digest is given up on, not the next route's: theirs would be marked sent without being tried.
          refusal ??= error;
        }
      }
      if (refusal !== undefined) throw refusal;
    }),
  );
  const failedSinks: string[] = [];
  const refusedBy: string[] = [];
  const routes = [...new Set(plan.flatMap(([, groups]) => groups.flatMap((group) => group.route ?? [])))];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') return;
    const sink = plan[index]?.[0].name ?? 'unknown';
    if (isPermanentDeliveryFailure(outcome.reason)) {
      // Retrying a refused message fails forever and would hold every later alert (and its event) hostage.
      deps.log.error('alert channel refused the alerts; not sending them to it again', {
        sink,
        reason: errorMessage(outcome.reason),
        alertIds: alerts.map((alert) => alert.id),
      });
      refusedBy.push(sink);
      return;
    }
    deps.log.error('alert channel failed', { sink, reason: errorMessage(outcome.reason) });
    failedSinks.push(sink);
  });
  return { failedSinks, refusedBy, sent: plan.map(([sink]) => sink), routes };
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
  /** The alerts stay in the outbox: a redelivery sends them. */
  readonly retryable = true;
  constructor(
    readonly sinks: readonly string[],
    readonly count: number,
  ) {
    super(
      `${count} alert(s) not delivered to ${sinks.join(', ')}; they stay in the outbox for the next attempt`,
    );
  }
}
