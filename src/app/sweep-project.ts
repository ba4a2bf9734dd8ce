// Use case: re-read everything in one project, judge it all, refresh snapshots, and resolve the findings of
// resources that are gone -- but only when the inventory is complete (a missing scope is not a deletion). Each part
// of the project is committed under the checks an event's commit passes, so a sweep never undoes a newer event.
import type { Baseline } from '../domain/baseline.js';
import { isPermissionDenied } from '../domain/failure.js';
import { ResourceGraph, type SkippedRecord } from '../domain/graph.js';
import {
  type DisabledService,
  emptyInventory,
  type IncompleteScope,
  type Inventory,
} from '../domain/inventory.js';
import { HUB_KINDS, RESOURCE_KINDS } from '../domain/resource-kind.js';
import type { Severity } from '../domain/severity.js';
import { disabledRuleIds } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import { reconcile } from '../engine/reconcile.js';
import type { Clock } from '../ports/clock.js';
import type { FindingQueries } from '../ports/finding-queries.js';
import type { HeapPacing } from '../ports/heap-pacing.js';
import type { JudgementStore } from '../ports/judgement-store.js';
import type { Logger } from '../ports/logger.js';
import type { ResourceSource } from '../ports/resource-source.js';
import { type ResourceSnapshot, type SnapshotReader, storedVersion } from '../ports/snapshots.js';
import type { Rule } from '../rules/define-rule.js';
import { isGovernedKind } from '../rules/drift/governed-fields.js';
import { kindOfName } from './change-scope.js';
import { attributeDrift } from './drift-attribution.js';
import { snapshotOf } from './snapshots.js';
import { commitSweep, unitsOf } from './sweep-commit.js';
import { judgeProject, NOTHING_JUDGED, type ProjectJudgement } from './sweep-judgement.js';

export interface SweepDeps {
  readonly source: ResourceSource;
  readonly snapshots: SnapshotReader;
  readonly findings: FindingQueries;
  readonly judgements: JudgementStore;
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
  readonly log: Logger;
  /** The approved baseline of the named resources: the sweep asks once for the governed resources it read. */
  readonly loadBaseline?: (resources: readonly string[]) => Promise<Baseline | undefined>;
  readonly minimumAlertSeverity?: Severity;
  /** Outbox records for every transition (quiet ones for mirrors), when a mirror such as SCC is configured. */
  readonly recordQuietTransitions?: boolean;
  /** Runs the judging and the commits: a function instance keeps its heap tight for a large project (issue 14). */
  readonly heapPacing?: HeapPacing;
}

export interface SweepOutcome {
  readonly project: string;
  readonly resources: number;
  readonly results: number;
  readonly failing: number;
  /** Results the rules could not decide (stored as `undetermined` findings unless exempt). */
  readonly undetermined: number;
  readonly transitions: number;
  readonly snapshotsWritten: number;
  /** Resources whose snapshots say they existed but the (complete) inventory no longer has. */
  readonly deleted: number;
  /** Resources an event judged from a newer read while the sweep ran: left to that judgement. */
  readonly yielded: number;
  readonly incomplete: readonly IncompleteScope[];
  /** APIs the project has not enabled (API Gateway): judged as holding none of their kinds, and noted. */
  readonly disabledServices: readonly DisabledService[];
  /** Reads that failed for good (a 403 on the project): reported, and the project's findings left as they are. */
  readonly errors: readonly string[];
  readonly durationMs: number;
}

export async function sweepProject(project: string, deps: SweepDeps): Promise<SweepOutcome> {
  const started = deps.clock.now();
  const read = await readRecords(project, deps);
  // With the records in memory, the graph, the judgement and the commits are where a large project's heap peaks.
  const judgeAndCommit = () => judgeAndCommitProject(project, read, deps, started);
  return deps.heapPacing ? deps.heapPacing.pace(read.count, judgeAndCommit) : judgeAndCommit();
}

