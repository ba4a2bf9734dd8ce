// The functions' configuration from environment variables: read once, validated, errors naming the variable.

import { closestMatch } from '../domain/closest-match.js';
import { PROJECT_ID_PATTERN } from '../domain/resource-name.js';
import { parseSeverity, type Severity } from '../domain/severity.js';

/** Every variable the functions read; the Terraform tests check that Terraform sets only these. */
export const ENVIRONMENT_VARIABLES = [
  'GOOGLE_CLOUD_PROJECT',
  'FIRESTORE_EMULATOR_HOST',
  'PUBSUB_EMULATOR_HOST',
  'GATEWARDEN_API_ENDPOINT',
  'GATEWARDEN_POLICY',
  'GATEWARDEN_FIRESTORE_DATABASE',
  'GATEWARDEN_ALERT_TOPIC',
  'GATEWARDEN_SLACK_WEBHOOK_URL',
  'GATEWARDEN_SLACK_WEBHOOK_SECRET',
  'GATEWARDEN_CHAT_WEBHOOK_URL',
  'GATEWARDEN_CHAT_WEBHOOK_SECRET',
  'GATEWARDEN_WEBHOOK_HMAC_SECRET',
  'GATEWARDEN_MIN_ALERT_SEVERITY',
  'GATEWARDEN_DIGEST_WINDOW_MS',
  'GATEWARDEN_MAX_EVENT_AGE',
  'GATEWARDEN_SWEEP_PROJECTS',
  'GATEWARDEN_SCOPE',
  'GATEWARDEN_API_RATE_LIMIT',
  'GATEWARDEN_MAX_DELIVERY_ATTEMPTS',
] as const;

export type EnvironmentVariable = (typeof ENVIRONMENT_VARIABLES)[number];

/** Variables whose values are secrets: never echoed in errors or logs. */
export const SECRET_VARIABLES: ReadonlySet<EnvironmentVariable> = new Set([
  'GATEWARDEN_SLACK_WEBHOOK_URL',
  'GATEWARDEN_CHAT_WEBHOOK_URL',
  'GATEWARDEN_WEBHOOK_HMAC_SECRET',
]);

/** A webhook URL given directly, or the Secret Manager secret version that holds it. */
export type WebhookSetting =
  | { readonly from: 'value'; readonly url: string }
  | { readonly from: 'secret'; readonly secretVersion: string };

export type PolicySetting =
  | { readonly from: 'file'; readonly path: string }
  | { readonly from: 'inline'; readonly text: string };

export interface Environment {
  readonly project: string;
  readonly firestoreEmulatorHost: string | undefined;
  readonly pubsubEmulatorHost: string | undefined;
  /** Origin every Google API call goes to (the simulator); real Google APIs when absent. */
  readonly apiEndpoint: string | undefined;
  readonly policy: PolicySetting | undefined;
  readonly firestoreDatabase: string;
  /** `projects/P/topics/T`. */
  readonly alertTopic: string | undefined;
  readonly slackWebhook: WebhookSetting | undefined;
  readonly chatWebhook: WebhookSetting | undefined;
  readonly webhookHmacSecret: string | undefined;
  readonly minimumAlertSeverity: Severity | undefined;
  readonly digestWindowMs: number;
  /** Events older than this are acknowledged and counted, not processed; undefined: no limit. */
  readonly maxEventAgeMs: number | undefined;
  /** Projects a sweep covers when its message names none; the function's own project when unset. */
  readonly sweepProjects: readonly string[];
  /**
   * The folder or organisation the installation watches (`folders/N`, `organizations/N`): a tick naming no scope
   * sweeps every project beneath it, and events from projects outside it are acknowledged unjudged.
   */
  readonly scopeRoot: string | undefined;
  /** Google API requests per second per project, retries included; undefined: no limit. */
  readonly apiRatePerSecond: number | undefined;
  /** Deliveries of one event beyond this are acknowledged and recorded in skipped/, not judged; undefined: no limit. */
  readonly maxDeliveryAttempts: number | undefined;
}

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly badInput = true;
  readonly retryable = false;
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export const DEFAULT_DIGEST_WINDOW_MS = 2_000;
export const DEFAULT_MAX_EVENT_AGE_MS = 24 * 60 * 60 * 1000;
/** Well under Compute's default read quota per project, so a sweep and a burst of events share it. */
export const DEFAULT_API_RATE_PER_SECOND = 20;

