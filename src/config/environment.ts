// The functions' configuration from environment variables: one zod schema, read once, every error naming the variable
// (and never showing a secret's value). Topic and secret names share their patterns with the policy file.

import { z } from 'zod';
import { closestMatch } from '../domain/closest-match.js';
import { isProjectNumber, PROJECT_ID_PATTERN } from '../domain/resource-name.js';
import { parseSeverity, type Severity } from '../domain/severity.js';
import { FIRESTORE_DATABASE_ID, SECRET_NAME, TOPIC_NAME } from './name-patterns.js';

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
  'GATEWARDEN_SCC_SOURCE',
  'GATEWARDEN_REPORT_URL',
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
  /** Security Command Center source findings are mirrored to (`organizations/O/sources/S`); off when undefined. */
  readonly sccSource: string | undefined;
  /** The report function's URL, linked from each SCC finding (externalUri). */
  readonly reportUrl: string | undefined;
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

/**
 * A project ID, never its number: snapshots, findings and a sweep's judging are keyed by the IDs selfLinks carry, and
 * Compute's audit entries name projects by ID. A watched project given by number swept nothing and left its events
 * outside the scope, acknowledged unjudged.
 */
const isProjectIdText = (text: string) => PROJECT_ID_PATTERN.test(text) && !isProjectNumber(text);
const HOST_PORT_PATTERN = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const SCOPE_ROOT_PATTERN = /^(folders|organizations)\/\d{1,20}$/;
/** Same shape as the SCC mapping's check (alerts/scc-finding.ts): an organization-level source. */
const SCC_SOURCE_PATTERN = /^organizations\/\d{1,30}\/sources\/\d{1,30}$/;
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
type Context = z.core.ParsePayload<unknown>;

/** A variable's text, trimmed; unset and blank are the same. */
const text = z
  .string()
  .optional()
  .transform((raw) => {
    const trimmed = raw?.trim();
    return trimmed === '' ? undefined : trimmed;
  });

