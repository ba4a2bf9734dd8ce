import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DIGEST_WINDOW_MS,
  DEFAULT_MAX_EVENT_AGE_MS,
  describeEnvironment,
  ENVIRONMENT_VARIABLES,
  EnvironmentError,
  readEnvironment,
} from '../../src/config/environment.js';

const BASE = { GOOGLE_CLOUD_PROJECT: 'acme-sec' };
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/SECRET-TOKEN-123';

function errorOf(env: Record<string, string>): string {
  try {
    readEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return (error as Error).message;
  }
  throw new Error('expected an EnvironmentError, but the environment was accepted');
}

describe('readEnvironment: accepted settings', () => {
  test('only the project: defaults everywhere else', () => {
    const environment = readEnvironment({ ...BASE, PATH: '/usr/bin', HOME: '/root' });
    expect(environment).toEqual({
      project: 'acme-sec',
      firestoreEmulatorHost: undefined,
      pubsubEmulatorHost: undefined,
      apiEndpoint: undefined,
      policy: undefined,
      firestoreDatabase: '(default)',
      alertTopic: undefined,
      slackWebhook: undefined,
      chatWebhook: undefined,
      webhookHmacSecret: undefined,
      minimumAlertSeverity: undefined,
      digestWindowMs: DEFAULT_DIGEST_WINDOW_MS,
      maxEventAgeMs: DEFAULT_MAX_EVENT_AGE_MS,
      apiRatePerSecond: 20,
      maxDeliveryAttempts: undefined,
      sweepProjects: [],
      sccSource: undefined,
      reportUrl: undefined,
    });
  });

  test('Security Command Center: the source and the report link', () => {
    const environment = readEnvironment({
      ...BASE,
      GATEWARDEN_SCC_SOURCE: 'organizations/123456789012/sources/5678901234',
      GATEWARDEN_REPORT_URL: 'https://gatewarden-report-abc.a.run.app',
    });
    expect(environment.sccSource).toBe('organizations/123456789012/sources/5678901234');
    expect(environment.reportUrl).toBe('https://gatewarden-report-abc.a.run.app/');
    expect(describeEnvironment(environment).securityCommandCenter).toBe(
      'organizations/123456789012/sources/5678901234',
    );
  });

  test('the local stack: emulators, simulator endpoint, topic, webhook, tuning', () => {
    const environment = readEnvironment({
      ...BASE,
      FIRESTORE_EMULATOR_HOST: '127.0.0.1:8681',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:8682',
      GATEWARDEN_API_ENDPOINT: 'http://127.0.0.1:8089/ignored/path',
      GATEWARDEN_POLICY: 'examples/policy.yaml',
      GATEWARDEN_FIRESTORE_DATABASE: 'gatewarden',
      GATEWARDEN_ALERT_TOPIC: 'projects/acme-sec/topics/gatewarden-alerts',
      GATEWARDEN_SLACK_WEBHOOK_URL: SLACK_URL,
      GATEWARDEN_CHAT_WEBHOOK_SECRET: 'projects/acme-sec/secrets/chat-webhook',
      GATEWARDEN_WEBHOOK_HMAC_SECRET: 'a-long-enough-shared-key',
      GATEWARDEN_MIN_ALERT_SEVERITY: 'high',
      GATEWARDEN_DIGEST_WINDOW_MS: '0',
      GATEWARDEN_MAX_EVENT_AGE: '90m',
      GATEWARDEN_SWEEP_PROJECTS: 'acme-edge, acme-payments acme-edge',
    });
    expect(environment).toMatchObject({
      apiEndpoint: 'http://127.0.0.1:8089',
      policy: { from: 'file', path: 'examples/policy.yaml' },
      slackWebhook: { from: 'value', url: SLACK_URL },
      chatWebhook: {
        from: 'secret',
        secretVersion: 'projects/acme-sec/secrets/chat-webhook/versions/latest',
      },
      minimumAlertSeverity: 'HIGH',
      digestWindowMs: 0,
      maxEventAgeMs: 90 * 60_000,
      sweepProjects: ['acme-edge', 'acme-payments'],
    });
  });

  test.each([
    ['YAML on several lines', 'rules:\n  backend.no-port:\n    enabled: false\n'],
    ['one-line YAML', 'rules: {}'],
    ['JSON', '{"rules":{}}'],
  ])('an inline policy (%s) is told apart from a path', (_name, text) => {
    expect(readEnvironment({ ...BASE, GATEWARDEN_POLICY: text }).policy).toEqual({
      from: 'inline',
      text: text.trim(),
    });
  });

  test('GATEWARDEN_MAX_EVENT_AGE=off lifts the limit', () => {
    expect(readEnvironment({ ...BASE, GATEWARDEN_MAX_EVENT_AGE: 'off' }).maxEventAgeMs).toBeUndefined();
  });

  test('every listed GATEWARDEN_ name is one readEnvironment accepts, and none is listed twice', () => {
    expect(new Set(ENVIRONMENT_VARIABLES).size).toBe(ENVIRONMENT_VARIABLES.length);
    const settings = ENVIRONMENT_VARIABLES.filter((name) => name.startsWith('GATEWARDEN_'));
    expect(settings).toContain('GATEWARDEN_MAX_EVENT_AGE');
    // An empty value counts as unset, so only the name is judged.
    for (const name of settings) {
      expect(() => readEnvironment({ ...BASE, [name]: '' }), name).not.toThrow();
    }
    expect(errorOf({ ...BASE, GATEWARDEN_MAX_EVENT_AGES: '' })).toContain(
      'GATEWARDEN_MAX_EVENT_AGES: not a Gatewarden setting (did you mean GATEWARDEN_MAX_EVENT_AGE?)',
    );
  });
});

