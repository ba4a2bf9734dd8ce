// The alerts topic sink tells subscribers which route an alert was sent for (attribute `route`), so one topic shared
// by several routes can be filtered per team; the default channels' messages carry no such attribute.

import { describe, expect, test } from 'vitest';
import { AlertTopicSink, type MessagePublisher } from '../../../src/adapters/pubsub/alert-topic-sink.js';
import { sampleAlerts } from '../../alerts/sample-alerts.js';

function recordingTopic(): MessagePublisher & { attributes: Record<string, string>[] } {
  const attributes: Record<string, string>[] = [];
  return {
    attributes,
    publishMessage: async (message) => {
      attributes.push(message.attributes);
      return String(attributes.length);
    },
  };
}

describe('AlertTopicSink and routes', () => {
  test('a route send adds the route attribute; a default send does not; a named channel names the sink', async () => {
    const topic = recordingTopic();
    const sink = new AlertTopicSink(topic, { name: 'pubsub:payments-feed' });
    expect(sink.name).toBe('pubsub:payments-feed');
    const [first] = sampleAlerts();
    if (!first) throw new Error('no sample alert');
    await sink.send([first], { route: 'payments' });
    await sink.send([first]);
    expect(topic.attributes[0]).toMatchObject({ route: 'payments', ruleId: first.finding.ruleId });
    expect(topic.attributes[1]).not.toHaveProperty('route');
    expect(new AlertTopicSink(topic).name).toBe('pubsub');
  });
});
