// The alert channels the functions send to, built from the environment and the policy (part of compose.ts: the one
// place adapters are built). Each client is imported on first use.

import { pubsubEmulatorOptions } from '../src/adapters/emulator-options.js';
import type { RoutedChannels } from '../src/alerts/routing.js';
import type { Environment, WebhookSetting } from '../src/config/environment.js';
import type { AlertChannel, Policy } from '../src/engine/policy.js';
import type { AlertSink } from '../src/ports/alert-sink.js';
import { systemClock } from '../src/ports/clock.js';
import type { Logger } from '../src/ports/logger.js';

type WebhookType = 'slack' | 'google-chat';

/** One destination: a topic, or a webhook URL (given, or held in a Secret Manager version). */
type Destination =
  | { readonly kind: 'pubsub'; readonly topic: string }
  | { readonly kind: 'webhook'; readonly channel: WebhookType; readonly setting: WebhookSetting };

/** The channels alerts go out on: the default ones, and the policy routes with their named channels. */
export interface AlertChannels {
  /** Every alert no route matches (all alerts when the policy has no routes). */
  readonly sinks: AlertSink[];
  /** The policy's routes in order, each with the sinks of the channels it names. */
  readonly routes: RoutedChannels<AlertSink>[];
}

/**
 * Channels from the environment and from the policy's `alerts.channels` (the defaults), each destination once; and
 * for `alerts.routes`, the named channels they use, a destination named twice built once (so an alert matching two
 * routes reaches it once).
 */
export async function buildChannels(
  environment: Environment,
  policy: Policy,
  log: Logger,
): Promise<AlertChannels> {
  const defaults: Destination[] = [];
  if (environment.alertTopic) defaults.push({ kind: 'pubsub', topic: environment.alertTopic });
  if (environment.slackWebhook) {
    defaults.push({ kind: 'webhook', channel: 'slack', setting: environment.slackWebhook });
  }
  if (environment.chatWebhook) {
    defaults.push({ kind: 'webhook', channel: 'google-chat', setting: environment.chatWebhook });
  }
  const policyChannels = policy.alerts?.channels ?? [];
  for (let index = 0; index < policyChannels.length; index++) {
    const destination = destinationOf(policyChannels[index] as AlertChannel);
    // One webhook per chat type among the defaults, the environment's first (as before routes existed).
    const taken =
      destination.kind === 'pubsub'
        ? defaults.some((other) => other.kind === 'pubsub' && other.topic === destination.topic)
        : defaults.some((other) => other.kind === 'webhook' && other.channel === destination.channel);
    if (!taken) defaults.push(destination);
    else if (destination.kind === 'webhook') {
      // Said, not silently dropped: whoever listed it expects its alerts. Its type and place only (no secret name).
      log.warn('a default alert channel is not used: one webhook per chat type among the defaults', {
        channel: `alerts.channels[${index}]`,
        type: destination.channel,
        instead: 'name it in alerts.namedChannels and route to it',
      });
    }
  }

  const factory = new SinkFactory(environment, log);
  const sinks = await Promise.all(defaults.map((destination) => factory.sinkFor(destination)));
  const named = policy.alerts?.namedChannels ?? {};
  const routes = await Promise.all(
    (policy.alerts?.routes ?? []).map(async (route) => ({
      route,
      channels: await Promise.all(
        route.channels.map((name) => {
          const channel = named[name];
          // The policy loader refuses a route naming an undefined channel; this only guards a hand-built Policy.
          if (!channel) throw new Error(`route ${JSON.stringify(route.name)} names unknown channel ${name}`);
          return factory.sinkFor(destinationOf(channel), name);
        }),
      ),
    })),
  );
  return { sinks, routes };
}

/** A policy channel as a destination; a secret named without a version means its latest. */
function destinationOf(channel: AlertChannel): Destination {
  if (channel.type === 'pubsub') return { kind: 'pubsub', topic: channel.topic };
  const secret = channel.webhookSecret;
  const secretVersion = secret.includes('/versions/') ? secret : `${secret}/versions/latest`;
  return { kind: 'webhook', channel: channel.type, setting: { from: 'secret', secretVersion } };
}

/** Builds each destination's sink once, importing the Pub/Sub client and the webhook sinks on first need. */
class SinkFactory {
  private readonly built = new Map<string, Promise<AlertSink>>();
  private pubsub: Promise<import('@google-cloud/pubsub').PubSub> | undefined;

  constructor(
    private readonly environment: Environment,
    private readonly log: Logger,
  ) {}

  /** `name`: the policy's channel name, shown in the sink's name (`slack:payments-slack`); never the URL. */
  sinkFor(destination: Destination, name?: string): Promise<AlertSink> {
    const key =
      destination.kind === 'pubsub'
        ? `pubsub ${destination.topic}`
        : `${destination.channel} ${destination.setting.from === 'secret' ? destination.setting.secretVersion : destination.setting.url}`;
    let sink = this.built.get(key);
    if (!sink) {
      sink = this.build(destination, name);
      this.built.set(key, sink);
    }
    return sink;
  }

  private async build(destination: Destination, name: string | undefined): Promise<AlertSink> {
    const { environment, log } = this;
    if (destination.kind === 'pubsub') {
      this.pubsub ??= import('@google-cloud/pubsub').then(
        ({ PubSub }) =>
          new PubSub({
            projectId: environment.project,
            ...pubsubEmulatorOptions(environment.pubsubEmulatorHost),
          }),
      );
      const [pubsub, { createAlertTopicSink }] = await Promise.all([
        this.pubsub,
        import('../src/adapters/pubsub/alert-topic-sink.js'),
      ]);
      return createAlertTopicSink({
        topic: destination.topic,
        pubsub,
        log,
        ...(name ? { name: `pubsub:${name}` } : {}),
      });
    }
    const [{ createWebhookSink }, { createSecretManagerReader }] = await Promise.all([
      import('../src/adapters/webhooks/webhook-sinks.js'),
      import('../src/adapters/secret-manager/secret-reader.js'),
    ]);
    const hmacSecret = environment.webhookHmacSecret;
    // URLs held in Secret Manager are read on first send and kept: a hiccup fails one delivery (retried), not the
    // start. With GATEWARDEN_API_ENDPOINT (the local simulator) secrets are read there too, unauthenticated.
    const reader = environment.apiEndpoint
      ? createSecretManagerReader({ endpoint: environment.apiEndpoint, getAccessToken: async () => 'local' })
      : undefined;
    return createWebhookSink({
      channel: destination.channel,
      setting: destination.setting,
      log,
      ...(hmacSecret ? { hmacSecret } : {}),
      ...(reader ? { reader } : {}),
      ...(name ? { channelName: name } : {}),
    });
  }
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
