// Sends one unauthenticated probe request to a pinned address: no body, no redirects, a deadline and a size cap.

import { request } from 'node:https';
import { pinnedLookup, type VettedAddress } from './pinned-address.js';

export type SafeMethod = 'GET' | 'HEAD' | 'OPTIONS';

/** The methods a probe may send, in the order a plan sends them. */
export const SAFE_METHODS: readonly SafeMethod[] = ['GET', 'HEAD', 'OPTIONS'];

export interface PinnedRequest {
  readonly method: SafeMethod;
  /** Canonical host: sent as Host and as the TLS server name (SNI), and checked against the certificate. */
  readonly host: string;
  readonly port: number;
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly pinned: VettedAddress;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Extra trusted certificate authority (PEM), for a test server's self-signed certificate. Verification stays on. */
  readonly trustedCa?: string;
}

export type SendOutcome =
  | {
      readonly kind: 'answered';
      readonly statusCode: number;
      /** Host a 3xx points at (never fetched); the Location's path and query are not kept, they may hold tokens. */
      readonly redirectHost?: string;
      /** Body bytes read before the cap (the response is abandoned there). */
      readonly bytesRead: number;
      readonly truncated: boolean;
    }
  | { readonly kind: 'failed'; readonly reason: string };

export function isSafeMethod(method: string): method is SafeMethod {
  return (SAFE_METHODS as readonly string[]).includes(method);
}

export function sendPinnedRequest(target: PinnedRequest): Promise<SendOutcome> {
  // The type admits only safe methods; this guards callers that cast.
  if (!isSafeMethod(target.method)) {
    return Promise.resolve({
      kind: 'failed',
      reason: `method ${String(target.method)} is never sent by the probe`,
    });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(outcome);
    };
    const req = request(
      {
        method: target.method,
        protocol: 'https:',
        hostname: target.host,
        port: target.port,
        path: target.path,
        servername: target.host,
        lookup: pinnedLookup(target.host, target.pinned),
        // A fresh connection per request: a pooled socket could carry the request to an address vetted for another host.
        agent: false,
        headers: { 'user-agent': target.userAgent, accept: '*/*' },
        ...(target.trustedCa ? { ca: target.trustedCa } : {}),
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        const redirectHost =
          statusCode >= 300 && statusCode < 400
            ? redirectHostOf(response.headers.location, target)
            : undefined;
        const answered = (bytesRead: number, truncated: boolean): SendOutcome => ({
          kind: 'answered',
          statusCode,
          ...(redirectHost !== undefined ? { redirectHost } : {}),
          bytesRead,
          truncated,
        });
        let bytesRead = 0;
        response.on('data', (chunk: Buffer) => {
          bytesRead += chunk.length;
          if (bytesRead >= target.maxBodyBytes) finish(answered(target.maxBodyBytes, true));
        });
        response.on('end', () => finish(answered(bytesRead, false)));
        response.on('error', (error) => finish({ kind: 'failed', reason: describeError(error) }));
      },
    );
    // Covers the whole exchange (connect, TLS, headers and body), so a server that trickles bytes is cut off too.
    const deadline = setTimeout(
      () => finish({ kind: 'failed', reason: `no complete answer within ${target.timeoutMs} ms` }),
      target.timeoutMs,
    );
    req.on('error', (error) => finish({ kind: 'failed', reason: describeError(error) }));
    req.end();
  });
}

function redirectHostOf(location: string | undefined, target: PinnedRequest): string {
  if (!location) return '(no Location header)';
  try {
    return new URL(location, `https://${target.host}/`).host;
  } catch {
    return '(unparseable Location header)';
  }
}

function describeError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const message = error.message.split('\n', 1)[0]?.slice(0, 200) ?? '';
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
