import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createSecretManagerReader,
  isSecretVersionName,
  SecretAccessError,
} from '../../../src/adapters/secret-manager/secret-reader.js';
import { freePort } from '../../support/free-port.js';

const PAYLOAD = 'https://hooks.slack.com/services/T1/B2/S3CRET-payload-token';
const ACCESS_TOKEN = 'ya29.test-access-token';

/** Answers like secretmanager.googleapis.com `GET /v1/{name}:access`, checking the bearer token. */
let endpoint = '';
const seen: { path: string; authorization: string | undefined }[] = [];
const server = createServer((request, response) => {
  seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
  const reply = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
    return reply(401, {
      error: {
        code: 401,
        message: 'Request had invalid authentication credentials.',
        status: 'UNAUTHENTICATED',
      },
    });
  }
  switch (request.url) {
    case '/v1/projects/acme-sec/secrets/slack-webhook/versions/latest:access':
      return reply(200, {
        name: 'projects/123456789012/secrets/slack-webhook/versions/4',
        payload: { data: Buffer.from(`${PAYLOAD}\n`).toString('base64'), dataCrc32c: '1234' },
      });
    case '/v1/projects/acme-sec/secrets/denied/versions/latest:access':
      return reply(403, {
        error: { code: 403, message: `Permission denied on ${PAYLOAD}`, status: 'PERMISSION_DENIED' },
      });
    case '/v1/projects/acme-sec/secrets/empty-answer/versions/1:access':
      return reply(200, { name: 'projects/123456789012/secrets/empty-answer/versions/1' });
    default:
      return reply(404, { error: { code: 404, message: 'Secret not found', status: 'NOT_FOUND' } });
  }
});

beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});

function reader(token = ACCESS_TOKEN) {
  return createSecretManagerReader({ endpoint, getAccessToken: async () => token });
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SecretAccessError);
  return error as Error;
}

describe('Secret Manager reader (REST, against a local stand-in)', () => {
  test('reads and decodes the payload with a bearer token, trimming the newline echo leaves', async () => {
    expect(await reader().access('projects/acme-sec/secrets/slack-webhook/versions/latest')).toBe(PAYLOAD);
    expect(seen.at(-1)).toEqual({
      path: '/v1/projects/acme-sec/secrets/slack-webhook/versions/latest:access',
      authorization: `Bearer ${ACCESS_TOKEN}`,
    });
  });

  test.each([
    {
      name: 'permission denied: the status word, not the body',
      version: 'projects/acme-sec/secrets/denied/versions/latest',
      message:
        'Secret Manager answered 403 PERMISSION_DENIED for projects/acme-sec/secrets/denied/versions/latest',
    },
    {
      name: 'not found',
      version: 'projects/acme-sec/secrets/missing/versions/2',
      message: 'Secret Manager answered 404 NOT_FOUND for projects/acme-sec/secrets/missing/versions/2',
    },
    {
      name: 'an answer without a payload',
      version: 'projects/acme-sec/secrets/empty-answer/versions/1',
      message: 'Secret Manager returned no payload for projects/acme-sec/secrets/empty-answer/versions/1',
    },
    {
      name: 'not a version name',
      version: 'projects/acme-sec/secrets/slack-webhook',
      message:
        'projects/acme-sec/secrets/slack-webhook is not a secret version name (projects/P/secrets/S/versions/V)',
    },
  ])('$name', async ({ version, message }) => {
    const error = await errorOf(reader().access(version));
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('S3CRET');
  });

  test('a rejected token: 401 UNAUTHENTICATED', async () => {
    const error = await errorOf(
      reader('expired').access('projects/acme-sec/secrets/slack-webhook/versions/latest'),
    );
    expect(error.message).toBe(
      'Secret Manager answered 401 UNAUTHENTICATED for projects/acme-sec/secrets/slack-webhook/versions/latest',
    );
  });

  test('unreachable: the error code, then nothing more', async () => {
    const port = await freePort();
    const offline = createSecretManagerReader({
      endpoint: `http://127.0.0.1:${port}`,
      getAccessToken: async () => 't',
    });
    const error = await errorOf(offline.access('projects/p/secrets/s/versions/1'));
    expect(error.message).toBe(
      'Secret Manager could not be reached for projects/p/secrets/s/versions/1: ECONNREFUSED',
    );
  });

  test.each([
    { text: 'projects/p/secrets/s/versions/latest', is: true },
    { text: 'projects/p/secrets/s/versions/7', is: true },
    { text: 'projects/p/secrets/s', is: false },
    { text: 'https://hooks.slack.com/services/projects/p/secrets/s/versions/1', is: false },
    { text: 'projects/p/secrets/s/versions/1/extra', is: false },
  ])('isSecretVersionName($text) is $is', ({ text, is }) => {
    expect(isSecretVersionName(text)).toBe(is);
  });
});
