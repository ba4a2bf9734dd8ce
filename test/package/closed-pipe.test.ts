// `gatewarden ... | head`: when the reader closes the pipe early, the command neither prints an EPIPE stack trace
// nor loses its exit code (bin/gatewarden.js handles the write error).

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'gatewarden.js'), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command has written anything, as `head` does once it has its lines.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', failed);
    child.on('close', (code) => done({ code, stderr }));
  });
}

test.each([
  [['rules'], 0],
  [['scan', '--estate', 'examples/acme-edge', '--format', 'json'], 0],
  [['check-plan', 'test/fixtures/plans/mixed-negs/plan.json', '--format', 'sarif', '--fail-on', 'HIGH'], 1],
])('gatewarden %j into a closed pipe exits %i without a stack trace', async (args, expected) => {
  const { code, stderr } = await runWithClosedStdout(args);
  expect(stderr).not.toMatch(/EPIPE|Error| {4}at /);
  expect(code).toBe(expected);
});
