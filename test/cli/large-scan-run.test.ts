// A large estate's scan runs from the build's bundle with V8's heap tuned (src/cli/large-scan.ts, heap-tuning.ts):
// what it prints, where, and its exit code must be what the same command prints from the modules, untuned. Runs the
// built modules and bundle (dist/), as the binary does.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEstate, writeEstate } from '../../bench/generate-estate.js';
import type { CliIo } from '../../src/cli/io.js';

const built = async <T>(path: string): Promise<T> =>
  (await import(pathToFileURL(resolve('dist/src/cli', path)).href)) as T;
const { runCli, runGatewarden } = await built<typeof import('../../src/cli/main.js')>('main.js');
const { largeScanModule } = await built<typeof import('../../src/cli/large-scan.js')>('large-scan.js');
const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-large-scan-'));
const generated = join(scratch, 'generated');
writeEstate(generateEstate({ scale: 0.02, seed: 14 }), generated);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function capture(
  run: (io: CliIo) => Promise<number>,
  options: { readonly stdoutIsTTY?: boolean } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run({
    stdout: { write: (text: string) => (stdout += text), ...(options.stdoutIsTTY ? { isTTY: true } : {}) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  // The scan time and the phases' durations differ between two runs; nothing else may.
  const steady = (text: string) =>
    text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>').replace(/ in [\d,]+ ms/g, ' in # ms');
  return { code, stdout: steady(stdout), stderr: steady(stderr) };
}

const inThread = (argv: readonly string[], options?: { stdoutIsTTY?: boolean }) =>
  capture((io) => runCli(argv, io), options);
/** Every estate a large one (threshold 0): from the bundle, with the heap tuned. */
const asLarge = (argv: readonly string[], options?: { stdoutIsTTY?: boolean }) =>
  capture((io) => runGatewarden(argv, io, { largeScanAboveBytes: 0 }), options);

describe('a large scan prints and exits as the modules do, untuned', () => {
  it('runs the bundle the build made (scripts/bundle-cli.ts), which every run below uses', () => {
    expect(largeScanModule().href).toBe(pathToFileURL(resolve('dist/bundle/main.js')).href);
  });

  const RUNS: readonly (readonly [string, readonly string[]])[] = [
    ['examples as a table', ['scan', '--estate', 'examples/acme-edge']],
    ['the generated estate as JSON', ['scan', '--estate', generated, '--format', 'json']],
    ['the generated estate as SARIF', ['scan', '--estate', generated, '--format', 'sarif']],
    ['the generated estate as CSV', ['scan', '--estate', generated, '--format', 'csv']],
    ['with a policy', ['scan', '--estate', 'examples/acme-edge', '--policy', 'examples/policy.yaml']],
    ['a gate that fails (exit 1)', ['scan', '--estate', generated, '--format', 'json', '--fail-on', 'HIGH']],
    ['bad input (exit 2, one line)', ['scan', '--estate', generated, '--format', 'yaml']],
    ['a directory that is not an estate (exit 2)', ['scan', '--estate', scratch]],
    ['--help', ['scan', '--help']],
  ];
  for (const [label, argv] of RUNS) {
    it(label, async () => {
      const expected = await inThread(argv);
      expect(expected.stdout.length + expected.stderr.length).toBeGreaterThan(0);
      expect(await asLarge(argv)).toEqual(expected);
    });
  }

  it('a terminal on stdout: the colour table, escaped as in this thread', async () => {
    const argv = ['scan', '--estate', 'examples/acme-edge'];
    const expected = await inThread(argv, { stdoutIsTTY: true });
    expect(expected.stdout).toContain('\u001b[');
    expect(await asLarge(argv, { stdoutIsTTY: true })).toEqual(expected);
  });

  it('--out: the same file and the same lines on stderr', async () => {
    const run = async (scan: typeof inThread, out: string) => {
      const captured = await scan([
        'scan',
        '--estate',
        generated,
        '--format',
        'sarif',
        '--out',
        join(scratch, out),
      ]);
      return {
        ...captured,
        stderr: captured.stderr.replace(out, '<out>'),
        file: readFileSync(join(scratch, out), 'utf8'),
      };
    };
    const expected = await run(inThread, 'in-thread.sarif');
    expect(expected.stderr).toContain('Wrote ');
    expect(await run(asLarge, 'as-large.sarif')).toEqual(expected);
  });
});

// The bundle is picked by modification time (largeScanModule): one newer than the modules but cut short by an
// interrupted build, or missing a chunk, must not fail the scan.
describe('a bundle that does not load: the scan runs from the modules instead', () => {
  const cutShort = join(scratch, 'cut-short.js');
  writeFileSync(cutShort, 'import { runCli } from "./chunk-A.js";\nexport const half = ');
  const chunkMissing = join(scratch, 'chunk-missing.js');
  writeFileSync(chunkMissing, 'import { runCli } from "./chunk-GONE.js";\nrunCli();\n');
  const directory = join(scratch, 'a-directory.js');
  mkdirSync(directory);
  // The bundle the build made, but for the chunk of the scan command, which loads only when a scan runs.
  const withoutScan = join(scratch, 'bundle-without-scan');
  cpSync(resolve('dist/bundle'), withoutScan, { recursive: true });
  for (const chunk of readdirSync(withoutScan).filter((name) => /^scan-[A-Z0-9]+\.js$/.test(name))) {
    rmSync(join(withoutScan, chunk));
  }
  it.each([
    // Node's loader says SyntaxError; under vitest, its module runner's parser says Parse failure.
    { name: 'a bundle cut short', entry: pathToFileURL(cutShort), reason: /SyntaxError|Parse failure/ },
    { name: 'a bundle missing a chunk', entry: pathToFileURL(chunkMissing), reason: /ERR_MODULE_NOT_FOUND/ },
    {
      name: 'a bundle that is a directory',
      entry: pathToFileURL(directory),
      reason: /MODULE_NOT_FOUND/,
    },
    {
      name: "a bundle without the scan command's chunk",
      entry: pathToFileURL(join(withoutScan, 'main.js')),
      reason: /ERR_MODULE_NOT_FOUND/,
    },
  ])(
    '$name: a note on stderr, then the output and exit code of the scan in this thread',
    async ({ entry, reason }) => {
      const argv = ['scan', '--estate', generated, '--format', 'json', '--fail-on', 'HIGH'];
      const expected = await inThread(argv);
      const run = await capture((io) =>
        runGatewarden(argv, io, { largeScanModule: entry, largeScanAboveBytes: 0 }),
      );
      expect(run.code).toBe(expected.code);
      expect(run.stdout).toBe(expected.stdout);
      const [note, ...rest] = run.stderr.split('\n');
      expect(note).toMatch(/^gatewarden scan: the built bundle did not load \(.+\); running the modules$/);
      expect(note).toMatch(reason);
      expect(rest.join('\n')).toBe(expected.stderr);
    },
  );
});
