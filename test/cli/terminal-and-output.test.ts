// Terminal-bound text has control characters escaped; --out replaces only a regular file, through a temporary file
// that never outlives the write (issue 17).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import {
  escapeForTerminal,
  escapeReportForTerminal,
  escapeStyledReportForTerminal,
} from '../../src/cli/terminal-text.js';
import { ORDERS_EDGE, writeChangedEstate } from '../support/hostile-estate.js';
import { runCaptured } from './capture-io.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-terminal-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noControlCharactersInRegex: the colour sequences the table renderer emits
const COLOUR = /\u001b\[[0-9;]*m/g;
const HOSTILE = 'neg\u001b]0;pwned\u0007\u001b[2J\u009b1A\u202eevil\rforged';
// Any control character except line ends and tabs (the table's colour codes are checked separately).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

/** orders-edge with a serverless NEG that names no target (a v1 export), so its hostile name is in a warning. */
async function hostileEstate(): Promise<string> {
  const dir = join(scratch, `estate-${Math.random().toString(36).slice(2)}`);
  await writeChangedEstate(dir, 'network-endpoint-groups.json', 0, (record) => {
    record.name = HOSTILE;
    record.selfLink = String(record.selfLink).replace(/[^/]+$/, encodeURIComponent(HOSTILE));
    delete record.serverlessDeployment;
  });
  return dir;
}

/** SGR 8 conceals what follows it: a colour sequence from the data, not from any renderer. */
const CONCEALING = 'X\u001b[8mHIDDEN';

/** orders-edge with a backend service whose protocol hides the rest of the line; findings quote the protocol. */
async function concealingEstate(): Promise<string> {
  const dir = join(scratch, `estate-${Math.random().toString(36).slice(2)}`);
  await writeChangedEstate(dir, 'backend-services.json', 0, (record) => {
    record.protocol = CONCEALING;
  });
  return dir;
}

describe('terminal escaping', () => {
  test.each([
    {
      name: 'a message keeps newlines only',
      escapeText: escapeForTerminal,
      text: 'a\u001b]0;x\u0007b\nc\rd',
      shown: 'a\\x1b]0;x\\x07b\nc\\x0dd',
    },
    {
      name: 'a report keeps CRLF and tabs, not colour sequences (they came from the data)',
      escapeText: escapeReportForTerminal,
      text: 'a,X\u001b[8mHIDDEN\u001b[1m\u001b[2J\r\n\t\u202e',
      shown: 'a,X\\x1b[8mHIDDEN\\x1b[1m\\x1b[2J\r\n\t\\u202e',
    },
    {
      name: 'a report its renderer coloured keeps colour sequences, CRLF and tabs',
      escapeText: escapeStyledReportForTerminal,
      text: '\u001b[1mX\u001b[0m\u001b[2J\r\n\t\u202e',
      shown: '\u001b[1mX\u001b[0m\\x1b[2J\r\n\t\\u202e',
    },
  ])('$name', ({ escapeText, text, shown }) => {
    expect(escapeText(text)).toBe(shown);
  });

  test('a warning naming a hostile export record reaches stderr escaped', async () => {
    const run = await runCaptured(['scan', '--estate', await hostileEstate(), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: ');
    expect(run.stderr).toContain('neg\\x1b]0;pwned\\x07\\x1b[2J\\x9b1A\\u202eevil\\x0dforged');
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });

  test.each(['csv', 'html', 'markdown', 'json', 'table'])(
    '%s on a terminal carries no raw control character',
    async (format) => {
      const run = await runCaptured(['scan', '--estate', await hostileEstate(), '--format', format], {
        stdoutIsTty: true,
      });
      expect(run.code).toBe(0);
      // What our renderers emit on purpose: colour sequences (the table, checked below) and CRLF record ends (CSV).
      expect(run.stdout.replaceAll('\r\n', '').replace(format === 'table' ? COLOUR : /$^/, '')).not.toMatch(
        RAW_CONTROL,
      );
    },
  );

  test.each([
    { format: 'csv', shown: 'X\\x1b[8mHIDDEN' },
    { format: 'html', shown: 'X\\x1b[8mHIDDEN' },
    { format: 'markdown', shown: 'X \\[8mHIDDEN' },
    { format: 'json', shown: 'X\\u001b[8mHIDDEN' },
    { format: 'table', shown: 'X [8mHIDDEN' },
  ])(
    '$format on a colour terminal shows a colour sequence from the data escaped',
    async ({ format, shown }) => {
      const run = await runCaptured(['scan', '--estate', await concealingEstate(), '--format', format], {
        stdoutIsTty: true,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('\u001b[8m');
      expect(run.stdout).toContain(shown);
    },
  );

  test.each(['csv', 'html'])('%s written with --out keeps the data as it is', async (format) => {
    const out = join(await mkdtemp(join(scratch, 'out-')), `report.${format}`);
    const run = await runCaptured(
      ['scan', '--estate', await concealingEstate(), '--format', format, '--out', out],
      { stdoutIsTty: true },
    );
    expect(run.code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain(CONCEALING);
  });

  test('the table on a colour terminal keeps its own colours', async () => {
    const run = await runCaptured(['scan', '--estate', await hostileEstate()], { stdoutIsTty: true });
    expect(run.stdout).toContain('\u001b[');
    expect(run.stdout.replace(COLOUR, '')).not.toMatch(RAW_CONTROL);
  });
});

describe('--out', () => {
  async function baselineSave(out: string) {
    return runCaptured(['baseline', 'save', '--estate', 'test/fixtures/estates/orders-edge', '--out', out]);
  }

  test.each([
    {
      name: 'a FIFO',
      make: async (path: string) => execFileSync('mkfifo', [path]),
      what: 'is a FIFO (named pipe)',
    },
    {
      name: 'a symlink',
      make: (path: string) => symlink(join(scratch, 'target.json'), path),
      what: 'is a symbolic link',
    },
    { name: 'a directory', make: (path: string) => mkdir(path), what: 'is a directory' },
  ])('refuses $name and leaves nothing behind', async ({ make, what }) => {
    const dir = await mkdtemp(join(scratch, 'out-'));
    const path = join(dir, 'baseline.json');
    await make(path);
    const before = await readdir(dir);
    const run = await baselineSave(path);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--out ${path}: ${what}, not a regular file; refusing to replace it`);
    expect(await readdir(dir)).toEqual(before);
  });

  test.each([
    { name: 'scan (csv)', args: ['scan', '--estate', ORDERS_EDGE, '--format', 'csv'] },
    { name: 'scan (table, on a terminal)', args: ['scan', '--estate', ORDERS_EDGE], terminal: true },
    { name: 'baseline save', args: ['baseline', 'save', '--estate', ORDERS_EDGE] },
  ])('--out - is standard output, not a file named -: $name', async ({ args, terminal = false }) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));
    try {
      const printed = await runCaptured(args, { stdoutIsTty: terminal });
      const dashed = await runCaptured([...args, '--out', '-'], { stdoutIsTty: terminal });
      expect(dashed.code).toBe(0);
      expect(dashed.stdout).toBe(printed.stdout);
      expect(dashed.stdout.length).toBeGreaterThan(0);
      expect(existsSync('-')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  test('refuses a character device (scan --out /dev/null)', async () => {
    const run = await runCaptured([
      'scan',
      '--estate',
      'test/fixtures/estates/orders-edge',
      '--out',
      '/dev/null',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out /dev/null: is a device, not a regular file; refusing to replace it');
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  test('a symlink at the path is not written through', async () => {
    const dir = await mkdtemp(join(scratch, 'out-'));
    await writeFile(join(dir, 'precious'), 'keep');
    await symlink(join(dir, 'precious'), join(dir, 'report.html'));
    const run = await runCaptured([
      'scan',
      '--estate',
      'test/fixtures/estates/orders-edge',
      '--format',
      'html',
      '--out',
      join(dir, 'report.html'),
    ]);
    expect(run.code).toBe(2);
    expect(await readFile(join(dir, 'precious'), 'utf8')).toBe('keep');
    expect(await readlink(join(dir, 'report.html'))).toBe(join(dir, 'precious'));
  });

  test('replaces a regular file, keeping its mode, with no temporary file left', async () => {
    const dir = await mkdtemp(join(scratch, 'out-'));
    const path = join(dir, 'baseline.json');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    const run = await baselineSave(path);
    expect(run.code).toBe(0);
    expect(JSON.parse(await readFile(path, 'utf8')).version).toBe(1);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['baseline.json']);
  });
});
