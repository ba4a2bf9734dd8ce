// Publishes simulated audit entries to a Pub/Sub topic, as a Log Router sink does (one entry per message).

import { PubSub } from '@google-cloud/pubsub';
import { pubsubEmulatorOptions } from '../adapters/emulator-options.js';
import type { AuditLogEntry } from './audit-entries.js';
import type { AuditSink } from './server.js';

const TOPIC_NAME = /^projects\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/topics\/([A-Za-z][-A-Za-z0-9._~%+]{2,254})$/;

export interface PubSubAuditSink extends AuditSink {
  /** Creates the topic when it is missing (the emulator starts empty). */
  ensureTopic(): Promise<void>;
  close(): Promise<void>;
}

/** `emulatorHost` is `127.0.0.1:PORT` (PUBSUB_EMULATOR_HOST); without it the real Pub/Sub API is used. */
export function createPubSubAuditSink(topicName: string, emulatorHost: string | undefined): PubSubAuditSink {
  const match = topicName.match(TOPIC_NAME);
  if (!match?.[1]) {
    throw new Error(`audit topic ${JSON.stringify(topicName)} is not a topic name like projects/P/topics/T`);
  }
  const pubsub = new PubSub({
    projectId: match[1],
    ...pubsubEmulatorOptions(emulatorHost),
  });
  // No batching: each change should reach subscribers at once, in the order it happened.
  const topic = pubsub.topic(topicName, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
  return {
    async publish(entries: readonly AuditLogEntry[]): Promise<void> {
      for (const entry of entries) {
        await topic.publishMessage({
          data: Buffer.from(JSON.stringify(entry), 'utf8'),
          // Sinks stamp the entry's own time on the message; consumers use it to order and dedupe.
          attributes: { 'logging.googleapis.com/timestamp': entry.timestamp },
        });
      }
    },
    async ensureTopic(): Promise<void> {
      const [exists] = await topic.exists();
      if (exists) return;
      try {
        await topic.create();
      } catch (error) {
        if ((error as { code?: number }).code !== 6) throw error; // ALREADY_EXISTS: created meanwhile.
      }
    },
    async close(): Promise<void> {
      await pubsub.close();
    },
  };
}
