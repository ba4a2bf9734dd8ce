// Policy exemptions: a failing result covered by an unexpired exemption is muted (kept, marked), never dropped.

import type { GlobAutomaton } from '../domain/glob-automaton.js';
import { resourcePatternAutomaton } from '../domain/name-glob.js';
import type { Exemption } from './policy.js';

/** The exemption that mutes a failing result, as the engine attaches it. */
export interface AppliedExemption {
  readonly reason: string;
  readonly expires: string;
  readonly owner?: string;
  readonly pattern: string;
}

/** What muting needs of a result (the engine's RuleResult): structural, so this module needs nothing from evaluate. */
interface Exemptible {
  readonly ruleId: string;
  readonly resource: string;
  readonly status: string;
  readonly exemption?: AppliedExemption;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A time zone is required: a bare local time would expire at a different instant on every machine.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The last instant (epoch ms) an exemption is in force: the end of its `expires` day in UTC for a date,
 * that instant for a timestamp; undefined when `expires` is neither (or names a day that does not exist).
 */
export function parseExpiry(expires: string): number | undefined {
  const date = DATE_ONLY.exec(expires);
  if (date) {
    const start = startOfDay(date);
    return start === undefined ? undefined : start + 24 * 60 * 60 * 1000 - 1;
  }
  if (!TIMESTAMP.test(expires)) return undefined;
  // Date.parse rolls a day that does not exist over (2027-02-30T00:00:00Z is 2 March): refused, as the date is.
  if (startOfDay(DATE_ONLY.exec(expires.slice(0, 10))) === undefined) return undefined;
  const instant = Date.parse(expires);
  return Number.isNaN(instant) ? undefined : instant;
}

/** The first instant (epoch ms, UTC) of a matched `YYYY-MM-DD`; undefined when no such day exists. */
function startOfDay(date: RegExpExecArray | null): number | undefined {
  if (!date) return undefined;
  const [, year, month, day] = date.map(Number) as [number, number, number, number];
  const start = Date.UTC(year, month - 1, day);
  const check = new Date(start);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return start;
}

/** An exemption is in force until the end of its `expires` day (or that instant, when a time is given). */
export function isExpired(exemption: Exemption, now: Date): boolean {
  const end = parseExpiry(exemption.expires);
  return end === undefined || end < now.getTime();
}

/** The exemptions that can apply to one rule, in policy order, each with its pattern's automaton. */
interface RuleMatcher {
  readonly patterns: readonly { readonly exemption: Exemption; readonly pattern: GlobAutomaton }[];
  /**
   * Whether a name starts as one of the patterns does: one test of literal alternatives (which cannot backtrack),
   * so the many names no exemption covers are not asked of every pattern in turn; undefined when a pattern begins
   * with a wildcard and any name may match.
   */
  readonly mayMatch: RegExp | undefined;
}

/**
 * The exemptions in force at `now`, with their patterns compiled once per rule ID, so judging 100,000 results
 * never compiles a pattern. Patterns are automata (domain/name-glob.ts), not one RegExp alternation: a RegExp
 * backtracked exponentially on `**a**a**a...`, and a policy author is never told a pattern is too complex.
 */
export class ExemptionMatcher {
  private readonly inForce: readonly Exemption[];
  private readonly byRule = new Map<string, RuleMatcher>();
  private readonly projectIdOf: ProjectIdOf | undefined;

  /** `projectIdOf`: the project ID a project number names, so a pattern naming a project by number matches. */
  constructor(exemptions: readonly Exemption[], now: Date, projectIdOf?: ProjectIdOf) {
    this.inForce = exemptions.filter((exemption) => !isExpired(exemption, now));
    this.projectIdOf = projectIdOf;
  }

  get isEmpty(): boolean {
    return this.inForce.length === 0;
  }

  /** The first exemption, in policy order, whose pattern matches. */
  find(ruleId: string, fullName: string): Exemption | undefined {
    const { patterns, mayMatch } = this.matcherFor(ruleId);
    if (patterns.length === 0 || (mayMatch !== undefined && !mayMatch.test(fullName))) return undefined;
    return patterns.find(({ pattern }) => pattern.matches(fullName))?.exemption;
  }

  private matcherFor(ruleId: string): RuleMatcher {
    const known = this.byRule.get(ruleId);
    if (known) return known;
    const patterns = this.inForce
      .filter((exemption) => exemption.ruleId === '*' || exemption.ruleId === ruleId)
      .map((exemption) => ({
        exemption,
        pattern: resourcePatternAutomaton(withProjectId(exemption.resource, this.projectIdOf)),
      }));
    const prefixes = patterns.map(({ pattern }) => pattern.prefix);
    const matcher = {
      patterns,
      mayMatch: prefixes.includes('')
        ? undefined
        : new RegExp(`^(?:${prefixes.map(escapeForRegExp).join('|')})`),
    };
    this.byRule.set(ruleId, matcher);
    return matcher;
  }
}

/** The project ID a `projects/{project}` segment names (itself when it is one, or unknown). */
export type ProjectIdOf = (project: string) => string;

/** `//{service}/projects/{project}/`, the project written out (no wildcard in it). */
const PATTERN_PROJECT = /^(\/\/[^/*]+\/projects\/)([^/*]+)(\/|$)/;
/** What a pattern reads as more than one name, or as a segment boundary: never part of a project ID. */
const NOT_IN_PROJECT_ID = /[*/]/;

/**
 * The pattern with its project named as findings name it: by ID, where it says a project number the estate maps
 * (RULES.md: full names carry the project ID). API Gateway's own full names carry the number, and a pattern copied
 * from one would otherwise never match.
 */
function withProjectId(pattern: string, projectIdOf: ProjectIdOf | undefined): string {
  if (projectIdOf === undefined) return pattern;
  const match = PATTERN_PROJECT.exec(pattern);
  if (!match) return pattern;
  const [whole, prefix, project, end] = match as unknown as [string, string, string, string];
  const id = projectIdOf(project);
  // The map is an export's (projects.json, or learnt from gateway records): an ID holding a wildcard or a slash is
  // no project's, and written into the pattern it would widen it (a number mapped to `*` covering every project).
  if (id === project || NOT_IN_PROJECT_ID.test(id)) return pattern;
  return `${prefix}${id}${end}${pattern.slice(whole.length)}`;
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function applyExemptions<T extends Exemptible>(
  results: T[],
  exemptions: readonly Exemption[],
  now: Date,
  projectIdOf?: ProjectIdOf,
): T[] {
  if (exemptions.length === 0) return results;
  const matcher = new ExemptionMatcher(exemptions, now, projectIdOf);
  if (matcher.isEmpty) return results;
  return results.map((result) => {
    // An undecided result is exempt too: the exemption accepts whatever the rule would say about that resource.
    if (result.status !== 'fail' && result.status !== 'error') return result;
    const exemption = matcher.find(result.ruleId, result.resource);
    if (!exemption) return result;
    return {
      ...result,
      exemption: {
        reason: exemption.reason,
        expires: exemption.expires,
        pattern: exemption.resource,
        ...(exemption.owner ? { owner: exemption.owner } : {}),
      },
    };
  });
}
