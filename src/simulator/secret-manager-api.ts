// Secret Manager v1: `versions/{v}:access` for the webhook URLs channels read
// (GET https://secretmanager.googleapis.com/v1/{name=projects/*/secrets/*/versions/*}:access), and the metadata reads
// `gatewarden doctor` makes: `secrets.getIamPolicy` (GET v1/projects/P/secrets/S:getIamPolicy) and `versions.get`
// (GET v1/projects/P/secrets/S/versions/V). The values are one version per secret, given at start (`latest` and `1`
// both name it); the metadata is the platform's `secrets`, which tests swap to make faults. The access answer is
// AccessSecretVersionResponse: `name` (the version, by number) and `payload.data` (base64 bytes).

import { ApiError } from './api-error.js';
import type { PlatformState } from './platform.js';
import type { HandlerResult } from './request-context.js';

const ACCESS_PATH = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/;
const IAM_POLICY_PATH = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+):getIamPolicy$/;
const VERSION_PATH = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+)$/;

/** Secret name (`projects/P/secrets/S`) -> its one version's text. */
export type SimulatedSecrets = Readonly<Record<string, string>>;

export function handleSecretManagerRequest(
  method: string,
  path: string,
  secrets: SimulatedSecrets,
  platform: PlatformState,
): HandlerResult | undefined {
  const match = ACCESS_PATH.exec(path);
  if (!match) return method === 'GET' ? handleMetadataRead(path, platform) : undefined;
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

function handleMetadataRead(path: string, platform: PlatformState): HandlerResult | undefined {
  const policyMatch = IAM_POLICY_PATH.exec(path);
  const versionMatch = VERSION_PATH.exec(path);
  const name = policyMatch?.[1] ?? versionMatch?.[1];
  if (name === undefined) return undefined;
  const secret = platform.get().secrets.find((candidate) => candidate.name === name);
  if (!secret) throw new ApiError(404, 'notFound', `Secret [${name}] not found or has no versions.`);
  if (policyMatch) {
    // A secret with no grants of its own answers an empty policy, as the real API does.
    return {
      status: 200,
      body:
        secret.bindings.length > 0
          ? { version: 1, etag: 'BwYA', bindings: secret.bindings }
          : { etag: 'ACAB' },
    };
  }
  const version = versionMatch?.[2] ?? '';
  if (secret.latestVersion === null || (version !== 'latest' && version !== '1')) {
    throw new ApiError(404, 'notFound', `Secret Version [${name}/versions/${version}] not found.`);
  }
  return { status: 200, body: { name: `${name}/versions/1`, state: secret.latestVersion } };
}
