// Pins every scan output format byte for byte on examples/ and on a small generated estate, so that work on how
// the engine and loader spend time and memory (issue 14) cannot change what a scan says.

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateEstate, writeEstate } from '../../bench/generate-estate.js';
import { runCaptured } from './capture-io.js';

const FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'sarif'] as const;

const generatedDir = mkdtempSync(join(tmpdir(), 'gatewarden-output-identity-'));
// One project of the benchmark generator (scale 1 is 50 projects): every misconfiguration it seeds, small enough to pin.
writeEstate(generateEstate({ scale: 0.02, seed: 14 }), generatedDir);
// The same generator as one project (the shape a hub project's sweep meets): links cross blocks, not projects.
const oneProjectDir = mkdtempSync(join(tmpdir(), 'gatewarden-output-identity-one-'));
writeEstate(generateEstate({ scale: 0.02, seed: 14, oneProject: true }), oneProjectDir);
afterAll(() => {
  rmSync(generatedDir, { recursive: true, force: true });
  rmSync(oneProjectDir, { recursive: true, force: true });
});

/** label, scan arguments, and whether the golden file holds the text itself or (for the big one) its SHA-256. */
const ESTATES: readonly (readonly [string, readonly string[], 'text' | 'sha256'])[] = [
  ['acme-edge', ['--estate', 'examples/acme-edge'], 'text'],
  ['acme-edge-policy', ['--estate', 'examples/acme-edge', '--policy', 'examples/policy.yaml'], 'text'],
  // 2 MB of text across the formats: pinned by hash to keep the repository small; rerun with -u and diff to see a change.
  ['generated', ['--estate', generatedDir], 'sha256'],
  ['generated-one-project', ['--estate', oneProjectDir], 'sha256'],
];

function withoutScratch(text: string): string {
  return text.replaceAll(oneProjectDir, '<estate>').replaceAll(generatedDir, '<estate>');
}

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
        const stderr = withoutScratch(run.stderr.replace(/ in \d+ ms/g, ' in # ms'));
        const text = `exit ${run.code}\n--- stderr\n${stderr}--- stdout\n${withoutScratch(run.stdout)}`;
        const golden =
          pinned === 'text'
            ? text
            : `sha256 ${createHash('sha256').update(text).digest('hex')} of ${text.length} characters\n`;
        await expect(golden).toMatchFileSnapshot(`./output-golden/${label}.${format}.txt`);
      });
    }
  }
});

// check-plan shares the graph, the rules and the API config reading with scan, and has renderers of its own.
const PLANS = readdirSync('test/fixtures/plans').sort();

describe('check-plan output is byte-identical to the pinned golden files', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));
  });
  afterAll(() => vi.useRealTimers());

  /** format, extra arguments, and how it is pinned: SARIF repeats the rule catalogue (75 KB), so by its hash. */
  const RUNS = [
    ['table', [], 'text'],
    ['json', [], 'text'],
    ['sarif', [], 'sha256'],
    ['json', ['--estate', 'examples/acme-edge', '--fail-on', 'LOW'], 'text'],
  ] as const;

  for (const plan of PLANS) {
    for (const [format, extra, pinned] of RUNS) {
      const label = `plan-${plan}${extra.length > 0 ? '-over-acme-edge' : ''}.${format}`;
      it(label, async () => {
        const args = ['check-plan', `test/fixtures/plans/${plan}/plan.json`, '--format', format, ...extra];
        const run = await runCaptured(args);
        const text = `exit ${run.code}\n--- stderr\n${run.stderr.replace(/ in \d+ ms/g, ' in # ms')}--- stdout\n${run.stdout}`;
        const golden =
          pinned === 'text'
            ? text
            : `sha256 ${createHash('sha256').update(text).digest('hex')} of ${text.length} characters\n`;
        await expect(golden).toMatchFileSnapshot(`./output-golden/${label}.txt`);
      });
    }
  }
});
