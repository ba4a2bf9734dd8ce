// writeOutputFile with a report in pieces: the pieces in order, byte for byte, and nothing left behind when a piece
// cannot be rendered.

import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
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

  test('pieces of any size and characters, across the write buffers: each piece as its own UTF-8, in order', async () => {
    const dir = await mkdtemp(join(scratch, 'buffers-'));
    const path = join(dir, 'report.json');
    // A piece is a unit repeated: one to three bytes per UTF-16 unit, a surrogate pair, lone surrogates (each becomes
    // U+FFFD on its own, so two pieces are never joined into one character). Lengths cross the 1 MB buffers, and some
    // pieces are too large for one (more than a third of a megabyte of units).
    const UNITS = ['x', 'é', '€', '😀', '\ud800', 'a\udc00', '"\n'];
    const piece = fc
      .tuple(
        fc.constantFrom(...UNITS),
        fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 340_000, max: 420_000 })),
      )
      .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 40 }), async (pieces) => {
        await writeOutputFile(path, pieces);
        const expected = Buffer.concat(pieces.map((text) => Buffer.from(text, 'utf8')));
        expect((await readFile(path)).equals(expected)).toBe(true);
      }),
      { numRuns: 30 },
    );
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  test.each([
    { name: '240 ASCII characters', file: 'r'.repeat(240) },
    { name: '80 three-byte characters (240 bytes)', file: '€'.repeat(80) },
    { name: '85 three-byte characters (255 bytes, the longest name)', file: '€'.repeat(85) },
    { name: '63 four-byte characters (252 bytes)', file: '😀'.repeat(63) },
    { name: 'a short name, kept whole', file: 'report.json' },
  ])(
    'a target named with $name: its temporary file fits beside it, in at most 255 bytes',
    async ({ file }) => {
      const dir = await mkdtemp(join(scratch, 'long-name-'));
      const seen: string[] = [];
      // The temporary file exists while the pieces are pulled: the second piece sees it.
      function* pieces(): Generator<string> {
        yield 'first\n';
        seen.push(...readdirSync(dir));
        yield 'second\n';
      }
      await writeOutputFile(join(dir, file), pieces());
      expect(await readFile(join(dir, file), 'utf8')).toBe('first\nsecond\n');
      expect(await readdir(dir)).toEqual([file]);
      expect(seen).toHaveLength(1);
      const temporary = seen[0] as string;
      expect(Buffer.byteLength(temporary)).toBeLessThanOrEqual(255);
      expect(temporary).not.toContain('\ufffd');
      expect(temporary).toMatch(/^\..*\.\d+\.[0-9a-f]{12}\.tmp$/u);
      const kept = temporary.slice(1).replace(/\.\d+\.[0-9a-f]{12}\.tmp$/u, '');
      expect(kept.length).toBeGreaterThan(0);
      expect(file.startsWith(kept)).toBe(true);
      if (file === 'report.json') expect(kept).toBe(file);
    },
  );

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
