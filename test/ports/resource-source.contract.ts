// The ResourceSource contract: one suite any implementation must pass, judged against the estate files as truth.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { apiConfigKey, ResourceGraph } from '../../src/domain/graph.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { RESOURCE_KINDS, type ResourceKind } from '../../src/domain/resource-kind.js';
import { parseResourceRef } from '../../src/domain/resource-name.js';
import type { ReadProgress, ResourceSource } from '../../src/ports/resource-source.js';

export interface ContractSubject {
  readonly source: ResourceSource;
  /** Stops whatever serves the source (a simulator); optional. */
  close?(): Promise<void>;
}

export interface ContractFixture {
  /** An estate directory (DESIGN.md §7): what the source serves and what its answers are compared with. */
  readonly estateDir: string;
  readonly projects: readonly string[];
}

/**
 * Registers the contract tests for one implementation. `open` builds the source over `fixture.estateDir`
 * (directly, or through a simulator serving it).
 */
export function describeResourceSourceContract(
  name: string,
  fixture: ContractFixture,
  open: (estateDir: string) => Promise<ContractSubject>,
): void {
  describe(`ResourceSource contract: ${name}`, () => {
    let subject: ContractSubject;
    let truth: ResourceGraph;
    let inventory: Inventory;
    let graph: ResourceGraph;
    const progress: ReadProgress[] = [];

    beforeAll(async () => {
      truth = ResourceGraph.build((await loadEstate(fixture.estateDir)).inventory);
      subject = await open(fixture.estateDir);
      inventory = await subject.source.readInventory(fixture.projects, {
        onProgress: (report) => progress.push(report),
      });
      graph = ResourceGraph.build(inventory);
    });

    afterAll(async () => {
      await subject?.close?.();
    });

    it('reads every kind the engine judges (as arrays of API records)', () => {
      for (const kind of RESOURCE_KINDS) expect(Array.isArray(inventory[kind]), kind).toBe(true);
    });

    it.each(RESOURCE_KINDS.filter((kind) => kind !== 'apiConfig'))(
      'returns the same %s full names as the estate',
      (kind) => {
        expect(namesOf(graph, kind)).toEqual(namesOf(truth, kind));
      },
    );

    it('returns at least the API configs the gateways serve, and no config the estate lacks', () => {
      const served = new Set(
        truth.nodes('gateway').flatMap((gateway) => apiConfigKey(gateway.data.apiConfig) ?? []),
      );
      const expected = namesOf(truth, 'apiConfig').filter((fullName) =>
        served.has(apiConfigKey(fullName) ?? ''),
      );
      const actual = namesOf(graph, 'apiConfig');
      expect(actual).toEqual(expect.arrayContaining(expected));
      expect(namesOf(truth, 'apiConfig')).toEqual(expect.arrayContaining(actual));
    });

    it('builds a graph with the same references, node by node', () => {
      const referencesOf = (of: ResourceGraph) =>
        Object.fromEntries(
          [...of.allNodes()]
            .filter((node) => node.kind !== 'apiConfig')
            .map((node) => [node.fullName, [...of.referencesOf(node)].sort()]),
        );
      expect(referencesOf(graph)).toEqual(referencesOf(truth));
    });

    it('reports nothing incomplete for an estate it could read entirely', () => {
      expect(inventory.incomplete ?? []).toEqual([]);
    });

    it('reports progress for each project and kind, ending with the final count', () => {
      for (const project of fixture.projects) {
        for (const kind of RESOURCE_KINDS) {
          const last = progress.filter((report) => report.project === project && report.kind === kind).at(-1);
          expect(last, `${project} ${kind}`).toMatchObject({ done: true });
          expect(last?.count, `${project} ${kind}`).toBe(
            graph.nodes(kind).filter((node) => node.project === project).length,
          );
        }
      }
    });

    it('reads each resource back by its reference, the same record the inventory holds', async () => {
      for (const node of graph.allNodes()) {
        const record = await subject.source.readResource(node.ref);
        expect(record, node.fullName).toBeDefined();
        const link = typeof record?.selfLink === 'string' ? record.selfLink : record?.name;
        expect(graph.fullNameFor(link), node.fullName).toBe(node.fullName);
      }
    });

    it.each([
      ['a backend service', 'projects/PROJECT/global/backendServices/no-such-bs'],
      ['a regional NEG', 'projects/PROJECT/regions/us-central1/networkEndpointGroups/no-such-neg'],
      ['a gateway', 'projects/PROJECT/locations/us-central1/gateways/no-such-gw'],
      ['an API config', 'projects/PROJECT/locations/global/apis/no-such-api/configs/no-such-config'],
    ])('reads %s that does not exist as undefined (deleted)', async (_what, path) => {
      const ref = parseResourceRef(path.replace('PROJECT', fixture.projects[0] ?? 'p'));
      if (!ref) throw new Error(`test bug: cannot parse ${path}`);
      expect(await subject.source.readResource(ref)).toBeUndefined();
    });
  });
}

function namesOf(graph: ResourceGraph, kind: ResourceKind): string[] {
  return graph
    .nodes(kind)
    .map((node) => node.fullName)
    .sort();
}
