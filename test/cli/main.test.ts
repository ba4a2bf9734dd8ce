import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EstateError } from '../../src/adapters/estate-files/estate-error.js';
import { ApprovalError } from '../../src/app/approve-baseline.js';
import { UsageError } from '../../src/cli/io.js';
import { PolicyError } from '../../src/config/policy-file.js';
import { isBadInput } from '../../src/domain/failure.js';
import { runCaptured } from './capture-io.js';

describe('gatewarden', () => {
  test.each([
    { name: 'no command: usage on stderr, exit 2', argv: [], code: 2, stream: 'stderr' as const },
    { name: '--help: usage, exit 0', argv: ['--help'], code: 0, stream: 'stdout' as const },
    {
      name: 'an unknown command: usage on stderr, exit 2',
      argv: ['scna'],
      code: 2,
      stream: 'stderr' as const,
    },
    {
      // The table is an object literal: its prototype's names are no commands (was exit 70, an internal error).
      name: 'a name of an object prototype: an unknown command, exit 2',
      argv: ['__proto__'],
      code: 2,
      stream: 'stderr' as const,
    },
    { name: 'constructor, likewise', argv: ['constructor'], code: 2, stream: 'stderr' as const },
  ])('$name', async ({ argv, code, stream }) => {
    const run = await runCaptured(argv);
    expect(run.code).toBe(code);
    // Usage goes to one stream only: stdout for --help, stderr for a usage error.
    expect(run[stream === 'stdout' ? 'stderr' : 'stdout']).toBe('');
    expect(run[stream]).toMatch(/^ {2}scan +judge an exported estate/m);
    expect(run[stream]).toMatch(/^ {2}rules +/m);
    expect(run[stream]).toMatch(/^ {2}explain +/m);
  });

  // A command that needs a subcommand, given none: the usage is the error, on stderr, and stdout stays empty.
  test.each([['baseline'], ['scc']])(
    'gatewarden %s with nothing after it: usage on stderr only, exit 2',
    async (name) => {
      const run = await runCaptured([name]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^Usage:\\s+gatewarden ${name} `));
      const help = await runCaptured([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toBe(run.stderr);
    },
  );

  test.each(['--version', '-V', 'version'])(
    '%s prints the version package.json declares and exits 0',
    async (flag) => {
      const { version } = JSON.parse(
        readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
      ) as {
        version: string;
      };
      const run = await runCaptured([flag]);
      expect(run).toMatchObject({ code: 0, stdout: `gatewarden ${version}\n`, stderr: '' });
    },
  );

  test.each(['scan', 'rules', 'explain'])('%s --help prints its usage and exits 0', async (command) => {
    const run = await runCaptured([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: gatewarden ${command}`));
  });
});

describe('isBadInput: errors that mean exit 2, not a crash', () => {
  test.each([
    { name: 'UsageError', error: new UsageError('x'), bad: true },
    { name: 'EstateError', error: new EstateError('estate/gateways.json', 'not valid JSON'), bad: true },
    { name: 'PolicyError', error: new PolicyError('policy.yaml', 'rules', 'unknown key'), bad: true },
    {
      name: 'a future config error, by what it inherits',
      error: new (class BaselineFileError extends PolicyError {})('baseline.json', '', 'x'),
      bad: true,
    },
    {
      name: 'an approval of a resource the baseline lacks',
      error: new ApprovalError('not in the baseline'),
      bad: true,
    },
    {
      name: 'an error merely named like bad input (names are not read)',
      error: Object.assign(new Error('x'), { name: 'UsageError' }),
      bad: false,
    },
    { name: 'a plain Error (a bug)', error: new Error('boom'), bad: false },
    { name: 'a TypeError (a bug)', error: new TypeError('x is undefined'), bad: false },
    { name: 'a thrown string', error: 'boom', bad: false },
  ])('$name', ({ error, bad }) => {
    expect(isBadInput(error)).toBe(bad);
  });
});
