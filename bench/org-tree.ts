// Organisation sweep benchmark: the tree walk (Resource Manager v3 folders.list + projects.list per node) over a
// generated organisation of 1,000 projects in 200 folders, 5 levels deep, on the simulator with 50 ms latency per
// call. Reports the calls made against the minimum number of pages, and the wall time.
// Run: npm run bench:org-tree [-- --latency 50 --page-size 1000 --concurrency 8]

import { parseArgs } from 'node:util';
import { createResourceManagerReader } from '../src/adapters/googleapis/resource-tree.js';
import { emptyInventory } from '../src/domain/inventory.js';
import { type SimulatedFolder, type SimulatedProject, startSimulator } from '../src/simulator/index.js';

const ORG = 'organizations/424242424242';
/** Folders per level: 5 + 15 + 30 + 50 + 100 = 200, each level's folders spread over the level above. */
const LEVELS = [5, 15, 30, 50, 100];
const PROJECTS = 1000;

interface Hierarchy {
  readonly folders: SimulatedFolder[];
  readonly projects: SimulatedProject[];
}

function generateHierarchy(): Hierarchy {
  const folders: SimulatedFolder[] = [];
  let above = [ORG];
  let next = 100_000;
  for (const count of LEVELS) {
    const level: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const name = `folders/${next++}`;
      folders.push({ name, parent: above[index % above.length] as string, displayName: name });
      level.push(name);
    }
    above = level;
  }
  // Projects at every depth, and 40 straight under the organisation: parents cycle over the organisation and folders.
  const parents = [ORG, ...folders.map((folder) => folder.name)];
  const projects: SimulatedProject[] = Array.from({ length: PROJECTS }, (_, index) => ({
    projectId: `bench-p${String(index).padStart(4, '0')}`,
    parent: parents[index % parents.length] as string,
  }));
  return { folders, projects };
}

/** The fewest pages a walk can make: every node's two lists, at least one page each. */
function minimumPages(hierarchy: Hierarchy, pageSize: number): number {
  const nodes = [ORG, ...hierarchy.folders.map((folder) => folder.name)];
  const pages = (count: number) => Math.max(1, Math.ceil(count / pageSize));
  return nodes.reduce(
    (total, node) =>
      total +
      pages(hierarchy.folders.filter((folder) => folder.parent === node).length) +
      pages(hierarchy.projects.filter((project) => project.parent === node).length),
    0,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      latency: { type: 'string', default: '50' },
      'page-size': { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const latencyMs = Number(values.latency);
  const pageSize = Number(values['page-size']);
  const concurrency = Number(values.concurrency);
  const hierarchy = generateHierarchy();
  const simulator = await startSimulator({
    inventory: emptyInventory(),
    projects: hierarchy.projects,
    folders: hierarchy.folders,
    faults: latencyMs > 0 ? [{ path: '/v3/**', latencyMs }] : [],
  });
  try {
    const reader = await createResourceManagerReader({ endpoint: simulator.url, pageSize, concurrency });
    const started = performance.now();
    const tree = await reader.readTree(ORG);
    const wallMs = performance.now() - started;
    const calls = simulator.requests().filter((request) => request.path.startsWith('/v3/'));
    const report = {
      folders: hierarchy.folders.length,
      depth: LEVELS.length,
      projects: hierarchy.projects.length,
      found: tree.projects.length,
      unreadable: tree.unreadable.length,
      latencyMs,
      pageSize,
      concurrency,
      calls: calls.length,
      failedCalls: calls.filter((request) => request.status !== 200).length,
      minimumPages: minimumPages(hierarchy, pageSize),
      wallMs: Math.round(wallMs),
      // Each level's lists can start only when the level above has answered: depth + 1 round trips at the least.
      floorMs: Math.max(
        (LEVELS.length + 1) * latencyMs,
        Math.ceil(minimumPages(hierarchy, pageSize) / concurrency) * latencyMs,
      ),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (report.found !== PROJECTS || report.calls !== report.minimumPages) process.exitCode = 1;
  } finally {
    await simulator.close();
  }
}

await main();
