// The functions compose the policy's alert routes at start-up: each route with the sinks of its named channels, a
// destination built once however many names point at it; a route naming an unknown channel stops the start.

import { describe, expect, test } from 'vitest';
import { composeFromEnvironment } from '../../functions/compose.js';
import { PolicyError } from '../../src/config/policy-file.js';
import { MemoryLogger } from '../../src/ports/logger.js';

const BASE = {
  GOOGLE_CLOUD_PROJECT: 'acme-sec',
  GATEWARDEN_API_ENDPOINT: 'http://127.0.0.1:9',
  GATEWARDEN_SLACK_WEBHOOK_SECRET: 'projects/acme-sec/secrets/security-slack',
};

const POLICY = {
  alerts: {
    namedChannels: {
      'payments-slack': { type: 'slack', webhookSecret: 'projects/acme-sec/secrets/payments-slack' },
      // The same secret under a second name: one sink, so an alert in both routes is posted once.
      'payments-slack-again': {
        type: 'slack',
        webhookSecret: 'projects/acme-sec/secrets/payments-slack/versions/latest',
      },
      'soc-feed': { type: 'pubsub', topic: 'projects/acme-sec/topics/soc-feed' },
      'unused-chat': { type: 'google-chat', webhookSecret: 'projects/acme-sec/secrets/unused' },
    },
    routes: [
      { name: 'payments', labels: { team: 'payments' }, channels: ['payments-slack', 'soc-feed'] },
      { name: 'payments-critical', projects: ['pay-*'], channels: ['payments-slack-again'] },
    ],
  },
};

describe('composeFromEnvironment: alert routes', () => {
  test('routes come with the sinks of their channels; defaults unchanged; names logged, never a secret', async () => {
    const log = new MemoryLogger();
    const deps = await composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_POLICY: JSON.stringify(POLICY) },
      log,
    });
    expect(deps.sinks.map((sink) => sink.name)).toEqual(['slack']);
    const routes = deps.routes ?? [];
    expect(routes.map(({ route, channels }) => [route.name, channels.map((sink) => sink.name)])).toEqual([
      ['payments', ['slack:payments-slack', 'pubsub:soc-feed']],
      ['payments-critical', ['slack:payments-slack']],
    ]);
    expect(routes[1]?.channels[0]).toBe(routes[0]?.channels[0]);
    const logged = log.entries.find((entry) => entry.message === 'alert routes');
    expect(logged?.fields).toEqual({
      routes: [
        { route: 'payments', channels: ['slack:payments-slack', 'pubsub:soc-feed'] },
        { route: 'payments-critical', channels: ['slack:payments-slack'] },
      ],
      defaultChannels: ['slack'],
    });
  });

  test('a second default webhook of one chat type is not used, and a warning says which, without its secret', async () => {
    const log = new MemoryLogger();
    const policy = {
      alerts: {
        channels: [
          { type: 'pubsub', topic: 'projects/acme-sec/topics/soc-feed' },
          { type: 'slack', webhookSecret: 'projects/acme-sec/secrets/second-slack' },
          { type: 'google-chat', webhookSecret: 'projects/acme-sec/secrets/chat' },
        ],
      },
    };
    const deps = await composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_POLICY: JSON.stringify(policy) },
      log,
    });
    // The environment's Slack webhook is the default Slack channel; the policy's second one is dropped.
    expect(deps.sinks.map((sink) => sink.name)).toEqual(['slack', 'pubsub', 'chat']);
    const warnings = log.entries.filter((entry) => entry.severity === 'WARNING');
    expect(warnings.map((entry) => [entry.message, entry.fields])).toEqual([
      [
        'a default alert channel is not used: one webhook per chat type among the defaults',
        {
          channel: 'alerts.channels[1]',
          type: 'slack',
          instead: 'name it in alerts.namedChannels and route to it',
        },
      ],
    ]);
    expect(JSON.stringify(log.entries)).not.toContain('second-slack');
  });

  test("a route asking for lower alerts than alerts.minimumSeverity lowers the outbox's minimum, not the defaults'", async () => {
    const policy = {
      alerts: {
        minimumSeverity: 'HIGH',
        namedChannels: POLICY.alerts.namedChannels,
        routes: [
          {
            name: 'payments',
            labels: { team: 'payments' },
            minimumSeverity: 'MEDIUM',
            channels: ['soc-feed'],
          },
        ],
      },
    };
    const deps = await composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_POLICY: JSON.stringify(policy) },
      log: new MemoryLogger(),
    });
    expect(deps.minimumAlertSeverity).toBe('MEDIUM');
    expect(deps.routingFloor).toBe('HIGH');
    // GATEWARDEN_MIN_ALERT_SEVERITY is the floor when set: the route still takes its MEDIUMs.
    const fromEnvironment = await composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_MIN_ALERT_SEVERITY: 'CRITICAL', GATEWARDEN_POLICY: JSON.stringify(policy) },
      log: new MemoryLogger(),
    });
    expect(fromEnvironment.minimumAlertSeverity).toBe('MEDIUM');
    expect(fromEnvironment.routingFloor).toBe('CRITICAL');
  });

  test('no routes: no routes in the dependencies and nothing logged about them (today behaviour)', async () => {
    const log = new MemoryLogger();
    const deps = await composeFromEnvironment({ env: BASE, log });
    expect(deps.routes).toBeUndefined();
    expect(deps.routingFloor).toBeUndefined();
    expect(log.entries.some((entry) => entry.message === 'alert routes')).toBe(false);
  });

  test('a route naming an unknown channel refuses to start, naming the route and the channel', async () => {
    const policy = {
      alerts: {
        ...POLICY.alerts,
        routes: [{ name: 'payments', channels: ['payments-slack', 'payments-pager'] }],
      },
    };
    const started = composeFromEnvironment({
      env: { ...BASE, GATEWARDEN_POLICY: JSON.stringify(policy) },
      log: new MemoryLogger(),
    });
    await expect(started).rejects.toThrow(PolicyError);
    await expect(started).rejects.toThrow(
      'GATEWARDEN_POLICY: alerts.routes[0].channels[1]: route "payments" names unknown channel "payments-pager"',
    );
  });
});
