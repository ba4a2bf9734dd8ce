// writeOutputFile with a report in pieces: the pieces in order, byte for byte, and nothing left behind when a piece
// cannot be rendered.

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { OutputFileError, writeOutputFile } from '../../../src/adapters/files/output-file.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-output-file-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('writeOutputFile', () => {
  test('pieces are written in order, multi-byte characters and empty pieces included', async () => {
    const dir = await mkdtemp(join(scratch, 'pieces-'));
    const pieces = ['{\n', '', '"é": "😀"', 'x'.repeat(300_000), '\n}\n'];
    await writeOutputFile(join(dir, 'report.json'), pieces);
    expect(await readFile(join(dir, 'report.json'), 'utf8')).toBe(pieces.join(''));
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  test('a piece that cannot be rendered: the file is left as it was and no temporary file remains', async () => {
    const dir = await mkdtemp(join(scratch, 'failing-'));
    const path = join(dir, 'report.json');
    await writeFile(path, 'the previous report');
    function* failing(): Generator<string> {
      yield 'x'.repeat(1_000_000);
      throw new Error('the renderer broke');
    }
    const error = await writeOutputFile(path, failing()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OutputFileError);
    expect((error as OutputFileError).problem).toBe('cannot be written (the renderer broke)');
    expect(await readFile(path, 'utf8')).toBe('the previous report');
    expect(await readdir(dir)).toEqual(['report.json']);
  });
});
