import { describe, expect, test } from 'vitest';
import { formatChatDigest } from '../../src/alerts/chat-message.js';
import { buildDigest } from '../../src/alerts/digest.js';
import { formatSlackDigest } from '../../src/alerts/slack-message.js';
import { alertOf, hostileAlert, SAMPLE_RULES, sampleAlerts } from './sample-alerts.js';

const options = { lookup: SAMPLE_RULES };

function manyAlerts(count: number) {
  return Array.from({ length: count }, (_, index) =>
    alertOf({
      ruleId: 'backend.cloud-armor-attached',
      resource: `//compute.googleapis.com/projects/acme-edge/global/backendServices/bs-${String(index).padStart(2, '0')}`,
      resourceType: 'compute.googleapis.com/BackendService',
      location: 'global',
      severity: index % 2 === 0 ? 'HIGH' : 'LOW',
      transition: 'opened',
      message: `bs-${index} has no Cloud Armor policy.`,
      actor: 'terraform@acme-edge.iam.gserviceaccount.com',
      method: 'v1.compute.backendServices.insert',
    }),
  );
}

/** Every Slack `<...>` sequence: links, mentions and `<!here>` are all written this way. */
function slackAngles(text: string): string[] {
  return text.match(/<[^>]*>/g) ?? [];
}

/** Every HTML tag in Chat card text. */
function chatTags(text: string): string[] {
  return text.match(/<[^>]*>/g) ?? [];
}

function slackText(message: ReturnType<typeof formatSlackDigest>): string {
  return [message.text, JSON.stringify(message.blocks)].join('\n');
}

function chatParagraphs(message: ReturnType<typeof formatChatDigest>): string[] {
  const card = message.cardsV2[0]?.card as { sections: { widgets: { textParagraph: { text: string } }[] }[] };
  return card.sections.flatMap((section) => section.widgets.map((widget) => widget.textParagraph.text));
}

describe('buildDigest', () => {
  test('counts by transition and severity; new problems first, most severe first, resolved last', () => {
    const digest = buildDigest(sampleAlerts(), options);
    expect(digest.total).toBe(5);
    expect(digest.byTransition).toEqual([
      ['opened', 2],
      ['reopened', 1],
      ['escalated', 1],
      ['resolved', 1],
    ]);
    expect(digest.bySeverity).toEqual([
      ['CRITICAL', 1],
      ['HIGH', 2],
      ['MEDIUM', 1],
      ['LOW', 1],
    ]);
    expect(digest.items.map((item) => `${item.severity} ${item.transition} ${item.resourceName}`)).toEqual([
      'CRITICAL opened orders-gw',
      'HIGH opened orders-bs',
      'HIGH escalated orders-neg-usc1',
      'LOW reopened orders-https-proxy',
      'MEDIUM resolved billing-bs',
    ]);
  });

  test('the order does not depend on the order alerts arrive in', () => {
    const forward = buildDigest(sampleAlerts(), options).items.map((item) => item.alertId);
    const backward = buildDigest(sampleAlerts().reverse(), options).items.map((item) => item.alertId);
    expect(backward).toEqual(forward);
  });

  test.each([
    { name: 'fewer than the limit: all shown', count: 3, maxItems: 10, shown: 3, more: 0 },
    { name: 'exactly the limit: nothing counted as more', count: 10, maxItems: 10, shown: 10, more: 0 },
    { name: 'over the limit: the rest counted', count: 25, maxItems: 10, shown: 10, more: 15 },
    { name: 'a limit of zero: counts only', count: 4, maxItems: 0, shown: 0, more: 4 },
  ])('$name', ({ count, maxItems, shown, more }) => {
    const digest = buildDigest(manyAlerts(count), { ...options, maxItems });
    expect(digest.items).toHaveLength(shown);
    expect(digest.more).toBe(more);
  });
});

