// Entry point onSweep: a sweep tick or a per-project sweep message -> read the message and the topic it came on,
// hand both to the sweep use case, and acknowledge or fail so Pub/Sub redelivers it.

import type { CloudEvent } from '@google-cloud/functions-framework';
import { type RunSweepDeps, runSweep } from '../src/app/run-sweep.js';
import { deliveryInfoOf } from '../src/events/parse-cloud-event.js';
import type { SweepPublisher } from '../src/ports/sweep-publisher.js';

export interface SweepEntryDeps extends Omit<RunSweepDeps, 'fanOut'> {
  /**
   * Publishes one message per project on the sweep topic (the topic the tick arrived on), so each project is swept
   * by its own invocation. Without it, a multi-project sweep runs in this invocation (dispatchSweep, or in turn).
   */
  readonly sweepPublisherFor?: (topic: string) => SweepPublisher;
}

export async function onSweep(cloudEvent: CloudEvent<unknown>, deps: SweepEntryDeps): Promise<void> {
  const topic = topicOfSource(cloudEvent.source);
  const fanOut =
    topic && deps.sweepPublisherFor ? { topic, publisher: deps.sweepPublisherFor(topic) } : undefined;
  const outcome = await runSweep(sweepMessageText(cloudEvent), deliveryInfoOf(cloudEvent).messageId ?? null, {
    ...deps,
    ...(fanOut ? { fanOut } : {}),
  });
  // Thrown: the framework answers 500 and Pub/Sub redelivers. A refused message is acknowledged (logged).
  if (outcome.kind === 'retry') throw outcome.error;
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
