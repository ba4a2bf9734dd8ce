// Each command loads only what it uses (issue 14): the built binary is run with a module hook that lists every
// module it loads, and `--help` / `rules` must not reach other commands, googleapis, Firestore or the simulator.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** Prints every URL the ESM and CommonJS loaders resolve, one per line, to stderr after "LOADED:". */
const HOOK = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  const result = next(specifier, context);
  process.stderr.write('LOADED:' + result.url + '\\n');
  return result;
} });
`)}`;

async function loadedBy(args: readonly string[]): Promise<string[]> {
  const { stderr } = await run(process.execPath, ['--import', HOOK, 'bin/gatewarden.js', ...args], {
    encoding: 'utf8',
  });
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('LOADED:'))
    .map((line) => line.slice('LOADED:'.length));
}

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
  });
});
