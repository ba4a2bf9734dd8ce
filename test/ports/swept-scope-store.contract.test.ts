// The swept-scope store contract, run against memory and against Firestore on the emulator: what a tree sweep saves
// is what the event path loads, per root, rewritten by the next sweep; a tree too large for one document keeps its
// folders (every project can still be placed by one projects.get) instead of failing the sweep.

import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { FirestoreScopeStore } from '../../src/adapters/firestore/scope-store.js';
import { MemoryScopeStore } from '../../src/adapters/memory/scope-store.js';
import type { SweptScope, SweptScopeStore } from '../../src/ports/scope-tree.js';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.js';

const ORG = 'organizations/100000000001';
const swept: SweptScope = {
  root: ORG,
  sweptAt: '2026-05-11T15:00:00.000Z',
  projects: ['300200000001', 'acme-depth3-a', 'acme-org-root'],
  nodes: ['folders/1001', 'folders/3002', ORG],
};

let emulator: Emulator | undefined;
let db: Firestore | undefined;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  db = createFirestore({ projectId: 'gatewarden-scope-store-tests' });
}, 120_000);

afterAll(async () => {
  await db?.terminate();
  await emulator?.stop();
});

const implementations: [string, () => SweptScopeStore][] = [
  ['memory', () => new MemoryScopeStore()],
  ['Firestore', () => new FirestoreScopeStore(db as Firestore, { collectionPrefix: `t${Date.now()}-` })],
];

describe.each(implementations)('swept scopes (%s)', (_name, create) => {
  test('what a sweep saves is loaded back, per root; the next sweep replaces it', async () => {
    const store = create();
    expect(await store.load(ORG)).toBeUndefined();
    await store.save(swept);
    expect(await store.load(ORG)).toEqual(swept);
    expect(await store.load('folders/1001')).toBeUndefined();
    const next = { ...swept, sweptAt: '2026-05-11T16:00:00.000Z', projects: ['acme-org-root'] };
    await store.save(next);
    expect(await store.load(ORG)).toEqual(next);
  });
});

describe('swept scopes on Firestore', () => {
  const many = (count: number) =>
    Array.from({ length: count }, (_, index) => `acme-project-${String(index).padStart(6, '0')}`);

  test('40,000 project IDs fit one document (kept as text: an array would pass the 40,000 index entries)', async () => {
    const store = new FirestoreScopeStore(db as Firestore, { collectionPrefix: `large${Date.now()}-` });
    await store.save({ ...swept, projects: many(40_000) });
    expect((await store.load(ORG))?.projects).toHaveLength(40_000);
  });

  test('an organisation too large for one document keeps its folders and drops the project list', async () => {
    const store = new FirestoreScopeStore(db as Firestore, { collectionPrefix: `big${Date.now()}-` });
    await store.save({ ...swept, projects: many(60_000) });
    expect(await store.load(ORG)).toEqual({ ...swept, projects: [] });
  });
});
