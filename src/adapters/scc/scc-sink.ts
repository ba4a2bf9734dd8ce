// The outbox's Security Command Center consumer: each alert (one finding transition) becomes one logical SCC write
// (create, or update the content of an existing finding; then setState / setMute where the transition changed them),
// each call retried by the one retry loop; a finding SCC refuses (4xx) is recorded and dropped, never retried into a
// storm. Why the write is split so: src/alerts/scc-finding.ts.

import { lookupCatalogueRule, type RuleLookup } from '../../alerts/rule-summary.js';
import {
  type SccMappingOptions,
  type SccWrite,
  sccFollowUpsOf,
  sccWriteOf,
} from '../../alerts/scc-finding.js';
import type { AlertRecord } from '../../domain/alert.js';
import type { AlertSink } from '../../ports/alert-sink.js';
import type { Clock } from '../../ports/clock.js';
import { type Logger, silentLogger } from '../../ports/logger.js';
import type { MirrorLedger } from '../../ports/mirror-ledger.js';
import { toApiFailure } from '../googleapis/api-failure.js';
import {
  callWithRetries,
  DEFAULT_RETRY_POLICY,
  type RetryOutcome,
  type RetryPolicy,
} from '../googleapis/retry-policy.js';
import type { SccClient } from './scc-client.js';

/** A finding SCC would not take: what the logs (and the backfill's summary) carry. */
export interface SccRefusal {
  readonly findingId: string;
  readonly sccFindingId: string;
  readonly status: number | undefined;
  readonly reason: string;
}

export interface SccSinkOptions {
  readonly client: SccClient;
  /** `organizations/O/sources/S`. */
  readonly source: string;
  readonly clock: Clock;
  readonly reportUrl?: string;
  readonly lookup?: RuleLookup;
  readonly log?: Logger;
  readonly retryPolicy?: RetryPolicy;
  /** Told of every refused finding, after it is logged. */
  readonly onRefused?: (refusal: SccRefusal) => void;
  /**
   * Outbox records already written or refused: a batch sent again (another channel failed) writes each record once,
   * and a refused one is never retried. Without it a redelivered batch is patched again (same fields, no harm).
   */
  readonly ledger?: MirrorLedger;
}

export interface SccMirrorItem {
  /** The outbox record this write answers for (absent in a backfill). */
  readonly alertId?: string;
  readonly finding: AlertRecord['finding'];
  readonly transition: AlertRecord['transition'] | null;
  readonly at: string;
  readonly change: AlertRecord['change'];
}

export interface SccMirrorOutcome {
  readonly written: number;
  readonly refused: readonly SccRefusal[];
  /** Findings whose retries ran out (SCC busy or down): worth another attempt later. */
  readonly unavailable: readonly string[];
}

export class SccSink implements AlertSink {
  readonly name = 'scc';
  /** Every transition is mirrored: a mute, an evidence update and a finding below the alert severity too. */
  readonly takesQuiet = true;
  private readonly mapping: SccMappingOptions;

  constructor(private readonly options: SccSinkOptions) {
    this.mapping = {
      source: options.source,
      lookup: options.lookup ?? lookupCatalogueRule,
      ...(options.reportUrl ? { reportUrl: options.reportUrl } : {}),
    };
  }

  async send(alerts: readonly AlertRecord[]): Promise<void> {
    // Oldest first, one at a time: two transitions of one finding in a batch reach SCC in the order they happened.
    const settled = (await this.options.ledger?.settled(alerts.map((alert) => alert.id))) ?? new Set();
    const ordered = [...alerts]
      .filter((alert) => !settled.has(alert.id))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const outcome = await this.mirror(
      ordered.map((alert) => ({
        alertId: alert.id,
        finding: alert.finding,
        transition: alert.transition,
        at: alert.createdAt,
        change: alert.change,
      })),
    );
    if (outcome.unavailable.length > 0) {
      // The batch stays in the outbox; rewriting the ones that went out is harmless (a patch sets the same fields).
      throw new SccUnavailableError(outcome.unavailable.length, alerts.length);
    }
  }

