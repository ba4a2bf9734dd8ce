// Compute links: stored in one canonical form, served in the caller's API version and base URL.

const CANONICAL_PREFIX = 'https://www.googleapis.com/compute/v1/';
const ANY_COMPUTE_LINK = /^https?:\/\/[^/]+\/compute\/(?:v1|beta|alpha)\/(projects\/.*)$/;
const CANONICAL_LINK = /^https:\/\/www\.googleapis\.com\/compute\/v1\/(projects\/.*)$/;

export function canonicalLink(path: string): string {
  return `${CANONICAL_PREFIX}${path}`;
}

/** Replaces every Compute link (any host, any version) with the canonical v1 form, deeply. */
export function canonicaliseLinks<T>(value: T): T {
  return mapStrings(value, (text) => {
    const match = text.match(ANY_COMPUTE_LINK);
    return match ? `${CANONICAL_PREFIX}${match[1]}` : text;
  });
}

/** Serves canonical links as `{base}/compute/{version}/projects/...`: real clients follow them. */
export function servedLinks<T>(value: T, base: string, version: string): T {
  return mapStrings(value, (text) => {
    const match = text.match(CANONICAL_LINK);
    return match ? `${base}/compute/${version}/${match[1]}` : text;
  });
}

function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, map);
    return out as T;
  }
  return value;
}
