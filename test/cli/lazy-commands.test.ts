// Each command loads only what it uses (issue 14): the built binary is run with a module hook that lists every
// module it loads, and `--help` / `rules` must not reach other commands, googleapis, Firestore or the simulator;
// `scan --estate` on examples/ must load neither zod (only a bad baseline or a policy file needs it) nor the yaml
// package (its API specs are plain block YAML, read by src/domain/plain-yaml.ts).

import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Prints every URL the ESM and CommonJS loaders resolve, one per line, to stderr after "LOADED:". */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  const result = next(specifier, context);
  process.stderr.write('LOADED:' + result.url + '\\n');
  return result;
} });
`)}`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  /** Standard error without the hook's lines. */
  readonly stderr: string;
  readonly loaded: readonly string[];
}

function runWithHook(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', HOOK, 'bin/gatewarden.js', ...args],
      { encoding: 'utf8' },
      (error, stdout, stderr) => {
        const lines = stderr.split('\n');
        resolve({
          code: typeof error?.code === 'number' ? error.code : 0,
          stdout,
          stderr: lines.filter((line) => !line.startsWith('LOADED:')).join('\n'),
          loaded: lines
            .filter((line) => line.startsWith('LOADED:'))
            .map((line) => line.slice('LOADED:'.length)),
        });
      },
    );
  });
}

async function loadedBy(args: readonly string[]): Promise<readonly string[]> {
  const run = await runWithHook(args);
  expect(run.code, run.stderr).toBe(0);
  return run.loaded;
}

const ZOD = '/node_modules/zod/';
const YAML = '/node_modules/yaml/';

const HEAVY = [
  'googleapis',
  '@google-cloud/firestore',
  '@google-cloud/pubsub',
  '/dist/src/simulator/',
  // Parsed only when a YAML text is (API specs, policy files): the catalogue itself does not need it.
  '/node_modules/yaml/',
];