  /** Writes each item once; never throws for an SCC answer (the outcome says what became of each). */
  async mirror(items: readonly SccMirrorItem[]): Promise<SccMirrorOutcome> {
    const log = this.options.log ?? silentLogger;
    const refused: SccRefusal[] = [];
    const unavailable: string[] = [];
    let written = 0;
    for (const item of items) {
      let write: ReturnType<typeof sccWriteOf>;
      try {
        write = sccWriteOf(item, this.mapping);
      } catch (error) {
        refused.push(await this.refuse(item, '', undefined, describe(error), log));
        continue;
      }
      const result = await this.write(write, item, log);
      if (result.ok) {
        written += 1;
        if (item.alertId) {
          await this.options.ledger?.record(item.alertId, 'written', this.options.clock.now().toISOString());
        }
        continue;
      }
      if (result.kind === 'retryable') {
        log.error('SCC unavailable; the finding stays in the outbox', {
          findingId: item.finding.id,
          why: result.why,
        });
        unavailable.push(item.finding.id);
        continue;
      }
      refused.push(
        await this.refuse(item, write.findingId, result.failure.status, result.failure.message, log),
      );
    }
    if (written > 0) log.info('findings written to SCC', { sink: this.name, count: written });
    return { written, refused, unavailable };
  }

  /** The calls of one write in order, each retried; the first that fails ends the write (a redelivery redoes it). */
  private async write(write: SccWrite, item: SccMirrorItem, log: Logger): Promise<RetryOutcome<unknown>> {
    const { client } = this.options;
    const attempt = <T>(call: () => Promise<T>) =>
      callWithRetries(
        call,
        toApiFailure,
        this.options.retryPolicy ?? DEFAULT_RETRY_POLICY,
        this.options.clock,
        {
          onRetry: (failure, attemptNumber, delayMs) =>
            log.warn('SCC write retried', {
              findingId: item.finding.id,
              status: failure.status,
              attempt: attemptNumber,
              delayMs,
            }),
        },
      );
    const created = await attempt(() => client.createFinding(write.parent, write.findingId, write.create));
    if (!created.ok) return created;
    if (created.value === 'exists') {
      const updated = await attempt(() =>
        client.updateFinding(write.name, write.update.updateMask, write.update.body),
      );
      if (!updated.ok) return updated;
    }
    for (const followUp of sccFollowUpsOf(write, created.value === 'created')) {
      const result = await attempt(() =>
        followUp.call === 'setState'
          ? client.setState(write.name, followUp.state)
          : client.setMute(write.name, followUp.mute),
      );
      if (!result.ok) return result;
    }
    return created;
  }

  private async refuse(
    item: SccMirrorItem,
    sccFindingId: string,
    status: number | undefined,
    reason: string,
    log: Logger,
  ): Promise<SccRefusal> {
    const refusal = {
      findingId: item.finding.id,
      sccFindingId,
      status,
      reason: reason.split('\n')[0]?.slice(0, 300) ?? '',
    };
    log.error('SCC refused the finding; not sending it again', { ...refusal });
    if (item.alertId) {
      await this.options.ledger?.record(
        item.alertId,
        'refused',
        this.options.clock.now().toISOString(),
        `${status ?? 'no answer'}: ${refusal.reason}`,
      );
    }
    this.options.onRefused?.(refusal);
    return refusal;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SccUnavailableError extends Error {
  override readonly name = 'SccUnavailableError';
  /** The alerts stay in the outbox: a redelivery writes them. */
  readonly retryable = true;
  constructor(
    readonly failed: number,
    readonly total: number,
  ) {
    super(`${failed} of ${total} finding(s) not written to Security Command Center; they stay in the outbox`);
  }
}
