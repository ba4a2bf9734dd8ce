import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { captureBaseline } from '../../src/app/capture-baseline.js';
import {
  BaselineError,
  baselineSchema,
  parseBaseline,
  readBaselineFile,
  serialiseBaseline,
  validBaseline,
  writeBaselineFile,
} from '../../src/config/baseline-file.js';
import type { Baseline } from '../../src/domain/baseline.js';
import { DEFAULT_GOVERNED_FIELDS } from '../../src/rules/drift/governed-fields.js';
import {
  apiGatewayNeg,
  backendService,
  fullName,
  gateway,
  graphOf,
  httpsProxy,
  negBackend,
  urlMap,
} from '../support/records.js';

const BS = fullName('global/backendServices/apigw-bs');
const NOW = new Date('2026-05-01T10:00:00Z');

const GRAPH = graphOf({
  backendService: [backendService('apigw-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] })],
  networkEndpointGroup: [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')],
  gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
  urlMap: [urlMap('apigw-map', 'apigw-bs')],
  targetHttpsProxy: [httpsProxy('apigw-proxy', 'apigw-map')],
});

describe('captureBaseline', () => {
  test('every governed resource gets an entry, stamped with who approved it and when', () => {
    const baseline = captureBaseline(GRAPH, DEFAULT_GOVERNED_FIELDS, NOW, 'alice@acme.example');
    expect(baseline.version).toBe(1);
    expect(baseline.savedAt).toBe('2026-05-01T10:00:00.000Z');
    expect(Object.keys(baseline.resources).sort()).toEqual(
      [
        BS,
        fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
        fullName('locations/us-central1/gateways/orders-gw'),
        fullName('global/urlMaps/apigw-map'),
        fullName('global/targetHttpsProxies/apigw-proxy'),
      ].sort(),
    );
    expect(baseline.resources[BS]).toMatchObject({
      approvedBy: 'alice@acme.example',
      approvedAt: '2026-05-01T10:00:00.000Z',
      fields: { protocol: 'HTTPS' },
    });
  });

  test('kinds with an empty field list are left out, and no approver leaves the key out', () => {
    const baseline = captureBaseline(GRAPH, { gateway: ['apiConfig'] }, NOW);
    expect(Object.keys(baseline.resources)).toEqual([fullName('locations/us-central1/gateways/orders-gw')]);
    expect(baseline.resources[fullName('locations/us-central1/gateways/orders-gw')]).not.toHaveProperty(
      'approvedBy',
    );
  });
});

describe('baseline files', () => {
  const baseline = captureBaseline(GRAPH, DEFAULT_GOVERNED_FIELDS, NOW, 'alice@acme.example');

  test('round trip: serialised then parsed gives the same baseline', () => {
    expect(parseBaseline(serialiseBaseline(baseline), 'baseline.json')).toEqual(baseline);
  });

  test('the same baseline built in another key order serialises to the same bytes', () => {
    const reordered: Baseline = {
      resources: Object.fromEntries(
        Object.entries(baseline.resources)
          .reverse()
          .map(([name, entry]) => [
            name,
            {
              approvedAt: entry.approvedAt,
              fields: Object.fromEntries(Object.entries(entry.fields).reverse()),
              approvedBy: entry.approvedBy,
            },
          ]),
      ),
      savedAt: baseline.savedAt,
      version: 1,
    };
    expect(serialiseBaseline(reordered)).toBe(serialiseBaseline(baseline));
    expect(serialiseBaseline(baseline)).toMatch(/^\{\n {2}"version": 1,\n {2}"savedAt": /);
  });

  const ENTRY = { fields: { protocol: 'HTTPS' } };
  const valid = { version: 1, savedAt: '2026-05-01T10:00:00Z', resources: { [BS]: ENTRY } };
  const cases: readonly (readonly [string, unknown, string])[] = [
    ['not JSON at all', 'version: 1', ''],
    ['a JSON list', [], 'baseline.json: must be a JSON object with version, savedAt and resources'],
    ['an unknown format version', { ...valid, version: 2 }, 'baseline.json: version: must be 1'],
    ['no savedAt', { version: 1, resources: {} }, 'baseline.json: savedAt: required'],
    [
      'savedAt without a time zone',
      { ...valid, savedAt: '2026-05-01 10:00' },
      'baseline.json: savedAt: must be an ISO timestamp with a time zone',
    ],
    [
      'resources keyed by short name',
      { ...valid, resources: { 'apigw-bs': ENTRY } },
      'baseline.json: resources.apigw-bs: not a full resource name (like //compute.googleapis.com/projects/P/global/backendServices/N)',
    ],
    [
      'an entry without fields',
      { ...valid, resources: { [BS]: { approvedBy: 'alice' } } },
      `baseline.json: resources["${BS}"].fields: required`,
    ],
    [
      'an entry with an unknown key',
      { ...valid, resources: { [BS]: { ...ENTRY, approver: 'alice' } } },
      `baseline.json: resources["${BS}"].approver: unknown key`,
    ],
    [
      'a field key that is not a path',
      { ...valid, resources: { [BS]: { fields: { 'iap enabled': true } } } },
      `baseline.json: resources["${BS}"].fields["iap enabled"]: not a field path (like iap.enabled)`,
    ],
    ['an unknown top-level key', { ...valid, approvedBy: 'alice' }, 'baseline.json: approvedBy: unknown key'],
    // JSON.parse makes an own __proto__ key, which zod's record skipped unvalidated.
    [
      'a resource keyed __proto__',
      `{"version": 1, "savedAt": "2026-05-01T10:00:00Z", "resources": {"__proto__": {"fields": {}}}}`,
      'baseline.json: resources.__proto__: not a full resource name (like //compute.googleapis.com/projects/P/global/backendServices/N)',
    ],
    [
      'a field keyed __proto__',
      `{"version": 1, "savedAt": "2026-05-01T10:00:00Z", "resources": {"${BS}": {"fields": {"__proto__": 1}}}}`,
      `baseline.json: resources["${BS}"].fields.__proto__: not a field path (like iap.enabled)`,
    ],
  ];

  test.each(cases)('%s', (_name, data, message) => {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    let error: unknown;
    try {
      parseBaseline(text, 'baseline.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BaselineError);
    const got = (error as Error).message;
    if (message) expect(got).toBe(message);
    else expect(got).toMatch(/^baseline\.json: not valid JSON at line \d+, column \d+: /);
    expect(got).not.toContain('\n');
  });

  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gatewarden-baseline-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test('written to disk and read back', async () => {
    const path = join(directory, 'baseline.json');
    await writeBaselineFile(path, baseline);
    expect(await readFile(path, 'utf8')).toBe(serialiseBaseline(baseline));
    expect(await readBaselineFile(path)).toEqual(baseline);
  });

  test('a missing file is a BaselineError naming it', async () => {
    const path = join(directory, 'absent.json');
    await expect(readBaselineFile(path)).rejects.toThrow(new BaselineError(path, '', 'file not found'));
  });
});

describe('baseline files nested past the bound (issue 17)', () => {
  test('a 20,000-deep field value is a BaselineError, not a stack overflow later', () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const text = `{"version": 1, "savedAt": "2026-05-11T00:00:00Z", "resources": {"//compute.googleapis.com/projects/p/global/backendServices/b": {"fields": {"iap.enabled": ${deep}}}}}`;
    expect(() => parseBaseline(text, 'baseline.json')).toThrow(
      new BaselineError('baseline.json', '', 'nested deeper than 68 levels'),
    );
  });
});

// A valid baseline is checked by hand and zod loads only for a bad one (issue 14). The hand-written check may be
// stricter than the schema (the schema then decides) but never looser, and what it returns is what the schema returns.
describe('the hand-written baseline check agrees with the schema', () => {
  const pick = <T>(valid: readonly T[], invalid: readonly unknown[], onlyValid: boolean) =>
    fc.constantFrom(...(onlyValid ? valid : [...valid, ...invalid]));
  const pickKey = (valid: readonly string[], invalid: readonly string[], onlyValid: boolean) =>
    fc.constantFrom(...(onlyValid ? valid : [...valid, ...invalid]));
  const jsonValue = fc.jsonValue({ maxDepth: 3 });

  const baselineLike = (onlyValid: boolean) => {
    const timestamp = pick(
      ['2026-05-01T10:00:00Z', '2026-05-01T10:00:00.123+02:00'],
      ['2026-05-01 10:00', '2026-13-45T10:00:00Z', '', 17, null],
      onlyValid,
    );
    const name = pickKey(
      [BS, fullName('regions/us-central1/networkEndpointGroups/neg-1'), fullName('global/urlMaps/m')],
      ['apigw-bs', '//compute.googleapis.com/nothing', '', '__proto__', 'constructor'],
      onlyValid,
    );
    const path = pickKey(
      ['protocol', 'iap.enabled', 'backends[].group'],
      ['iap enabled', '', '1x', 'a..b'],
      onlyValid,
    );
    const entry = fc.record(
      {
        fields: onlyValid
          ? fc.dictionary(path, jsonValue)
          : fc.oneof(fc.dictionary(path, jsonValue), jsonValue),
        approvedBy: pick(['alice@acme.example'], ['', 3, null], onlyValid),
        approvedAt: timestamp,
        ...(onlyValid ? {} : { approver: fc.string() }),
      },
      { requiredKeys: onlyValid ? ['fields'] : [] },
    );
    return fc
      .record(
        {
          version: pick([1], [2, '1', 1.5, null], onlyValid),
          savedAt: timestamp,
          resources: onlyValid ? fc.dictionary(name, entry) : fc.oneof(fc.dictionary(name, entry), jsonValue),
          ...(onlyValid ? {} : { approvedBy: fc.string() }),
        },
        { requiredKeys: onlyValid ? ['version', 'savedAt', 'resources'] : [] },
      )
      .map((data) => JSON.parse(JSON.stringify(data)) as object);
  };

  test('whatever it accepts, the schema accepts, as the same objects in the same key order', () => {
    fc.assert(
      fc.property(baselineLike(false), (data) => {
        const checked = validBaseline(data);
        if (checked === undefined) return;
        const parsed = baselineSchema().safeParse(data);
        expect(parsed.success).toBe(true);
        expect(checked).toStrictEqual(parsed.data);
        expect(JSON.stringify(checked)).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 1000 },
    );
  });

  test('a valid baseline passes the hand-written check, as the schema returns it', () => {
    fc.assert(
      fc.property(baselineLike(true), (data) => {
        const parsed = baselineSchema().safeParse(data);
        expect(parsed.success).toBe(true);
        expect(JSON.stringify(validBaseline(data))).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 300 },
    );
  });

  test('a resource named __proto__ goes to the schema, which names it', () => {
    const text =
      '{"version": 1, "savedAt": "2026-05-01T10:00:00Z", "resources": {"__proto__": {"fields": {}}}}';
    expect(validBaseline(JSON.parse(text))).toBeUndefined();
  });
});