describe('gatewarden loads only what a command uses', () => {
  it('--help loads no command module', async () => {
    const loaded = await loadedBy(['--help']);
    expect(loaded.some((url) => url.includes('/dist/src/cli/main.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes('/dist/src/cli/commands/'))).toEqual([]);
    expect(loaded.filter((url) => HEAVY.some((heavy) => url.includes(heavy)))).toEqual([]);
  });

  it('rules loads its own command and nothing heavy', async () => {
    const loaded = await loadedBy(['rules']);
    const commands = loaded.filter((url) => url.includes('/dist/src/cli/commands/'));
    expect(commands.map((url) => url.replace(/.*\/commands\//, ''))).toEqual(['rules.js']);
    expect(loaded.filter((url) => HEAVY.some((heavy) => url.includes(heavy)))).toEqual([]);
    // Hashing (API-config analysis, finding IDs) is for judging; listing the catalogue never hashes.
    expect(loaded).not.toContain('node:crypto');
  });
});

describe('scan --estate loads zod and yaml only when a file needs them', () => {
  const scratch = mkdtemp(join(tmpdir(), 'gatewarden-lazy-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it('examples/acme-edge (a valid baseline.json, YAML API specs) is judged without zod or the yaml package', async () => {
    const loaded = await loadedBy(['scan', '--estate', 'examples/acme-edge', '--format', 'json']);
    expect(loaded.some((url) => url.includes('/dist/src/config/baseline-file.js'))).toBe(true);
    expect(loaded.some((url) => url.includes('/dist/src/domain/plain-yaml.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes(ZOD) || url.includes(YAML))).toEqual([]);
    // One format asked for, one renderer loaded.
    const renderers = loaded.filter((url) =>
      /\/dist\/src\/report\/(table|json|sarif|csv|markdown|html)\.js$/.test(url),
    );
    expect(renderers.map((url) => url.replace(/.*\/report\//, ''))).toEqual(['json.js']);
  });

  it('an API spec outside the plain subset (a block scalar) loads the yaml package and is judged alike', async () => {
    const estate = join(await scratch, 'block-scalar-spec');
    await cp('examples/acme-edge', estate, { recursive: true });
    const path = join(estate, 'api-configs.json');
    const configs = JSON.parse(await readFile(path, 'utf8')) as {
      openapiDocuments?: { document: { contents: string } }[];
    }[];
    for (const { document } of configs.flatMap((config) => config.openapiDocuments ?? [])) {
      const text = Buffer.from(document.contents, 'base64').toString('utf8');
      document.contents = Buffer.from(`${text}x-note: |\n  a block scalar\n`).toString('base64');
    }
    await writeFile(path, JSON.stringify(configs));
    // SARIF: the whole judgement (messages, evidence) with no scan time in it.
    const plain = await runWithHook(['scan', '--estate', 'examples/acme-edge', '--format', 'sarif']);
    const withBlock = await runWithHook(['scan', '--estate', estate, '--format', 'sarif']);
    expect(withBlock.loaded.some((url) => url.includes(YAML))).toBe(true);
    expect(withBlock.code).toBe(plain.code);
    expect(plain.loaded.some((url) => url.includes(YAML))).toBe(false);
    expect(withBlock.stdout).toBe(plain.stdout);
  });

  it('check-plan on a plan whose API specs are plain YAML (flow sequences included) loads neither', async () => {
    const loaded = await loadedBy(['check-plan', 'test/fixtures/plans/mask-neg/plan.json']);
    expect(loaded.some((url) => url.includes('/dist/src/domain/plain-yaml.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes(ZOD) || url.includes(YAML))).toEqual([]);
  });

  it('a bad baseline.json loads zod and is named, key and problem, in one line (exit 2)', async () => {
    const estate = join(await scratch, 'bad-baseline');
    await cp('examples/acme-edge', estate, { recursive: true });
    await writeFile(
      join(estate, 'baseline.json'),
      JSON.stringify({ version: 2, savedAt: '2026-05-01T10:00:00Z', resources: {} }),
    );
    const run = await runWithHook(['scan', '--estate', estate]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`gatewarden scan: ${join(estate, 'baseline.json')}: version: must be 1\n`);
    expect(run.loaded.some((url) => url.includes(ZOD))).toBe(true);
  });
});

describe('a scan of a large estate runs from the bundle with its heap tuned, a small one from the modules', () => {
  const scratch = mkdtemp(join(tmpdir(), 'gatewarden-lazy-large-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));
  /** The build's bundle (scripts/bundle-cli.ts), and the module that tunes the heap (heap-tuning.ts). */
  const BUNDLE = '/dist/bundle/';
  const HEAP_TUNING = '/dist/src/cli/heap-tuning.js';

  it('examples/acme-edge loads neither', async () => {
    const loaded = await loadedBy(['scan', '--estate', 'examples/acme-edge', '--format', 'json']);
    expect(loaded.filter((url) => url.includes(BUNDLE) || url.endsWith(HEAP_TUNING))).toEqual([]);
  });

  it('the same estate padded past the threshold loads both and prints the same report', async () => {
    const estate = join(await scratch, 'padded');
    await cp('examples/acme-edge', estate, { recursive: true });
    const path = join(estate, 'backend-services.json');
    // Whitespace after the array: the same records, 9 MiB of export (the threshold is 8 MiB).
    await writeFile(path, `${await readFile(path, 'utf8')}${' '.repeat(9 * 1024 * 1024)}`);
    const small = await runWithHook(['scan', '--estate', 'examples/acme-edge', '--format', 'sarif']);
    const large = await runWithHook(['scan', '--estate', estate, '--format', 'sarif']);
    // The bundle the build made, as the binary runs it after `npm ci`: its entry, and the scan command's chunk.
    expect(large.loaded).toContainEqual(expect.stringMatching(/\/dist\/bundle\/main\.js$/));
    expect(large.loaded).toContainEqual(expect.stringMatching(/\/dist\/bundle\/scan-[A-Z0-9]+\.js$/));
    expect(large.loaded).toContainEqual(expect.stringMatching(/\/dist\/src\/cli\/heap-tuning\.js$/));
    expect(large.loaded.filter((url) => url.includes('/dist/src/cli/commands/'))).toEqual([]);
    expect(large.code).toBe(small.code);
    expect(large.stdout).toBe(small.stdout);
    expect(large.stderr.replace(/ in \d+ ms/g, '').replace(estate, 'DIR')).toBe(
      small.stderr.replace(/ in \d+ ms/g, '').replace('examples/acme-edge', 'DIR'),
    );
  });
});
