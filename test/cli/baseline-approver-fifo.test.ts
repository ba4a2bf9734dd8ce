// baseline approve reads the ADC file for its approver as any input (a regular file, bounded): one test of its own in
// the stack project, since making the FIFO takes a process (mkfifo).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { resolveApprover } from '../../src/cli/commands/baseline.js';

// A FIFO (a key handed over by process substitution) hung approve before it approved anything.
test('approver: $USER when the ADC path is a FIFO, without waiting on it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewarden-approver-'));
  try {
    const fifo = join(dir, 'adc.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await resolveApprover(undefined, { GOOGLE_APPLICATION_CREDENTIALS: fifo, USER: 'someone' })).toBe(
      'someone',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 5000);