async function judgeAndCommitProject(
  project: string,
  read: RecordsRead,
  deps: SweepDeps,
  started: Date,
): Promise<SweepOutcome> {
  // The sweep's read watermark, taken before it read anything: a snapshot stored from a later read wins over it.
  const now = started.toISOString();
  // The graph is built and let go in there: the commits below need only the snapshots and the judgement.
  const judged = await judgeRecords(project, read, deps, started);
  const { fresh, gone, judgement, incomplete } = judged;
  // Which resources have stored findings, by name only: the orphan check reads the active ones, and the commits look
  // up by query only the never-judged resources among them all (a first sweep's other resources have none).
  const [active, resolved] = await Promise.all([
    deps.findings.resourcesWithFindings(project, ['open', 'muted', 'undetermined']),
    deps.findings.resourcesWithFindings(project, ['resolved']),
  ]);
  const orphans =
    incomplete.length > 0 ? new Map<string, string>() : await orphanedResources(active, fresh, deps);
  const unlistedWithFindings = new Set([...active, ...resolved]);
  const deleted = new Set([...gone, ...orphans.keys()]);
  const names = [...new Set([...fresh.keys(), ...orphans.keys()])];
  const referencesOf = (name: string) => fresh.get(name)?.references ?? [];
  const isHub = (name: string) => {
    const kind = kindOfName(name);
    return kind !== undefined && HUB_KINDS.has(kind);
  };
  const disabledRules = disabledRuleIds(deps.rules, deps.policy);
  const committed = await commitSweep({
    units: unitsOf(names, referencesOf, isHub),
    fresh,
    basis: orphans,
    hubs: new Set(names.filter(isHub)),
    unlistedWithFindings,
    judgements: deps.judgements,
    // A settled chunk's snapshots (records included) and results are not read again.
    release: (members) => {
      for (const name of members) fresh.delete(name);
      judgement.release(members);
    },
    decide: (members, stored) => {
      const withStored = new Set(stored.map((finding) => finding.resource));
      return reconcile({
        previous: stored,
        // A sweep cannot know who changed a field; it keeps the author an event recorded. Passes of resources with
        // nothing stored would resolve nothing: they are left out (see resultsOf).
        results: attributeDrift(
          judgement.resultsOf(members, (resource) => withStored.has(resource)),
          stored,
        ),
        // An incomplete inventory judges nothing: no results, nothing deleted, only snapshots refreshed.
        deleted: new Set([...members].filter((name) => deleted.has(name))),
        change: null,
        now,
        disabledRules,
        ...(deps.minimumAlertSeverity ? { minimumAlertSeverity: deps.minimumAlertSeverity } : {}),
        ...(deps.recordQuietTransitions ? { recordQuietTransitions: true } : {}),
      });
    },
  });
  if (committed.yielded.length > 0) {
    deps.log.info('sweep yielded resources an event judged from a newer read', {
      project,
      yielded: committed.yielded.length,
      first: committed.yielded.slice(0, 5),
    });
  }
  return {
    project,
    resources: judged.resources,
    results: judgement.results,
    failing: judgement.failing,
    undetermined: judgement.undetermined,
    transitions: committed.transitions,
    snapshotsWritten: committed.snapshotsWritten,
    deleted: incomplete.length > 0 ? 0 : deleted.size,
    yielded: committed.yielded.length,
    incomplete,
    disabledServices: judged.disabledServices,
    errors: judged.errors,
    durationMs: deps.clock.now().getTime() - started.getTime(),
  };
}

interface ProjectRead {
  /** The sweep's snapshot of each live resource of the project, and of each gone one (marked deleted). */
  readonly fresh: Map<string, ResourceSnapshot>;
  /** Resources whose snapshots say they existed but the (complete) inventory no longer has. */
  readonly gone: readonly string[];
  readonly judgement: ProjectJudgement;
  readonly resources: number;
  readonly incomplete: readonly IncompleteScope[];
  readonly disabledServices: readonly DisabledService[];
  readonly errors: readonly string[];
}

/** What the sweep read of the project: its records, and the names of its stored snapshots. */
interface ProjectRecords {
  readonly inventory: Inventory;
  readonly errors: string[];
  readonly known: readonly string[];
}

/**
 * The records, handed over once (takeRecords) to the graph's build: once it has them, whoever holds this holds no
 * record and no stored name, so the stored names go before judging and a settled chunk's records after its commit.
 */
interface RecordsRead {
  records: ProjectRecords | undefined;
  /** How many records were read, of every kind. */
  readonly count: number;
}

async function readRecords(project: string, deps: SweepDeps): Promise<RecordsRead> {
  const [{ inventory, errors }, known] = await Promise.all([
    readProjectInventory(deps.source, project),
    deps.snapshots.namesOfProject(project),
  ]);
  return { records: { inventory, errors, known }, count: countRecords(inventory) };
}

function takeRecords(read: RecordsRead): ProjectRecords {
  const { records } = read;
  if (!records) throw new Error('the sweep read its records once and judges them once');
  read.records = undefined;
  return records;
}

function countRecords(inventory: Inventory): number {
  let count = 0;
  for (const kind of RESOURCE_KINDS) count += inventory[kind].length;
  return count;
}

/**
 * Judges the project's records; returns what the commits need, so the graph can be collected before they start.
 */
