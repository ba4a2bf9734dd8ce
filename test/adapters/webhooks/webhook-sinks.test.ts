import { afterEach, describe, expect, test } from 'vitest';
import { MemoryStore } from '../../../src/adapters/memory/store.js';
import type { SecretReader } from '../../../src/adapters/secret-manager/secret-reader.js';
import { SettingError } from '../../../src/adapters/webhooks/secret-setting.js';
import { createWebhookSink } from '../../../src/adapters/webhooks/webhook-sinks.js';
import { formatChatDigest } from '../../../src/alerts/chat-message.js';
import { formatSlackDigest } from '../../../src/alerts/slack-message.js';
import { deliverAlerts } from '../../../src/app/deliver-alerts.js';
import type { RuleResult } from '../../../src/engine/evaluate.js';
import { reconcile } from '../../../src/engine/reconcile.js';
import type { Clock } from '../../../src/ports/clock.js';
import { MemoryLogger } from '../../../src/ports/logger.js';
import { hostileAlert, sampleAlerts } from '../../alerts/sample-alerts.js';
import { type Receiver, type ScriptedAnswer, startReceiver } from './receiver.js';

const TOKEN = 'XyZ-S3CRET-webhook-token-0042';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiverFor(answers: readonly ScriptedAnswer[]): Promise<Receiver> {
  const receiver = await startReceiver(answers);
  receivers.push(receiver);
  return receiver;
}

function manualClock(start: string): Clock & { sleeps: number[] } {
  let now = Date.parse(start);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function failing(index: number, severity: RuleResult['severity']): RuleResult {
  const resource = `//compute.googleapis.com/projects/acme-edge/global/backendServices/bs-${index}`;
  return {
    ruleId: 'backend.cloud-armor-attached',
    status: 'fail',
    severity,
    resource,
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: null,
    message: `backend service bs-${index} (acme-edge, global) has no Cloud Armor policy.`,
    evidence: { securityPolicy: null },
  };
}

async function outboxWith(count: number, clock: Clock): Promise<MemoryStore> {
  const store = new MemoryStore();
  const results = Array.from({ length: count }, (_, index) =>
    failing(index, index % 3 === 0 ? 'HIGH' : 'MEDIUM'),
  );
  const change = {
    method: 'v1.compute.backendServices.insert',
    actor: 'terraform@acme-edge.iam.gserviceaccount.com',
    at: clock.now().toISOString(),
    entryId: 'e1',
  };
  await store.commit({
    resources: results.map((result) => result.resource),
    eventId: 'e1',
    decide: (previous) => reconcile({ previous, results, change, now: clock.now().toISOString() }),
  });
  return store;
}

describe('Slack and Chat sinks through the outbox dispatcher', () => {
  test('an apply of twenty: Slack answers 429 Retry-After then 200; one digest each, no URL in any log', async () => {
    const slack = await receiverFor([{ status: 429, headers: { 'retry-after': '3' } }, { status: 200 }]);
    const chat = await receiverFor([{ status: 200, body: '{}' }]);
    const clock = manualClock('2026-11-26T10:00:00Z');
    const log = new MemoryLogger();
    const poster = { clock };
    const sinks = [
      createWebhookSink({
        channel: 'slack',
        setting: { from: 'value', url: `${slack.origin}/services/T1/B2/${TOKEN}` },
        log,
        poster,
      }),
      createWebhookSink({
        channel: 'google-chat',
        setting: { from: 'value', url: `${chat.origin}/v1/spaces/AAAA/messages?key=k&token=${TOKEN}` },
        log,
        poster,
      }),
    ];
    expect(sinks.map((sink) => sink.name)).toEqual(['slack', 'chat']);

    const findings = await outboxWith(20, clock);
    const outcome = await deliverAlerts({
      outbox: findings,
      sinks,
      clock,
      log,
      claimant: 'fn-1',
      digestWindowMs: 5000,
    });

    expect(outcome.sent).toBe(20);
    expect(clock.sleeps).toContain(3000);
    expect(slack.requests).toHaveLength(2);
    expect(chat.requests).toHaveLength(1);
    const slackMessage = JSON.parse(slack.requests[1]?.body ?? '{}');
    expect(slackMessage.text).toBe('Gatewarden: 20 opened (7 HIGH, 13 MEDIUM)');
    expect(JSON.stringify(slackMessage.blocks)).toContain('and 10 more changes not shown here');
    expect(JSON.parse(chat.requests[0]?.body ?? '{}').cardsV2).toHaveLength(1);
    expect(log.text()).not.toContain(TOKEN);
    expect(log.text()).not.toContain(new URL(slack.origin).host);
    expect(log.text()).not.toContain(new URL(chat.origin).host);
    expect(await findings.pendingAlerts(100)).toEqual([]);
  });

  test('Slack refuses with 400: not retried, given up on for that channel, logged by channel name, never the URL', async () => {
    const slack = await receiverFor([{ status: 400, body: 'invalid_blocks' }]);
    const clock = manualClock('2026-11-26T10:00:00Z');
    const log = new MemoryLogger();
    const sink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'value', url: `${slack.origin}/services/T1/B2/${TOKEN}` },
      log,
      poster: { clock },
    });
    const findings = await outboxWith(2, clock);
    const outcome = await deliverAlerts({ outbox: findings, sinks: [sink], clock, log, claimant: 'fn-1' });
    expect(outcome.refusedBy).toEqual(['slack']);
    expect(slack.requests).toHaveLength(1);
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        message: 'alert channel refused the alerts; not sending them to it again',
        fields: expect.objectContaining({
          sink: 'slack',
          reason: 'slack webhook refused the message: HTTP 400 invalid_blocks',
        }),
      }),
    );
    expect(log.text()).not.toContain(TOKEN);
    expect(await findings.pendingAlerts(100)).toHaveLength(0);
  });
});

