// Firestore value encoding shared by the adapters: arbitrary JSON in and out intact, ISO times as Timestamps,
// hashed document IDs, document sizes as Firestore counts them, and evidence trimmed to fit the 1 MiB limit.

import { createHash } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { MAX_STABLE_JSON_DEPTH } from '../../domain/stable-json.js';

/** Firestore's document size limit (https://cloud.google.com/firestore/quotas). */
export const MAX_DOCUMENT_BYTES = 1_048_576;

/**
 * Wraps what Firestore refuses to store natively: maps with reserved (`__x__`), empty, over-long or `~`-prefixed
 * keys, and arrays directly inside arrays (all rejected by the emulator and production alike). Such a value is
 * kept as JSON text under this key; user keys starting with `~` always take this path, so the wrapper is unambiguous.
 */
const JSON_WRAPPER = '~json';
const MAX_KEY_BYTES = 1500;
const RESERVED_KEY = /^__.*__$/;

/** Document ID for a name of any length or content: hostile names never reach a document path. */
export function documentIdOf(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 40);
}

/** IDs the port hands us (finding and alert IDs are hashes already) checked before they become a path segment. */
export function isUsableDocumentId(id: string): boolean {
  return (
    id.length > 0 &&
    Buffer.byteLength(id) <= MAX_KEY_BYTES &&
    !id.includes('/') &&
    id !== '.' &&
    id !== '..' &&
    !RESERVED_KEY.test(id)
  );
}

/** `items` in consecutive slices of at most `size`: Firestore caps `in` filters, getAll requests and batches. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function timestampOf(iso: string, field: string): Timestamp {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new Error(`${field} is not an ISO time: ${JSON.stringify(iso)}`);
  return Timestamp.fromMillis(millis);
}

export function isoOf(value: unknown): string {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (typeof value === 'string') return value;
  throw new Error(`expected a Firestore Timestamp, got ${JSON.stringify(value)}`);
}

/** JSON value -> a value Firestore stores as-is, with JSON semantics (undefined props dropped, in arrays null). */
export function encodeJson(value: unknown): unknown {
  return encodeValue(value, false);
}

export function decodeJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeJson);
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const wrapped = wrappedJsonOf(value);
    if (wrapped !== undefined) return parseWrapped(wrapped);
    return Object.fromEntries(entries.map(([key, inner]) => [key, decodeJson(inner)]));
  }
  return value;
}

function wrappedJsonOf(value: object): string | undefined {
  const entries = Object.entries(value as Record<string, unknown>);
  const [only] = entries;
  return entries.length === 1 && only && only[0] === JSON_WRAPPER && typeof only[1] === 'string'
    ? only[1]
    : undefined;
}

/**
 * Wrapped JSON is decoded only when it nests no deeper than MAX_STABLE_JSON_DEPTH: Gatewarden never writes deeper
 * (records stop at MAX_RECORD_DEPTH), and a deeper stored value overflowed the call stack of every later
 * JSON.stringify (report --format json/sarif) at about 5,000 levels. It reads as this placeholder instead.
 */
export function tooDeepPlaceholder(text: string): Record<string, unknown> {
  return { nestedTooDeep: true, maxDepth: MAX_STABLE_JSON_DEPTH, originalBytes: Buffer.byteLength(text) };
}

function parseWrapped(text: string): unknown {
  if (isTextNestedDeeperThan(text, MAX_STABLE_JSON_DEPTH)) return tooDeepPlaceholder(text);
  try {
    return JSON.parse(text);
  } catch {
    // Only a trimmed wrapper holds broken JSON, and trimming unwraps it first; keep the text rather than fail a read.
    return text;
  }
}

/** Whether JSON text opens more than `limit` arrays or objects at once; a scan, so no depth can overflow it. */
function isTextNestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return false;
}

export function encodeMap(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return encodeJson(value) as Record<string, unknown>;
}

export function decodeMap(value: unknown): Record<string, unknown> {
  const decoded = decodeJson(value ?? {});
  return decoded && typeof decoded === 'object' && !Array.isArray(decoded)
    ? (decoded as Record<string, unknown>)
    : {};
}

/**
 * The stored form of a value. A plain object or array that needs no change is returned as it is, not copied: a sweep
 * stores every record of a project this way (54,638 at 1x), and copying each one, with an entry array per property,
 * was most of the garbage its commits made. Firestore reads what it is given and keeps its own encoded form.
 */
function encodeValue(value: unknown, insideArray: boolean): unknown {
  const plain = toJsonValue(value);
  if (plain === undefined) return insideArray ? null : undefined;
  if (Array.isArray(plain)) {
    if (insideArray) return { [JSON_WRAPPER]: JSON.stringify(plain) };
    if (!isPlainArray(plain)) return plain.map((item) => encodeValue(item, true));
    let copy: unknown[] | undefined;
    for (let index = 0; index < plain.length; index += 1) {
      const item: unknown = plain[index];
      const stored = encodeValue(item, true);
      if (copy === undefined && !Object.is(stored, item)) copy = plain.slice(0, index);
      copy?.push(stored);
    }
    return copy ?? plain;
  }
  if (plain !== null && typeof plain === 'object') {
    const keys = Object.keys(plain);
    if (!keys.every(isStorableKey)) return { [JSON_WRAPPER]: JSON.stringify(plain) };
    const source = plain as Record<string, unknown>;
    if (!isPlainObject(plain)) return copyEncoded(source, keys);
    let copy: Record<string, unknown> | undefined;
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as string;
      const inner = source[key];
      const stored = encodeValue(inner, false);
      if (copy === undefined && (stored === undefined || !Object.is(stored, inner))) {
        copy = {};
        for (const earlier of keys.slice(0, index)) copy[earlier] = source[earlier];
      }
      if (copy !== undefined && stored !== undefined) copy[key] = stored;
    }
    return copy ?? plain;
  }
  return plain;
}

