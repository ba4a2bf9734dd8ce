// Security Command Center v2 over HTTP: create, update (under a mask), setState and setMute of one finding, and list
// a source's findings. googleapis 188 (the newest on npm) ships securitycenter v1, v1beta1, v1beta2, v1p1alpha1 and
// v1p1beta1 only, no v2, so the v2 REST surface is called directly with Application Default Credentials.

import type {
  SccFindingBody,
  SccFindingContent,
  SccFindingView,
  SccMute,
  SccState,
} from '../../alerts/scc-finding.js';

const SCC_ROOT = 'https://securitycenter.googleapis.com/';

export interface SccClient {
  /** CreateFinding; `exists` when SCC answers 409 ALREADY_EXISTS (a redelivery, or a later transition). */
  createFinding(parent: string, findingId: string, body: SccFindingBody): Promise<'created' | 'exists'>;
  /** UpdateFinding (PATCH) of an existing finding, under `updateMask`. */
  updateFinding(name: string, updateMask: string, body: SccFindingContent): Promise<void>;
  setState(name: string, state: SccState): Promise<void>;
  setMute(name: string, mute: SccMute): Promise<void>;
  /** Every finding of `source` (all pages), for the backfill's summary and the tests. */
  listFindings(source: string): Promise<SccFindingView[]>;
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
  const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);
  return {
    async createFinding(parent, findingId, body) {
      const url = new URL(`v2/${parent}/findings`, root);
      url.searchParams.set('findingId', findingId);
      try {
        await call('POST', url.toString(), `SCC create ${findingId}`, body);
        return 'created';
      } catch (error) {
        if (error instanceof SccHttpError && error.response.status === 409) return 'exists';
        throw error;
      }
    },
    async updateFinding(name, updateMask, body) {
      const url = new URL(`v2/${name}`, root);
      url.searchParams.set('updateMask', updateMask);
      await call('PATCH', url.toString(), `SCC update ${idOf(name)}`, body);
    },
    async setState(name, state) {
      await call('POST', new URL(`v2/${name}:setState`, root).toString(), `SCC setState ${idOf(name)}`, {
        state,
      });
    },
    async setMute(name, mute) {
      await call('POST', new URL(`v2/${name}:setMute`, root).toString(), `SCC setMute ${idOf(name)}`, {
        mute,
      });
    },
    async listFindings(source) {
      const findings: SccFindingView[] = [];
      let pageToken: string | undefined;
      do {
        const url = new URL(`v2/${source}/locations/global/findings`, root);
        url.searchParams.set('pageSize', '1000');
        if (pageToken) url.searchParams.set('pageToken', pageToken);
        const page = (await call('GET', url.toString(), `SCC list ${source}`)) as {
          listFindingsResults?: { finding: SccFindingView }[];
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