const TOPIC_PATTERN = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/[A-Za-z][-A-Za-z0-9._~%+]{2,254}$/;
const SECRET_VERSION_PATTERN =
  /^projects\/[^/\s]+\/secrets\/[A-Za-z0-9_-]{1,255}(\/versions\/(latest|\d+))?$/;
const HOST_PORT_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const SCOPE_ROOT_PATTERN = /^(folders|organizations)\/\d{1,20}$/;
const DATABASE_PATTERN = /^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const MAX_DIGEST_WINDOW_MS = 5 * 60 * 1000;

type Variables = Readonly<Record<string, string | undefined>>;

/** Reads and validates the whole configuration; throws EnvironmentError naming the first bad variable. */
export function readEnvironment(env: Variables): Environment {
  rejectUnknownVariables(env);
  const value = (name: EnvironmentVariable): string | undefined => {
    const raw = env[name];
    if (raw === undefined) return undefined;
    const trimmed = raw.trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const project = value('GOOGLE_CLOUD_PROJECT');
  if (!project) {
    throw new EnvironmentError('GOOGLE_CLOUD_PROJECT', 'required (the project the functions run in)');
  }
  checkPattern('GOOGLE_CLOUD_PROJECT', project, PROJECT_ID_PATTERN, 'a project ID like acme-sec');

  return {
    project,
    firestoreEmulatorHost: hostPort('FIRESTORE_EMULATOR_HOST', value('FIRESTORE_EMULATOR_HOST')),
    pubsubEmulatorHost: hostPort('PUBSUB_EMULATOR_HOST', value('PUBSUB_EMULATOR_HOST')),
    apiEndpoint: endpointOrigin(value('GATEWARDEN_API_ENDPOINT')),
    policy: policySetting(value('GATEWARDEN_POLICY')),
    firestoreDatabase: database(value('GATEWARDEN_FIRESTORE_DATABASE')),
    alertTopic: optionalPattern(
      'GATEWARDEN_ALERT_TOPIC',
      value('GATEWARDEN_ALERT_TOPIC'),
      TOPIC_PATTERN,
      'a topic name like projects/acme-sec/topics/gatewarden-alerts',
    ),
    slackWebhook: webhook(
      'SLACK',
      value('GATEWARDEN_SLACK_WEBHOOK_URL'),
      value('GATEWARDEN_SLACK_WEBHOOK_SECRET'),
    ),
    chatWebhook: webhook(
      'CHAT',
      value('GATEWARDEN_CHAT_WEBHOOK_URL'),
      value('GATEWARDEN_CHAT_WEBHOOK_SECRET'),
    ),
    webhookHmacSecret: hmacSecret(value('GATEWARDEN_WEBHOOK_HMAC_SECRET')),
    minimumAlertSeverity: severity(value('GATEWARDEN_MIN_ALERT_SEVERITY')),
    digestWindowMs: digestWindow(value('GATEWARDEN_DIGEST_WINDOW_MS')),
    maxEventAgeMs: maxEventAge(value('GATEWARDEN_MAX_EVENT_AGE')),
    sweepProjects: sweepProjects(value('GATEWARDEN_SWEEP_PROJECTS')),
    scopeRoot: optionalPattern(
      'GATEWARDEN_SCOPE',
      value('GATEWARDEN_SCOPE'),
      SCOPE_ROOT_PATTERN,
      'a folder or organisation like organizations/123456789012 or folders/345678901234',
    ),
    apiRatePerSecond: apiRate(value('GATEWARDEN_API_RATE_LIMIT')),
    maxDeliveryAttempts: deliveryAttempts(value('GATEWARDEN_MAX_DELIVERY_ATTEMPTS')),
  };
}

/**
 * The configuration as it may be logged: secrets replaced by whether they are set, webhook URLs by their source.
 */
export function describeEnvironment(environment: Environment): Record<string, unknown> {
  const webhookSource = (setting: WebhookSetting | undefined) =>
    setting === undefined ? 'off' : setting.from === 'secret' ? `secret ${setting.secretVersion}` : 'set';
  return {
    project: environment.project,
    firestore: environment.firestoreEmulatorHost
      ? `emulator ${environment.firestoreEmulatorHost}`
      : environment.firestoreDatabase,
    pubsub: environment.pubsubEmulatorHost ? `emulator ${environment.pubsubEmulatorHost}` : 'google',
    apiEndpoint: environment.apiEndpoint ?? 'google',
    policy:
      environment.policy === undefined
        ? 'default'
        : environment.policy.from === 'file'
          ? environment.policy.path
          : 'inline',
    alertTopic: environment.alertTopic ?? 'off',
    slackWebhook: webhookSource(environment.slackWebhook),
    chatWebhook: webhookSource(environment.chatWebhook),
    webhookSignature: environment.webhookHmacSecret ? 'on' : 'off',
    minimumAlertSeverity: environment.minimumAlertSeverity ?? 'policy',
    digestWindowMs: environment.digestWindowMs,
    maxEventAgeMs: environment.maxEventAgeMs ?? 'unlimited',
    sweepProjects: environment.sweepProjects,
    scope: environment.scopeRoot ?? 'the sweep projects',
    apiRatePerSecond: environment.apiRatePerSecond ?? 'unlimited',
    maxDeliveryAttempts: environment.maxDeliveryAttempts ?? 'unlimited',
  };
}

/** A misspelt variable would otherwise leave a channel silently off. */
function rejectUnknownVariables(env: Variables): void {
  const known = new Set<string>(ENVIRONMENT_VARIABLES);
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('GATEWARDEN_') || known.has(name)) continue;
    const guess = closestVariable(name);
    throw new EnvironmentError(
      name,
      `not a Gatewarden setting${guess ? ` (did you mean ${guess}?)` : ''}; accepted: ${ENVIRONMENT_VARIABLES.filter((variable) => variable.startsWith('GATEWARDEN_')).join(', ')}`,
    );
  }
}

