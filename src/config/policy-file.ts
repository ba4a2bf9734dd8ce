// Loads a policy file (YAML or JSON), validated once into a Policy; every problem is one line naming file and key.

import { z } from 'zod';
import { closestMatch } from '../domain/closest-match.js';
import {
  findDuplicateJsonKey,
  parseJsonOrProblem,
  parseJsonText,
  syntaxProblem,
} from '../domain/json-text.js';
import { anyGlobTester } from '../domain/name-glob.js';
import { isNestedDeeperThan } from '../domain/record-shape.js';
import { SEVERITIES } from '../domain/severity.js';
import { parseYamlText } from '../domain/yaml-text.js';
import { parseExpiry } from '../engine/exemptions.js';
import {
  type AlertChannel,
  type AlertRoute,
  DEFAULT_PROBE_ALLOW_HOSTS,
  type Policy,
} from '../engine/policy.js';
import { GOVERNED_KINDS, isFieldPath, isGovernedKind } from '../rules/drift/governed-fields.js';
import {
  ConfigFileError,
  describeIssue,
  formatKeyPath,
  pickIssue,
  readConfigText,
  recordJudgingEveryKey,
} from './config-error.js';
import { SECRET_NAME, TOPIC_NAME } from './name-patterns.js';

export class PolicyError extends ConfigFileError {
  override readonly name = 'PolicyError';
}

export interface PolicyLoadOptions {
  /** IDs of the rule catalogue: the loader checks names against them without importing the catalogue. */
  readonly knownRuleIds: Iterable<string>;
}

const MAX_POLICY_BYTES = 1024 * 1024;
// Low on purpose: a policy file has no use for many aliases, and each one can multiply the document.
const MAX_ALIAS_COUNT = 50;
// A policy is a few levels deep (rules.ID.params.KEY); the bound keeps every walk over it shallow.
const MAX_DEPTH = 32;
const SECTIONS = ['rules', 'exemptions', 'governedFields', 'alerts', 'probe'] as const;

/** Channel and route names: short words a person types in a route and reads in a digest. */
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
/** Project IDs (`payments-prod`, `example.com:shop`) with `*` for any run of characters. */
const PROJECT_GLOB = /^[a-z0-9.:*-]{1,100}$/;
/** Label keys as Google accepts them: a lowercase letter first, then lowercase letters, digits, _ and -. */
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;

const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

const severity = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
  z.enum(SEVERITIES),
);

const requiredText = z.string().trim().min(1);

