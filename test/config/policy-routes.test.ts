// Alert routes and named channels in the policy file: what is accepted, and every route the loader refuses (a
// route naming a channel that is not defined is refused when the policy is loaded, never at alert time).

import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { PolicyError, parsePolicy } from '../../src/config/policy-file.js';

const OPTIONS = {
  knownRuleIds: [
    'backend.cloud-armor-attached',
    'backend.logging-enabled',
    'gateway.direct-url-protected',
    'gateway.api-config-authenticated',
  ],
};

const CHANNELS = `alerts:
  namedChannels:
    payments-slack:
      type: slack
      webhookSecret: projects/acme-security/secrets/payments-slack-webhook
    payments-feed:
      type: pubsub
      topic: projects/payments-prod/topics/gatewarden-alerts
    edge-chat:
      type: google-chat
      webhookSecret: projects/acme-security/secrets/edge-chat-webhook/versions/2
`;

function policyWith(routes: string): string {
  return `${CHANNELS}  routes:\n${routes}`;
}

function errorOf(text: string): string {
  try {
    parsePolicy(text, 'policy.yaml', OPTIONS);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as Error).message;
  }
  throw new Error('expected a PolicyError, but the policy was accepted');
}

describe('policy routes: accepted', () => {
  test('named channels and routes parse, criteria kept as given, a single string read as a list', () => {
    const policy = parsePolicy(
      policyWith(`    - name: payments
      labels: { team: payments }
      channels: [payments-slack, payments-feed]
    - name: edge
      projects: acme-edge*
      rules: [gateway.*, backend.logging-enabled]
      minimumSeverity: high
      channels: edge-chat
`),
      'policy.yaml',
      OPTIONS,
    );
    expect(policy.alerts?.namedChannels).toEqual({
      'payments-slack': {
        type: 'slack',
        webhookSecret: 'projects/acme-security/secrets/payments-slack-webhook',
      },
      'payments-feed': { type: 'pubsub', topic: 'projects/payments-prod/topics/gatewarden-alerts' },
      'edge-chat': {
        type: 'google-chat',
        webhookSecret: 'projects/acme-security/secrets/edge-chat-webhook/versions/2',
      },
    });
    expect(policy.alerts?.routes).toEqual([
      { name: 'payments', labels: { team: 'payments' }, channels: ['payments-slack', 'payments-feed'] },
      {
        name: 'edge',
        projects: ['acme-edge*'],
        rules: ['gateway.*', 'backend.logging-enabled'],
        minimumSeverity: 'HIGH',
        channels: ['edge-chat'],
      },
    ]);
  });

  test("the README's routing example is a policy the loader accepts", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('```yaml\nalerts:');
    expect(start).toBeGreaterThan(0);
    const example = readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 3));
    const policy = parsePolicy(example, 'README.md', { knownRuleIds: ['gateway.direct-url-protected'] });
    expect(policy.alerts?.routes).toEqual([
      {
        name: 'payments',
        labels: { team: 'payments' },
        projects: ['payments-*'],
        channels: ['payments-slack', 'payments-feed'],
      },
    ]);
  });

  test('no routes: the alerts section is what it was', () => {
    const policy = parsePolicy('alerts:\n  minimumSeverity: HIGH\n', 'policy.yaml', OPTIONS);
    expect(policy.alerts).toEqual({ minimumSeverity: 'HIGH' });
  });
});

describe('policy routes: refused at load, one line naming the route and what is wrong', () => {
  test.each([
    [
      'a route naming an unknown channel, close to a defined one',
      policyWith('    - name: payments\n      channels: [payments-slak]\n'),
      'policy.yaml: alerts.routes[0].channels[0]: route "payments" names unknown channel "payments-slak" (did you mean payments-slack?)',
    ],
    [
      'a route naming an unknown channel, nothing close',
      policyWith('    - name: soc\n      channels: [payments-slack, soc-pager]\n'),
      'policy.yaml: alerts.routes[0].channels[1]: route "soc" names unknown channel "soc-pager" (defined: payments-slack, payments-feed, edge-chat)',
    ],
    [
      'a route with no named channels defined at all',
      'alerts:\n  routes:\n    - name: payments\n      channels: [payments-slack]\n',
      'policy.yaml: alerts.routes[0].channels[0]: route "payments" names unknown channel "payments-slack" (alerts.namedChannels defines none)',
    ],
    [
      'a route without channels',
      policyWith('    - name: payments\n      projects: [payments-*]\n'),
      'policy.yaml: alerts.routes[0].channels: required',
    ],
    [
      'a route with an empty channel list',
      policyWith('    - name: payments\n      channels: []\n'),
      'policy.yaml: alerts.routes[0].channels: must have at least 1 entries',
    ],
    [
      'a route without a name',
      policyWith('    - channels: [edge-chat]\n'),
      'policy.yaml: alerts.routes[0].name: required',
    ],
    [
      'two routes with one name',
      policyWith(
        '    - name: edge\n      channels: [edge-chat]\n    - name: edge\n      channels: [payments-slack]\n',
      ),
      'policy.yaml: alerts.routes[1].name: route "edge" is defined twice',
    ],
    [
      'an unknown rule ID in a route',
      policyWith('    - name: edge\n      rules: [backend.loging-enabled]\n      channels: [edge-chat]\n'),
      'policy.yaml: alerts.routes[0].rules[0]: unknown rule ID "backend.loging-enabled" (did you mean backend.logging-enabled?)',
    ],
    [
      'a rule pattern matching no rule',
      policyWith('    - name: edge\n      rules: [frontend.*]\n      channels: [edge-chat]\n'),
      'policy.yaml: alerts.routes[0].rules[0]: the pattern "frontend.*" matches no rule',
    ],
    [
      'a project pattern that cannot be a project ID',
      policyWith('    - name: edge\n      projects: [projects/acme-edge]\n      channels: [edge-chat]\n'),
      'policy.yaml: alerts.routes[0].projects[0]: must be a project ID or a pattern like payments-*',
    ],
    [
      'a label key Google would refuse',
      policyWith('    - name: edge\n      labels: { Team: payments }\n      channels: [edge-chat]\n'),
      'policy.yaml: alerts.routes[0].labels.Team: not a label key (a lowercase letter, then lowercase letters, digits, _ or -)',
    ],
    [
      'an unknown key in a route (a misspelt criterion must not widen the route)',
      policyWith('    - name: edge\n      project: [acme-edge]\n      channels: [edge-chat]\n'),
      'policy.yaml: alerts.routes[0].project: unknown key',
    ],
    [
      'a channel name with a space',
      'alerts:\n  namedChannels:\n    "payments slack":\n      type: pubsub\n      topic: projects/acme-sec/topics/pay\n',
      'policy.yaml: alerts.namedChannels["payments slack"]: a channel name must be a letter then letters, digits, _ or - (at most 63)',
    ],
    [
      'a named webhook channel holding a URL instead of a secret name',
      'alerts:\n  namedChannels:\n    pay:\n      type: slack\n      webhookSecret: https://hooks.slack.com/services/T/B/X\n',
      'policy.yaml: alerts.namedChannels.pay.webhookSecret: must name a Secret Manager secret (projects/PROJECT/secrets/SECRET), never the webhook URL',
    ],
  ])('%s', (_name, text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  test('the refused webhook URL is never echoed', () => {
    const message = errorOf(
      'alerts:\n  namedChannels:\n    pay:\n      type: slack\n      webhookSecret: https://hooks.slack.com/services/T/B/SECRET-TOKEN\n',
    );
    expect(message).not.toContain('SECRET-TOKEN');
  });
});