function copyEncoded(
  source: Readonly<Record<string, unknown>>,
  keys: readonly string[],
): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  for (const key of keys) {
    const stored = encodeValue(source[key], false);
    if (stored !== undefined) encoded[key] = stored;
  }
  return encoded;
}

/** Only objects and arrays JSON.parse could have made are kept as they are; anything else is copied as before. */
function isPlainObject(value: object): boolean {
  return (
    Object.getPrototypeOf(value) === Object.prototype && Object.getOwnPropertySymbols(value).length === 0
  );
}

function isPlainArray(value: readonly unknown[]): boolean {
  return Object.getPrototypeOf(value) === Array.prototype && Object.keys(value).length === value.length;
}

/** What JSON.stringify would make of a value, one level deep (Dates become strings, functions vanish). */
function toJsonValue(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON has neither -0 nor non-finite numbers.
      return Number.isFinite(value) ? value + 0 : null;
    case 'bigint':
      return value.toString();
    case 'object': {
      const withToJson = value as { toJSON?: () => unknown };
      return typeof withToJson.toJSON === 'function' ? toJsonValue(withToJson.toJSON()) : value;
    }
    default:
      return undefined;
  }
}

function isStorableKey(key: string): boolean {
  return (
    key.length > 0 &&
    !key.startsWith('~') &&
    !RESERVED_KEY.test(key) &&
    Buffer.byteLength(key) <= MAX_KEY_BYTES
  );
}

/** Storage size of an (encoded) value, as Firestore counts it (https://cloud.google.com/firestore/docs/storage-size). */
export function storedSizeOf(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value) + 1;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number' || value instanceof Timestamp) return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + storedSizeOf(item), 0);
  if (typeof value === 'object') {
    let size = 0;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      size += Buffer.byteLength(key) + 1 + storedSizeOf(inner);
    }
    return size;
  }
  return 8;
}

/**
 * Fits encoded evidence into `budget` bytes: whole when it fits, otherwise a visible marker
 * (`truncated`, `originalBytes`) plus as much of the original, in order, as fits. Never rejected: a finding
 * with oversized evidence is still a finding someone must see.
 */
export function trimEvidence(
  encoded: Record<string, unknown>,
  budget: number,
): { evidence: Record<string, unknown>; trimmed: boolean } {
  const originalBytes = storedSizeOf(encoded);
  if (originalBytes <= budget) return { evidence: encoded, trimmed: false };
  const marker = { truncated: true, originalBytes };
  const kept = trimValue(encoded, Math.max(0, budget - storedSizeOf(marker) - 64));
  const evidence =
    kept && typeof kept === 'object' && !Array.isArray(kept)
      ? { ...(kept as Record<string, unknown>), ...marker }
      : marker;
  return { evidence, trimmed: true };
}

const TRUNCATION_NOTE = '…[truncated]';

function trimValue(value: unknown, budget: number): unknown {
  const size = storedSizeOf(value);
  if (size <= budget) return value;
  if (typeof value === 'string') return truncateString(value, budget - 1);
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    let used = storedSizeOf(TRUNCATION_NOTE);
    for (const item of value) {
      const itemSize = storedSizeOf(item);
      if (used + itemSize <= budget) {
        kept.push(item);
        used += itemSize;
        continue;
      }
      const partial = trimValue(item, budget - used);
      if (partial !== undefined) kept.push(partial);
      break;
    }
    kept.push(TRUNCATION_NOTE);
    return kept;
  }
  if (value && typeof value === 'object') {
    const wrapped = wrappedJsonOf(value);
    // Truncated JSON text would not parse back: keep it as a plain (visibly truncated) string instead.
    if (wrapped !== undefined) return truncateString(wrapped, budget - 1);
    const kept: Record<string, unknown> = {};
    let used = 0;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const keySize = Buffer.byteLength(key) + 1;
      const remaining = budget - used - keySize;
      if (remaining <= 0) break;
      const partial = trimValue(inner, remaining);
      if (partial === undefined) continue;
      kept[key] = partial;
      used += keySize + storedSizeOf(partial);
    }
    return kept;
  }
  return undefined;
}

function truncateString(text: string, budgetBytes: number): string | undefined {
  const room = budgetBytes - Buffer.byteLength(TRUNCATION_NOTE);
  if (room <= 0) return undefined;
  const bytes = Buffer.from(text, 'utf8').subarray(0, room);
  // Cutting mid-character leaves a replacement character; drop it rather than store a broken code point.
  return `${bytes.toString('utf8').replace(/\uFFFD$/, '')}${TRUNCATION_NOTE}`;
}
