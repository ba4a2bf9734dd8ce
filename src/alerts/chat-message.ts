// The Google Chat incoming-webhook message for a batch of alerts: one card v2 digest, with a plain `text` summary.

import type { AlertRecord } from '../domain/alert.js';
import {
  buildDigest,
  type DigestItem,
  type DigestOptions,
  describeSeverityCounts,
  describeTransitionCounts,
  digestTitle,
  plural,
} from './digest.js';
import { escapeChatHtml } from './escape.js';

export interface ChatMessage {
  /** Chat parses `<users/...>` mentions in `text`: it holds counts only, never resource text. */
  readonly text: string;
  readonly cardsV2: readonly Record<string, unknown>[];
}

export function formatChatDigest(alerts: readonly AlertRecord[], options: DigestOptions = {}): ChatMessage {
  const digest = buildDigest(alerts, options);
  const counts = `${describeTransitionCounts(digest)} (${describeSeverityCounts(digest)})`;
  // A route name is a policy word (letters, digits, _ and -): never resource text, so `text` may hold it.
  const title = escapeChatHtml(digestTitle(options), 120);
  const sections: Record<string, unknown>[] = digest.items.map((item) => ({
    widgets: [{ textParagraph: { text: describeItem(item) } }],
  }));
  if (digest.more > 0) {
    sections.push({
      widgets: [
        { textParagraph: { text: `<i>and ${plural(digest.more, 'more change')} not shown here</i>` } },
      ],
    });
  }
  return {
    text: `${title}: ${counts}`,
    cardsV2: [
      {
        cardId: 'gatewarden-digest',
        card: {
          header: { title: `${title}: ${plural(digest.total, 'finding change')}`, subtitle: counts },
          sections,
        },
      },
    ],
  };
}

function describeItem(item: DigestItem): string {
  const name = escapeChatHtml(item.resourceName, 120);
  const linked = item.consoleLink ? `<a href="${escapeChatHtml(item.consoleLink, 2000)}">${name}</a>` : name;
  const where = `${escapeChatHtml(item.project, 60)}, ${escapeChatHtml(item.location, 40)}`;
  const part = item.subKey ? ` · ${escapeChatHtml(item.subKey, 80)}` : '';
  return [
    `<b>${item.severity}</b> ${item.transition}: ${escapeChatHtml(item.ruleTitle, 150)}`,
    `${item.resourceLabel} ${linked} (${where})${part}`,
    describeChange(item),
    `<i>${escapeChatHtml(item.message, 300)}</i>`,
  ].join('<br>');
}

function describeChange(item: DigestItem): string {
  if (!item.method) return 'Found by a sweep';
  const actor = item.actor ? escapeChatHtml(item.actor, 120) : 'an unknown principal';
  return `Changed by ${actor} via ${escapeChatHtml(item.method, 120)}`;
}
