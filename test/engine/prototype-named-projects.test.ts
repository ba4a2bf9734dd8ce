// Names that are also members of every JavaScript object: `constructor` is a valid project ID (6-30 lowercase
// letters) and a valid path segment, so look-ups keyed by what a record says must read own keys only. Before this,
// examples/acme-edge moved into a project named `constructor` lost 10 of its 27 findings, 4 of them CRITICAL: the
// project-number map handed back Object's constructor, and every name built from it was garbage.

import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { kindOfRef, parseResourceRef } from '../../src/domain/resource-name.js';
import { evaluateFailing } from '../../src/engine/evaluate.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

const NOW = new Date('2026-12-04T12:00:00.000Z');
const MEMBER_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** examples/acme-edge with its main project renamed (records, links and the number map alike). */
async function exampleIn(project: string): Promise<Inventory> {
  const { inventory } = await loadEstate('examples/acme-edge');
  return JSON.parse(JSON.stringify(inventory).replaceAll('acme-edge', project)) as Inventory;
}

function failingIn(inventory: Inventory, project: string): string[] {
  const { results } = evaluateFailing(ResourceGraph.build(inventory), ALL_RULES, { now: NOW });
  return results
    .map(
      (result) =>
        `${result.ruleId} ${result.resource.replaceAll(project, 'P')} ${result.message.replaceAll(project, 'P')}`,
    )
    .sort();
}

describe('a project named like a member of Object', () => {
  it.each(MEMBER_NAMES)('%s is judged exactly as any other project', async (name) => {
    const control = failingIn(await exampleIn('acme-plain'), 'acme-plain');
    expect(control.length).toBeGreaterThan(20);
    expect(failingIn(await exampleIn(name), name)).toEqual(control);
  });

  it('keeps its own name in every full name', async () => {
    const graph = ResourceGraph.build(await exampleIn('constructor'));
    const names = [...graph.allNodes()].map((node) => node.fullName);
    expect(names.filter((name) => name.includes('/projects/constructor/')).length).toBeGreaterThan(20);
    expect(names.some((name) => name.includes('native code'))).toBe(false);
  });
});

describe('a collection segment named like a member of Object', () => {
  it.each(MEMBER_NAMES)('projects/p/global/%s/x names no kind', (segment) => {
    const ref = parseResourceRef(`projects/acme-shop/global/${segment}/x`);
    expect(ref).toBeDefined();
    expect(kindOfRef(ref as NonNullable<typeof ref>)).toBeUndefined();
  });

  it('a real collection still names its kind', () => {
    const ref = parseResourceRef('projects/acme-shop/global/backendServices/x');
    expect(ref && kindOfRef(ref)).toBe('backendService');
  });
});
