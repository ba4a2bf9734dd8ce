import { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AlertPublishError,
  AlertTopicSink,
  createAlertTopicSink,
  type MessagePublisher,
} from '../../../src/adapters/pubsub/alert-topic-sink.js';
import { buildAlertMessage } from '../../../src/alerts/alert-message.js';
import { MemoryLogger } from '../../../src/ports/logger.js';
import { SAMPLE_RULES, sampleAlerts } from '../../alerts/sample-alerts.js';
import {
  createTopicAndSubscription,
  type Emulator,
  freePort,
  pullMessages,
  startPubSubEmulator,
} from '../../support/emulators.js';

const PROJECT = 'gatewarden-test';
let emulator: Emulator;
let pubsub: PubSub;

beforeAll(async () => {
  emulator = await startPubSubEmulator();
  pubsub = new PubSub({ projectId: PROJECT, apiEndpoint: emulator.host, emulatorMode: true });
}, 120_000);

afterAll(async () => {
  await pubsub?.close();
  await emulator?.stop();
});

let topicCount = 0;
async function freshTopic(): Promise<{ topic: string; subscription: string }> {
  topicCount += 1;
  const suffix = `${process.pid}-${topicCount}`;
  const topic = `projects/${PROJECT}/topics/alerts-${suffix}`;
  const subscription = `projects/${PROJECT}/subscriptions/alerts-check-${suffix}`;
  await createTopicAndSubscription(emulator.host, topic, subscription);
  return { topic, subscription };
}

describe('AlertTopicSink on the Pub/Sub emulator', () => {
  test('one message per alert, body and attributes as built, message IDs logged', async () => {
    const { topic, subscription } = await freshTopic();
    const log = new MemoryLogger();
    const sink = createAlertTopicSink({ topic, pubsub, log, lookup: SAMPLE_RULES });
    const alerts = sampleAlerts();
    await sink.send(alerts);

    const pulled = await pullMessages(emulator.host, subscription, alerts.length + 1, 3000);
    expect(pulled).toHaveLength(alerts.length);
    const byId = new Map(pulled.map((message) => [message.attributes.alertId, message]));
    for (const alert of alerts) {
      const message = byId.get(alert.id);
      const expected = buildAlertMessage(alert, SAMPLE_RULES);
      expect(message?.attributes).toEqual(expected.attributes);
      expect(JSON.parse(message?.data ?? '{}')).toEqual(JSON.parse(expected.data));
    }
    const patched = JSON.parse(byId.get(alerts[0]?.id ?? '')?.data ?? '{}');
    expect(patched.change).toMatchObject({
      actor: 'alice@acme.example',
      method: 'v1.compute.backendServices.patch',
    });
    expect(log.entries).toEqual([
      expect.objectContaining({
        message: 'alerts published',
        fields: expect.objectContaining({ count: alerts.length }),
      }),
    ]);
    const ids = (log.entries[0]?.fields.messageIds ?? []) as string[];
    expect([...ids].sort()).toEqual(pulled.map((message) => message.messageId).sort());
  });

  test('per-channel minimum severity: only HIGH and above are published', async () => {
    const { topic, subscription } = await freshTopic();
    const sink = createAlertTopicSink({ topic, pubsub, lookup: SAMPLE_RULES, minimumSeverity: 'HIGH' });
    await sink.send(sampleAlerts());
    const pulled = await pullMessages(emulator.host, subscription, 10, 3000);
    expect(pulled.map((message) => message.attributes.severity).sort()).toEqual(['CRITICAL', 'HIGH', 'HIGH']);
  });

  test('a topic that does not exist: send throws, so the dispatcher keeps the alerts in the outbox', async () => {
    const sink = createAlertTopicSink({
      topic: `projects/${PROJECT}/topics/never-created`,
      pubsub,
      timeoutMs: 5000,
    });
    await expect(sink.send(sampleAlerts().slice(0, 2))).rejects.toBeInstanceOf(AlertPublishError);
  });

  test('an unreachable Pub/Sub: send throws within the publish timeout', async () => {
    const port = await freePort();
    const nowhere = new PubSub({ projectId: PROJECT, apiEndpoint: `127.0.0.1:${port}`, emulatorMode: true });
    try {
      const sink = createAlertTopicSink({ topic: 'alerts', pubsub: nowhere, timeoutMs: 1500 });
      await expect(sink.send(sampleAlerts().slice(0, 1))).rejects.toThrow(
        /not published to the alerts topic/,
      );
    } finally {
      await nowhere.close();
    }
  });
});

describe('AlertTopicSink with a recording publisher', () => {
  test('one failed publish out of many fails the batch and says how many', async () => {
    let calls = 0;
    const publisher: MessagePublisher = {
      async publishMessage() {
        calls += 1;
        if (calls === 2) throw new Error('14 UNAVAILABLE: connection reset');
        return String(calls);
      },
    };
    const sink = new AlertTopicSink(publisher, { lookup: SAMPLE_RULES });
    await expect(sink.send(sampleAlerts())).rejects.toThrow(
      '1 of 5 alert(s) not published to the alerts topic: 14 UNAVAILABLE: connection reset',
    );
  });

  test('nothing at or above the channel minimum: nothing is published', async () => {
    const published: unknown[] = [];
    const publisher: MessagePublisher = {
      async publishMessage(message) {
        published.push(message);
        return '1';
      },
    };
    const lowOnly = sampleAlerts().filter((alert) => alert.finding.severity === 'LOW');
    await new AlertTopicSink(publisher, { minimumSeverity: 'MEDIUM' }).send(lowOnly);
    expect(published).toEqual([]);
  });
});
