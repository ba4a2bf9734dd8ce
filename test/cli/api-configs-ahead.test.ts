// A helper thread analyses a large scan's API configs while the worker loads (src/cli/api-configs-ahead.ts) and the
// worker's judge takes them by content key. Whatever arrives, the judge's analyses must be the ones it computes alone.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { generateEstate, writeEstate } from '../../bench/generate-estate.js';
import {
  AHEAD_MAX_BYTES,
  analyseApiConfigsAhead,
  takeAnalysesFrom,
} from '../../src/cli/api-configs-ahead.js';
import {
  ANALYSES_BY_CONTENT,
  type ApiConfigAnalysis,
  analyseApiConfig,
  analyseKeyed,
  type KeyedAnalysis,
  onAnalysisMiss,
} from '../../src/domain/api-config-auth.js';
import type { ApiConfig } from '../../src/domain/resources.js';
import { apiConfig } from '../support/records.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-api-configs-ahead-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  onAnalysisMiss(undefined);
  ANALYSES_BY_CONTENT.clear();
});

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Real-shaped documents and hostile ones: each decides a different branch of the analysis. */
const DOCUMENTS: readonly string[] = [
  'swagger: "2.0"\ninfo: { title: t, version: "1" }\nsecurity: [ { api_key: [] } ]\nsecurityDefinitions:\n  api_key: { type: apiKey, name: key, in: query }\npaths:\n  /a:\n    get: {}\n    post: { security: [] }\n',
  'swagger: "2.0"\ninfo: { title: t, version: "1" }\nx-google-allow: all\npaths:\n  /b: { get: { security: [ {} ] } }\n',
  '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"components":{"securitySchemes":{"a0":{"type":"oauth2","x-google-auth":{"issuer":"https://i/","audiences":["x"]}}}},"security":[{"a0":[]}],"paths":{"/c":{"get":{}}}}',
  'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths:\n  /ref:\n    $ref: "other.yaml#/paths/~1d"\n',
  'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths:\n  /d: { get: {} }\n',
  'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths:\n  /x:\n    $ref: "#/x-a"\nx-a: { $ref: "#/x-b" }\nx-b: { $ref: "#/x-a", get: {} }\n',
  'a: &a [1, 1, 1]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: [*d, *d, *d, *d]\n',
  'openapi: 3.1.0\npaths: [1, 2]\n',
  'openapi: 4\npaths: {}\n',
  'just: text: with: colons\n',
  '- a list\n',
  '',
];
const contents = fc.oneof(
  fc.constantFrom(...DOCUMENTS).map(b64),
  fc.constantFrom('not base64!', '', 'QQ', '/w==', ' c3dh\nZ2dl '),
  fc.string({ maxLength: 8 }),
  fc.constantFrom(undefined, null, 7),
);
const documentEntry = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      document: fc.record({
        path: fc.constantFrom('openapi.yaml', 'other.yaml', './other.yaml', '', undefined),
        contents,
      }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, {}, { document: null }, 'text', 3) },
);
/** An API config record as an export may hold it, hostile parts included; sometimes no documents at all. */
const hostileConfig = fc.record(
  {
    name: fc.constantFrom(
      'projects/p/locations/global/apis/a/configs/c1',
      'projects/p/locations/global/apis/a/configs/c2',
    ),
    openapiDocuments: fc.oneof(
      fc.array(documentEntry, { maxLength: 3 }),
      fc.constantFrom(undefined, 'x', {}),
    ),
    grpcServices: fc.constantFrom(undefined, [], [{ fileDescriptorSet: {} }], 'x'),
    managedServiceConfigs: fc.constantFrom(undefined, [], [{ path: 'a.yaml' }]),
    labels: fc.constantFrom(undefined, { team: 'orders' }),
  },
  { requiredKeys: ['name'] },
) as fc.Arbitrary<ApiConfig>;

/** What this thread's judge makes of each config alone: a cold cache, nothing handed in. */
function alone(configs: readonly ApiConfig[]): ApiConfigAnalysis[] {
  onAnalysisMiss(undefined);
  ANALYSES_BY_CONTENT.clear();
  return configs.map((config) => analyseApiConfig(structuredClone(config)));
}

/** Batches sent through a real channel (structured clone, as between threads), then the port they arrive on. */
function sent(batches: readonly (readonly KeyedAnalysis[])[]): MessagePort {
  const { port1, port2 } = new MessageChannel();
  for (const batch of batches) port1.postMessage(batch);
  port1.close();
  return port2;
}

/** The analyses another thread made of `configs`, with its own cache (cleared here before and after). */
function aheadOf(configs: readonly ApiConfig[]): KeyedAnalysis[] {
  ANALYSES_BY_CONTENT.clear();
  const keyed = configs.flatMap((config) => analyseKeyed(structuredClone(config)) ?? []);
  ANALYSES_BY_CONTENT.clear();
  return keyed;
}

