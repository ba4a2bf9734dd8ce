// Pins every scan output format byte for byte on examples/ and on a small generated estate, so that work on how
// the engine and loader spend time and memory (issue 14) cannot change what a scan says.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateEstate, writeEstate } from '../../bench/generate-estate.js';
import { runCaptured } from './capture-io.js';

const FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'sarif'] as const;

const generatedDir = mkdtempSync(join(tmpdir(), 'gatewarden-output-identity-'));
// One project of the benchmark generator (scale 1 is 50 projects): every misconfiguration it seeds, small enough to pin.
writeEstate(generateEstate({ scale: 0.02, seed: 14 }), generatedDir);
afterAll(() => rmSync(generatedDir, { recursive: true, force: true }));

/** label, scan arguments, and whether the golden file holds the text itself or (for the big one) its SHA-256. */
const ESTATES: readonly (readonly [string, readonly string[], 'text' | 'sha256'])[] = [
  ['acme-edge', ['--estate', 'examples/acme-edge'], 'text'],
  ['acme-edge-policy', ['--estate', 'examples/acme-edge', '--policy', 'examples/policy.yaml'], 'text'],
  // 2 MB of text across the formats: pinned by hash to keep the repository small; rerun with -u and diff to see a change.
  ['generated', ['--estate', generatedDir], 'sha256'],
];

describe('scan output is byte-identical to the pinned golden files', () => {
  // A scan's report time is the time it ran: only Date is fixed, timers and performance.now stay real.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));
  });
  afterAll(() => vi.useRealTimers());

  for (const [label, args, pinned] of ESTATES) {
    for (const format of FORMATS) {
      it(`${label} as ${format}`, async () => {
        const run = await runCaptured(['scan', ...args, '--format', format]);
        // stderr carries timings ("in 374 ms") and the temporary directory: pinned with both blanked.
        const stderr = run.stderr.replace(/ in \d+ ms/g, ' in # ms').replaceAll(generatedDir, '<estate>');
        const text = `exit ${run.code}\n--- stderr\n${stderr}--- stdout\n${run.stdout.replaceAll(generatedDir, '<estate>')}`;
        const golden =
          pinned === 'text'
            ? text
            : `sha256 ${createHash('sha256').update(text).digest('hex')} of ${text.length} characters\n`;
        await expect(golden).toMatchFileSnapshot(`./output-golden/${label}.${format}.txt`);
      });
    }
  }
});
