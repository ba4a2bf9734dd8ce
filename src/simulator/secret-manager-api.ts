// Secret Manager v1, the one call Gatewarden makes: `versions/{v}:access` for the webhook URLs channels read
// (GET https://secretmanager.googleapis.com/v1/{name=projects/*/secrets/*/versions/*}:access). The simulator holds one
// version per secret, given at start; `latest` and `1` both name it. The answer is AccessSecretVersionResponse:
// `name` (the version, by number) and `payload.data` (base64 bytes).

import { ApiError } from './api-error.js';
import type { HandlerResult } from './request-context.js';

const ACCESS_PATH = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/;

/** Secret name (`projects/P/secrets/S`) -> its one version's text. */
export type SimulatedSecrets = Readonly<Record<string, string>>;

export function handleSecretManagerRequest(
  method: string,
  path: string,
  secrets: SimulatedSecrets,
): HandlerResult | undefined {
  const match = ACCESS_PATH.exec(path);
  if (!match) return undefined;
  const [, secret = '', version = ''] = match;
  if (method !== 'GET') throw new ApiError(405, 'methodNotAllowed', `${method} is not served for ${path}`);
  const value = Object.hasOwn(secrets, secret) ? secrets[secret] : undefined;
  if (value === undefined || (version !== 'latest' && version !== '1')) {
    // Google's words for a secret that does not exist, or a version it does not have.
    throw new ApiError(404, 'notFound', `Secret Version [${secret}/versions/${version}] not found.`);
  }
  return {
    status: 200,
    body: {
      name: `${secret}/versions/1`,
      payload: { data: Buffer.from(value, 'utf8').toString('base64') },
    },
  };
}
