// check-plan over a live project: the plan judged over what the (simulated) Google APIs return, through the
// same googleapis source `scan --project` uses, gives the findings the exported estate gives.

import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { runCli } from '../../src/cli/main.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { PLANS_DIR, planPath } from './fixtures.js';

let simulator: Simulator;

beforeAll(async () => {
  const estate = await loadEstate(`${PLANS_DIR}/adds-neg/estate`);
  simulator = await startSimulator({ inventory: estate.inventory });
});
afterAll(() => simulator.close());

async function findings(args: readonly string[]): Promise<{ code: number; ids: string[]; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['check-plan', planPath('adds-neg'), '--format', 'json', ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  const ids =
    code === 2 ? [] : (JSON.parse(stdout).findings as { ruleId: string }[]).map((finding) => finding.ruleId);
  return { code, ids, stderr };
}

test('--project (through the simulator) and --estate judge the plan in the same context', async () => {
  const live = await findings(['--project', 'acme-edge', '--endpoint', simulator.url]);
  const exported = await findings(['--estate', `${PLANS_DIR}/adds-neg/estate`]);
  expect(live.code, live.stderr).toBe(0);
  expect(live.ids).toEqual(['backend.one-neg-per-region']);
  expect(live.ids).toEqual(exported.ids);
});
