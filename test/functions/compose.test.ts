// Composition from the environment: which channels and settings come out, what is logged, what is refused.

import { describe, expect, test } from 'vitest';
import { composeFromEnvironment } from '../../functions/compose.js';
import { sweepHeapPacing } from '../../functions/sweep-heap.js';
import { EnvironmentError } from '../../src/config/environment.js';
import { PolicyError } from '../../src/config/policy-file.js';
import { MemoryLogger } from '../../src/ports/logger.js';

const BASE = {
  GOOGLE_CLOUD_PROJECT: 'acme-sec',
  // No call leaves the machine while composing; an endpoint keeps the source from looking for credentials.
  GATEWARDEN_API_ENDPOINT: 'http://127.0.0.1:9',
};
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/SLACK-TOKEN-4242';
const HMAC = 'HMAC-KEY-THAT-MUST-NOT-LEAK';

describe('composeFromEnvironment', () => {
  test('channels from the environment and the policy, each destination once', async () => {
    const deps = await composeFromEnvironment({
      env: {
        ...BASE,
        GATEWARDEN_ALERT_TOPIC: 'projects/acme-sec/topics/gatewarden-alerts',
        GATEWARDEN_SLACK_WEBHOOK_URL: SLACK_URL,
        GATEWARDEN_CHAT_WEBHOOK_SECRET: 'projects/acme-sec/secrets/chat-webhook/versions/3',
        GATEWARDEN_POLICY: JSON.stringify({
          alerts: {
            minimumSeverity: 'MEDIUM',
            channels: [
              { type: 'pubsub', topic: 'projects/acme-sec/topics/gatewarden-alerts' },
              { type: 'pubsub', topic: 'projects/acme-sec/topics/soc-feed' },
              { type: 'slack', webhookSecret: 'projects/acme-sec/secrets/slack/versions/latest' },
            ],
          },
        }),
      },
      log: new MemoryLogger(),
    });
    expect(deps.sinks.map((sink) => sink.name).sort()).toEqual(['chat', 'pubsub', 'pubsub', 'slack']);
    expect(deps.minimumAlertSeverity).toBe('MEDIUM');
  });

  test('GATEWARDEN_MIN_ALERT_SEVERITY wins over the policy; the sweep falls back to the own project', async () => {
    const deps = await composeFromEnvironment({
      env: {
        ...BASE,
        GATEWARDEN_MIN_ALERT_SEVERITY: 'critical',
        GATEWARDEN_POLICY: 'alerts:\n  minimumSeverity: LOW\n',
      },
      log: new MemoryLogger(),
    });
    expect(deps.minimumAlertSeverity).toBe('CRITICAL');
    expect(deps.sweepProjects).toEqual(['acme-sec']);
    // A large project's sweep keeps the function's heap tight (functions/sweep-heap.ts).
    expect(deps.heapPacing).toBe(sweepHeapPacing);
    // Events named by project number are judged under the ID (src/app/project-ids.ts); an ID needs no call.
    expect(await deps.projectIdOf?.('acme-edge')).toBe('acme-edge');
    expect(deps.sinks).toEqual([]);
  });

  test('the active probe is composed only when the policy turns it on', async () => {
    const off = await composeFromEnvironment({ env: BASE, log: new MemoryLogger() });
    expect(off.probe).toBeUndefined();
    const on = await composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_POLICY: 'probe:\n  enabled: true\n' },
      log: new MemoryLogger(),
    });
    expect(typeof on.probe).toBe('function');
  });

  test('the configuration is logged once, without any secret value', async () => {
    const log = new MemoryLogger();
    await composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_SLACK_WEBHOOK_URL: SLACK_URL, GATEWARDEN_WEBHOOK_HMAC_SECRET: HMAC },
      log,
    });
    expect(log.entries.filter((entry) => entry.message === 'gatewarden configuration')).toHaveLength(1);
    expect(log.text()).toContain('"slackWebhook":"set"');
    expect(log.text()).not.toContain('SLACK-TOKEN-4242');
    expect(log.text()).not.toContain(HMAC);
  });

  test.each([
    [
      'a misspelt variable',
      { GATEWARDEN_ALERTS_TOPIC: 'projects/acme-sec/topics/x' },
      EnvironmentError,
      'GATEWARDEN_ALERTS_TOPIC',
    ],
    [
      'an inline policy with an unknown rule',
      { GATEWARDEN_POLICY: 'rules:\n  backend.no-prot: { enabled: false }\n' },
      PolicyError,
      'GATEWARDEN_POLICY',
    ],
    [
      'a policy file that is missing',
      { GATEWARDEN_POLICY: 'policies/none.yaml' },
      PolicyError,
      'policies/none.yaml: file not found',
    ],
  ])('%s is refused, naming it', async (_name, extra, kind, message) => {
    const attempt = composeFromEnvironment({ env: { ...BASE, ...extra }, log: new MemoryLogger() });
    await expect(attempt).rejects.toBeInstanceOf(kind);
    await expect(attempt).rejects.toThrow(message);
  });
});
