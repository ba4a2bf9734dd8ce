// Security Command Center v2 over HTTP: patch (create or update) one finding, list a source's findings. googleapis
// 188 ships securitycenter v1 only, so the v2 REST surface is called directly with Application Default Credentials.

import type { SccFindingBody, SccWrite } from '../../alerts/scc-finding.js';

const SCC_ROOT = 'https://securitycenter.googleapis.com/';

export interface SccClient {
  patchFinding(write: SccWrite): Promise<void>;
  /** Every finding of `source` (all pages), for the backfill's summary and the tests. */
  listFindings(source: string): Promise<SccFindingBody[]>;
}

export interface SccClientOptions {
  /** The simulator's URL (GATEWARDEN_API_ENDPOINT): requests go there, unauthenticated. */
  readonly endpoint?: string;
  /** Bounds one request. */
  readonly timeoutMs?: number;
}

/** A non-2xx answer, shaped like a gaxios error so `toApiFailure` reads its status, reason and Retry-After. */
export class SccHttpError extends Error {
  override readonly name = 'SccHttpError';
  readonly response: { status: number; data: unknown; headers: Record<string, string> };
  constructor(status: number, data: unknown, headers: Record<string, string>, what: string) {
    const message =
      (data as { error?: { message?: unknown } } | undefined)?.error?.message ?? `HTTP ${status}`;
    super(`${what}: ${String(message)}`);
    this.response = { status, data, headers };
  }

  /** Throttling and outages (429, 5xx) may pass on a later attempt; any other answer would be the same again. */
  get retryable(): boolean {
    return this.response.status === 429 || this.response.status >= 500;
  }
}

export function createSccClient(options: SccClientOptions = {}): SccClient {
  const root = options.endpoint ? `${new URL(options.endpoint).origin}/` : SCC_ROOT;
  let auth: Promise<import('google-auth-library').GoogleAuth> | undefined;
  const headersFor = async (url: string): Promise<Record<string, string>> => {
    if (options.endpoint) return {};
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) => new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }),
    );
    return Object.fromEntries((await (await auth).getRequestHeaders(url)).entries());
  };
  const call = async (method: string, url: string, what: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(url, {
      method,
      headers: { ...(await headersFor(url)), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
    const text = await response.text();
    const data: unknown = text ? safeJson(text) : {};
    if (!response.ok) {
      const retryAfter = response.headers.get('retry-after');
      throw new SccHttpError(response.status, data, retryAfter ? { 'retry-after': retryAfter } : {}, what);
    }
    return data;
  };
  return {
    async patchFinding(write) {
      const url = new URL(`v2/${write.name}`, root);
      url.searchParams.set('updateMask', write.updateMask);
      await call('PATCH', url.toString(), `SCC patch ${write.findingId}`, write.body);
    },
    async listFindings(source) {
      const findings: SccFindingBody[] = [];
      let pageToken: string | undefined;
      do {
        const url = new URL(`v2/${source}/locations/global/findings`, root);
        url.searchParams.set('pageSize', '1000');
        if (pageToken) url.searchParams.set('pageToken', pageToken);
        const page = (await call('GET', url.toString(), `SCC list ${source}`)) as {
          listFindingsResults?: { finding: SccFindingBody }[];
          nextPageToken?: string;
        };
        for (const result of page.listFindingsResults ?? []) findings.push(result.finding);
        pageToken = page.nextPageToken || undefined;
      } while (pageToken);
      return findings;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { message: text.slice(0, 200) } };
  }
}
