// Vets a probe URL before anything is resolved: https only, a plain host name on the allow-list, no credentials.

import { canonicalHost, isHostAllowed, isHostName, isMetadataHost } from './host-guard.js';

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** Path and query, starting with `/`. */
  readonly path: string;
}

export type UrlVetting =
  | { readonly ok: true; readonly target: ProbeTarget }
  | { readonly ok: false; readonly reason: string };

export interface UrlVettingOptions {
  readonly allowHosts: readonly string[];
  /** TESTS ONLY: the port of a local test server. Production probes go to 443 and nowhere else. */
  readonly unsafePortForTests?: number;
}

export function vetProbeUrl(url: string, options: UrlVettingOptions): UrlVetting {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `${JSON.stringify(url.slice(0, 200))} is not a URL` };
  }
  if (parsed.protocol !== 'https:')
    return { ok: false, reason: `${parsed.protocol} is refused: the probe speaks https only` };
  if (parsed.username || parsed.password) return { ok: false, reason: 'a URL with user info is refused' };
  const host = canonicalHost(parsed.hostname);
  if (!isHostName(host))
    return { ok: false, reason: `${JSON.stringify(parsed.hostname)} is not a DNS host name: refused` };
  if (isMetadataHost(host)) return { ok: false, reason: `${host} is the metadata server: refused` };
  if (!isHostAllowed(host, options.allowHosts)) {
    return { ok: false, reason: `${host} is not on the probe allow-list (${options.allowHosts.join(', ')})` };
  }
  const port = parsed.port === '' ? 443 : Number(parsed.port);
  const allowedPort = options.unsafePortForTests ?? 443;
  if (port !== allowedPort)
    return { ok: false, reason: `port ${port} is refused: the probe connects to ${allowedPort} only` };
  return { ok: true, target: { host, port, path: `${parsed.pathname}${parsed.search}` } };
}