describe('analyses handed in from another thread', () => {
  test('the judge makes the same of every config, handed in or not, on hostile and real-shaped configs', () => {
    fc.assert(
      fc.property(
        fc.array(hostileConfig, { maxLength: 6 }),
        fc.array(hostileConfig, { maxLength: 6 }),
        (handed, others) => {
          // The judge sees the configs analysed ahead, configs that differ from them, and the same again.
          const judged = [...others, ...handed, ...others];
          const expected = alone(judged);
          const port = sent([aheadOf(handed)]);
          takeAnalysesFrom(port);
          const seeded = judged.map((config) => analyseApiConfig(structuredClone(config)));
          port.close();
          expect(JSON.stringify(seeded)).toBe(JSON.stringify(expected));
          expect(seeded).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('a miss takes what has arrived since, and uses it (the content key decides, nothing else is analysed)', () => {
    const config = apiConfig('orders/configs/ahead', DOCUMENTS[0] as string);
    const [real] = aheadOf([config]);
    expect(real?.analysis.kind).toBe('openapi');
    // A marker no analysis would make: proof that the judge took it instead of parsing.
    const marker: ApiConfigAnalysis = { kind: 'unreadable', reason: 'handed in' };
    const { port1, port2 } = new MessageChannel();
    takeAnalysesFrom(port2);
    port1.postMessage([{ ...real, analysis: marker }]);
    expect(analyseApiConfig(structuredClone(config))).toEqual(marker);
    port1.close();
  });

  test('a config whose analysis has not arrived is analysed here', () => {
    const config = apiConfig('orders/configs/late', DOCUMENTS[1] as string);
    const [expected] = alone([config]);
    ANALYSES_BY_CONTENT.clear();
    const { port1, port2 } = new MessageChannel();
    takeAnalysesFrom(port2);
    expect(analyseApiConfig(structuredClone(config))).toEqual(expected);
    port1.close();
  });
});

/** Everything posted on a port (received synchronously). */
function received(port: MessagePort): KeyedAnalysis[] {
  const all: KeyedAnalysis[] = [];
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
    all.push(...(message.message as KeyedAnalysis[]));
  }
  return all;
}

describe('analyseApiConfigsAhead reads the estate export', () => {
  test('posts each distinct content of the export once, as analyseKeyed makes it', async () => {
    const dir = join(scratch, 'generated');
    const estate = generateEstate({ scale: 0.02, seed: 14 });
    writeEstate(estate, dir);
    const configs = estate.apiConfig as ApiConfig[];
    // Two records with the same documents: one analysis.
    writeFileSync(join(dir, 'api-configs.json'), JSON.stringify([...configs, structuredClone(configs[0])]));
    const { port1, port2 } = new MessageChannel();
    const posted = await analyseApiConfigsAhead(dir, port1);
    const all = received(port2);
    const expected = aheadOf(configs);
    expect(configs.length).toBeGreaterThan(1);
    expect(posted).toBe(expected.length);
    expect(all).toEqual(expected);
    port1.close();
  });

  test('records nested in records (analysed as they are parsed): the judge still makes the same of each', async () => {
    const dir = join(scratch, 'nested');
    mkdirSync(dir, { recursive: true });
    const inner = apiConfig('orders/configs/inner', DOCUMENTS[2] as string);
    const outer = apiConfig('orders/configs/outer', DOCUMENTS[0] as string);
    const records: ApiConfig[] = [
      // A document entry that is itself a config, beside its document: its holder's key changes when it is dropped.
      { ...outer, openapiDocuments: [{ ...outer.openapiDocuments?.[0], ...inner } as never] },
      // A document entry that is only a config: no document, so the holder reads nothing of it either way.
      { ...outer, openapiDocuments: [inner as never] },
      { ...outer, grpcServices: [inner] },
      outer,
      inner,
    ];
    writeFileSync(join(dir, 'api-configs.json'), JSON.stringify(records));
    const expected = alone(records);
    ANALYSES_BY_CONTENT.clear();
    const { port1, port2 } = new MessageChannel();
    expect(await analyseApiConfigsAhead(dir, port1)).toBeGreaterThan(0);
    ANALYSES_BY_CONTENT.clear();
    takeAnalysesFrom(port2);
    expect(records.map((record) => analyseApiConfig(structuredClone(record)))).toEqual(expected);
    port1.close();
  });

  test.each([
    ['no export', undefined],
    ['not JSON', '[{"name": '],
    ['not an array', '{"name": "projects/p/locations/global/apis/a/configs/c"}'],
    ['records without documents or not records', '[1, null, "x", [], {"name": "c"}]'],
  ])('%s: posts nothing', async (label, text) => {
    const dir = join(scratch, label.replaceAll(' ', '-'));
    mkdirSync(dir, { recursive: true });
    if (text !== undefined) writeFileSync(join(dir, 'api-configs.json'), text);
    const { port1, port2 } = new MessageChannel();
    expect(await analyseApiConfigsAhead(dir, port1)).toBe(0);
    expect(received(port2)).toEqual([]);
    port1.close();
  });

  test('an export larger than AHEAD_MAX_BYTES: posts nothing (the worker alone reads it)', async () => {
    const dir = join(scratch, 'large');
    writeEstate(generateEstate({ scale: 0.02, seed: 5 }), dir);
    const path = join(dir, 'api-configs.json');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}${' '.repeat(AHEAD_MAX_BYTES + 1 - text.length)}`);
    const { port1, port2 } = new MessageChannel();
    expect(await analyseApiConfigsAhead(dir, port1)).toBe(0);
    expect(received(port2)).toEqual([]);
    writeFileSync(path, text);
    expect(await analyseApiConfigsAhead(dir, port1)).toBeGreaterThan(0);
    port1.close();
  });

  test('a directory under the export name: posts nothing', async () => {
    const dir = join(scratch, 'special');
    mkdirSync(join(dir, 'api-configs.json'), { recursive: true });
    const { port1 } = new MessageChannel();
    expect(await analyseApiConfigsAhead(dir, port1)).toBe(0);
    port1.close();
  });

  test('posts nothing once the worker has finished', async () => {
    const dir = join(scratch, 'stopped');
    writeEstate(generateEstate({ scale: 0.02, seed: 3 }), dir);
    const { port1, port2 } = new MessageChannel();
    expect(await analyseApiConfigsAhead(dir, port1, () => true)).toBe(0);
    expect(received(port2)).toEqual([]);
    port1.close();
  });
});
