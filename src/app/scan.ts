// Use case: judge an inventory once (offline estate, live projects) and summarise the outcome for reports.

import type { Baseline } from '../domain/baseline.js';
import { compareText } from '../domain/compare-text.js';
import { elideMiddle } from '../domain/elide-middle.js';
import type { Finding } from '../domain/finding.js';
import { ResourceGraph } from '../domain/graph.js';
import type { Inventory } from '../domain/inventory.js';
import { compareSeverityDescending, isAtLeast, SEVERITIES, type Severity } from '../domain/severity.js';
import { enabledRules, evaluateFailing, findingOf, type RuleResult } from '../engine/evaluate.js';
import { DEFAULT_POLICY, type Policy } from '../engine/policy.js';
import type { Clock } from '../ports/clock.js';
import type { ReadOptions, ResourceSource } from '../ports/resource-source.js';
import type { ProbeResults } from '../probe/probe-results.js';
import type { FindingsReport } from '../report/findings-report.js';
import { describe, type Rule } from '../rules/define-rule.js';

/** Every result, and the failing ones as findings (most severe first, then by rule, resource and sub-key). */
export interface ScanReport extends FindingsReport {
  /** The failing and error results (passes and not-applicables are counted in `summary.byStatus`, not kept). */
  readonly results: readonly RuleResult[];
}

export interface ScanOptions {
  readonly rules: readonly Rule[];
  readonly policy?: Policy;
  readonly baseline?: Baseline;
  readonly clock?: Pick<Clock, 'now'>;
  /** Warnings from loading (e.g. a v1 NEG export), carried into the summary. */
  readonly warnings?: readonly string[];
  /** Results of the active probe (run beforehand, it is I/O), handed to `gateway.direct-url-protected`. */
  readonly probeResults?: ProbeResults;
}

const MAX_SKIP_WARNINGS = 5;
/**
 * A skip's reason quotes the record's link, which an export may make megabytes long: a warning keeps its start (the
 * project and collection) and its end (the name, the close of the sentence), and says how much it left out.
 */
const MAX_SKIP_REASON_CHARS = 300;

export function scanInventory(inventory: Inventory, options: ScanOptions): ScanReport {
  const policy = options.policy ?? DEFAULT_POLICY;
  const now = options.clock?.now() ?? new Date();
  const graph = ResourceGraph.build(inventory);
  // Passes and not-applicables are only counted (byStatus): the report, the gate and the formats read failing and
  // error results alone.
  const { results, counts } = evaluateFailing(graph, options.rules, {
    policy,
    now,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.probeResults ? { probes: options.probeResults } : {}),
  });
  const scannedAt = now.toISOString();
  const findings = results
    .filter((result) => result.status === 'fail')
    .map((result) => findingOf(result, scannedAt))
    .sort(compareFindings);
  const muted = findings.filter((finding) => finding.state === 'muted').length;
  return {
    results,
    findings,
    summary: {
      scannedAt,
      findings: findings.length,
      open: findings.length - muted,
      muted,
      bySeverity: countBy(SEVERITIES, findings, (finding) => finding.severity),
      byStatus: { ...counts },
      resources: graph.size,
      rules: enabledRules(options.rules, policy).length,
      skipped: graph.skipped.length,
      // Incomplete scopes are described by whoever read them (the live subject), in their own words.
      warnings: [...(options.warnings ?? []), ...graphWarnings(graph)],
      errors: results
        .filter((result) => result.status === 'error')
        .map(({ ruleId, resource, message }) => ({ ruleId, resource, message })),
    },
  };
}

/** Reads the projects through any ResourceSource (live, estate, plan), then scans what it returned. */
export async function scanSource(
  source: ResourceSource,
  projects: readonly string[],
  options: ScanOptions & { readonly read?: ReadOptions },
): Promise<ScanReport> {
  return scanInventory(await source.readInventory(projects, options.read), options);
}

/**
 * What `--fail-on` asks: a failing result that is not muted, or a result the rule could not decide (undetermined:
 * a gate must not pass on what was never judged), at or above `minimum`.
 */
export function failsGate(results: readonly RuleResult[], minimum: Severity): boolean {
  return results.some(
    (result) =>
      (result.status === 'fail' || result.status === 'error') &&
      !result.exemption &&
      isAtLeast(result.severity, minimum),
  );
}

/** True when a finding that is not muted fails at or above `minimum`. */
export function hasOpenFindingAtOrAbove(report: FindingsReport, minimum: Severity): boolean {
  return report.findings.some((finding) => finding.state === 'open' && isAtLeast(finding.severity, minimum));
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeverityDescending(a.severity, b.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.resource, b.resource) ||
    compareText(a.subKey ?? '', b.subKey ?? '')
  );
}

