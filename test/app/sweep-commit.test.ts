// How a sweep divides a project into units it can commit (and yield) apart: resources joined by references, hubs alone.

import { describe, expect, test } from 'vitest';
import { unitsOf } from '../../src/app/sweep-commit.js';

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
