// The Slack incoming-webhook message for a batch of alerts: one Block Kit digest, with a plain `text` fallback.

import type { AlertRecord } from '../domain/alert.js';
import type { Severity } from '../domain/severity.js';
import {
  buildDigest,
  type DigestItem,
  type DigestOptions,
  describeSeverityCounts,
  describeTransitionCounts,
  digestTitle,
  plural,
} from './digest.js';
import { escapeSlack } from './escape.js';

export interface SlackMessage {
  /** Shown in notifications and by clients without Block Kit. */
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  CRITICAL: ':red_circle:',
  HIGH: ':large_orange_circle:',
  MEDIUM: ':large_yellow_circle:',
  LOW: ':white_circle:',
};

export function formatSlackDigest(alerts: readonly AlertRecord[], options: DigestOptions = {}): SlackMessage {
  const digest = buildDigest(alerts, options);
  const counts = `${describeTransitionCounts(digest)} (${describeSeverityCounts(digest)})`;
  // Route names are policy words (letters, digits, _ and -), escaped all the same.
  const title = escapeSlack(digestTitle(options), 120);
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: `${title}: ${plural(digest.total, 'finding change')}`,
        emoji: true,
      },
    },
    { type: 'section', text: mrkdwn(`*${counts}*`) },
    { type: 'divider' },
    ...digest.items.map((item) => ({ type: 'section', text: mrkdwn(describeItem(item)) })),
  ];
  if (digest.more > 0) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`and ${plural(digest.more, 'more change')} not shown here`)],
    });
  }
  return { text: `${title}: ${counts}`, blocks };
}

/**
 * Verbatim: escaping stops `<...>` links and mentions, but without it Slack still turns bare URLs in resource text
 * into links, links channel names and parses certain mentions (Block Kit text object reference). Our own console
 * link (`<url|name>`) is a manual parsing string, still parsed.
 */
function mrkdwn(text: string): Record<string, unknown> {
  return { type: 'mrkdwn', text, verbatim: true };
}

function describeItem(item: DigestItem): string {
  const emoji = item.transition === 'resolved' ? ':white_check_mark:' : SEVERITY_EMOJI[item.severity];
  const name = escapeSlack(item.resourceName, 120);
  // Console links are built from encoded path segments, so they hold no `|` or `>` that would end the link early.
  const linked = item.consoleLink ? `<${item.consoleLink}|${name}>` : name;
  const where = `${escapeSlack(item.project, 60)}, ${escapeSlack(item.location, 40)}`;
  const part = item.subKey ? ` · ${escapeSlack(item.subKey, 80)}` : '';
  return [
    `${emoji} *${item.severity}* ${item.transition}: ${escapeSlack(item.ruleTitle, 150)}`,
    `${item.resourceLabel} ${linked} (${where})${part}`,
    describeChange(item),
    `> ${escapeSlack(item.message, 300)}`,
  ].join('\n');
}

function describeChange(item: DigestItem): string {
  if (!item.method) return '_Found by a sweep_';
  const actor = item.actor ? escapeSlack(item.actor, 120) : 'an unknown principal';
  return `Changed by ${actor} via ${escapeSlack(item.method, 120)}`;
}
