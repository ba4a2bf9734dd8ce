// Slack and Google Chat alert channels: one digest message per batch, posted through a WebhookPoster.

import { formatChatDigest } from '../../alerts/chat-message.js';
import type { DigestOptions } from '../../alerts/digest.js';
import { formatSlackDigest } from '../../alerts/slack-message.js';
import type { WebhookSetting } from '../../config/environment.js';
import type { AlertRecord } from '../../domain/alert.js';
import { isAtLeast, type Severity } from '../../domain/severity.js';
import type { AlertBatch, AlertSink } from '../../ports/alert-sink.js';
import type { Logger } from '../../ports/logger.js';
import { createSecretManagerReader, type SecretReader } from '../secret-manager/secret-reader.js';
import { SettingError, webhookUrlSetting } from './secret-setting.js';
import { WebhookPoster, type WebhookPosterOptions } from './webhook-poster.js';

export interface WebhookSinkOptions extends DigestOptions {
  /** Per-channel routing on top of the outbox's minimum (e.g. Slack gets HIGH and above only). */
  readonly minimumSeverity?: Severity;
}

type Formatter = (alerts: readonly AlertRecord[], options: DigestOptions) => unknown;

export class WebhookSink implements AlertSink {
  constructor(
    readonly name: string,
    private readonly poster: WebhookPoster,
    private readonly format: Formatter,
    private readonly options: WebhookSinkOptions = {},
  ) {}

  async send(alerts: readonly AlertRecord[], batch: AlertBatch = {}): Promise<void> {
    const minimum = this.options.minimumSeverity;
    const routed = minimum ? alerts.filter((alert) => isAtLeast(alert.finding.severity, minimum)) : alerts;
    if (routed.length === 0) return;
    const options = batch.route ? { ...this.options, route: batch.route } : this.options;
    await this.poster.post(JSON.stringify(this.format(routed, options)));
  }
}

export function createSlackSink(
  poster: WebhookPoster,
  options: WebhookSinkOptions = {},
  name = 'slack',
): WebhookSink {
  return new WebhookSink(name, poster, formatSlackDigest, options);
}

export function createChatSink(
  poster: WebhookPoster,
  options: WebhookSinkOptions = {},
  name = 'chat',
): WebhookSink {
  return new WebhookSink(name, poster, formatChatDigest, options);
}

export type WebhookChannel = 'slack' | 'google-chat';

export interface WebhookChannelOptions extends WebhookSinkOptions {
  readonly channel: WebhookChannel;
  /** As `readEnvironment` validated it, or `{ from: 'secret' }` for a policy file's `alerts.channels`. */
  readonly setting: WebhookSetting;
  /** Signs every request (`X-Gatewarden-Signature`) when set. */
  readonly hmacSecret?: string;
  /** Reads `{ from: 'secret' }` settings; Secret Manager with Application Default Credentials when absent. */
  readonly reader?: SecretReader;
  readonly log?: Logger;
  /** Retry and transport settings (sleep, fetch, attempts...). */
  readonly poster?: Omit<WebhookPosterOptions, 'channel' | 'url' | 'signingSecret' | 'log'>;
  /** A policy's named channel (`payments-slack`): the sink is named `slack:payments-slack` in logs. */
  readonly channelName?: string;
}

/**
 * One channel from a validated setting, in one call. Throws a SettingError naming the variable (never its value)
 * when a URL given directly is not acceptable.
 */
export function createWebhookSink(options: WebhookChannelOptions): WebhookSink {
  const slack = options.channel === 'slack';
  const prefix = slack ? 'GATEWARDEN_SLACK' : 'GATEWARDEN_CHAT';
  // Errors name where the setting came from: the variable, or the policy's named channel.
  const [variable, value] =
    options.setting.from === 'value'
      ? [`${prefix}_WEBHOOK_URL`, options.setting.url]
      : [
          options.channelName
            ? `alerts.namedChannels.${options.channelName}.webhookSecret`
            : `${prefix}_WEBHOOK_SECRET`,
          options.setting.secretVersion,
        ];
  const url = webhookUrlSetting(
    variable,
    { [variable]: value },
    options.reader ?? createSecretManagerReader(),
  );
  if (!url) throw new SettingError(`${variable} is empty`);
  const { hmacSecret } = options;
  // `chat`, as the AlertSink port names channels in logs and run records; `slack:payments-slack` for a named one.
  const name = `${slack ? 'slack' : 'chat'}${options.channelName ? `:${options.channelName}` : ''}`;
  const poster = new WebhookPoster({
    ...options.poster,
    channel: name,
    url,
    ...(hmacSecret ? { signingSecret: async () => hmacSecret } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return slack ? createSlackSink(poster, options, name) : createChatSink(poster, options, name);
}
