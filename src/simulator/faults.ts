// Fault injection: latency, quota and server errors, stale reads and unreachable scopes, chosen per request path.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { pathGlobAutomaton } from '../domain/name-glob.js';
import { ApiError } from './api-error.js';

const faultRuleSchema = z
  .object({
    /** Glob over the request path (no query): `*` stays within a segment, `**` crosses segments. */
    path: z.string().min(1).optional(),
    /** Regular expression tested against the request path, as an alternative to `path`. */
    pathRegex: z.string().min(1).optional(),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    status: z
      .union([z.literal(400), z.literal(403), z.literal(429), z.literal(500), z.literal(503)])
      .optional(),
    reason: z.enum(['rateLimitExceeded', 'userRateLimitExceeded', 'forbidden']).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    /** Only the first k matching requests get the fault. */
    times: z.number().int().min(1).optional(),
    /** The first k GETs of a resource after a change to it still see its previous state. */
    staleReads: z.number().int().min(1).optional(),
    /** Aggregated-list scopes (`regions/us-east1`) reported unreachable. */
    unreachableScopes: z.array(z.string().regex(/^(global|regions\/[^/]+|zones\/[^/]+)$/)).optional(),
  })
  .strict()
  .refine((rule) => (rule.path === undefined) !== (rule.pathRegex === undefined), {
    message: 'give exactly one of "path" (a glob) or "pathRegex"',
  })
  .refine((rule) => rule.reason === undefined || rule.status === 403, {
    message: '"reason" only applies to "status": 403',
  });

const faultListSchema = z.array(faultRuleSchema);
const faultFileSchema = z.object({ faults: faultListSchema }).strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

/** Validates fault rules, throwing an error that names the rule and field at fault. */
export function parseFaultRules(input: unknown, source = 'faults'): FaultRule[] {
  // A bare array or `{ "faults": [...] }`, parsed apart so errors name the rule and field, not "invalid union".
  const parsed = Array.isArray(input) ? faultListSchema.safeParse(input) : faultFileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new Error(`${source}: ${where}: ${issue?.message ?? 'invalid fault rules'}`);
  }
  const rules = Array.isArray(parsed.data) ? parsed.data : parsed.data.faults;
  rules.forEach((rule, index) => {
    if (rule.pathRegex === undefined) return;
    try {
      new RegExp(rule.pathRegex);
    } catch (error) {
      throw new Error(`${source}: ${index}.pathRegex: ${(error as Error).message}`);
    }
  });
  return rules;
}

export async function readFaultFile(file: string): Promise<FaultRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: cannot read fault file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseFaultRules(json, file);
}

export interface InjectedFault {
  readonly latencyMs: number;
  readonly error: ApiError | undefined;
  /** What the request log shows: `latency 50ms`, `403 rateLimitExceeded`, ... */
  readonly description: string;
}

interface CompiledRule {
  readonly rule: FaultRule;
  readonly matches: (path: string) => boolean;
  matched: number;
}

export class FaultInjector {
  private rules: CompiledRule[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    this.setRules(rules);
  }

  setRules(rules: readonly FaultRule[]): void {
    this.rules = parseFaultRules([...rules]).map((rule) => ({
      rule,
      matches:
        rule.pathRegex !== undefined
          ? regexMatcher(new RegExp(rule.pathRegex))
          : pathGlobMatcher(rule.path ?? ''),
      matched: 0,
    }));
  }

  /** The latency/error fault for this request, if any; each call counts against the rule's `times`. */
  pick(method: string, path: string): InjectedFault | undefined {
    for (const compiled of this.rules) {
      const { rule } = compiled;
      if (rule.latencyMs === undefined && rule.status === undefined) continue;
      if (rule.method && rule.method !== method) continue;
      if (!compiled.matches(path)) continue;
      if (rule.times !== undefined && compiled.matched >= rule.times) continue;
      compiled.matched += 1;
      const error = rule.status === undefined ? undefined : errorFor(rule, method, path);
      const parts = [
        rule.latencyMs ? `latency ${rule.latencyMs}ms` : '',
        error ? `${error.code} ${error.reason}` : '',
      ].filter(Boolean);
      return { latencyMs: rule.latencyMs ?? 0, error, description: parts.join(', ') };
    }
    return undefined;
  }