/** A variable whose value, when set, is turned into a setting by `parse`, which says what is wrong or returns it. */
function setting<T>(parse: (value: string, fail: (problem: string) => never) => T, fallback: T) {
  return text.transform((value, ctx): T => {
    if (value === undefined) return fallback;
    try {
      return parse(value, (problem) => {
        throw new SettingProblem(problem);
      });
    } catch (error) {
      if (!(error instanceof SettingProblem)) throw error;
      ctx.issues.push({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  });
}

class SettingProblem extends Error {}

/** `expected` is shown with the value, unless the variable holds a secret. */
function matching(name: EnvironmentVariable, pattern: RegExp, expected: string) {
  return setting<string | undefined>((value, fail) => {
    if (pattern.test(value)) return value;
    const shown = SECRET_VARIABLES.has(name)
      ? ' an invalid value'
      : ` ${JSON.stringify(value.slice(0, 120))}`;
    return fail(`must be ${expected}, got${shown}`);
  }, undefined);
}

const quoted = (value: string, length = 40) => JSON.stringify(value.slice(0, length));

const webhookUrl = setting<string | undefined>((url, fail) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // The value is a secret (the URL is the credential): the error says what is wrong, never what it is.
  if (!parsed || (parsed.protocol !== 'https:' && !isLoopback(parsed))) {
    fail('must be an https URL (http only for 127.0.0.1 or localhost); the value is not shown');
  }
  return url;
}, undefined);

const webhookSecret = (name: EnvironmentVariable) =>
  matching(
    name,
    SECRET_NAME,
    'a Secret Manager name like projects/acme-sec/secrets/slack-webhook/versions/latest',
  );

/** Every variable the functions read, as one schema; the object it parses to is the Environment. */
const ENVIRONMENT_SCHEMA = z
  .object({
    GOOGLE_CLOUD_PROJECT: text.check((ctx) => {
      if (ctx.value === undefined) fail(ctx, 'required (the project the functions run in)');
      else if (!isProjectIdText(ctx.value))
        fail(ctx, `must be a project ID like acme-sec, got ${quoted(ctx.value, 120)}`);
    }),
    FIRESTORE_EMULATOR_HOST: matching(
      'FIRESTORE_EMULATOR_HOST',
      HOST_PORT_PATTERN,
      'HOST:PORT, like 127.0.0.1:8085',
    ),
    PUBSUB_EMULATOR_HOST: matching(
      'PUBSUB_EMULATOR_HOST',
      HOST_PORT_PATTERN,
      'HOST:PORT, like 127.0.0.1:8085',
    ),
    GATEWARDEN_API_ENDPOINT: setting<string | undefined>((value, fail) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return fail(`must be a URL like http://127.0.0.1:8089, got ${quoted(value, 120)}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        fail(`must be an http or https URL, got ${url.protocol}`);
      }
      return url.origin;
    }, undefined),
    GATEWARDEN_POLICY: setting<PolicySetting | undefined>((value) => {
      // A path never holds a newline, a leading brace or "key: value"; a one-line inline policy always does.
      const isInline = value.includes('\n') || value.startsWith('{') || /^[A-Za-z]+:(\s|$)/.test(value);
      return isInline ? { from: 'inline', text: value } : { from: 'file', path: value };
    }, undefined),
    GATEWARDEN_FIRESTORE_DATABASE: setting((value, fail) => {
      if (!FIRESTORE_DATABASE_ID.test(value)) {
        fail(`must be a Firestore database ID like (default) or gatewarden, got ${quoted(value, 120)}`);
      }
      return value;
    }, '(default)'),
    GATEWARDEN_ALERT_TOPIC: matching(
      'GATEWARDEN_ALERT_TOPIC',
      TOPIC_NAME,
      'a topic name like projects/acme-sec/topics/gatewarden-alerts',
    ),
    GATEWARDEN_SLACK_WEBHOOK_URL: webhookUrl,
    GATEWARDEN_SLACK_WEBHOOK_SECRET: webhookSecret('GATEWARDEN_SLACK_WEBHOOK_SECRET'),
    GATEWARDEN_CHAT_WEBHOOK_URL: webhookUrl,
    GATEWARDEN_CHAT_WEBHOOK_SECRET: webhookSecret('GATEWARDEN_CHAT_WEBHOOK_SECRET'),
    GATEWARDEN_WEBHOOK_HMAC_SECRET: setting<string | undefined>((value, fail) => {
      if (value.length < 16) {
        fail(
          'must be at least 16 characters (a short key makes the signature guessable); the value is not shown',
        );
      }
      return value;
    }, undefined),
    GATEWARDEN_MIN_ALERT_SEVERITY: setting<Severity | undefined>(
      (value, fail) =>
        parseSeverity(value) ?? fail(`must be one of LOW, MEDIUM, HIGH, CRITICAL, got ${quoted(value)}`),
      undefined,
    ),
    GATEWARDEN_DIGEST_WINDOW_MS: setting((value, fail) => {
      const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(ms) || ms > MAX_DIGEST_WINDOW_MS) {
        fail(`must be whole milliseconds from 0 to ${MAX_DIGEST_WINDOW_MS}, got ${quoted(value)}`);
      }
      return ms;
    }, DEFAULT_DIGEST_WINDOW_MS),
    GATEWARDEN_MAX_EVENT_AGE: setting<number | undefined>((value, fail) => {
      if (value.toLowerCase() === 'off') return undefined;
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        fail(`must be a duration like 24h, 90m or 3600s (or off), got ${quoted(value)}`);
      }
      return ms;
    }, DEFAULT_MAX_EVENT_AGE_MS),
    GATEWARDEN_SWEEP_PROJECTS: setting<readonly string[]>((value, fail) => {
      const projects = [...new Set(value.split(/[\s,]+/).filter(Boolean))];
      for (const project of projects) {
        if (!isProjectIdText(project)) {
          const number = isProjectNumber(project) ? ' (a project number: give its ID)' : '';
          fail(`must be project IDs separated by commas, got ${quoted(project, 120)}${number}`);
        }
      }
      return projects;
    }, []),
    GATEWARDEN_SCOPE: matching(
      'GATEWARDEN_SCOPE',
      SCOPE_ROOT_PATTERN,
      'a folder or organisation like organizations/123456789012 or folders/345678901234',
    ),
    GATEWARDEN_API_RATE_LIMIT: setting<number | undefined>((value, fail) => {
      if (value.toLowerCase() === 'off') return undefined;
      const rate = /^\d+(\.\d+)?(\/s)?$/.test(value) ? Number.parseFloat(value) : Number.NaN;
      if (!(rate > 0) || rate > 100_000) {
        fail(`must be requests per second per project, like 20 or 20/s (or off), got ${quoted(value)}`);
      }
      return rate;
    }, DEFAULT_API_RATE_PER_SECOND),
    GATEWARDEN_MAX_DELIVERY_ATTEMPTS: setting<number | undefined>((value, fail) => {
      const attempts = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isSafeInteger(attempts) || attempts < 1 || attempts > 1000) {
        fail(`must be a whole number of deliveries from 1 to 1000, got ${quoted(value)}`);
      }
      return attempts;
    }, undefined),
    GATEWARDEN_SCC_SOURCE: matching(
      'GATEWARDEN_SCC_SOURCE',
      SCC_SOURCE_PATTERN,
      'a Security Command Center source like organizations/123456789012/sources/5678901234',
    ),
    GATEWARDEN_REPORT_URL: setting<string | undefined>((value, fail) => {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        return fail(`must be the report's http(s) URL, got ${quoted(value, 120)}`);
      }
      return url.toString();
    }, undefined),
  })
  .check((ctx) => {
    for (const channel of ['SLACK', 'CHAT'] as const) {
      const url = `GATEWARDEN_${channel}_WEBHOOK_URL` as const;
      const secret = `GATEWARDEN_${channel}_WEBHOOK_SECRET` as const;
      if (ctx.value[url] !== undefined && ctx.value[secret] !== undefined) {
        ctx.issues.push({
          code: 'custom',
          path: [url],
          message: `set either it or ${secret}, not both`,
          input: '',
        });
      }
    }
  })
  .transform(
    (v): Environment => ({
      project: v.GOOGLE_CLOUD_PROJECT as string,
      firestoreEmulatorHost: v.FIRESTORE_EMULATOR_HOST,
      pubsubEmulatorHost: v.PUBSUB_EMULATOR_HOST,
      apiEndpoint: v.GATEWARDEN_API_ENDPOINT,
      policy: v.GATEWARDEN_POLICY,
      firestoreDatabase: v.GATEWARDEN_FIRESTORE_DATABASE,
      alertTopic: v.GATEWARDEN_ALERT_TOPIC,
      slackWebhook: webhookSetting(v.GATEWARDEN_SLACK_WEBHOOK_URL, v.GATEWARDEN_SLACK_WEBHOOK_SECRET),
      chatWebhook: webhookSetting(v.GATEWARDEN_CHAT_WEBHOOK_URL, v.GATEWARDEN_CHAT_WEBHOOK_SECRET),
      webhookHmacSecret: v.GATEWARDEN_WEBHOOK_HMAC_SECRET,
      minimumAlertSeverity: v.GATEWARDEN_MIN_ALERT_SEVERITY,
      digestWindowMs: v.GATEWARDEN_DIGEST_WINDOW_MS,
      maxEventAgeMs: v.GATEWARDEN_MAX_EVENT_AGE,
      sweepProjects: v.GATEWARDEN_SWEEP_PROJECTS,
      scopeRoot: v.GATEWARDEN_SCOPE,
      apiRatePerSecond: v.GATEWARDEN_API_RATE_LIMIT,
      maxDeliveryAttempts: v.GATEWARDEN_MAX_DELIVERY_ATTEMPTS,
      sccSource: v.GATEWARDEN_SCC_SOURCE,
      reportUrl: v.GATEWARDEN_REPORT_URL,
    }),
  );

function fail(ctx: Context, message: string): void {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
}

function webhookSetting(url: string | undefined, secret: string | undefined): WebhookSetting | undefined {
  if (url !== undefined) return { from: 'value', url };
  if (secret !== undefined) {
    return {
      from: 'secret',
      secretVersion: secret.includes('/versions/') ? secret : `${secret}/versions/latest`,
    };
  }
  return undefined;
}

/** Reads and validates the whole configuration; throws EnvironmentError naming the first bad variable. */
export function readEnvironment(env: Variables): Environment {
  rejectUnknownVariables(env);
  const known = Object.fromEntries(ENVIRONMENT_VARIABLES.map((name) => [name, env[name]]));
  const parsed = ENVIRONMENT_SCHEMA.safeParse(known);
  if (parsed.success) return parsed.data;
  // The first variable in the order they are listed (the schema's order), as a person reads the deployment.
  const issue = parsed.error.issues[0];
  throw new EnvironmentError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
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
    securityCommandCenter: environment.sccSource ?? 'off',
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

function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** `24h`, `90m`, `3600s`, `500ms`, `7d`; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  const unit = match?.[2] ? DURATION_UNITS_MS[match[2]] : undefined;
  if (!match?.[1] || unit === undefined) return undefined;
  return Math.round(Number(match[1]) * unit);
}

function closestVariable(name: string): string | undefined {
  return closestMatch(name, ENVIRONMENT_VARIABLES, 5);
}