function buildSchema(knownRuleIds: ReadonlySet<string>) {
  const ruleId = z.string().check((ctx) => {
    if (!knownRuleIds.has(ctx.value)) ctx.issues.push(unknownRule(ctx.value, knownRuleIds, ctx.value));
  });

  const exemption = z.strictObject({
    ruleId: z.string().check((ctx) => {
      if (ctx.value !== '*' && !knownRuleIds.has(ctx.value)) {
        ctx.issues.push(unknownRule(ctx.value, knownRuleIds, ctx.value, ' or *'));
      }
    }),
    resource: requiredText.check((ctx) => {
      const problem = resourcePatternProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
    }),
    reason: requiredText,
    expires: z.string().check((ctx) => {
      if (parseExpiry(ctx.value) === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: 'must be a date (YYYY-MM-DD) or an ISO timestamp with a time zone',
        });
      }
    }),
    owner: requiredText.optional(),
  });

  const governedKind = z.string().check((ctx) => {
    if (!isGovernedKind(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `not a governed resource kind (one of ${GOVERNED_KINDS.join(', ')})`,
      });
    }
  });
  const fieldPath = z.string().check((ctx) => {
    if (!isFieldPath(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `${JSON.stringify(ctx.value)} is not a field path (like iap.enabled or backends[].group)`,
      });
    }
  });

  const channel = z
    .strictObject({
      type: z.enum(['pubsub', 'slack', 'google-chat']),
      topic: z.string().optional(),
      webhookSecret: z.string().optional(),
    })
    .check((ctx) => {
      const { type, topic, webhookSecret } = ctx.value;
      if (type === 'pubsub' && !TOPIC_NAME.test(topic ?? '')) {
        ctx.issues.push(
          custom(['topic'], topic, topic ? 'must be projects/PROJECT/topics/TOPIC' : 'required'),
        );
      }
      if (type !== 'pubsub' && !SECRET_NAME.test(webhookSecret ?? '')) {
        ctx.issues.push(
          custom(
            ['webhookSecret'],
            '[hidden]',
            webhookSecret
              ? 'must name a Secret Manager secret (projects/PROJECT/secrets/SECRET), never the webhook URL'
              : 'required',
          ),
        );
      }
    })
    .transform(
      (value): AlertChannel =>
        value.type === 'pubsub'
          ? { type: 'pubsub', topic: value.topic ?? '' }
          : { type: value.type, webhookSecret: value.webhookSecret ?? '' },
    );

  const name = (what: string) =>
    z.string().check((ctx) => {
      if (!NAME_PATTERN.test(ctx.value)) {
        ctx.issues.push(
          custom([], ctx.value, `${what} must be a letter then letters, digits, _ or - (at most 63)`),
        );
      }
    });
  const oneOrMany = <T extends z.ZodType>(item: T) =>
    z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(item).min(1));

  const route = z
    .strictObject({
      name: name('a route name'),
      projects: oneOrMany(
        z.string().check((ctx) => {
          if (!PROJECT_GLOB.test(ctx.value)) {
            ctx.issues.push(custom([], ctx.value, 'must be a project ID or a pattern like payments-*'));
          }
        }),
      ).optional(),
      labels: recordJudgingEveryKey(
        z,
        z.string().check((ctx) => {
          if (!LABEL_KEY.test(ctx.value)) {
            ctx.issues.push(
              custom(
                [],
                ctx.value,
                'not a label key (a lowercase letter, then lowercase letters, digits, _ or -)',
              ),
            );
          }
        }),
        z.string().max(63),
      ).optional(),
      rules: oneOrMany(
        z.string().check((ctx) => {
          if (!ctx.value.includes('*')) {
            if (!knownRuleIds.has(ctx.value)) {
              ctx.issues.push(
                unknownRule(ctx.value, knownRuleIds, ctx.value, ' or a pattern like gateway.*'),
              );
            }
          } else if (![...knownRuleIds].some(anyGlobTester([ctx.value]))) {
            ctx.issues.push(
              custom([], ctx.value, `the pattern ${JSON.stringify(ctx.value)} matches no rule`),
            );
          }
        }),
      ).optional(),
      minimumSeverity: severity.optional(),
      channels: oneOrMany(z.string()),
    })
    .transform((value): AlertRoute => {
      const { projects, labels, rules, minimumSeverity, ...rest } = value;
      return {
        ...rest,
        ...(projects ? { projects } : {}),
        ...(labels ? { labels } : {}),
        ...(rules ? { rules } : {}),
        ...(minimumSeverity ? { minimumSeverity } : {}),
      };
    });

  const alerts = z
    .strictObject({
      minimumSeverity: severity.optional(),
      channels: z.array(channel).optional(),
      namedChannels: recordJudgingEveryKey(z, name('a channel name'), channel).optional(),
      routes: z.array(route).optional(),
    })
    .check((ctx) => {
      // Refused here, when the policy is loaded (exit 2, or the functions do not start), never at alert time.
      const defined = Object.keys(ctx.value.namedChannels ?? {});
      const seen = new Set<string>();
      (ctx.value.routes ?? []).forEach((route, index) => {
        if (seen.has(route.name)) {
          ctx.issues.push(
            custom(
              ['routes', index, 'name'],
              route.name,
              `route ${JSON.stringify(route.name)} is defined twice`,
            ),
          );
        }
        seen.add(route.name);
        route.channels.forEach((channelName, position) => {
          if (defined.includes(channelName)) return;
          const guess = closestMatch(
            channelName,
            defined,
            Math.max(2, Math.floor(channelName.length / 4)) + 1,
          );
          const hint = guess
            ? ` (did you mean ${guess}?)`
            : defined.length > 0
              ? ` (defined: ${defined.join(', ')})`
              : ' (alerts.namedChannels defines none)';
          ctx.issues.push(
            custom(
              ['routes', index, 'channels', position],
              channelName,
              `route ${JSON.stringify(route.name)} names unknown channel ${JSON.stringify(channelName)}${hint}`,
            ),
          );
        });
      });
    });

  const hostPattern = z.string().check((ctx) => {
    if (!HOST_PATTERN.test(ctx.value.toLowerCase())) {
      ctx.issues.push(
        custom([], ctx.value, 'must be a host name, optionally starting with *. (like *.gateway.dev)'),
      );
    }
  });

  return z.strictObject({
    rules: recordJudgingEveryKey(
      z,
      ruleId,
      z.strictObject({
        enabled: z.boolean().optional(),
        severity: severity.optional(),
        params: recordJudgingEveryKey(z, z.string(), z.unknown())
          .check((ctx) => {
            // Probe results are evidence a probe run produces (scan --probe); a file that could supply them
            // could declare a gateway's direct URL closed. They reach the rule through its context only.
            if (Object.hasOwn(ctx.value, 'probeResults')) {
              ctx.issues.push(
                custom(
                  ['probeResults'],
                  ctx.value,
                  'probe results come from a probe run (scan --probe), not from a policy file',
                ),
              );
            }
          })
          .optional(),
      }),
    ).default({}),
    exemptions: z.array(exemption).default([]),
    governedFields: recordJudgingEveryKey(z, governedKind, z.array(fieldPath)).optional(),
    alerts: alerts.optional(),
    probe: z
      .strictObject({
        enabled: z.boolean().default(false),
        allowHosts: z
          .array(hostPattern)
          .min(1)
          .default([...DEFAULT_PROBE_ALLOW_HOSTS]),
      })
      .default({ enabled: false, allowHosts: [...DEFAULT_PROBE_ALLOW_HOSTS] }),
  });
}

