// Reading exports, streamed and whole: same values and same error positions as parsing the text whole, whatever the
// chunk and batch sizes, and a record nested too deep is refused by index.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type JsonReadOutcome,
  MAX_RECORD_BYTES,
  parseJsonBytes,
  parseJsonChunks,
  parseUtf8TextIfValid,
} from '../../../src/adapters/estate-files/json-export.js';
import { openInputFile } from '../../../src/adapters/files/input-file.js';
import { parseJsonText } from '../../../src/domain/json-text.js';

async function* chunksOf(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function read(text: string, chunk: number, batchBytes = 16, maxRecordDepth = 64): Promise<JsonReadOutcome> {
  return parseJsonChunks(chunksOf(text, chunk), { maxRecordDepth, batchBytes });
}

function wholeProblem(text: string): string | undefined {
  const parsed = parseJsonText(text);
  return parsed.ok
    ? undefined
    : `not valid JSON at line ${parsed.line}, column ${parsed.column}: ${parsed.reason}`;
}

describe('parseJsonChunks', () => {
  const EXPORT = `[\n  {"name": "a,]\\"[", "n": [1, {"x": "é"}]},\n  {"name": "b"},\n  {"name": "c", "list": []}\n]\n`;

  test.each([1, 2, 3, 7, 64, 4096])(
    'an export read in %i-byte chunks gives the same records',
    async (size) => {
      expect(await read(EXPORT, size)).toEqual({ ok: true, value: JSON.parse(EXPORT) });
    },
  );

  test.each([
    { name: 'a missing comma', text: '[\n  {"a": 1}\n  {"b": 2}\n]' },
    { name: 'a trailing comma', text: '[{"a": 1},\n {"b": 2},\n]' },
    { name: 'an empty element', text: '[{"a": 1},, {"b": 2}]' },
    { name: 'a bad value in the second record', text: '[{"a": 1},\n {"b": tru}]' },
    { name: 'text after the array', text: '[{"a": 1}] x' },
    { name: 'an unterminated array', text: '[{"a": 1},\n {"b": 2}' },
    { name: 'a mismatched bracket', text: '[{"a": 1}}' },
    { name: 'a bad value after non-ASCII text and escapes', text: '[{"a": "é\\"ü\\\\"}, {"b": "ñ"} x]' },
    { name: 'a bracket after a string ending in an escaped backslash', text: '[{"a": "\\\\"}}]' },
  ])('$name is reported where the whole-text parser reports it', async ({ text }) => {
    for (const size of [1, 5, 1024]) {
      const outcome = await read(text, size);
      expect(outcome.ok).toBe(false);
      const problem = (outcome as { problem: string }).problem;
      expect(problem.replace(/:.*$/s, '')).toBe(wholeProblem(text)?.replace(/:.*$/s, ''));
    }
  });

  test('a record nested deeper than the limit is refused by index and line, without parsing it', async () => {
    const deep = `[{"a": 1},\n${'['.repeat(100_000)}${']'.repeat(100_000)}]`;
    expect(await read(deep, 4096, 1024, 64)).toEqual({
      ok: false,
      problem: 'record .[1] is nested deeper than 64 levels (line 2)',
    });
  });

  // A bound of 24 bytes: `{"name": "exactly-24!!"}` is 24 bytes.
  test.each([
    {
      name: 'records at the bound',
      text: '[{"name": "exactly-24!!"},{"name": "exactly-24!!"}]',
      problem: undefined,
    },
    {
      name: 'a record past the bound, then a comma',
      text: '[{"a": 1},\n  {"name": "twenty-five!!"},\n {"b": 2}]',
      problem: 'record .[1] is larger than 24 bytes (it starts at line 2)',
    },
    {
      name: 'the last record past the bound',
      text: '[{"a": 1},\n\n{"name": "twenty-five!!"}]',
      problem: 'record .[1] is larger than 24 bytes (it starts at line 3)',
    },
    {
      name: 'a record that never ends (an export cut short)',
      text: `[{"a": 1}, "${'x'.repeat(200)}`,
      problem: 'record .[1] is larger than 24 bytes (it starts at line 1)',
    },
  ])('$name: the same outcome in any chunking', async ({ text, problem }) => {
    for (const [chunk, batchBytes] of [
      [1, 16],
      [5, 16],
      [1024, 16],
      [1024, 1024],
    ] as const) {
      const outcome = await parseJsonChunks(chunksOf(text, chunk), {
        maxRecordDepth: 64,
        batchBytes,
        maxRecordBytes: 24,
      });
      expect(outcome).toEqual(problem ? { ok: false, problem } : { ok: true, value: JSON.parse(text) });
    }
  });

  test('a record that never ends is refused after about the default bound, not gathered whole', async () => {
    const mebibyte = new Uint8Array(1024 * 1024);
    let read = 0;
    // `["` and then zeros: what a sparse file of 4 GiB after those two bytes reads as; 80 MiB is enough here.
    async function* sparseExport(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('["');
      for (read = 0; read < 80 * 1024 * 1024; read += mebibyte.length) yield mebibyte;
    }
    expect(await parseJsonChunks(sparseExport(), { maxRecordDepth: 64 })).toEqual({
      ok: false,
      problem: `record .[0] is larger than ${MAX_RECORD_BYTES / (1024 * 1024)} MiB (it starts at line 1)`,
    });
    expect(read).toBeLessThanOrEqual(MAX_RECORD_BYTES + mebibyte.length);
  });

  test.each([
    [
      'a token after the array',
      '[{"a": 1}]\nSECRET-TOKEN',
      'line 2, column 1: unexpected character after the array',
    ],
    [
      'a bare word in a record',
      '[{"a": 1},\n {"b": SECRET-TOKEN}]',
      'line 2, column 8: unexpected character',
    ],
    ['a token instead of the array', 'SECRET-TOKEN', 'line 1, column 1: unexpected character'],
  ])('%s is refused without quoting it, however it is chunked', async (_name, text, where) => {
    for (const size of [1, 5, 1024]) {
      expect(await read(text, size)).toEqual({ ok: false, problem: `not valid JSON at ${where}` });
    }
  });

  test('an object export is parsed whole, so projects.json (one object) still reads', async () => {
    expect(await read('{"projectId": "p", "projectNumber": "1"}', 3)).toEqual({
      ok: true,
      value: { projectId: 'p', projectNumber: '1' },
    });
  });

  test('a UTF-16 export with a byte-order mark reads, with its records depth-checked', async () => {
    const text = '[{"name": "a"}]';
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(await parseJsonChunks(chunksOf(utf16, 5), { maxRecordDepth: 64 })).toEqual({
      ok: true,
      value: [{ name: 'a' }],
    });
    const deep = new Uint8Array([0xff, 0xfe, ...Buffer.from('[[[[1]]]]', 'utf16le')]);
    expect(await parseJsonChunks(chunksOf(deep, 5), { maxRecordDepth: 2 })).toEqual({
      ok: false,
      problem: 'record .[0] is nested deeper than 2 levels',
    });
  });

  test('property: any JSON array reads back equal in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 64 }),
        async (records, chunk, batch) => {
          const text = JSON.stringify(records, null, 1);
          const outcome = await read(text, chunk, batch);
          expect(outcome).toEqual({ ok: true, value: JSON.parse(text) });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parseJsonBytes (an export read whole)', () => {
  const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
  const streamed = (bytes: Uint8Array, maxRecordDepth = 64): Promise<JsonReadOutcome> =>
    parseJsonChunks(chunksOf(bytes, 7), { maxRecordDepth, batchBytes: 16 });

  test.each([
    { name: 'an export', text: '[\n  {"name": "a", "n": [1, {"x": "é"}]},\n  {"name": "b"}\n]\n' },
    { name: 'one object (projects.json)', text: '{"projectId": "p", "projectNumber": "1"}' },
    { name: 'a UTF-8 byte-order mark', text: '\uFEFF[{"name": "a"}]' },
    { name: 'a missing comma', text: '[\n  {"a": 1}\n  {"b": 2}\n]' },
    { name: 'a trailing comma', text: '[{"a": 1},\n {"b": 2},\n]' },
    { name: 'a bad value in the second record', text: '[{"a": 1},\n {"b": tru}]' },
    { name: 'text after the array', text: '[{"a": 1}] x' },
    { name: 'cut short', text: '[{"a": 1},\n {"b": 2}' },
    { name: 'an empty file', text: '' },
    { name: 'a record one level too deep', text: `[{"a": 1},\n${'['.repeat(5)}${']'.repeat(5)}]`, depth: 4 },
    { name: 'a record exactly at the limit', text: `[${'['.repeat(4)}${']'.repeat(4)}]`, depth: 4 },
  ])('$name: the same outcome as the streamed reader', async ({ text, depth = 64 }) => {
    const bytes = bytesOf(text);
    expect(await parseJsonBytes(bytes, { maxRecordDepth: depth })).toEqual(await streamed(bytes, depth));
  });

  test('a record nested far too deep is refused by index and line, as streamed', async () => {
    const deep = `[{"a": 1},\n${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]`;
    expect(await parseJsonBytes(bytesOf(deep), { maxRecordDepth: 64 })).toEqual({
      ok: false,
      problem: 'record .[1] is nested deeper than 64 levels (line 2)',
    });
  });

  test('property: any JSON array reads back equal, as streamed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 5 }), { maxLength: 8 }), async (records) => {
        const bytes = bytesOf(JSON.stringify(records, null, 1));
        expect(await parseJsonBytes(bytes, { maxRecordDepth: 3 })).toEqual(await streamed(bytes, 3));
      }),
      { numRuns: 200 },
    );
  });
});

