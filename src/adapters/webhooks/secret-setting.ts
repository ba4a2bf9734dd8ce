// Settings that hold a secret (a webhook URL, a signing key): the value itself, or a Secret Manager version to read.

import { isSecretVersionName, type SecretReader } from '../secret-manager/secret-reader.js';

/** `fresh`: read again instead of the kept value (a webhook rotated in Secret Manager since it was first read). */
export type SecretSetting = (fresh?: boolean) => Promise<string>;

/**
 * Reads `variable` lazily and once per instance. Errors name the variable and never echo its value: a webhook URL
 * is itself the credential.
 */
export function secretSetting(
  variable: string,
  env: Readonly<Record<string, string | undefined>>,
  reader: SecretReader | undefined,
): SecretSetting | undefined {
  const value = env[variable]?.trim();
  if (!value) return undefined;
  let cached: Promise<string> | undefined;
  return (fresh = false) => {
    if (fresh) cached = undefined;
    cached ??= readSetting(variable, value, reader).catch((error: unknown) => {
      // A failed read (Secret Manager briefly unavailable) is tried again on the next send.
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

async function readSetting(
  variable: string,
  value: string,
  reader: SecretReader | undefined,
): Promise<string> {
  if (!value.startsWith('projects/')) return value;
  if (!isSecretVersionName(value)) {
    throw new SettingError(
      `${variable} starts like a Secret Manager name but is not projects/P/secrets/S/versions/V`,
    );
  }
  if (!reader)
    throw new SettingError(`${variable} names a Secret Manager version but no secret reader was given`);
  let secret: string;
  try {
    secret = await reader.access(value);
  } catch (error) {
    throw new SettingError(`${variable}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!secret) throw new SettingError(`${variable}: the secret version ${value} is empty`);
  return secret;
}

/** A webhook URL setting: https, or http only to this machine (a local receiver in tests and the demo). */
export function webhookUrlSetting(
  variable: string,
  env: Readonly<Record<string, string | undefined>>,
  reader: SecretReader | undefined,
): SecretSetting | undefined {
  const setting = secretSetting(variable, env, reader);
  if (!setting) return undefined;
  const direct = env[variable]?.trim() ?? '';
  // A URL given directly is checked at start; one from Secret Manager when it is first read.
  if (!direct.startsWith('projects/') && !isAcceptableWebhookUrl(direct)) throw notWebhookUrl(variable);
  return async (fresh) => {
    const text = await setting(fresh);
    if (!isAcceptableWebhookUrl(text)) throw notWebhookUrl(variable);
    return text;
  };
}

function notWebhookUrl(variable: string): SettingError {
  return new SettingError(
    `${variable} does not hold a webhook URL (https, or http to a loopback address); its value is not shown`,
  );
}

function isAcceptableWebhookUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export class SettingError extends Error {
  override readonly name = 'SettingError';
  readonly badInput = true;
  readonly retryable = false;
}