function custom(path: PropertyKey[], input: unknown, message: string) {
  return { code: 'custom' as const, path, input, message };
}

function unknownRule(id: string, known: ReadonlySet<string>, input: unknown, alternatives = '') {
  const guess = closestRuleId(id, known);
  return {
    code: 'custom' as const,
    input,
    message: `unknown rule ID ${JSON.stringify(id)}${guess ? ` (did you mean ${guess}?)` : alternatives ? ` (use a catalogue ID${alternatives})` : ''}`,
  };
}

/** The catalogue ID a typo most likely meant, when one is close enough to suggest. */
function closestRuleId(id: string, known: ReadonlySet<string>): string | undefined {
  return closestMatch(id, known, Math.max(3, Math.floor(id.length / 4)) + 1);
}

function isJson(fileLabel: string, text: string): boolean {
  if (/\.json$/i.test(fileLabel)) return true;
  if (/\.ya?ml$/i.test(fileLabel)) return false;
  return text.trimStart().startsWith('{');
}

function parseText(text: string, fileLabel: string): unknown {
  const fail = (problem: string) => new PolicyError(fileLabel, '', problem);
  if (isJson(fileLabel, text)) {
    const parsed = parseJsonOrProblem(text);
    if (!parsed.ok) throw fail(parsed.problem);
    return checkedJson(parsed.value, text, fail, 'JSON');
  }
  // YAML that is also JSON would be read by JSON.parse (yaml-text.ts), where the last of two equal keys wins.
  if (/^\s*[{[]/.test(text)) {
    const parsed = parseJsonText(text);
    if (parsed.ok) return checkedJson(parsed.value, text, fail, 'YAML');
  }
  const parsed = parseYamlText(text, {
    maxAliasCount: MAX_ALIAS_COUNT,
    maxDepth: MAX_DEPTH,
    warningsAreErrors: true,
  });
  if (!parsed.ok) {
    const at = parsed.line === undefined ? '' : ` (line ${parsed.line}, column ${parsed.column})`;
    throw fail(`not valid YAML${at}: ${parsed.problem}`);
  }
  return parsed.value;
}

/**
 * Parsed JSON, refused when nested too deep or when an object repeats a key: `"rules"` twice, or one rule twice,
 * would otherwise drop the first silently (a rule's severity override, or a whole list of exemptions).
 */
function checkedJson(
  value: unknown,
  text: string,
  fail: (problem: string) => PolicyError,
  read: 'JSON' | 'YAML',
): unknown {
  if (isNestedDeeperThan(value, MAX_DEPTH)) throw fail(`nested deeper than ${MAX_DEPTH} levels`);
  const duplicate = findDuplicateJsonKey(text);
  if (!duplicate) return value;
  const quoted = JSON.stringify(duplicate.key);
  const key = quoted.length > 60 ? `${quoted.slice(0, 57)}...` : quoted;
  // Worded as the YAML reader words it for a .yaml file, and as the other JSON problems for a .json one.
  throw fail(
    read === 'JSON'
      ? syntaxProblem(duplicate.line, duplicate.column, `key ${key} appears twice in one object`)
      : `not valid YAML (line ${duplicate.line}, column ${duplicate.column}): Map keys must be unique (${key})`,
  );
}

/** Validates policy text; `fileLabel` names the file in errors and decides YAML or JSON by its extension. */
export function parsePolicy(text: string, fileLabel: string, options: PolicyLoadOptions): Policy {
  if (text.length > MAX_POLICY_BYTES) throw new PolicyError(fileLabel, '', 'larger than 1 MiB');
  const data = parseText(text, fileLabel);
  // An empty file (or only comments) is the default policy.
  if (data === null || data === undefined) return parsePolicyData({}, fileLabel, options);
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new PolicyError(fileLabel, '', `must be a mapping of sections (${SECTIONS.join(', ')})`);
  }
  return parsePolicyData(data, fileLabel, options);
}

function parsePolicyData(data: object, fileLabel: string, options: PolicyLoadOptions): Policy {
  const schema = buildSchema(new Set(options.knownRuleIds));
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = pickIssue(parsed.error.issues);
  if (!issue) throw new PolicyError(fileLabel, '', 'is not a valid policy');
  const { path, problem } = describeIssue(issue);
  const topLevelKey = issue.code === 'unrecognized_keys' && issue.path.length === 0;
  throw new PolicyError(
    fileLabel,
    formatKeyPath(path),
    topLevelKey ? `${problem} (sections: ${SECTIONS.join(', ')})` : problem,
  );
}

/** Reads and validates a policy file; any failure is a PolicyError naming the file (and key, when there is one). */
export async function loadPolicy(path: string, options: PolicyLoadOptions): Promise<Policy> {
  const text = await readConfigText(path, MAX_POLICY_BYTES, (problem) => new PolicyError(path, '', problem));
  return parsePolicy(text, path, options);
}

/**
 * Why an exemption's resource pattern cannot name a resource, if it cannot: it must be a full resource name pattern,
 * and one with an empty segment (a trailing slash, `//` after the host) never matches any full name, so the
 * exemption would mute nothing while its author believed it did.
 */
function resourcePatternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('//')) {
    return 'must be a full resource name pattern, like //compute.googleapis.com/projects/*/global/backendServices/legacy-*';
  }
  if (pattern.slice(2).split('/').includes('')) {
    return 'has an empty path segment (a trailing slash, or // after the host), so it can match no resource name';
  }
  return undefined;
}