function checkPattern(name: EnvironmentVariable, text: string, pattern: RegExp, expected: string): void {
  if (pattern.test(text)) return;
  const shown = SECRET_VARIABLES.has(name) ? '' : ` ${JSON.stringify(text.slice(0, 120))}`;
  throw new EnvironmentError(name, `must be ${expected}, got${shown || ' an invalid value'}`);
}

function optionalPattern(
  name: EnvironmentVariable,
  text: string | undefined,
  pattern: RegExp,
  expected: string,
): string | undefined {
  if (text === undefined) return undefined;
  checkPattern(name, text, pattern, expected);
  return text;
}

function hostPort(name: EnvironmentVariable, text: string | undefined): string | undefined {
  return optionalPattern(name, text, HOST_PORT_PATTERN, 'HOST:PORT, like 127.0.0.1:8085');
}

function endpointOrigin(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EnvironmentError(
      'GATEWARDEN_API_ENDPOINT',
      `must be a URL like http://127.0.0.1:8089, got ${JSON.stringify(text.slice(0, 120))}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnvironmentError(
      'GATEWARDEN_API_ENDPOINT',
      `must be an http or https URL, got ${url.protocol}`,
    );
  }
  return url.origin;
}

function policySetting(text: string | undefined): PolicySetting | undefined {
  if (text === undefined) return undefined;
  // A path never holds a newline, a leading brace or "key: value"; a one-line inline policy always does.
  const isInline = text.includes('\n') || text.startsWith('{') || /^[A-Za-z]+:(\s|$)/.test(text);
  return isInline ? { from: 'inline', text } : { from: 'file', path: text };
}

function database(text: string | undefined): string {
  if (text === undefined) return '(default)';
  checkPattern(
    'GATEWARDEN_FIRESTORE_DATABASE',
    text,
    DATABASE_PATTERN,
    'a Firestore database ID like (default) or gatewarden',
  );
  return text;
}

function webhook(
  channel: 'SLACK' | 'CHAT',
  url: string | undefined,
  secret: string | undefined,
): WebhookSetting | undefined {
  const urlVariable = `GATEWARDEN_${channel}_WEBHOOK_URL` as const;
  const secretVariable = `GATEWARDEN_${channel}_WEBHOOK_SECRET` as const;
  if (url !== undefined && secret !== undefined) {
    throw new EnvironmentError(urlVariable, `set either it or ${secretVariable}, not both`);
  }
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    // The value is a secret (the URL is the credential): the error says what is wrong, never what it is.
    if (!parsed || (parsed.protocol !== 'https:' && !isLoopback(parsed))) {
      throw new EnvironmentError(
        urlVariable,
        'must be an https URL (http only for 127.0.0.1 or localhost); the value is not shown',
      );
    }
    return { from: 'value', url };
  }
  if (secret !== undefined) {
    checkPattern(
      secretVariable,
      secret,
      SECRET_VERSION_PATTERN,
      'a Secret Manager name like projects/acme-sec/secrets/slack-webhook/versions/latest',
    );
    return {
      from: 'secret',
      secretVersion: secret.includes('/versions/') ? secret : `${secret}/versions/latest`,
    };
  }
  return undefined;
}

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function hmacSecret(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length < 16) {
    throw new EnvironmentError(
      'GATEWARDEN_WEBHOOK_HMAC_SECRET',
      'must be at least 16 characters (a short key makes the signature guessable); the value is not shown',
    );
  }
  return text;
}

function severity(text: string | undefined): Severity | undefined {
  if (text === undefined) return undefined;
  const parsed = parseSeverity(text);
  if (!parsed) {
    throw new EnvironmentError(
      'GATEWARDEN_MIN_ALERT_SEVERITY',
      `must be one of LOW, MEDIUM, HIGH, CRITICAL, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return parsed;
}

function digestWindow(text: string | undefined): number {
  if (text === undefined) return DEFAULT_DIGEST_WINDOW_MS;
  const ms = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms > MAX_DIGEST_WINDOW_MS) {
    throw new EnvironmentError(
      'GATEWARDEN_DIGEST_WINDOW_MS',
      `must be whole milliseconds from 0 to ${MAX_DIGEST_WINDOW_MS}, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return ms;
}

function maxEventAge(text: string | undefined): number | undefined {
  if (text === undefined) return DEFAULT_MAX_EVENT_AGE_MS;
  if (text.toLowerCase() === 'off') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new EnvironmentError(
      'GATEWARDEN_MAX_EVENT_AGE',
      `must be a duration like 24h, 90m or 3600s (or off), got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return ms;
}

function apiRate(text: string | undefined): number | undefined {
  if (text === undefined) return DEFAULT_API_RATE_PER_SECOND;
  if (text.toLowerCase() === 'off') return undefined;
  const rate = /^\d+(\.\d+)?(\/s)?$/.test(text) ? Number.parseFloat(text) : Number.NaN;
  if (!(rate > 0) || rate > 100_000) {
    throw new EnvironmentError(
      'GATEWARDEN_API_RATE_LIMIT',
      `must be requests per second per project, like 20 or 20/s (or off), got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return rate;
}

function deliveryAttempts(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const attempts = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(attempts) || attempts < 1 || attempts > 1000) {
    throw new EnvironmentError(
      'GATEWARDEN_MAX_DELIVERY_ATTEMPTS',
      `must be a whole number of deliveries from 1 to 1000, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return attempts;
}

/** `24h`, `90m`, `3600s`, `500ms`, `7d`; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  const unit = match?.[2] ? DURATION_UNITS_MS[match[2]] : undefined;
  if (!match?.[1] || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

function sweepProjects(text: string | undefined): readonly string[] {
  if (text === undefined) return [];
  const projects = [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((project) => project.trim())
        .filter(Boolean),
    ),
  ];
  for (const project of projects) {
    checkPattern('GATEWARDEN_SWEEP_PROJECTS', project, PROJECT_ID_PATTERN, 'project IDs separated by commas');
  }
  return projects;
}

function closestVariable(name: string): string | undefined {
  return closestMatch(name, ENVIRONMENT_VARIABLES, 5);
}
