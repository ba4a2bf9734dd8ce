// Says whether a host name may be probed: a plain DNS name, never the metadata server, and on the allow-list.

/** Names that reach the metadata server whatever they resolve to (a resolver may also special-case them). */
const METADATA_HOSTS: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata',
  'metadata.goog',
]);

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Lower case without a trailing dot, so `X.Gateway.dev.` and `x.gateway.dev` compare equal. */
export function canonicalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/**
 * True for a DNS name of letter-digit-hyphen labels (at most 253 characters). IP literals, ports, user info and
 * paths are not host names: a `defaultHostname` holding them is refused rather than interpreted.
 */
export function isHostName(host: string): boolean {
  const name = canonicalHost(host);
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  // A last label of digits only would make the name an IPv4 literal to URL parsers.
  return (
    labels.length >= 2 && labels.every((label) => LABEL.test(label)) && !/^\d+$/.test(labels.at(-1) ?? '')
  );
}

export function isMetadataHost(host: string): boolean {
  return METADATA_HOSTS.has(canonicalHost(host));
}

/**
 * Matches a host against allow-list patterns label by label. A leading `*` stands for one or more labels, because
 * gateway hosts have two labels before the domain (`orders-gw-8k2j4h1q.uc.gateway.dev` matches `*.gateway.dev`);
 * anywhere else a label must be equal. `*.gateway.dev` does not match `gateway.dev` itself.
 */
export function isHostAllowed(host: string, patterns: readonly string[]): boolean {
  const labels = canonicalHost(host).split('.');
  return patterns.some((pattern) => matchesPattern(labels, canonicalHost(pattern).split('.')));
}

function matchesPattern(labels: readonly string[], pattern: readonly string[]): boolean {
  const [first, ...rest] = pattern;
  if (first === '*') {
    if (labels.length <= rest.length) return false;
    return rest.every(
      (label, index) => label !== '*' && labels[labels.length - rest.length + index] === label,
    );
  }
  return labels.length === pattern.length && pattern.every((label, index) => label === labels[index]);
}
