// Slack and Google Chat alert channels: one digest message per batch, posted through a WebhookPoster.

import { formatChatDigest } from '../../alerts/chat-message.js';
import type { DigestOptions } from '../../alerts/digest.js';
import { formatSlackDigest } from '../../alerts/slack-message.js';
import type { AlertRecord } from '../../domain/alert.js';
import { isAtLeast, parseSeverity, type Severity } from '../../domain/severity.js';
import type { AlertSink } from '../../ports/alert-sink.js';
import type { Logger } from '../../ports/logger.js';
import type { SecretReader } from '../secret-manager/secret-reader.js';
import { SettingError, secretSetting, webhookUrlSetting } from './secret-setting.js';
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

/** Environment variables the webhook channels read; each URL or secret may be a Secret Manager version name. */
export const WEBHOOK_VARIABLES = {
  slackUrl: 'GATEWARDEN_SLACK_WEBHOOK_URL',
  chatUrl: 'GATEWARDEN_CHAT_WEBHOOK_URL',
  signingSecret: 'GATEWARDEN_WEBHOOK_SIGNING_SECRET',
  slackMinimumSeverity: 'GATEWARDEN_SLACK_MINIMUM_SEVERITY',
  chatMinimumSeverity: 'GATEWARDEN_CHAT_MINIMUM_SEVERITY',
} as const;

export interface WebhookEnvDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly reader?: SecretReader;
  readonly log?: Logger;
  /** Poster settings shared by both channels (sleep, fetch, attempts...). */
  readonly poster?: Omit<WebhookPosterOptions, 'channel' | 'url' | 'signingSecret' | 'log'>;
  readonly maxItems?: number;
}

/** The webhook channels whose URL variable is set; throws a SettingError naming the variable for bad values. */
export function createWebhookSinksFromEnv(deps: WebhookEnvDeps): WebhookSink[] {
  const signingSecret = secretSetting(WEBHOOK_VARIABLES.signingSecret, deps.env, deps.reader);
  const channels = [
    {
      name: 'slack',
      url: WEBHOOK_VARIABLES.slackUrl,
      minimum: WEBHOOK_VARIABLES.slackMinimumSeverity,
      create: createSlackSink,
    },
    {
      name: 'chat',
      url: WEBHOOK_VARIABLES.chatUrl,
      minimum: WEBHOOK_VARIABLES.chatMinimumSeverity,
      create: createChatSink,
    },
  ];
  return channels.flatMap((channel) => {
    const url = webhookUrlSetting(channel.url, deps.env, deps.reader);
    if (!url) return [];
    const poster = new WebhookPoster({
      ...deps.poster,
      channel: channel.name,
      url,
      ...(signingSecret ? { signingSecret } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
    const minimumSeverity = severitySetting(channel.minimum, deps.env);
    return [
      channel.create(poster, {
        ...(minimumSeverity ? { minimumSeverity } : {}),
        ...(deps.maxItems !== undefined ? { maxItems: deps.maxItems } : {}),
      }),
    ];
  });
}

function severitySetting(
  variable: string,
  env: Readonly<Record<string, string | undefined>>,
): Severity | undefined {
  const text = env[variable]?.trim();
  if (!text) return undefined;
  const severity = parseSeverity(text);
  if (!severity) throw new SettingError(`${variable} must be LOW, MEDIUM, HIGH or CRITICAL, not "${text}"`);
  return severity;
}
