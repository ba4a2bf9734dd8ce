// Slack and Google Chat alert channels: one digest message per batch, posted through a WebhookPoster.

import { formatChatDigest } from '../../alerts/chat-message.js';
import type { DigestOptions } from '../../alerts/digest.js';
import { formatSlackDigest } from '../../alerts/slack-message.js';
import type { WebhookSetting } from '../../config/environment.js';
import type { AlertRecord } from '../../domain/alert.js';
import { isAtLeast, type Severity } from '../../domain/severity.js';
import type { AlertSink } from '../../ports/alert-sink.js';
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

  async send(alerts: readonly AlertRecord[]): Promise<void> {
    const minimum = this.options.minimumSeverity;
    const routed = minimum ? alerts.filter((alert) => isAtLeast(alert.finding.severity, minimum)) : alerts;
    if (routed.length === 0) return;
    await this.poster.post(JSON.stringify(this.format(routed, this.options)));
  }
}

export function createSlackSink(poster: WebhookPoster, options: WebhookSinkOptions = {}): WebhookSink {
  return new WebhookSink('slack', poster, formatSlackDigest, options);
}

export function createChatSink(poster: WebhookPoster, options: WebhookSinkOptions = {}): WebhookSink {
  return new WebhookSink('chat', poster, formatChatDigest, options);
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
}

/**
 * One channel from a validated setting, in one call. Throws a SettingError naming the variable (never its value)
 * when a URL given directly is not acceptable.
 */
export function createWebhookSink(options: WebhookChannelOptions): WebhookSink {
  const slack = options.channel === 'slack';
  const prefix = slack ? 'GATEWARDEN_SLACK' : 'GATEWARDEN_CHAT';
  const [variable, value] =
    options.setting.from === 'value'
      ? [`${prefix}_WEBHOOK_URL`, options.setting.url]
      : [`${prefix}_WEBHOOK_SECRET`, options.setting.secretVersion];
  const url = webhookUrlSetting(
    variable,
    { [variable]: value },
    options.reader ?? createSecretManagerReader(),
  );
  if (!url) throw new SettingError(`${variable} is empty`);
  const { hmacSecret } = options;
  const poster = new WebhookPoster({
    ...options.poster,
    // `chat`, as the AlertSink port names channels in logs and run records.
    channel: slack ? 'slack' : 'chat',
    url,
    ...(hmacSecret ? { signingSecret: async () => hmacSecret } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return slack ? createSlackSink(poster, options) : createChatSink(poster, options);
}