/** Counts items per key, every key present (zero when none). */
export function countBy<K extends string, T>(
  keys: readonly K[],
  items: readonly T[],
  keyOf: (item: T) => K,
): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const item of items) counts[keyOf(item)] += 1;
  return counts;
}

/** What the graph could not take as it was: records it could not name, and names held by records that differ. */
export function graphWarnings(graph: ResourceGraph): string[] {
  return [...skipWarnings(graph), ...conflictWarnings(graph), ...unreadGroupWarnings(graph)];
}

const NEG_FULL_NAME =
  /^\/\/compute\.googleapis\.com\/projects\/([^/]+)\/[^/]+(?:\/[^/]+)?\/networkEndpointGroups\/[^/]+$/;

/**
 * Backend services holding NEGs of projects that were not read (no record of theirs is in the graph). Compute refuses
 * to delete a NEG a service holds, so such a group was never read, not deleted: the service is judged without it (an
 * API Gateway NEG of another project is itself a HIGH backend.gateways-same-project), and the report says so.
 */
function unreadGroupWarnings(graph: ResourceGraph): string[] {
  // Every node's project, gathered only when some service holds a NEG the graph does not hold (rarely).
  let projectsRead: Set<string> | undefined;
  const wasRead = (project: string): boolean => {
    projectsRead ??= new Set([...graph.allNodes()].map((node) => node.project));
    return projectsRead.has(graph.projectIdOf(project));
  };
  const warnings: string[] = [];
  for (const service of graph.nodes('backendService')) {
    const unread: { name: string; project: string }[] = [];
    for (const link of graph.backendsOf(service)) {
      if (link.neg || link.isInstanceGroup || link.groupName === undefined) continue;
      const project = NEG_FULL_NAME.exec(link.groupName)?.[1];
      if (project !== undefined && !wasRead(project)) unread.push({ name: link.groupName, project });
    }
    const [first] = unread;
    if (!first) continue;
    const projects = [...new Set(unread.map((group) => group.project))].sort(compareText);
    warnings.push(
      `${describe(service)} holds ${unread.length} network endpoint group(s) of project(s) ${namedProjects(projects)}, ` +
        `which were not read (e.g. ${elideMiddle(first.name, MAX_SKIP_REASON_CHARS)}): its rules judge it without ` +
        'them; scan those projects too',
    );
  }
  const more = warnings.length - MAX_SKIP_WARNINGS;
  return more > 0
    ? [
        ...warnings.slice(0, MAX_SKIP_WARNINGS),
        `${more} more backend services hold NEGs of projects not read`,
      ]
    : warnings;
}

/** Projects an unread-groups warning names: each service's export may hold thousands, or a segment 4,000 characters long. */
const MAX_UNREAD_PROJECTS_NAMED = 5;
/** A project ID is at most 30 characters and a project number 20: a longer segment is quoted by its ends. */
const MAX_PROJECT_CHARS = 64;

function namedProjects(projects: readonly string[]): string {
  const named = projects
    .slice(0, MAX_UNREAD_PROJECTS_NAMED)
    .map((project) => elideMiddle(project, MAX_PROJECT_CHARS));
  const more = projects.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/** Names held by records that differ: only the last of each was judged, which may hide a failing one. */
function conflictWarnings(graph: Pick<ResourceGraph, 'conflicting'>): string[] {
  const warnings = graph.conflicting
    .slice(0, MAX_SKIP_WARNINGS)
    .map(
      ({ kind, fullName, count }) =>
        `${count} different ${kind} records name ${elideMiddle(fullName, MAX_SKIP_REASON_CHARS)}; only the last of them was judged`,
    );
  const more = graph.conflicting.length - MAX_SKIP_WARNINGS;
  return more > 0 ? [...warnings, `${more} more names are held by different records`] : warnings;
}

/** What the report says of records the graph skipped as unreadable: the first few by name, then a count. */
function skipWarnings(graph: Pick<ResourceGraph, 'skipped'>): string[] {
  const warnings = graph.skipped
    .slice(0, MAX_SKIP_WARNINGS)
    .map(
      (skipped) => `skipped a ${skipped.kind} record: ${elideMiddle(skipped.reason, MAX_SKIP_REASON_CHARS)}`,
    );
  const more = graph.skipped.length - MAX_SKIP_WARNINGS;
  return more > 0 ? [...warnings, `skipped ${more} more records that could not be named`] : warnings;
}
