import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadPolicy, PolicyError, parsePolicy } from '../../src/config/policy-file.js';
import { DEFAULT_PROBE_ALLOW_HOSTS } from '../../src/engine/policy.js';

const KNOWN_RULE_IDS = [
  'neg.no-network-endpoints',
  'neg.gateway-exists',
  'backend.no-port',
  'backend.cloud-armor-attached',
  'backend.logging-enabled',
  'frontend.modern-tls',
  'gateway.direct-url-protected',
  'drift.matches-baseline',
];
const OPTIONS = { knownRuleIds: KNOWN_RULE_IDS };

function errorOf(text: string, label = 'policy.yaml'): string {
  try {
    parsePolicy(text, label, OPTIONS);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as Error).message;
  }
  throw new Error('expected a PolicyError, but the policy was accepted');
}

const EXEMPTION = `exemptions:
  - ruleId: backend.no-port
    resource: //compute.googleapis.com/projects/acme-edge/global/backendServices/legacy-*
    reason: partner API until migration
    expires: 2027-01-31
`;

describe('parsePolicy: valid files', () => {
  test('the shipped example policy parses into every section', async () => {
    const text = await readFile(new URL('../../examples/policy.yaml', import.meta.url), 'utf8');
    const policy = parsePolicy(text, 'examples/policy.yaml', OPTIONS);
    expect(policy.rules['backend.logging-enabled']).toEqual({ enabled: false });
    expect(policy.rules['backend.no-port']).toEqual({ severity: 'MEDIUM' });
    expect(policy.exemptions).toHaveLength(2);
    expect(policy.exemptions[0]).toMatchObject({
      ruleId: 'backend.cloud-armor-attached',
      expires: '2027-03-31',
      owner: 'platform-edge@acme.example',
    });
    expect(policy.exemptions[1]).toMatchObject({ ruleId: '*', expires: '2026-12-31T18:00:00Z' });
    expect(policy.governedFields?.backendService).toContain('backends[].group');
    expect(policy.alerts).toEqual({
      minimumSeverity: 'HIGH',
      channels: [
        { type: 'pubsub', topic: 'projects/acme-security/topics/gatewarden-alerts' },
        { type: 'slack', webhookSecret: 'projects/acme-security/secrets/gatewarden-slack-webhook' },
        {
          type: 'google-chat',
          webhookSecret: 'projects/acme-security/secrets/gatewarden-chat-webhook/versions/3',
        },
      ],
      namedChannels: {
        'payments-slack': {
          type: 'slack',
          webhookSecret: 'projects/acme-security/secrets/gatewarden-channel-payments-slack',
        },
        'payments-feed': { type: 'pubsub', topic: 'projects/acme-payments/topics/gatewarden-alerts' },
        'edge-oncall': {
          type: 'google-chat',
          webhookSecret: 'projects/acme-security/secrets/gatewarden-channel-edge-oncall',
        },
      },
      routes: [
        { name: 'payments', labels: { team: 'payments' }, channels: ['payments-slack', 'payments-feed'] },
        {
          name: 'edge-critical',
          projects: ['acme-edge*'],
          rules: ['gateway.*', 'frontend.*'],
          minimumSeverity: 'CRITICAL',
          channels: ['edge-oncall'],
        },
      ],
    });
    expect(policy.probe).toEqual({ enabled: false, allowHosts: ['*.gateway.dev'] });
  });

  test.each([
    ['an empty YAML file', '', 'policy.yaml'],
    ['a YAML file holding only comments', '# nothing yet\n', 'policy.yaml'],
    ['an empty JSON object', '{}', 'policy.json'],
  ])('%s is the default policy', (_name, text, label) => {
    expect(parsePolicy(text, label, OPTIONS)).toEqual({
      rules: {},
      exemptions: [],
      probe: { enabled: false, allowHosts: [...DEFAULT_PROBE_ALLOW_HOSTS] },
    });
  });

  test('JSON is read by content when the name has no known extension', () => {
    const policy = parsePolicy('{"rules": {"backend.no-port": {"severity": "HIGH"}}}', 'policy', OPTIONS);
    expect(policy.rules['backend.no-port']?.severity).toBe('HIGH');
  });

  test('severities are accepted in any case and stored upper case', () => {
    const policy = parsePolicy('rules:\n  backend.no-port:\n    severity: critical\n', 'p.yml', OPTIONS);
    expect(policy.rules['backend.no-port']?.severity).toBe('CRITICAL');
  });

  test('probe settings fill in their defaults when only enabled is given', () => {
    expect(parsePolicy('probe:\n  enabled: true\n', 'policy.yaml', OPTIONS).probe).toEqual({
      enabled: true,
      allowHosts: ['*.gateway.dev'],
    });
  });
});

