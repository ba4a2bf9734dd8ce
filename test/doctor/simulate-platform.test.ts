// `gatewarden simulate --platform FILE` serves the control plane doctor reads, faults included, and doctor run
// against it over HTTP reports them: the path a user takes to try doctor locally.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDoctorCommand } from '../../src/cli/commands/doctor.js';
import { createSimulateCommand } from '../../src/cli/commands/simulate.js';
import type { Simulator } from '../../src/simulator/index.js';
import { captureIo, runCommandForTest } from '../cli/report-run.js';

const ESTATE = new URL('../../examples/acme-edge', import.meta.url).pathname;

function platformFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gatewarden-platform-')), 'platform.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('gatewarden simulate --platform', () => {
  it('serves the platform file: doctor sees the disabled API, and the PUT endpoint switches it off again', async () => {
    const file = platformFile({
      disabledServices: [{ project: 'acme-edge', service: 'compute.googleapis.com' }],
    });
    const runs: { code: number; stdout: string }[] = [];
    const simulate = captureIo();
    const command = createSimulateCommand({
      waitForStop: async (simulator: Simulator) => {
        for (const step of ['faulty', 'healthy']) {
          if (step === 'healthy') {
            const answer = await fetch(`${simulator.url}/__simulator/platform`, {
              method: 'PUT',
              body: '{}',
            });
            expect(answer.status).toBe(204);
          }
          const doctor = captureIo();
          const code = await runCommandForTest(
            createDoctorCommand(),
            ['--project', 'acme-edge', '--endpoint', simulator.url],
            doctor.io,
          );
          runs.push({ code, stdout: doctor.stdout() });
        }
      },
    });
    expect(await command(['--estate', ESTATE, '--platform', file], simulate.io)).toBe(0);
    expect(simulate.stdout()).toContain('/__simulator/platform');
    expect(runs[0]?.code).toBe(1);
    expect(runs[0]?.stdout).toContain('  FAIL  Compute Engine API enabled');
    expect(runs[0]?.stdout).toContain(
      'fix: gcloud services enable compute.googleapis.com --project=acme-edge',
    );
    expect(runs[1]).toEqual({ code: 0, stdout: expect.stringContaining('All 3 checks pass.') });
  });

  it('a platform file with a wrong field is bad input naming the file and the field', async () => {
    const file = platformFile({ disabledServices: [{ project: 'acme-edge' }] });
    const { io, stderr } = captureIo();
    const code = await runCommandForTest(
      createSimulateCommand(),
      ['--estate', ESTATE, '--platform', file],
      io,
    );
    expect(code).toBe(2);
    expect(stderr()).toMatch(new RegExp(`^${file}: disabledServices\\.0\\.service: `));
  });
});