describe('an edited real export: read whole or streamed in any chunking, the same records or the same problem', () => {
  // Real exports of examples/ with the edits that break or bend JSON: brackets, quotes, escapes, lone surrogates,
  // control characters, non-ASCII text before an error, cut short, and bytes that are not UTF-8.
  const EXPORTS = ['backend-services.json', 'api-configs.json', 'network-endpoint-groups.json'].map((file) =>
    readFileSync(join('examples/acme-edge', file)),
  );
  const TOKENS = [
    '[',
    ']',
    '{',
    '}',
    ',',
    ':',
    '"',
    '\\',
    '\\u',
    '\\ud800',
    '\n',
    '\r',
    '\t',
    ' ',
    '😀',
    'é',
    '\u0000',
    'x',
    '-',
    '1e999',
    'tru',
    '\uFEFF',
    ',]',
    '""',
    '[[[[',
    ']]]]',
  ].map((token) => Buffer.from(token));
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('insert', 'delete', 'cut', 'byte'),
    token: fc.constantFrom(...TOKENS),
    byte: fc.constantFrom(0xff, 0xc3, 0x80, 0xed, 0xfe),
  });

  /** An export with the edits applied in turn: a token inserted, a byte deleted or replaced, the rest cut off. */
  function edited(
    original: Buffer,
    edits: readonly (typeof edit extends fc.Arbitrary<infer E> ? E : never)[],
  ): Buffer {
    let bytes: Buffer = original;
    for (const { at, kind, token, byte } of edits) {
      const where = at % (bytes.length + 1);
      if (kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, where), token, bytes.subarray(where)]);
      else if (kind === 'delete')
        bytes = Buffer.concat([bytes.subarray(0, where), bytes.subarray(where + 1)]);
      else if (kind === 'cut') bytes = bytes.subarray(0, where);
      else if (where < bytes.length)
        bytes = Buffer.concat([bytes.subarray(0, where), Buffer.of(byte), bytes.subarray(where + 1)]);
    }
    return bytes;
  }

  test('property: the same outcome at any chunk and batch size, UTF-8 or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EXPORTS),
        fc.array(edit, { maxLength: 3 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.constantFrom(3, 64),
        async (original, edits, chunk, batchBytes, maxRecordDepth) => {
          const bytes = edited(original, edits);
          // The same batch size both ways: with two faults (a record broken and the file cut short), which is met first
          // depends on where batches end, before this session's changes as after.
          const whole = await parseJsonBytes(bytes, { maxRecordDepth, batchBytes });
          const streamed = await parseJsonChunks(chunksOf(bytes, chunk), { maxRecordDepth, batchBytes });
          expect(streamed).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  // The loader's fast path: the file read as text natively (InputFile.utf8), parsed when it can be. It must give
  // parseJsonBytes's value for the same bytes whenever that succeeds, and nothing otherwise (the loader then reads
  // the bytes again, so every problem is parseJsonBytes's own).
  const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-utf8-text-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const PREFIXES = [
    Buffer.alloc(0),
    Buffer.from('\uFEFF'),
    Buffer.from('\uFEFF\uFEFF'),
    Buffer.from('\uFEFF\uFEFF\uFEFF'),
    Buffer.of(0xff, 0xfe),
    Buffer.of(0xfe, 0xff),
    Buffer.of(0xef, 0xbb),
  ];

  test('property: text read natively parses to what parseJsonBytes gives, or to nothing when it refuses', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EXPORTS),
        fc.array(edit, { maxLength: 3 }),
        fc.constantFrom(...PREFIXES),
        fc.constantFrom('utf-8', 'utf-16le'),
        fc.constantFrom(3, 64),
        async (original, edits, prefix, encoding, maxRecordDepth) => {
          let bytes = edited(original, edits);
          if (encoding === 'utf-16le') bytes = Buffer.from(bytes.toString('utf8'), 'utf16le');
          bytes = Buffer.concat([prefix, bytes]);
          const path = join(scratch, `export-${++file}.json`);
          writeFileSync(path, bytes);
          const input = await openInputFile(path, 1024 * 1024);
          const text = input.utf8();
          await input.close();
          const whole = await parseJsonBytes(bytes, { maxRecordDepth });
          const fast = parseUtf8TextIfValid(text, { maxRecordDepth });
          // UTF-16 (and a byte-order mark cut short) never parse as UTF-8 text: those are read again as bytes.
          const plainUtf8 = encoding === 'utf-8' && prefix.length % 3 === 0;
          if (whole.ok && plainUtf8) expect(fast).toEqual({ value: whole.value });
          else if (whole.ok) expect([undefined, { value: whole.value }]).toContainEqual(fast);
          else expect(fast).toBeUndefined();
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);
});