  /** How many GETs after a change to the resource at `resourcePath` still see its previous state. */
  staleReadsFor(resourcePath: string): number {
    let reads = 0;
    for (const { rule, matches } of this.rules) {
      if (rule.staleReads !== undefined && matches(resourcePath)) reads = Math.max(reads, rule.staleReads);
    }
    return reads;
  }

  /** Scopes an aggregated list at `path` reports unreachable. */
  unreachableScopesFor(path: string): Set<string> {
    const scopes = new Set<string>();
    for (const { rule, matches } of this.rules) {
      if (rule.unreachableScopes && matches(path))
        for (const scope of rule.unreachableScopes) scopes.add(scope);
    }
    return scopes;
  }
}

/** A fault rule's path glob: `*` within a segment, `**` across segments, `?` one character within a segment. */
export function pathGlobMatcher(glob: string): (path: string) => boolean {
  // An automaton, not a RegExp: `.*` per `**` backtracked without end on a glob with several of them.
  const automaton = pathGlobAutomaton(glob);
  return (path) => automaton.matches(path);
}

function regexMatcher(pattern: RegExp): (path: string) => boolean {
  return (path) => pattern.test(path);
}

function errorFor(rule: FaultRule, method: string, path: string): ApiError {
  const headers: Record<string, string> =
    rule.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.retryAfterSeconds) } : {};
  switch (rule.status) {
    case 403:
      if (rule.reason === 'forbidden') {
        const { permission, resource } = permissionFor(method, path);
        return new ApiError(
          403,
          'forbidden',
          `Required '${permission}' permission for '${resource}'`,
          headers,
        );
      }
      return new ApiError(
        403,
        rule.reason ?? 'rateLimitExceeded',
        rule.reason === 'userRateLimitExceeded'
          ? 'User Rate Limit Exceeded'
          : "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute'",
        headers,
        'usageLimits',
      );
    case 400:
      // A request the API refuses for good (Security Command Center: a field it will not take).
      return new ApiError(400, 'badRequest', 'Request contains an invalid argument.', headers);
    case 429:
      return new ApiError(
        429,
        'rateLimitExceeded',
        'Too many requests; retry later.',
        headers,
        'usageLimits',
      );
    case 500:
      return new ApiError(500, 'backendError', 'Internal error. Please try again.', headers);
    default:
      return new ApiError(503, 'backendError', 'The service is currently unavailable.', headers);
  }
}

/** The IAM permission a request needs, as Compute and API Gateway name it in their 403 messages. */
export function permissionFor(method: string, path: string): { permission: string; resource: string } {
  const compute = path.match(/^\/compute\/[^/]+\/(projects\/.*)$/);
  const resource = compute?.[1] ?? path.replace(/^\/v1(?:beta)?\//, '');
  const segments = resource.split('/');
  let collection: string;
  let isCollection: boolean;
  if (compute) {
    // projects/P/global/C[/N], projects/P/{regions|zones}/L/C[/N], projects/P/aggregated/C
    const index = segments[2] === 'global' || segments[2] === 'aggregated' ? 3 : 4;
    collection = segments[index] ?? 'projects';
    isCollection = segments[2] === 'aggregated' || segments.length === index + 1;
  } else {
    // API Gateway names alternate collection/ID: an odd count ends with a collection.
    isCollection = segments.length % 2 === 1;
    const raw = segments[isCollection ? segments.length - 1 : segments.length - 2] ?? 'projects';
    collection = raw === 'configs' ? 'apiconfigs' : raw;
  }
  const verb =
    method === 'GET'
      ? isCollection
        ? 'list'
        : 'get'
      : method === 'DELETE'
        ? 'delete'
        : method === 'POST' && isCollection
          ? 'create'
          : 'update';
  return { permission: `${compute ? 'compute' : 'apigateway'}.${collection}.${verb}`, resource };
}