describe('parsePolicy: each problem is one line naming the file and key', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    [
      'unknown top-level key',
      'rule:\n  backend.no-port: {}\n',
      'policy.yaml: rule: unknown key (sections: rules, exemptions, governedFields, alerts, probe)',
    ],
    [
      'top level is a list',
      '- rules\n',
      'policy.yaml: must be a mapping of sections (rules, exemptions, governedFields, alerts, probe)',
    ],
    [
      'unknown rule ID, close to a real one',
      'rules:\n  backend.no-prot:\n    enabled: false\n',
      'policy.yaml: rules.backend.no-prot: unknown rule ID "backend.no-prot" (did you mean backend.no-port?)',
    ],
    [
      'unknown rule ID, nothing close',
      'rules:\n  cloudsql.backups-enabled:\n    enabled: false\n',
      'policy.yaml: rules.cloudsql.backups-enabled: unknown rule ID "cloudsql.backups-enabled"',
    ],
    [
      'unknown key in a rule',
      'rules:\n  backend.no-port:\n    disabled: true\n',
      'policy.yaml: rules.backend.no-port.disabled: unknown key',
    ],
    [
      'severity not in the list',
      'rules:\n  backend.no-port:\n    severity: URGENT\n',
      'policy.yaml: rules.backend.no-port.severity: must be one of LOW, MEDIUM, HIGH, CRITICAL',
    ],
    [
      'probe results supplied by the file (only a probe run supplies them)',
      'rules:\n  gateway.direct-url-protected:\n    params:\n      probeResults:\n        //apigateway.googleapis.com/projects/p/locations/l/gateways/g:\n          ran: true\n          statusCode: 401\n          answeredUnauthenticated: false\n',
      'policy.yaml: rules.gateway.direct-url-protected.params.probeResults: probe results come from a probe run (scan --probe), not from a policy file',
    ],
    [
      'enabled not a boolean',
      'rules:\n  backend.no-port:\n    enabled: "no"\n',
      'policy.yaml: rules.backend.no-port.enabled: must be true or false',
    ],
    [
      'exemption without a reason',
      EXEMPTION.replace(/ {4}reason: .*\n/, ''),
      'policy.yaml: exemptions[0].reason: required',
    ],
    [
      'exemption with an empty reason',
      EXEMPTION.replace(/reason: .*/, 'reason: "  "'),
      'policy.yaml: exemptions[0].reason: must not be empty',
    ],
    [
      'exemption with reason left blank',
      EXEMPTION.replace(/reason: .*/, 'reason:'),
      'policy.yaml: exemptions[0].reason: required',
    ],
    [
      'exemption without expiry',
      EXEMPTION.replace(/ {4}expires: .*\n/, ''),
      'policy.yaml: exemptions[0].expires: required',
    ],
    [
      'exemption expiring on a day that does not exist',
      EXEMPTION.replace(/expires: .*/, 'expires: 2027-02-30'),
      'policy.yaml: exemptions[0].expires: must be a date (YYYY-MM-DD) or an ISO timestamp with a time zone',
    ],
    [
      'exemption expiring at a time on a day that does not exist',
      EXEMPTION.replace(/expires: .*/, 'expires: 2027-04-31T10:00:00Z'),
      'policy.yaml: exemptions[0].expires: must be a date (YYYY-MM-DD) or an ISO timestamp with a time zone',
    ],
    [
      'exemption expiring at a local time',
      EXEMPTION.replace(/expires: .*/, 'expires: 2027-01-31T10:00:00'),
      'policy.yaml: exemptions[0].expires: must be a date (YYYY-MM-DD) or an ISO timestamp with a time zone',
    ],
    [
      'exemption with a US date',
      EXEMPTION.replace(/expires: .*/, 'expires: 01/31/2027'),
      'policy.yaml: exemptions[0].expires: must be a date (YYYY-MM-DD) or an ISO timestamp with a time zone',
    ],
    [
      'exemption for an unknown rule',
      EXEMPTION.replace(/ruleId: .*/, 'ruleId: backend.everything'),
      'policy.yaml: exemptions[0].ruleId: unknown rule ID "backend.everything" (use a catalogue ID or *)',
    ],
    [
      'exemption without a resource',
      EXEMPTION.replace(/ {4}resource: .*\n/, ''),
      'policy.yaml: exemptions[0].resource: required',
    ],
    [
      'exemption naming a short resource name',
      EXEMPTION.replace(/resource: .*/, 'resource: legacy-bs'),
      'policy.yaml: exemptions[0].resource: must be a full resource name pattern, like //compute.googleapis.com/projects/*/global/backendServices/legacy-*',
    ],
    [
      'exemption whose pattern ends in a slash (it could never match)',
      EXEMPTION.replace(
        /resource: .*/,
        'resource: //compute.googleapis.com/projects/acme-edge/global/backendServices/',
      ),
      'policy.yaml: exemptions[0].resource: has an empty path segment (a trailing slash, or // after the host), so it can match no resource name',
    ],
    [
      'exemption whose pattern has an empty segment',
      EXEMPTION.replace(
        /resource: .*/,
        'resource: //compute.googleapis.com/projects//global/backendServices/*',
      ),
      'policy.yaml: exemptions[0].resource: has an empty path segment (a trailing slash, or // after the host), so it can match no resource name',
    ],
    [
      'exemption with an unknown key',
      `${EXEMPTION}    until: 2027-01-01\n`,
      'policy.yaml: exemptions[0].until: unknown key',
    ],
    ['exemptions not a list', 'exemptions:\n  ruleId: "*"\n', 'policy.yaml: exemptions: must be a list'],
    [
      'governed fields for a kind drift does not judge',
      'governedFields:\n  forwardingRule: [target]\n',
      'policy.yaml: governedFields.forwardingRule: not a governed resource kind (one of backendService, networkEndpointGroup, gateway, targetHttpsProxy, urlMap)',
    ],
    [
      'governed field that is not a path',
      'governedFields:\n  backendService: ["iap..enabled"]\n',
      'policy.yaml: governedFields.backendService[0]: "iap..enabled" is not a field path (like iap.enabled or backends[].group)',
    ],
    [
      'alert minimum severity not in the list',
      'alerts:\n  minimumSeverity: SEVERE\n',
      'policy.yaml: alerts.minimumSeverity: must be one of LOW, MEDIUM, HIGH, CRITICAL',
    ],
    [
      'webhook URL written into the policy',
      'alerts:\n  channels:\n    - type: slack\n      webhookSecret: https://hooks.slack.com/services/T000/B000/XXXX\n',
      'policy.yaml: alerts.channels[0].webhookSecret: must name a Secret Manager secret (projects/PROJECT/secrets/SECRET), never the webhook URL',
    ],
    [
      'Pub/Sub channel without a topic',
      'alerts:\n  channels:\n    - type: pubsub\n',
      'policy.yaml: alerts.channels[0].topic: required',
    ],
    [
      'probe enabled given as text',
      'probe:\n  enabled: "yes"\n',
      'policy.yaml: probe.enabled: must be true or false',
    ],
    [
      'probe allow-list with a URL',
      'probe:\n  allowHosts: ["https://x.gateway.dev"]\n',
      'policy.yaml: probe.allowHosts[0]: must be a host name, optionally starting with *. (like *.gateway.dev)',
    ],
    [
      'probe allow-list empty',
      'probe:\n  allowHosts: []\n',
      'policy.yaml: probe.allowHosts: must have at least 1 entries',
    ],
    [
      'broken YAML',
      'rules:\n  backend.no-port: [1, 2\nexemptions: []\n',
      'policy.yaml: not valid YAML (line 3, column 1): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'duplicate keys',
      'rules: {}\nrules: {}\n',
      'policy.yaml: not valid YAML (line 2, column 1): Map keys must be unique ("rules")',
    ],
    [
      'an unknown YAML tag',
      'rules: !include other.yaml\n',
      'policy.yaml: not valid YAML (line 1, column 8): an unresolved tag (only the YAML core schema is read)',
    ],
  ];

  test.each(cases)('%s', (_name, text, message) => {
    const got = errorOf(text);
    expect(got).toBe(message);
    expect(got).not.toContain('\n');
  });

  // zod's record skips an own __proto__ key without a word (JSON.parse and YAML both make one): it is judged as
  // any other key is, in either format.
  test.each([
    ['a rule ID (YAML)', 'policy.yaml', 'rules:\n  __proto__:\n    enabled: garbage\n', 'rules.__proto__'],
    [
      'a rule ID (JSON)',
      'policy.json',
      '{"rules": {"__proto__": {"enabled": "garbage"}}}',
      'rules.__proto__',
    ],
    [
      'a rule ID after a valid one',
      'policy.yaml',
      'rules:\n  backend.no-port: {}\n  __proto__: {}\n',
      'rules.__proto__',
    ],
    [
      'a param',
      'policy.json',
      '{"rules": {"backend.no-port": {"params": {"__proto__": {"x": 1}}}}}',
      'rules.backend.no-port.params.__proto__',
    ],
    [
      'a governed kind',
      'policy.json',
      '{"governedFields": {"__proto__": ["iap.enabled"]}}',
      'governedFields.__proto__',
    ],
    [
      'a channel name',
      'policy.json',
      '{"alerts": {"namedChannels": {"__proto__": {"type": "pubsub", "topic": "projects/p/topics/t"}}}}',
      'alerts.namedChannels.__proto__',
    ],
  ])('__proto__ as %s is refused like any other bad key', (_name, file, text, keyPath) => {
    expect(errorOf(text, file)).toMatch(
      new RegExp(`^${file.replace('.', '\\.')}: ${keyPath.replaceAll('.', '\\.')}: `),
    );
  });

  test('__proto__ as a rule ID is the unknown rule ID it is, as constructor is', () => {
    for (const id of ['__proto__', 'constructor', 'prototype']) {
      expect(errorOf(`rules:\n  ${id}:\n    enabled: garbage\n`)).toBe(
        `policy.yaml: rules.${id}: unknown rule ID "${id}"`,
      );
    }
  });

  test('broken JSON names the file', () => {
    expect(errorOf('{"rules": ', 'policy.json')).toBe(
      'policy.json: not valid JSON at line 1, column 11: unexpected end of input',
    );
  });

  // JSON.parse keeps the last of two equal keys without a word: a rule's second entry dropped its first (here a
  // severity raised to CRITICAL), and a second `exemptions` list replaced the first.
  test.each([
    [
      'a rule twice (JSON)',
      'policy.json',
      '{"rules": {"backend.no-port": {"severity": "CRITICAL"},\n  "backend.no-port": {"enabled": true}}}',
      'policy.json: not valid JSON at line 2, column 3: key "backend.no-port" appears twice in one object',
    ],
    [
      'a section twice (JSON)',
      'policy.json',
      '{"exemptions": [{"ruleId": "*"}], "exemptions": []}',
      'policy.json: not valid JSON at line 1, column 35: key "exemptions" appears twice in one object',
    ],
    [
      'a rule twice (YAML written as JSON)',
      'policy.yaml',
      '{"rules": {"backend.no-port": {}, "backend.no-port": {"enabled": false}}}',
      'policy.yaml: not valid YAML (line 1, column 35): Map keys must be unique ("backend.no-port")',
    ],
  ])('%s is refused, naming the key', (_name, file, text, message) => {
    expect(errorOf(text, file)).toBe(message);
  });

  test('equal keys in different objects, and keys written as values, are no duplicates', () => {
    const policy = parsePolicy(
      '{"rules": {"backend.no-port": {"params": {"a\\"": ["rules", {"rules": "a\\""}], "rules": 1}}}}',
      'policy.json',
      OPTIONS,
    );
    expect(policy.rules['backend.no-port']?.params).toEqual({ 'a"': ['rules', { rules: 'a"' }], rules: 1 });
  });

  test('a YAML alias bomb is refused, not expanded', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(errorOf(`${levels.join('\n')}\n`)).toBe(
      'policy.yaml: not valid YAML: Excessive alias count indicates a resource exhaustion attack',
    );
  });

  test('the error carries file, key path and problem for the CLI', () => {
    try {
      parsePolicy(EXEMPTION.replace(/ {4}reason: .*\n/, ''), 'ops/policy.yaml', OPTIONS);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        file: 'ops/policy.yaml',
        keyPath: 'exemptions[0].reason',
        problem: 'required',
      });
    }
  });
});

describe('loadPolicy: files', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gatewarden-policy-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test('reads a YAML file from disk', async () => {
    const path = join(directory, 'policy.yaml');
    await writeFile(path, EXEMPTION);
    const policy = await loadPolicy(path, OPTIONS);
    expect(policy.exemptions[0]?.reason).toBe('partner API until migration');
  });

  test('a missing file is a PolicyError naming it', async () => {
    const path = join(directory, 'absent.yaml');
    await expect(loadPolicy(path, OPTIONS)).rejects.toThrow(new PolicyError(path, '', 'file not found'));
  });

  test('a directory is a PolicyError naming it', async () => {
    await expect(loadPolicy(directory, OPTIONS)).rejects.toThrow(
      `${directory}: is a directory, not a regular file`,
    );
  });

  test.skipIf(process.getuid?.() === 0)('an unreadable file is a PolicyError naming it', async () => {
    const path = join(directory, 'locked.yaml');
    await writeFile(path, 'rules: {}\n');
    await chmod(path, 0o000);
    await expect(loadPolicy(path, OPTIONS)).rejects.toThrow(`${path}: permission denied`);
  });
});
