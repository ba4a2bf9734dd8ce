// Reads a file the user named (estate export, policy, baseline, plan): regular files only, bounded, in chunks.
// The one place input files are opened, so a FIFO, a device or a symlink to /dev/zero can never hang a command.

import { constants, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { decodeText } from '../../domain/json-text.js';

/** A file that cannot be read as input: `problem` is one clause without the file name (`is a FIFO, not a file`). */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  readonly badInput = true;
  constructor(
    readonly file: string,
    readonly problem: string,
    /** The system error code when the file could not be opened or read (`ENOENT`, `EACCES`). */
    readonly code?: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Chunks are this size: large enough to keep system calls few, small enough not to matter in memory. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface InputFile {
  readonly path: string;
  /** Size when opened (the file may still grow: reads stop at `maxBytes` whatever happens). */
  readonly size: number;
  /** The file's bytes from its start, chunk by chunk, at most `maxBytes` in all. */
  chunks(chunkBytes?: number): AsyncGenerator<Uint8Array>;
  /**
   * The whole file as UTF-8 text (a byte-order mark kept as U+FEFF, invalid bytes as U+FFFD), read and decoded in
   * one native call with no buffer of its bytes beside the text: half the cost of reading chunks and decoding them.
   * For a file whose size (as opened) the caller has accepted; it reads to the end even if the file has grown since.
   */
  utf8(): string;
  close(): Promise<void>;
}

/**
 * Opens `path` for reading if it is a regular file no larger than `maxBytes`. O_NONBLOCK makes opening a FIFO
 * return at once instead of waiting for a writer, and the type is checked on the opened handle (fstat), so a
 * path swapped between a check and the open cannot slip a device through.
 */
export async function openInputFile(path: string, maxBytes: number): Promise<InputFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw new InputFileError(path, `cannot read the file (${describeFsError(error)})`, codeOf(error));
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InputFileError(path, `${describeFileType(info)}, not a regular file`);
    if (info.size > maxBytes) {
      throw new InputFileError(
        path,
        `is larger than ${describeBytes(maxBytes)} (${describeBytes(info.size)})`,
      );
    }
    return {
      path,
      size: info.size,
      chunks: (chunkBytes = CHUNK_BYTES) => readChunks(handle, path, maxBytes, chunkBytes),
      utf8: () => {
        try {
          // `readFileSync` on a descriptor reads from its position, which no read here moves (they say theirs).
          return readFileSync(handle.fd, 'utf8');
        } catch (error) {
          throw new InputFileError(path, `cannot read the file (${describeFsError(error)})`);
        }
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, `cannot read the file (${describeFsError(error)})`);
  }
}

async function* readChunks(
  handle: FileHandle,
  path: string,
  maxBytes: number,
  chunkBytes: number,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for (;;) {
    const buffer = new Uint8Array(chunkBytes);
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, chunkBytes, total));
    } catch (error) {
      throw new InputFileError(path, `cannot read the file (${describeFsError(error)})`);
    }
    if (bytesRead === 0) return;
    total += bytesRead;
    // The size was checked when opened; a file still being written must not take the reader past the bound.
    if (total > maxBytes) throw new InputFileError(path, `is larger than ${describeBytes(maxBytes)}`);
    yield bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead);
  }
}

/** The whole file as bytes (for inputs that are parsed in one piece: policy, baseline, plan). */
export async function readInputBytes(path: string, maxBytes: number): Promise<Uint8Array> {
  const file = await openInputFile(path, maxBytes);
  try {
    const parts: Uint8Array[] = [];
    for await (const chunk of file.chunks()) parts.push(chunk);
    return parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
  } finally {
    await file.close();
  }
}

/** The whole file as UTF-8 text. */
export async function readInputText(path: string, maxBytes: number): Promise<string> {
  // By its byte-order mark, as the estate's exports are read: Windows PowerShell 5 writes `terraform show -json >
  // plan.json` and `Out-File` policies as UTF-16 with a BOM, which read as UTF-8 were only mojibake.
  return decodeText(await readInputBytes(path, maxBytes));
}

function describeFileType(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isDirectory()) return 'is a directory';
  if (info.isFIFO()) return 'is a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'is a character device';
  if (info.isBlockDevice()) return 'is a block device';
  if (info.isSocket()) return 'is a socket';
  return 'is not a file';
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${trim(bytes / (1024 * 1024 * 1024))} GiB`;
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent is not a directory',
    ELOOP: 'too many symbolic links',
    ENXIO: 'no such device',
  };
  if (typeof code === 'string') return known[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}