describe('readEnvironment: errors name the variable', () => {
  test.each([
    ['no project', {}, 'GOOGLE_CLOUD_PROJECT: required'],
    ['a bad project', { GOOGLE_CLOUD_PROJECT: 'Acme Sec' }, 'GOOGLE_CLOUD_PROJECT: must be a project ID'],
    [
      'a typo',
      { ...BASE, GATEWARDEN_SLACK_WEBHOK_URL: SLACK_URL },
      'did you mean GATEWARDEN_SLACK_WEBHOOK_URL?',
    ],
    [
      'an unknown setting',
      { ...BASE, GATEWARDEN_COLOUR: 'blue' },
      'GATEWARDEN_COLOUR: not a Gatewarden setting',
    ],
    [
      'an endpoint that is no URL',
      { ...BASE, GATEWARDEN_API_ENDPOINT: '127.0.0.1' },
      'GATEWARDEN_API_ENDPOINT: must be a URL',
    ],
    [
      'an emulator host with a scheme',
      { ...BASE, PUBSUB_EMULATOR_HOST: 'http://127.0.0.1:8085' },
      'PUBSUB_EMULATOR_HOST: must be HOST:PORT',
    ],
    [
      'a topic without projects/',
      { ...BASE, GATEWARDEN_ALERT_TOPIC: 'alerts' },
      'GATEWARDEN_ALERT_TOPIC: must be a topic name',
    ],
    [
      'both webhook sources',
      {
        ...BASE,
        GATEWARDEN_CHAT_WEBHOOK_URL: SLACK_URL,
        GATEWARDEN_CHAT_WEBHOOK_SECRET: 'projects/p/secrets/s',
      },
      'GATEWARDEN_CHAT_WEBHOOK_URL: set either it or GATEWARDEN_CHAT_WEBHOOK_SECRET',
    ],
    [
      'a secret that is no secret name',
      { ...BASE, GATEWARDEN_SLACK_WEBHOOK_SECRET: 'slack' },
      'GATEWARDEN_SLACK_WEBHOOK_SECRET: must be a Secret Manager name',
    ],
    [
      'a severity',
      { ...BASE, GATEWARDEN_MIN_ALERT_SEVERITY: 'urgent' },
      'GATEWARDEN_MIN_ALERT_SEVERITY: must be one of LOW, MEDIUM, HIGH, CRITICAL',
    ],
    [
      'a digest window in seconds',
      { ...BASE, GATEWARDEN_DIGEST_WINDOW_MS: '2s' },
      'GATEWARDEN_DIGEST_WINDOW_MS: must be whole milliseconds',
    ],
    [
      'an age without a unit',
      { ...BASE, GATEWARDEN_MAX_EVENT_AGE: '24' },
      'GATEWARDEN_MAX_EVENT_AGE: must be a duration',
    ],
    [
      'an SCC source at project level',
      { ...BASE, GATEWARDEN_SCC_SOURCE: 'projects/acme-sec/sources/1' },
      'GATEWARDEN_SCC_SOURCE: must be a Security Command Center source',
    ],
    [
      'a report URL that is not one',
      { ...BASE, GATEWARDEN_REPORT_URL: 'gatewarden-report' },
      'GATEWARDEN_REPORT_URL: must be the report',
    ],
    [
      'a sweep project list with a bad ID',
      { ...BASE, GATEWARDEN_SWEEP_PROJECTS: 'acme-edge,UPPER' },
      'GATEWARDEN_SWEEP_PROJECTS: must be project IDs',
    ],
    [
      // Swept by number, the project's resources (keyed by the IDs in their selfLinks) were all skipped, and its
      // Compute events (named by ID) were acknowledged as outside the watched projects.
      'a sweep project given by number',
      { ...BASE, GATEWARDEN_SWEEP_PROJECTS: 'acme-edge,123456789012' },
      'GATEWARDEN_SWEEP_PROJECTS: must be project IDs separated by commas, got "123456789012" (a project number',
    ],
    [
      'the function project given by number (the sweep project when none is named)',
      { GOOGLE_CLOUD_PROJECT: '123456789012' },
      'GOOGLE_CLOUD_PROJECT: must be a project ID',
    ],
    [
      'a short HMAC key',
      { ...BASE, GATEWARDEN_WEBHOOK_HMAC_SECRET: 'short' },
      'GATEWARDEN_WEBHOOK_HMAC_SECRET: must be at least 16',
    ],
  ])('%s', (_name, env, expected) => {
    expect(errorOf(env as Record<string, string>)).toContain(expected);
  });

  test('a bad webhook URL is refused without showing it', () => {
    const url = 'http://hooks.example.com/SECRET-TOKEN-123';
    const message = errorOf({ ...BASE, GATEWARDEN_SLACK_WEBHOOK_URL: url });
    expect(message).toContain('GATEWARDEN_SLACK_WEBHOOK_URL: must be an https URL');
    expect(message).not.toContain('SECRET-TOKEN-123');
  });
});

describe('describeEnvironment', () => {
  test('names every setting but no secret value', () => {
    const described = JSON.stringify(
      describeEnvironment(
        readEnvironment({
          ...BASE,
          GATEWARDEN_SLACK_WEBHOOK_URL: SLACK_URL,
          GATEWARDEN_WEBHOOK_HMAC_SECRET: 'HMAC-KEY-NEVER-LOGGED',
        }),
      ),
    );
    expect(described).toContain('"slackWebhook":"set"');
    expect(described).toContain('"webhookSignature":"on"');
    expect(described).not.toContain('SECRET-TOKEN-123');
    expect(described).not.toContain('HMAC-KEY-NEVER-LOGGED');
  });
});