async function judgeRecords(
  project: string,
  read: RecordsRead,
  deps: SweepDeps,
  started: Date,
): Promise<ProjectRead> {
  const now = started.toISOString();
  const { graph, incomplete, disabledServices, errors, fresh, resources, goneNames, baseline } =
    await buildProjectGraph(project, read, deps, now);
  // A partial graph makes rules decide on missing neighbours (a gateway in an unreachable region looks deleted to
  // its NEG), so an incomplete inventory is not judged at all: snapshots of what was read are refreshed, findings
  // stay as they are, and the run record says which scopes were missing. Events keep judging changes meanwhile.
  const judgement =
    incomplete.length > 0
      ? NOTHING_JUDGED
      : judgeProject(graph, deps.rules, {
          policy: deps.policy,
          now: started,
          ...(baseline ? { baseline } : {}),
        });
  // The gone ones in full: their deleted snapshots keep what was last stored of them.
  const gone = goneNames.length > 0 ? await deps.snapshots.get(goneNames) : [];
  if (incomplete.length > 0) {
    deps.log.warn('inventory incomplete: nothing judged, no resource taken as deleted', {
      project,
      incomplete,
    });
  }
  for (const { referrers: _listed, ...snapshot } of gone) {
    fresh.set(snapshot.name, { ...snapshot, deleted: true, observedAt: now });
  }
  return {
    fresh,
    gone: gone.map((snapshot) => snapshot.name),
    judgement,
    resources,
    incomplete,
    disabledServices,
    errors,
  };
}

/**
 * The project's records as a graph, the sweep's snapshot of each, the names of stored snapshots the graph no longer
 * has, and the baseline. The stored names (a string per resource) are let go here, before judging.
 */
async function buildProjectGraph(project: string, read: RecordsRead, deps: SweepDeps, now: string) {
  const { inventory, errors, known } = takeRecords(read);
  const graph = ResourceGraph.build(inventory);
  // A record the graph could not name may be any stored resource (or the gateway a NEG names): as with a scope not
  // read, its absence proves nothing, so the project is as incomplete as if its scope had not answered.
  const incomplete = [
    ...graph.incomplete,
    ...graph.skipped.map((skipped) => unnamedRecord(project, skipped)),
  ];
  const complete = incomplete.length === 0;
  const fresh = new Map<string, ResourceSnapshot>();
  /** The resources read that the drift rule can judge: their approved values are all the baseline it needs. */
  const governed: string[] = [];
  let resources = 0;
  for (const node of graph.allNodes()) {
    if (node.project !== project) continue;
    resources += 1;
    fresh.set(node.fullName, snapshotOf(graph, node, now));
    if (isGovernedKind(node.kind)) governed.push(node.fullName);
  }
  // Asked for what was read, not for what was stored: a first sweep, or a resource created since the last one, has no
  // snapshot yet and is judged for drift all the same. One call: the store batches its reads (getAll by the 300).
  const baseline =
    deps.loadBaseline && complete && governed.length > 0 ? await deps.loadBaseline(governed) : undefined;
  // With any scope unread, absence proves nothing: resolve nothing as deleted, and say so.
  const goneNames = complete ? known.filter((name) => !fresh.has(name)) : [];
  const disabledServices = inventory.disabledServices ?? [];
  if (graph.conflicting.length > 0) {
    deps.log.warn('records of one name differ: only the last of each was judged', {
      project,
      conflicting: graph.conflicting.slice(0, 5),
      count: graph.conflicting.length,
    });
  }
  return { graph, incomplete, disabledServices, errors, fresh, resources, goneNames, baseline };
}

/** A record the graph skipped, as the incompleteness it makes of its kind in the project. */
function unnamedRecord(project: string, skipped: SkippedRecord): IncompleteScope {
  return { project, kind: skipped.kind, scope: '*', reason: `a record could not be read: ${skipped.reason}` };
}

/**
 * Resources with open findings (`withFindings`: those with open, muted or undetermined ones) that neither the inventory nor the snapshots hold (written before snapshots were
 * kept, or whose snapshot was deleted): resolved as deleted, unless a snapshot of the live resource has appeared
 * since (an event created it: its judgement stands). Returns each with the stored version the sweep judged from.
 */
async function orphanedResources(
  withFindings: readonly string[],
  fresh: ReadonlyMap<string, ResourceSnapshot>,
  deps: SweepDeps,
): Promise<Map<string, string>> {
  const names = withFindings.filter((name) => !fresh.has(name));
  if (names.length === 0) return new Map();
  const stored = new Map((await deps.snapshots.get(names)).map((snapshot) => [snapshot.name, snapshot]));
  return new Map(
    names.flatMap((name) => {
      const snapshot = stored.get(name);
      return snapshot && !snapshot.deleted ? [] : [[name, storedVersion(snapshot)] as const];
    }),
  );
}

/**
 * The project's inventory; a permission error (a 403 that no retry fixes) becomes an inventory that is incomplete
 * for the whole project, so it is reported rather than failing the sweep or being taken for an empty project.
 */
async function readProjectInventory(
  source: ResourceSource,
  project: string,
): Promise<{ inventory: Inventory; errors: string[] }> {
  try {
    return { inventory: await source.readInventory([project]), errors: [] };
  } catch (error) {
    // Recognised by what the error declares: the app layer does not import adapter classes.
    if (!isPermissionDenied(error)) throw error;
    const reason = `PERMISSION_DENIED: ${error.message.split('\n', 1)[0] ?? ''}`;
    return {
      inventory: { ...emptyInventory(), incomplete: [{ project, kind: 'project', scope: '*', reason }] },
      errors: [reason],
    };
  }
}
