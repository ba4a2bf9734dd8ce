// Live-path sweep benchmark: the googleapis source reads the generated estate from the simulator with injected
// latency; reports API calls made against the minimum number of pages, and wall time.

import { createGoogleApisSource } from '../src/adapters/googleapis/googleapis-source.js';
import type { Inventory } from '../src/domain/inventory.js';
import { parseResourceRef } from '../src/domain/resource-name.js';
import { countRecords, generateEstate } from './generate-estate.js';
import {
  projectsOf,
  SERVE_FLAG,
  serveUntilStdinEnds,
  simulatorRequests,
  startSimulatorProcess,
} from './simulator-process.js';

const AGGREGATED_KINDS = [
  'backendService',
  'networkEndpointGroup',
  'urlMap',
  'targetHttpProxy',
  'targetHttpsProxy',
  'forwardingRule',
  'sslPolicy',
  'securityPolicy',
] as const;

interface SweepReport {
  readonly scale: number;
  readonly pageSize: number;
  readonly latencyMs: number;
  readonly projects: number;
  readonly records: Record<string, number>;
  readonly calls: number;
  /** Attempts retried by our policy, by cause: failed attempts the simulator may not have logged. */
  readonly retries: Record<string, number>;
  readonly minimumCalls: number;
  readonly wallMs: number;
  /** CPU time of the reading process alone (the simulator runs in a child process). */
  readonly clientCpuMs: number;
  readonly recordsRead: number;
}

function projectOf(
  record: { selfLink?: unknown; name?: unknown },
  projectIds: Record<string, string>,
): string {
  const ref = parseResourceRef(typeof record.selfLink === 'string' ? record.selfLink : record.name);
  return ref ? (projectIds[ref.project] ?? ref.project) : '';
}

/**
 * The fewest calls any reader needs: per project, one page per 500 records of each aggregated list (at least
 * one, even when empty), the same for the gateway list, and one get per distinct API config a gateway serves.
 */
function minimumCalls(inventory: Inventory, projects: readonly string[], pageSize: number): number {
  const projectIds = { ...inventory.projectIds };
  const pages = (count: number) => Math.max(1, Math.ceil(count / pageSize));
  let total = 0;
  for (const project of projects) {
    for (const kind of [...AGGREGATED_KINDS, 'gateway'] as const) {
      total += pages(inventory[kind].filter((record) => projectOf(record, projectIds) === project).length);
    }
    const configs = new Set(
      inventory.gateway
        .filter((gateway) => projectOf(gateway, projectIds) === project)
        .map((gateway) => String(gateway.apiConfig).replace(/^projects\/[^/]+\//, '')),
    );
    total += configs.size;
  }
  return total;
}

async function sweep(scale: number, pageSize: number, latencyMs: number): Promise<SweepReport> {
  const inventory = generateEstate({ scale });
  const projects = projectsOf(inventory);
  // In a child process, so the client's CPU time is its own.
  const simulator = await startSimulatorProcess(import.meta.url, [String(scale), String(latencyMs)]);
  try {
    const retries: Record<string, number> = {};
    const source = await createGoogleApisSource({
      endpoint: simulator.url,
      pageSize,
      onRetry: (event) => {
        const cause = `${event.status ?? 'no response'}${event.reason ? ` ${event.reason}` : ''}`;
        retries[cause] = (retries[cause] ?? 0) + 1;
      },
    });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const read = await source.readInventory(projects);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const calls = (await simulatorRequests(simulator.url, false)).length;
    const recordsRead = Object.values(countRecords(read)).reduce((sum, count) => sum + count, 0);
    return {
      scale,
      pageSize,
      latencyMs,
      projects: projects.length,
      records: countRecords(inventory),
      calls,
      retries,
      minimumCalls: minimumCalls(inventory, projects, pageSize),
      wallMs,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      recordsRead,
    };
  } finally {
    simulator.stop();
  }
}

function formatReport(reports: readonly SweepReport[]): string {
  const lines = [
    '| scale | projects | page size | latency | records read | API calls | retried | minimum pages | overhead | wall time | client CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const report of reports) {
    const overhead = ((report.calls / report.minimumCalls - 1) * 100).toFixed(1);
    lines.push(
      `| ${report.scale}x | ${report.projects} | ${report.pageSize} | ${report.latencyMs} ms | ` +
        `${report.recordsRead.toLocaleString('en')} | ${report.calls.toLocaleString('en')} | ` +
        `${
          Object.entries(report.retries)
            .map(([cause, count]) => `${count} x ${cause}`)
            .join(', ') || 'none'
        } | ` +
        `${report.minimumCalls.toLocaleString('en')} | ${overhead} % | ${(report.wallMs / 1000).toFixed(2)} s | ` +
        `${(report.clientCpuMs / 1000).toFixed(2)} s |`,
    );
  }
  const first = reports[0];
  if (first) {
    lines.push(
      '',
      `Records per estate (first row): ${Object.entries(first.records)
        .map(([kind, count]) => `${kind} ${count.toLocaleString('en')}`)
        .join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

const args = process.argv.slice(2);
if (args[0] === SERVE_FLAG) {
  await serveUntilStdinEnds({
    inventory: generateEstate({ scale: Number(args[1]) }),
    faults: [{ path: '/**', latencyMs: Number(args[2]) }],
  });
} else {
  const scales = (flag(args, '--scales') ?? '1').split(',').map(Number);
  const pageSizes = (flag(args, '--page-sizes') ?? '500').split(',').map(Number);
  const latencyMs = Number(flag(args, '--latency') ?? '50');
  if ([...scales, ...pageSizes].some((value) => !(value > 0)) || !(latencyMs >= 0)) {
    process.stderr.write('usage: live-sweep [--scales 1,2] [--page-sizes 500,50] [--latency 50]\n');
    process.exit(2);
  }
  const reports: SweepReport[] = [];
  for (const scale of scales) {
    for (const pageSize of pageSizes) {
      process.stderr.write(
        `bench: live sweep of the ${scale}x estate, pages of ${pageSize}, ${latencyMs} ms latency...\n`,
      );
      reports.push(await sweep(scale, pageSize, latencyMs));
    }
  }
  process.stdout.write(formatReport(reports));
  if (reports.some((report) => report.calls > report.minimumCalls * 1.1)) {
    process.stderr.write('bench: API calls exceeded the minimum number of pages by more than 10%\n');
    process.exitCode = 1;
  }
}
