// How a sweep divides a project into units it can commit (and yield) apart: resources joined by references, hubs alone.

import { describe, expect, test } from 'vitest';
import { commitSweep, unitsOf } from '../../src/app/sweep-commit.js';
import {
  type JudgementRequest,
  type JudgementStore,
  NOTHING_WRITTEN,
} from '../../src/ports/judgement-store.js';
import type { ResourceSnapshot } from '../../src/ports/snapshots.js';

const REFERENCES: Readonly<Record<string, readonly string[]>> = {
  'fr-a': ['proxy-a'],
  'proxy-a': ['map-a', 'ssl-policy'],
  'map-a': ['bs-a1', 'bs-a2'],
  'bs-a1': ['neg-a', 'armor'],
  'bs-a2': ['neg-a', 'armor'],
  'neg-a': ['gw-a'],
  'gw-a': ['config-v7'],
  'fr-b': ['proxy-b'],
  'proxy-b': ['map-b'],
  'map-b': ['bs-b'],
  'bs-b': ['armor', 'gone-neg'],
  'gone-neg': [],
  armor: [],
  'ssl-policy': [],
  'config-v7': [],
};
const HUBS = new Set(['armor', 'ssl-policy', 'config-v7']);

describe('unitsOf', () => {
  const units = unitsOf(
    Object.keys(REFERENCES),
    (name) => REFERENCES[name] ?? [],
    (name) => HUBS.has(name),
  );
  const unitOf = (name: string) => units.find((unit) => unit.members.includes(name));

  test('a load balancer and everything below it is one unit; a shared hub does not join two of them', () => {
    expect([...(unitOf('fr-a')?.members ?? [])].sort()).toEqual(
      ['bs-a1', 'bs-a2', 'fr-a', 'gw-a', 'map-a', 'neg-a', 'proxy-a'].sort(),
    );
    expect([...(unitOf('fr-b')?.members ?? [])].sort()).toEqual([
      'bs-b',
      'fr-b',
      'gone-neg',
      'map-b',
      'proxy-b',
    ]);
  });

  test('each hub is a unit of its own, and each unit names the hubs its judgement read', () => {
    for (const hub of HUBS) expect(unitOf(hub)?.members).toEqual([hub]);
    expect([...(unitOf('fr-a')?.hubs ?? [])].sort()).toEqual(['armor', 'config-v7', 'ssl-policy']);
    expect(unitOf('fr-b')?.hubs).toEqual(['armor']);
    expect(unitOf('armor')?.hubs).toEqual([]);
  });

  test('every name is in exactly one unit', () => {
    const all = units.flatMap((unit) => unit.members);
    expect(all.sort()).toEqual(Object.keys(REFERENCES).sort());
  });
});

describe('commitSweep', () => {
  const snapshot = (name: string, hash: string): ResourceSnapshot => ({
    name,
    type: 'backendService',
    data: { name },
    references: [],
    hash,
    observedAt: '2026-12-04T10:00:00.000Z',
    deleted: false,
    project: 'acme-edge',
  });

  /** A store that commits everything and keeps what each commit was asked (an injected fake, no emulator). */
  function recordingStore(
    moved: (request: JudgementRequest) => readonly string[] | undefined = () => undefined,
  ) {
    const requests: JudgementRequest[] = [];
    const store: JudgementStore = {
      isProcessed: async () => false,
      async commit(request) {
        requests.push(request);
        const names = moved(request);
        if (names) return { duplicate: false, moved: names, output: NOTHING_WRITTEN, snapshotsWritten: 0 };
        return { duplicate: false, output: request.decide([]), snapshotsWritten: request.fresh?.length ?? 0 };
      },
    };
    return { store, requests };
  }

  test('each chunk is released once committed, and a later unit still checks its hub as the sweep read it', async () => {
    const fresh = new Map(
      ['armor', 'bs-a', 'neg-a', 'bs-b'].map((name) => [name, snapshot(name, `h-${name}`)]),
    );
    const { store, requests } = recordingStore();
    const released: string[][] = [];
    const freshAtCommit: string[][] = [];
    await commitSweep({
      units: [
        { members: ['bs-a', 'neg-a'], hubs: ['armor'] },
        { members: ['armor'], hubs: [] },
      ],
      fresh,
      basis: new Map(),
      hubs: new Set(['armor']),
      unlistedWithFindings: new Set(['bs-a']),
      judgements: {
        ...store,
        commit: (request) => {
          freshAtCommit.push([...fresh.keys()]);
          return store.commit(request);
        },
      },
      decide: () => NOTHING_WRITTEN,
      release: (members) => {
        released.push([...members]);
        for (const name of members) fresh.delete(name);
      },
    });
    // The hub's own commit first; its snapshot is gone from the map before the unit that read it commits.
    expect(released).toEqual([['armor'], ['bs-a', 'neg-a']]);
    expect(freshAtCommit[1]).not.toContain('armor');
    expect(requests[1]?.basis).toEqual({ armor: 'h-armor' });
    expect(requests[1]?.fresh?.map((read) => read.name)).toEqual(['bs-a', 'neg-a']);
    expect(requests.every((request) => request.unlistedWithFindings?.has('bs-a'))).toBe(true);
  });

  test('a unit that moved is yielded and released with its chunk; the rest commits again', async () => {
    const fresh = new Map(['bs-a', 'bs-b'].map((name) => [name, snapshot(name, `h-${name}`)]));
    const { store, requests } = recordingStore((request) =>
      requests.length === 1 && request.resources.includes('bs-a') ? ['bs-a'] : undefined,
    );
    const released: string[][] = [];
    const outcome = await commitSweep({
      units: [
        { members: ['bs-a'], hubs: [] },
        { members: ['bs-b'], hubs: [] },
      ],
      fresh,
      basis: new Map(),
      hubs: new Set(),
      judgements: store,
      decide: () => NOTHING_WRITTEN,
      release: (members) => released.push([...members]),
    });
    expect(outcome.yielded).toEqual(['bs-a']);
    expect(requests.map((request) => request.resources)).toEqual([['bs-a', 'bs-b'], ['bs-b']]);
    expect(released).toEqual([['bs-a', 'bs-b']]);
  });
});
