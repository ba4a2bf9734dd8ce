// The simulator in a child process for the benches, so its CPU is not counted as the bench's and it does not share
// the bench's event loop: the bench starts its own script again with --serve, which serves until stdin ends.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Inventory } from '../src/domain/inventory.js';
import { type RequestLogEntry, type SimulatorOptions, startSimulator } from '../src/simulator/server.js';

/** The first argument that makes a bench script serve the simulator instead of measuring. */
export const SERVE_FLAG = '--serve';

export interface SimulatorProcess {
  readonly url: string;
  /** Closes the child's stdin, on which it closes the simulator and exits. */
  stop(): void;
}

/** Runs `script` (the bench's import.meta.url) with `--serve ...args` and waits for its READY line. */
export async function startSimulatorProcess(
  script: string,
  args: readonly string[],
): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [fileURLToPath(script), SERVE_FLAG, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const ready = /^READY (\S+)$/m.exec(output);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`bench: the simulator process exited (${code})`)));
  });
  return { url, stop: () => child.stdin.end() };
}

/** The child's side of startSimulatorProcess: serves, prints READY and the URL, and exits when stdin ends. */
export async function serveUntilStdinEnds(options: SimulatorOptions): Promise<void> {
  const simulator = await startSimulator(options);
  process.stdout.write(`READY ${simulator.url}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void simulator.close().then(() => process.exit(0)));
}

/** The simulator's request log, read over HTTP from the child; `clear` empties it after reading. */
export async function simulatorRequests(url: string, clear: boolean): Promise<RequestLogEntry[]> {
  const log = (await (await fetch(`${url}/__simulator/requests`)).json()) as { requests: RequestLogEntry[] };
  if (clear) await fetch(`${url}/__simulator/requests`, { method: 'DELETE' });
  return log.requests;
}

/** The project IDs an inventory holds, sorted. */
export function projectsOf(inventory: Inventory): string[] {
  return [...new Set(Object.values(inventory.projectIds ?? {}))].sort();
}
