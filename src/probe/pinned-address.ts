// Resolves a probe host ourselves, refuses it unless every address is public, and pins the connection to the
// vetted address so a DNS answer that changes between the check and the connect (rebinding) cannot redirect it.

import type { LookupAddress, LookupOptions } from 'node:dns';
import { refusedAddressClass } from './address-guard.js';

/** `dns.promises.lookup` with `all: true`, injected so tests decide what a name resolves to. */
export type HostResolver = (host: string, options: { all: true }) => Promise<readonly LookupAddress[]>;

export interface VettedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export type AddressVetting =
  | { readonly ok: true; readonly pinned: VettedAddress; readonly resolved: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly resolved: readonly string[] };

export interface VettingOptions {
  /**
   * TESTS ONLY: lets loopback addresses through so a test can reach its own HTTPS server on 127.0.0.1. Every other
   * refusal (private, link-local, metadata...) still applies. Never set from a policy file.
   */
  readonly unsafeAllowLoopbackForTests?: boolean;
}

/** Resolves `host` and vets every address it has: one private address among public ones refuses the host. */
export async function resolveVettedAddress(
  host: string,
  resolve: HostResolver,
  options: VettingOptions = {},
): Promise<AddressVetting> {
  let answers: readonly LookupAddress[];
  try {
    answers = await resolve(host, { all: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      reason: `${host} does not resolve (${typeof code === 'string' ? code : 'lookup failed'})`,
      resolved: [],
    };
  }
  const resolved = answers.map((answer) => answer.address);
  if (answers.length === 0) return { ok: false, reason: `${host} resolves to no address`, resolved };
  for (const answer of answers) {
    const refused = refusedAddressClass(answer.address);
    if (refused === undefined || (refused === 'loopback' && options.unsafeAllowLoopbackForTests === true))
      continue;
    return {
      ok: false,
      reason: `${host} resolves to ${answer.address}, a ${refused} address: refused`,
      resolved,
    };
  }
  const [first] = answers as [LookupAddress, ...LookupAddress[]];
  return { ok: true, pinned: { address: first.address, family: first.family === 6 ? 6 : 4 }, resolved };
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `https.request` that answers only with the vetted address, and only for the vetted host. Node asks
 * for `all: true` when it races address families (autoSelectFamily), so both callback shapes are served.
 */
export function pinnedLookup(host: string, pinned: VettedAddress) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    if (hostname.toLowerCase() !== host.toLowerCase()) {
      const error: NodeJS.ErrnoException = new Error(
        `the probe connection is pinned to ${host}, not ${hostname}`,
      );
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }
    if (options.all === true) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}
