// Reads a secret version's payload through the Secret Manager REST API with Application Default Credentials.

/** Reads `projects/P/secrets/S/versions/V`; injected so tests and local runs need no Secret Manager. */
export interface SecretReader {
  access(versionName: string): Promise<string>;
}

const VERSION_NAME = /^projects\/[^/\s]+\/secrets\/[^/\s]+\/versions\/[^/\s]+$/;

export function isSecretVersionName(text: string): boolean {
  return VERSION_NAME.test(text);
}

export interface SecretManagerReaderOptions {
  /** Bearer token source; Application Default Credentials when absent. */
  readonly getAccessToken?: () => Promise<string>;
  readonly fetch?: typeof fetch;
  readonly endpoint?: string;
  readonly timeoutMs?: number;
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export function createSecretManagerReader(options: SecretManagerReaderOptions = {}): SecretReader {
  const endpoint = (options.endpoint ?? 'https://secretmanager.googleapis.com').replace(/\/+$/, '');
  const fetchFn = options.fetch ?? fetch;
  const getAccessToken = options.getAccessToken ?? defaultAccessToken();
  return {
    async access(versionName) {
      if (!isSecretVersionName(versionName)) {
        throw new SecretAccessError(
          `${versionName} is not a secret version name (projects/P/secrets/S/versions/V)`,
        );
      }
      let response: Response;
      try {
        response = await fetchFn(`${endpoint}/v1/${versionName}:access`, {
          headers: { authorization: `Bearer ${await getAccessToken()}` },
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new SecretAccessError(
          `Secret Manager could not be reached for ${versionName}: ${errorCode(error)}`,
          true,
        );
      }
      const text = await response.text();
      if (!response.ok) {
        throw new SecretAccessError(
          `Secret Manager answered ${response.status}${statusOf(text)} for ${versionName}`,
          response.status === 429 || response.status >= 500,
        );
      }
      const data = parsePayload(text);
      if (data === undefined) {
        throw new SecretAccessError(`Secret Manager returned no payload for ${versionName}`);
      }
      // Secrets are often written with `echo`, which leaves a trailing newline no URL or key contains.
      return Buffer.from(data, 'base64').toString('utf8').trim();
    },
  };
}

function defaultAccessToken(): () => Promise<string> {
  let auth: Promise<{ getAccessToken(): Promise<string | null | undefined> }> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) => new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] }),
    );
    const token = await (await auth).getAccessToken();
    if (!token)
      throw new SecretAccessError('Application Default Credentials gave no access token for Secret Manager');
    return token;
  };
}

function parsePayload(text: string): string | undefined {
  try {
    const data = (JSON.parse(text) as { payload?: { data?: unknown } }).payload?.data;
    return typeof data === 'string' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** ` PERMISSION_DENIED`: the Google error status, never the rest of the body. */
export function statusOf(text: string): string {
  try {
    const status = (JSON.parse(text) as { error?: { status?: unknown } }).error?.status;
    return typeof status === 'string' && /^[A-Z_]{1,64}$/.test(status) ? ` ${status}` : '';
  } catch {
    return '';
  }
}

export function errorCode(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timed out';
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'network error';
}

export class SecretAccessError extends Error {
  override readonly name = 'SecretAccessError';
  readonly badInput = false;
  constructor(
    message: string,
    /** Secret Manager could not be reached, or answered 429 or 5xx: a later read may succeed. */
    readonly retryable = false,
  ) {
    super(message);
  }
}
