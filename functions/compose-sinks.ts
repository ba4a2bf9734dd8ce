// The alert channels the functions send to, built from the environment and the policy (part of compose.ts: the one
// place adapters are built). Each client is imported on first use.

import { pubsubEmulatorOptions } from '../src/adapters/emulator-options.js';
import type { Environment, WebhookSetting } from '../src/config/environment.js';
import type { Policy } from '../src/engine/policy.js';
import type { AlertSink } from '../src/ports/alert-sink.js';
import { systemClock } from '../src/ports/clock.js';
import type { Logger } from '../src/ports/logger.js';

/** Channels from the environment and from the policy's `alerts.channels`, each destination once. */
export async function buildSinks(
  environment: Environment,
  policy: Policy,
  log: Logger,
): Promise<AlertSink[]> {
  const topics = new Set<string>(environment.alertTopic ? [environment.alertTopic] : []);
  const webhooks: { channel: 'slack' | 'google-chat'; setting: WebhookSetting }[] = [];
  if (environment.slackWebhook) webhooks.push({ channel: 'slack', setting: environment.slackWebhook });
  if (environment.chatWebhook) webhooks.push({ channel: 'google-chat', setting: environment.chatWebhook });
  for (const channel of policy.alerts?.channels ?? []) {
    if (channel.type === 'pubsub') topics.add(channel.topic);
    else if (!webhooks.some((webhook) => webhook.channel === channel.type)) {
      webhooks.push({
        channel: channel.type,
        setting: { from: 'secret', secretVersion: channel.webhookSecret },
      });
    }
  }

  const sinks: AlertSink[] = [];
  if (topics.size > 0) {
    const [{ PubSub }, { createAlertTopicSink }] = await Promise.all([
      import('@google-cloud/pubsub'),
      import('../src/adapters/pubsub/alert-topic-sink.js'),
    ]);
    const pubsub = new PubSub({
      projectId: environment.project,
      ...pubsubEmulatorOptions(environment.pubsubEmulatorHost),
    });
    for (const topic of topics) sinks.push(createAlertTopicSink({ topic, pubsub, log }));
  }
  if (webhooks.length > 0) {
    sinks.push(...(await buildWebhookSinks(webhooks, environment, log)));
  }
  return sinks;
}

/** The Security Command Center mirror, when GATEWARDEN_SCC_SOURCE names the source (Terraform's `scc_enabled`). */
export async function buildSccSink(
  environment: Environment,
  log: Logger,
  db: import('@google-cloud/firestore').Firestore,
): Promise<AlertSink[]> {
  if (!environment.sccSource) return [];
  const [{ createSccClient }, { SccSink }, { FirestoreMirrorLedger }] = await Promise.all([
    import('../src/adapters/scc/scc-client.js'),
    import('../src/adapters/scc/scc-sink.js'),
    import('../src/adapters/firestore/mirror-ledger.js'),
  ]);
  const client = createSccClient(environment.apiEndpoint ? { endpoint: environment.apiEndpoint } : {});
  return [
    new SccSink({
      client,
      source: environment.sccSource,
      clock: systemClock,
      log,
      ledger: new FirestoreMirrorLedger(db),
      ...(environment.reportUrl ? { reportUrl: environment.reportUrl } : {}),
    }),
  ];
}

async function buildWebhookSinks(
  webhooks: readonly { channel: 'slack' | 'google-chat'; setting: WebhookSetting }[],
  environment: Environment,
  log: Logger,
): Promise<AlertSink[]> {
  const { createWebhookSink } = await import('../src/adapters/webhooks/webhook-sinks.js');
  const hmacSecret = environment.webhookHmacSecret;
  // URLs held in Secret Manager are read on first send and kept: a hiccup fails one delivery (retried), not the start.
  return webhooks.map(({ channel, setting }) =>
    createWebhookSink({ channel, setting, log, ...(hmacSecret ? { hmacSecret } : {}) }),
  );
}
