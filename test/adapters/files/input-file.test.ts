// Input files are regular files, bounded, read in chunks: FIFOs, devices and /dev/zero symlinks are refused at once.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { InputFileError, openInputFile, readInputText } from '../../../src/adapters/files/input-file.js';

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

  const TEXT = 'rules:\n  backend.no-port: { severity: LOW } # é ✓\n';
  test.each([
    ['UTF-8', Buffer.from(TEXT, 'utf8')],
    [
      'UTF-8 with a byte-order mark',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]),
    ],
    [
      'UTF-16 LE with a byte-order mark (PowerShell 5)',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]),
    ],
    [
      'UTF-16 BE with a byte-order mark',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(TEXT, 'utf16le').swap16()]),
    ],
  ])('text in %s is read as the text it is', async (_encoding, bytes) => {
    const path = join(scratch, 'policy.yaml');
    await writeFile(path, bytes);
    expect(await readInputText(path, 1024)).toBe(TEXT);
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

  test('utf8 gives the text as decoded, byte-order mark kept; chunks after it still start at the start', async () => {
    const path = join(scratch, 'utf8.json');
    const bytes = Buffer.concat([
      Buffer.of(0xef, 0xbb, 0xbf),
      Buffer.from('["é", "'),
      Buffer.of(0xff),
      Buffer.from('"]'),
    ]);
    await writeFile(path, bytes);
    const file = await openInputFile(path, 1024);
    expect(file.utf8()).toBe('\uFEFF["é", "\uFFFD"]');
    const chunks: Uint8Array[] = [];
    for await (const chunk of file.chunks(4)) chunks.push(chunk);
    // Read twice from the start: the loader reads bytes again after text it could not parse.
    for await (const chunk of file.chunks(5)) chunks.push(chunk);
    await file.close();
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat([bytes, bytes]));
  });
});
