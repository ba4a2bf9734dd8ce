// Page sizes and opaque page tokens for list calls.

import { badRequest } from './api-error.js';

export function readPageSize(query: URLSearchParams, parameter: string, max: number): number {
  const raw = query.get(parameter);
  if (raw === null || raw === '') return max;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 0) {
    throw badRequest(`Invalid value for field '${parameter}': '${raw}'. Must be a non-negative integer.`);
  }
  if (size > max)
    throw badRequest(`Invalid value for field '${parameter}': '${raw}'. Must be at most ${max}.`);
  return size === 0 ? max : size;
}

export function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

export function decodePageToken(token: string | null): number {
  if (token === null || token === '') return 0;
  const match = Buffer.from(token, 'base64url')
    .toString('utf8')
    .match(/^offset:(\d+)$/);
  if (!match?.[1]) throw badRequest(`Invalid value for field 'pageToken': '${token}'.`);
  return Number(match[1]);
}

/**
 * One page of `items` as the query asks for it: the size from `sizeParameter` (at most `max`), the offset from
 * `pageToken`, and the token of the next page when items remain.
 */
export function pageOf<T>(
  items: readonly T[],
  query: URLSearchParams,
  sizeParameter: string,
  max: number,
): { page: T[]; nextPageToken: string | undefined } {
  const size = readPageSize(query, sizeParameter, max);
  const offset = decodePageToken(query.get('pageToken'));
  const page = items.slice(offset, offset + size);
  const nextPageToken = offset + size < items.length ? encodePageToken(offset + size) : undefined;
  return { page, nextPageToken };
}
