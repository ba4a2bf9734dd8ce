// AlertSink on the Pub/Sub alerts topic: one message per alert, so machine subscribers can filter per finding.

import type { PubSub } from '@google-cloud/pubsub';
import { buildAlertMessage } from '../../alerts/alert-message.js';
import { lookupCatalogueRule, type RuleLookup } from '../../alerts/rule-summary.js';
import type { AlertRecord } from '../../domain/alert.js';
import { isAtLeast, type Severity } from '../../domain/severity.js';
import type { AlertBatch, AlertSink } from '../../ports/alert-sink.js';
import { type Logger, silentLogger } from '../../ports/logger.js';

/**
 * What the sink, and the sweep fan-out, need of a `Topic` (structural, so the real client and a test double both
 * fit).
 */
export interface MessagePublisher {
  publishMessage(message: { data: Buffer; attributes: Record<string, string> }): Promise<string>;
}

export interface AlertTopicSinkOptions {
  readonly log?: Logger;
  readonly lookup?: RuleLookup;
  /** Per-channel routing on top of the outbox's minimum; unset sends everything the outbox holds. */
  readonly minimumSeverity?: Severity;
  /** Logs and run records name the sink `pubsub`; a policy's named channel `pubsub:NAME`. */
  readonly name?: string;
}

export class AlertTopicSink implements AlertSink {
  readonly name: string;

  constructor(
    private readonly topic: MessagePublisher,
    private readonly options: AlertTopicSinkOptions = {},
  ) {
    this.name = options.name ?? 'pubsub';
  }

  async send(alerts: readonly AlertRecord[], batch: AlertBatch = {}): Promise<void> {
    const minimum = this.options.minimumSeverity;
    const routed = minimum ? alerts.filter((alert) => isAtLeast(alert.finding.severity, minimum)) : alerts;
    if (routed.length === 0) return;
    const lookup = this.options.lookup ?? lookupCatalogueRule;
    const outcomes = await Promise.allSettled(
      routed.map((alert) => {
        const message = buildAlertMessage(alert, lookup);
        return this.topic.publishMessage({
          data: Buffer.from(message.data, 'utf8'),
          // The route lets one subscriber of a shared topic filter its team's alerts (`attributes.route = "x"`).
          attributes: { ...message.attributes, ...(batch.route ? { route: batch.route } : {}) },
        });
      }),
    );
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    if (failures.length > 0) {
      // The whole batch stays in the outbox: the ones that did go out are sent again, and receivers dedupe on alertId.
      throw new AlertPublishError(failures.length, routed.length, failures[0]);
    }
    const messageIds = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    (this.options.log ?? silentLogger).info('alerts published', {
      sink: this.name,
      count: messageIds.length,
      messageIds,
    });
  }
}

export class AlertPublishError extends Error {
  override readonly name = 'AlertPublishError';
  /** Unpublished alerts stay in the outbox for the next attempt. */
  readonly retryable = true;
  constructor(
    readonly failed: number,
    readonly total: number,
    firstReason: unknown,
  ) {
    super(
      `${failed} of ${total} alert(s) not published to the alerts topic: ${firstReason instanceof Error ? firstReason.message : String(firstReason)}`,
    );
  }
}

export interface AlertTopicOptions extends AlertTopicSinkOptions {
  /** `projects/P/topics/T` or `T` (in the client's project). */
  readonly topic: string;
  /** Built by the caller (it knows the project and, locally, the emulator from PUBSUB_EMULATOR_HOST). */
  readonly pubsub: PubSub;
  /** Bounds one publish; the client's defaults retry for up to 10 minutes, longer than a function should hang. */
  readonly timeoutMs?: number;
}

export function createAlertTopicSink(options: AlertTopicOptions): AlertTopicSink {
  const topic = options.pubsub.topic(options.topic, {
    // Alerts leave in small bursts after a digest window; a short batch delay keeps them together in one request.
    batching: { maxMessages: 100, maxMilliseconds: 20 },
    gaxOpts: { timeout: options.timeoutMs ?? 20_000 },
  });
  return new AlertTopicSink(topic, options);
}
