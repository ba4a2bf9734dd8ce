// How a sweep commits: its judgement of a project split into units that can be judged apart (resources linked by
// references, shared hubs aside), each unit committed with the snapshots the sweep read, under the checks an event's
// commit passes (no stored read newer than the sweep's, hubs as the sweep read them). A unit that moved meanwhile was
// judged by a newer event: the sweep yields it rather than put back the older state.

import type { Finding } from '../domain/finding.js';
import type { ReconcileOutput } from '../engine/reconcile.js';
import type { JudgementStore } from '../ports/judgement-store.js';
import { type ResourceSnapshot, snapshotVersion } from '../ports/snapshots.js';

/** Resources whose findings are judged together, and the hubs their judgement read. */
export interface SweepUnit {
  readonly members: readonly string[];
  readonly hubs: readonly string[];
}

/** Snapshot bytes one commit carries at most (a Firestore commit takes 10 MiB), and resources per commit. */
const UNIT_BYTES = 4 * 1024 * 1024;
const UNIT_RESOURCES = 200;
/** Commits of one chunk, each yielding the units that moved, before the sweep gives up on the chunk. */
const MAX_YIELD_ROUNDS = 5;

/**
 * The units of a swept project: hubs (Cloud Armor and SSL policies, API configs) each alone, and the rest joined by
 * their references (a forwarding rule with its proxy, URL map, services, NEGs and gateways). Names that are not nodes
 * (resources gone, findings of resources without a snapshot) join what they pointed at, or stand alone.
 */
export function unitsOf(
  names: readonly string[],
  referencesOf: (name: string) => readonly string[],
  isHub: (name: string) => boolean,
): SweepUnit[] {
  const parent = new Map(names.map((name) => [name, name]));
  const root = (name: string): string => {
    let at = name;
    while (parent.get(at) !== at) at = parent.get(at) ?? at;
    // Every name on the way now points at the root, so no walk is long twice (a chain of links was quadratic).
    for (let step = name; step !== at; ) {
      const next = parent.get(step) ?? at;
      parent.set(step, at);
      step = next;
    }
    return at;
  };
  for (const name of names) {
    if (isHub(name)) continue;
    for (const target of referencesOf(name)) {
      if (parent.has(target) && !isHub(target)) parent.set(root(target), root(name));
    }
  }
  const members = new Map<string, string[]>();
  for (const name of names) {
    const top = root(name);
    const group = members.get(top);
    if (group) group.push(name);
    else members.set(top, [name]);
  }
  return [...members.values()].map((group) => ({
    members: group,
    hubs: [...new Set(group.flatMap((name) => (isHub(name) ? [] : referencesOf(name).filter(isHub))))],
  }));
}

export interface SweepCommitInput {
  readonly units: readonly SweepUnit[];
  /** The sweep's fresh snapshot of each live or gone resource (observed when the sweep began to read). */
  readonly fresh: ReadonlyMap<string, ResourceSnapshot>;
  /** Versions the sweep judged from for names it holds no fresh read of (findings without a snapshot). */
  readonly basis: ReadonlyMap<string, string>;
  /** What to decide for these members, given their stored findings. */
  readonly decide: (members: ReadonlySet<string>, previous: readonly Finding[]) => ReconcileOutput;
  readonly judgements: JudgementStore;
  /** The hubs among the names (see unitsOf). */
  readonly hubs: ReadonlySet<string>;
  /** Resources that had stored findings when the sweep looked (see JudgementRequest.unlistedWithFindings). */
  readonly unlistedWithFindings?: ReadonlySet<string>;
  /**
   * Called once a chunk's members are settled (committed, or yielded to a newer event): the sweep no longer needs
   * their snapshots or results, so it lets them go and the heap shrinks as the commits go on instead of holding the
   * whole project to the end.
   */
  readonly release?: (members: readonly string[]) => void;
}

export interface SweepCommitOutcome {
  readonly transitions: number;
  readonly snapshotsWritten: number;
  /** Resources left to the newer judgement of an event that moved them during the sweep. */
  readonly yielded: readonly string[];
}