describe('formatSlackDigest', () => {
  test('matches the golden file', async () => {
    const message = formatSlackDigest(sampleAlerts(), options);
    await expect(`${JSON.stringify(message, null, 2)}\n`).toMatchFileSnapshot('./slack-digest.golden.json');
  });

  test('twenty alerts from one apply: one message, the first items then "and K more", within Block Kit limits', () => {
    const message = formatSlackDigest(manyAlerts(20), { ...options, maxItems: 5 });
    expect(message.text).toBe('Gatewarden: 20 opened (10 HIGH, 10 LOW)');
    const last = JSON.stringify(message.blocks.at(-1));
    expect(last).toContain('and 15 more changes not shown here');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.blocks.filter((block) => block.type === 'section')).toHaveLength(6);
  });

  test('a hostile name, message and actor cannot add links or mentions', () => {
    const message = formatSlackDigest([hostileAlert()], options);
    const text = slackText(message);
    for (const sequence of slackAngles(text)) {
      expect(sequence).toMatch(/^<https:\/\/console\.cloud\.google\.com\/[^|>]*\|/);
    }
    expect(text).toContain('&lt;!channel&gt;&amp;&lt;@U024BE7LH&gt;');
    expect(text).toContain('&lt;!here&gt; mallory@acme.example');
    expect(text).toContain('&lt;https://evil.example/login|your SSO session expired&gt;');
    // The newline in the message cannot start a fake quote line of its own.
    expect(text).not.toMatch(/\\n&gt; fake quote/);
  });

  test('every mrkdwn text is verbatim: Slack does not turn a bare URL, #channel or @here in it into a link', () => {
    const message = formatSlackDigest([hostileAlert(), ...manyAlerts(12)], options);
    const texts = message.blocks.flatMap((block) => [
      ...(block.text ? [block.text] : []),
      ...((block.elements as unknown[] | undefined) ?? []),
    ]) as { type: string; verbatim?: boolean }[];
    const mrkdwn = texts.filter((text) => text.type === 'mrkdwn');
    expect(mrkdwn.length).toBe(message.blocks.length - 2);
    for (const text of mrkdwn) expect(text.verbatim).toBe(true);
  });

  test('text that grows when escaped stays within the 3,000-character section limit, entities whole', () => {
    const long = alertOf({
      ruleId: 'backend.logging-enabled',
      resource: `//compute.googleapis.com/projects/acme-edge/global/backendServices/${'&'.repeat(500)}`,
      resourceType: 'compute.googleapis.com/BackendService',
      location: 'global',
      severity: 'HIGH',
      transition: 'opened',
      message: '<>'.repeat(2000),
      actor: '&'.repeat(1000),
      method: 'v1.compute.backendServices.patch',
    });
    const message = formatSlackDigest([long], options);
    const sections = message.blocks.filter((block) => block.type === 'section');
    for (const section of sections) {
      const text = (section.text as { text: string }).text;
      expect(text.length).toBeLessThanOrEqual(3000);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const chat = chatParagraphs(formatChatDigest([long], options)).join('');
    expect(chat).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
  });

  test('a sweep finding says so instead of naming an actor', () => {
    const message = formatSlackDigest(sampleAlerts(), options);
    expect(slackText(message)).toContain('_Found by a sweep_');
  });
});

describe('formatChatDigest', () => {
  test('matches the golden file', async () => {
    const message = formatChatDigest(sampleAlerts(), options);
    await expect(`${JSON.stringify(message, null, 2)}\n`).toMatchFileSnapshot('./chat-digest.golden.json');
  });

  test('twenty alerts from one apply: one card, the first items then "and K more"', () => {
    const message = formatChatDigest(manyAlerts(20), { ...options, maxItems: 5 });
    expect(message.cardsV2).toHaveLength(1);
    const paragraphs = chatParagraphs(message);
    expect(paragraphs).toHaveLength(6);
    expect(paragraphs.at(-1)).toBe('<i>and 15 more changes not shown here</i>');
  });

  test('a hostile name, message and actor cannot add markup, links or mentions', () => {
    const message = formatChatDigest([hostileAlert()], options);
    expect(message.text).not.toMatch(/[<>]/);
    for (const paragraph of chatParagraphs(message)) {
      for (const tag of chatTags(paragraph)) {
        expect(tag).toMatch(/^<(\/?b|\/?i|br|\/a|a href="https:\/\/console\.cloud\.google\.com\/[^"]*")>$/);
      }
    }
    const text = chatParagraphs(message).join('\n');
    expect(text).toContain('x&lt;!channel&gt;&amp;&lt;@U024BE7LH&gt;&lt;b&gt;');
    expect(text).toContain('&lt;users/all&gt; &quot;&lt;a href=x&gt;&quot;');
  });
});
