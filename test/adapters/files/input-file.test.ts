// Input files are regular files, bounded, read in chunks: FIFOs, devices and /dev/zero symlinks are refused at once.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  InputFileError,
  openInputFile,
  readInputText,
  readSmallTextSync,
} from '../../../src/adapters/files/input-file.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-input-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('openInputFile', () => {
  test('a FIFO is refused without waiting for a writer', async () => {
    const fifo = join(scratch, 'export.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readInputText(fifo, 1024)).rejects.toThrow(
      new InputFileError(fifo, 'is a FIFO (named pipe), not a regular file'),
    );
  });

  test('a symlink to /dev/zero is refused, not read forever', async () => {
    const link = join(scratch, 'zero.json');
    await symlink('/dev/zero', link);
    await expect(readInputText(link, 1024)).rejects.toThrow(
      new InputFileError(link, 'is a character device, not a regular file'),
    );
  });

  test('a file over the limit is refused before it is read', async () => {
    const path = join(scratch, 'big.json');
    await writeFile(path, 'x'.repeat(2048));
    await expect(readInputText(path, 1024)).rejects.toThrow(
      new InputFileError(path, 'is larger than 1 KiB (2 KiB)'),
    );
  });

  test('a missing file keeps its system code for callers that word it their way', async () => {
    const error = await openInputFile(join(scratch, 'absent.json'), 1024).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).code).toBe('ENOENT');
  });

  test('chunks cover the file exactly, whatever the chunk size', async () => {
    const path = join(scratch, 'chunks.txt');
    await writeFile(path, 'abcdefghij');
    const file = await openInputFile(path, 1024);
    const chunks: string[] = [];
    for await (const chunk of file.chunks(3)) chunks.push(Buffer.from(chunk).toString());
    await file.close();
    expect(chunks).toEqual(['abc', 'def', 'ghi', 'j']);
  });

  test('chunks read twice both start at the start (the loader reads bytes again after text it could not parse)', async () => {
    const path = join(scratch, 'twice.json');
    const bytes = Buffer.from('["é", "x"]');
    await writeFile(path, bytes);
    const file = await openInputFile(path, 1024);
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.chunks(4)) chunks.push(chunk);
    for await (const chunk of file.chunks(5)) chunks.push(chunk);
    await file.close();
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat([bytes, bytes]));
  });
});

describe('readSmallTextSync', () => {
  test('gives the text as decoded, byte-order mark kept, invalid bytes as U+FFFD', async () => {
    const path = join(scratch, 'utf8.json');
    await writeFile(
      path,
      Buffer.concat([
        Buffer.of(0xef, 0xbb, 0xbf),
        Buffer.from('["é", "'),
        Buffer.of(0xff),
        Buffer.from('"]'),
      ]),
    );
    expect(readSmallTextSync(path, 1024)).toBe('\uFEFF["é", "\uFFFD"]');
  });

  test('a file of exactly the size is read; one byte more is left to openInputFile', async () => {
    const path = join(scratch, 'sized.json');
    await writeFile(path, '[1]');
    expect(readSmallTextSync(path, 3)).toBe('[1]');
    expect(readSmallTextSync(path, 2)).toBeUndefined();
  });

  test('a FIFO, a device, a directory and a missing file are left to openInputFile, which names them', async () => {
    const fifo = join(scratch, 'sync.fifo');
    execFileSync('mkfifo', [fifo]);
    const zero = join(scratch, 'sync-zero.json');
    await symlink('/dev/zero', zero);
    for (const path of [fifo, zero, scratch, join(scratch, 'absent.json')]) {
      expect(readSmallTextSync(path, 1024)).toBeUndefined();
    }
  });
});
