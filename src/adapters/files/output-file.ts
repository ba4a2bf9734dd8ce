// Writes a file the user named with --out: only over a regular file or nothing, through an exclusive temporary file
// in the same directory and a rename, so a FIFO, a device or a symlink at that path is never replaced or written
// through, a crash never leaves half a file, and no temporary file outlives the write.

import { randomBytes } from 'node:crypto';
import { type FileHandle, lstat, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The path cannot be written as asked: `problem` is one clause (`is a FIFO (named pipe), not a regular file`). */
export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';
  readonly badInput = true;
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Writes `text`, whole or in pieces (a large report is rendered a piece at a time, never held whole). */
export async function writeOutputFile(path: string, text: string | Iterable<string>): Promise<void> {
  const existingMode = await checkReplaceable(path);
  const temporary = join(
    dirname(path),
    temporaryNameFor(basename(path), `${process.pid}.${randomBytes(6).toString('hex')}`),
  );
  let handle: FileHandle | undefined;
  try {
    // `wx`: O_CREAT | O_EXCL, so the temporary name cannot be a symlink planted to redirect the write.
    handle = await open(temporary, 'wx', existingMode ?? 0o644);
    await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : writePieces(handle, text));
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Checked again just before the rename: the path may have become something else while the report was written.
    await checkReplaceable(path);
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    if (error instanceof OutputFileError) throw error;
    throw new OutputFileError(path, `cannot be written (${codeOf(error)})`);
  }
}

/** NAME_MAX: the longest file name ext4, XFS and btrfs take, in bytes (UTF-8 on Linux). */
const MAX_NAME_BYTES = 255;

/**
 * `.{name}.{unique}.tmp`, the name shortened to fit MAX_NAME_BYTES: a target whose own name is near the limit
 * (valid) would otherwise fail with ENAMETOOLONG on its temporary file. `unique` is what keeps it unique; the name
 * only says whose it is, so it is cut at a character boundary, never inside one (no invalid UTF-8 in a name).
 */
function temporaryNameFor(name: string, unique: string): string {
  const suffix = `.${unique}.tmp`;
  const room = MAX_NAME_BYTES - 1 - Buffer.byteLength(suffix);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= room) return `.${name}${suffix}`;
  let end = room;
  // Back off past continuation bytes (10xxxxxx) to the start of the character that did not fit.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return `.${bytes.subarray(0, end).toString('utf8')}${suffix}`;
}

/**
 * The pieces are encoded into one of two buffers of this size, and a buffer is written when the next piece might not
 * fit: a large report's ~50 KB pieces (json.ts) leave the worker in a few dozen writes instead of one write, one
 * thread-pool round trip and one fresh Buffer per piece.
 */
const WRITE_BUFFER_BYTES = 1024 * 1024;
/** The most UTF-8 bytes one UTF-16 code unit becomes (a surrogate pair is 4 bytes for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Writes the pieces in order, encoded into one buffer while the other is being written: a piece is rendered when it
 * is pulled (a large report's JSON.stringify), so rendering and writing overlap instead of taking turns. A piece too
 * large for a buffer is encoded and written on its own, in its turn.
 */
async function writePieces(handle: FileHandle, pieces: Iterable<string>): Promise<void> {
  let filling = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let spare = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  let writing: Promise<void> | undefined;
  /** Starts writing `bytes` once the write before has finished; the buffer it was in is then free again. */
  const writeAfter = async (bytes: Uint8Array): Promise<void> => {
    await writing;
    writing = writeAll(handle, bytes);
  };
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    await writeAfter(filling.subarray(0, used));
    [filling, spare] = [spare, filling];
    used = 0;
  };
  try {
    for (const piece of pieces) {
      if (used + piece.length * MAX_UTF8_BYTES_PER_UNIT > WRITE_BUFFER_BYTES) await flush();
      if (piece.length * MAX_UTF8_BYTES_PER_UNIT > WRITE_BUFFER_BYTES) {
        await writeAfter(Buffer.from(piece, 'utf8'));
      } else {
        used += filling.write(piece, used, 'utf8');
      }
    }
    await flush();
    await writing;
  } catch (error) {
    // A piece that could not be rendered: the write in flight settles before the file is removed.
    await writing?.catch(() => undefined);
    throw error;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
  }
}

/** The mode of the regular file at `path` (kept by the replacement), undefined when nothing is there. */
async function checkReplaceable(path: string): Promise<number | undefined> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new OutputFileError(path, `cannot be written (${codeOf(error)})`);
  }
  if (info.isFile()) return Number(info.mode) & 0o777;
  const what = info.isSymbolicLink()
    ? 'is a symbolic link'
    : info.isDirectory()
      ? 'is a directory'
      : info.isFIFO()
        ? 'is a FIFO (named pipe)'
        : info.isCharacterDevice() || info.isBlockDevice()
          ? 'is a device'
          : info.isSocket()
            ? 'is a socket'
            : 'is not a file';
  throw new OutputFileError(path, `${what}, not a regular file; refusing to replace it`);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