export async function commitSweep(input: SweepCommitInput): Promise<SweepCommitOutcome> {
  let transitions = 0;
  let snapshotsWritten = 0;
  const yielded: string[] = [];
  // Hubs in commits of their own, before the units that read them: those check each hub as the sweep read it.
  const hubUnits = input.units.filter(
    (unit) => unit.hubs.length === 0 && unit.members.some((name) => input.hubs.has(name)),
  );
  const rest = new Set(input.units);
  for (const unit of hubUnits) rest.delete(unit);
  // The version of each hub as the sweep read it, kept apart: the hubs' own snapshots are released once committed.
  const hubVersions = new Map(
    [...new Set(input.units.flatMap((unit) => unit.hubs))].flatMap((hub) => {
      const read = input.fresh.get(hub);
      return read ? [[hub, snapshotVersion(read)] as const] : [];
    }),
  );
  // Chunks are formed as the commits reach them: sizing one stringifies its records, and all at once made ~36 MB of
  // strings at 1x just as the commits began, when the heap was fullest.
  for (const chunk of chunksOf([hubUnits, [...rest]], input.fresh)) {
    let pending = chunk;
    for (let round = 1; pending.length > 0; round += 1) {
      const members = new Set(pending.flatMap((unit) => unit.members));
      const hubs = [...new Set(pending.flatMap((unit) => unit.hubs))];
      const commit = await input.judgements.commit({
        resources: [...members],
        fresh: [...members].flatMap((name) => input.fresh.get(name) ?? []),
        basis: Object.fromEntries([
          ...[...members].flatMap((name) => {
            const version = input.basis.get(name);
            return version === undefined ? [] : [[name, version] as const];
          }),
          // A hub is checked as the sweep read it: committed (or found unchanged) by the hubs' own units before.
          ...hubs.flatMap((hub) => {
            const version = hubVersions.get(hub);
            return version === undefined ? [] : [[hub, version] as const];
          }),
        ]),
        ...(input.unlistedWithFindings ? { unlistedWithFindings: input.unlistedWithFindings } : {}),
        decide: (previous) => input.decide(members, previous),
      });
      if (!commit.moved) {
        transitions += commit.output.writes.length;
        snapshotsWritten += commit.snapshotsWritten;
        break;
      }
      const moved = new Set(commit.moved);
      const staying = pending.filter(
        (unit) => !unit.members.some((name) => moved.has(name)) && !unit.hubs.some((hub) => moved.has(hub)),
      );
      if (staying.length === pending.length || round >= MAX_YIELD_ROUNDS) {
        throw new Error(
          `sweep commit kept moving (${[...moved].slice(0, 3).join(', ')}); the next sweep retries`,
        );
      }
      for (const unit of pending.filter((unit) => !staying.includes(unit))) yielded.push(...unit.members);
      pending = staying;
    }
    input.release?.(chunk.flatMap((unit) => unit.members));
  }
  return { transitions, snapshotsWritten, yielded };
}

/** Units packed into commits of bounded size, each list's units apart from the next list's; a unit is never split. */
function* chunksOf(
  lists: readonly (readonly SweepUnit[])[],
  fresh: ReadonlyMap<string, ResourceSnapshot>,
): Generator<SweepUnit[]> {
  for (const units of lists) {
    let chunk: SweepUnit[] = [];
    let bytes = 0;
    let resources = 0;
    for (const unit of units) {
      const size = unit.members.reduce((sum, name) => sum + approximateBytes(fresh.get(name)), 0);
      if (
        chunk.length > 0 &&
        (bytes + size > UNIT_BYTES || resources + unit.members.length > UNIT_RESOURCES)
      ) {
        yield chunk;
        chunk = [];
        bytes = 0;
        resources = 0;
      }
      chunk.push(unit);
      bytes += size;
      resources += unit.members.length;
    }
    if (chunk.length > 0) yield chunk;
  }
}

function approximateBytes(snapshot: ResourceSnapshot | undefined): number {
  return snapshot ? JSON.stringify(snapshot.data).length + 512 : 64;
}