describe('webhook sinks', () => {
  test('the bodies posted are exactly the formatted digests', async () => {
    const slack = await receiverFor([{ status: 200 }]);
    const chat = await receiverFor([{ status: 200 }]);
    const slackSink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'value', url: `${slack.origin}/hook/${TOKEN}` },
    });
    const chatSink = createWebhookSink({
      channel: 'google-chat',
      setting: { from: 'value', url: `${chat.origin}/hook/${TOKEN}` },
    });
    const alerts = [...sampleAlerts(), hostileAlert()];
    await slackSink.send(alerts);
    await chatSink.send(alerts);
    expect(JSON.parse(slack.requests[0]?.body ?? '')).toEqual(formatSlackDigest(alerts));
    expect(JSON.parse(chat.requests[0]?.body ?? '')).toEqual(formatChatDigest(alerts));
    expect(slack.requests[0]?.body).not.toContain('<!channel>');
    expect(chat.requests[0]?.body).not.toContain('<users/all>');
  });

  test('per-channel routing: Slack HIGH and above only; a batch with nothing that high posts nothing', async () => {
    const slack = await receiverFor([{ status: 200 }]);
    const sink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'value', url: `${slack.origin}/hook/${TOKEN}` },
      minimumSeverity: 'HIGH',
      maxItems: 10,
    });
    await sink.send(sampleAlerts());
    const message = JSON.parse(slack.requests[0]?.body ?? '{}');
    expect(message.text).toBe('Gatewarden: 2 opened, 1 escalated (1 CRITICAL, 2 HIGH)');
    await sink.send(sampleAlerts().filter((alert) => alert.finding.severity === 'LOW'));
    expect(slack.requests).toHaveLength(1);
  });

  test("a policy's named channel: named by its channel, one digest titled with the route", async () => {
    const payments = await receiverFor([{ status: 200 }]);
    const log = new MemoryLogger();
    const sink = createWebhookSink({
      channel: 'google-chat',
      setting: { from: 'secret', secretVersion: 'projects/acme-sec/secrets/payments-chat/versions/latest' },
      reader: { access: async () => `${payments.origin}/hook/${TOKEN}` },
      channelName: 'payments-chat',
      log,
    });
    expect(sink.name).toBe('chat:payments-chat');
    await sink.send(sampleAlerts(), { route: 'payments' });
    const message = JSON.parse(payments.requests[0]?.body ?? '{}');
    expect(message).toEqual(formatChatDigest(sampleAlerts(), { route: 'payments' }));
    expect(message.cardsV2[0].card.header.title).toMatch(/^Gatewarden \[payments\]: \d+ finding changes$/);
    expect(message.text).toMatch(/^Gatewarden \[payments\]: /);
    expect(log.text()).toContain('"channel":"chat:payments-chat"');
    expect(log.text()).not.toContain(TOKEN);
  });

  test("a named channel's unreadable secret is named by the policy key, never its value", async () => {
    const sink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'secret', secretVersion: 'projects/acme-sec/secrets/payments-slack/versions/latest' },
      reader: { access: async () => `not-a-url-${TOKEN}` },
      channelName: 'payments-slack',
    });
    const error = await sink.send(sampleAlerts()).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toContain('alerts.namedChannels.payments-slack.webhookSecret');
    expect(error?.message).not.toContain(TOKEN);
  });

  test('the URL can come from a Secret Manager version, read once per instance; requests are signed', async () => {
    const slack = await receiverFor([{ status: 200 }]);
    const read: string[] = [];
    const reader: SecretReader = {
      async access(name) {
        read.push(name);
        return `${slack.origin}/hook/${TOKEN}`;
      },
    };
    const sink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'secret', secretVersion: 'projects/acme-sec/secrets/slack-webhook/versions/latest' },
      hmacSecret: 'signing-key-of-at-least-16-chars',
      reader,
      maxItems: 1,
    });
    await sink.send(sampleAlerts());
    await sink.send(sampleAlerts());
    expect(slack.requests).toHaveLength(2);
    expect(slack.requests[0]?.headers['x-gatewarden-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(read).toEqual(['projects/acme-sec/secrets/slack-webhook/versions/latest']);
  });

  test.each([
    {
      name: 'plain http to a remote host',
      channel: 'slack' as const,
      url: `http://hooks.example.com/services/${TOKEN}`,
      error:
        'GATEWARDEN_SLACK_WEBHOOK_URL does not hold a webhook URL (https, or http to a loopback address); its value is not shown',
    },
    {
      name: 'not a URL at all',
      channel: 'google-chat' as const,
      url: `${TOKEN} pasted without scheme`,
      error:
        'GATEWARDEN_CHAT_WEBHOOK_URL does not hold a webhook URL (https, or http to a loopback address); its value is not shown',
    },
  ])('a bad URL is refused when the sink is built, naming the variable: $name', ({ channel, url, error }) => {
    let thrown: unknown;
    try {
      createWebhookSink({ channel, setting: { from: 'value', url } });
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(SettingError);
    expect((thrown as Error).message).toBe(error);
    expect((thrown as Error).message).not.toContain(TOKEN);
  });

  test('a Secret Manager value that is not a URL: the send fails naming the variable, not the value', async () => {
    const reader: SecretReader = { access: async () => `not-a-url-${TOKEN}` };
    const sink = createWebhookSink({
      channel: 'google-chat',
      setting: { from: 'secret', secretVersion: 'projects/p/secrets/chat/versions/latest' },
      reader,
    });
    const error = await sink.send(sampleAlerts()).then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(/^GATEWARDEN_CHAT_WEBHOOK_SECRET does not hold a webhook URL/);
    expect(error?.message).not.toContain(TOKEN);
  });

  test('a webhook rotated in Secret Manager: the revoked URL answers 404, the latest version is read and used', async () => {
    // The first webhook takes one digest, then is revoked (Slack: 404 no_service); its successor is the new version.
    const revoked = await receiverFor([{ status: 200 }, { status: 404, body: 'no_service' }]);
    const successor = await receiverFor([{ status: 200 }]);
    let current = `${revoked.origin}/hook/${TOKEN}`;
    let reads = 0;
    const reader: SecretReader = {
      async access() {
        reads += 1;
        return current;
      },
    };
    const log = new MemoryLogger();
    const sink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'secret', secretVersion: 'projects/p/secrets/slack/versions/latest' },
      reader,
      log,
    });
    await sink.send(sampleAlerts());
    current = `${successor.origin}/hook/${TOKEN}-2`;
    await sink.send(sampleAlerts());
    expect(revoked.requests).toHaveLength(2);
    expect(successor.requests).toHaveLength(1);
    expect(reads).toBe(2);
    expect(log.text()).not.toContain(TOKEN);
  });

  test('a failed Secret Manager read is tried again on the next send', async () => {
    const slack = await receiverFor([{ status: 200 }]);
    let calls = 0;
    const reader: SecretReader = {
      async access() {
        calls += 1;
        if (calls === 1) {
          throw new Error('Secret Manager answered 503 UNAVAILABLE for projects/p/secrets/s/versions/1');
        }
        return `${slack.origin}/hook/${TOKEN}`;
      },
    };
    const sink = createWebhookSink({
      channel: 'slack',
      setting: { from: 'secret', secretVersion: 'projects/p/secrets/s/versions/1' },
      reader,
    });
    await expect(sink.send(sampleAlerts())).rejects.toThrow(
      'GATEWARDEN_SLACK_WEBHOOK_SECRET: Secret Manager answered 503 UNAVAILABLE for projects/p/secrets/s/versions/1',
    );
    await sink.send(sampleAlerts());
    expect(slack.requests).toHaveLength(1);
  });
});
