import { chmod, mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { EstateError } from '../../../src/adapters/estate-files/estate-error.js';
import {
  hasCollectionSegment,
  loadEstate,
  ProjectSurvey,
  projectOfLink,
} from '../../../src/adapters/estate-files/load-estate.js';
import { ResourceGraph } from '../../../src/domain/graph.js';
import { parseResourceRef } from '../../../src/domain/resource-name.js';
import {
  apiConfig,
  apiGatewayNeg,
  backendService,
  gateway,
  negBackend,
  PROJECT,
  PROJECT_NUMBER,
  urlMap,
} from '../../support/records.js';
import { loadEstateReference } from './load-estate-reference.js';

const FIXTURE = 'test/fixtures/estates/orders-edge';
const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-estate-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let estates = 0;
/** Writes an estate directory: file name -> JSON value, or raw text when a string. */
async function estateOf(files: Record<string, unknown>): Promise<string> {
  const dir = join(scratch, `estate-${++estates}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(
      join(dir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

describe('loadEstate on the orders-edge fixture', () => {
  test('reads every estate file into the inventory and ignores README.txt', async () => {
    const estate = await loadEstate(FIXTURE);
    expect(estate.files).toEqual([
      'backend-services.json',
      'network-endpoint-groups.json',
      'url-maps.json',
      'target-http-proxies.json',
      'target-https-proxies.json',
      'forwarding-rules.json',
      'ssl-policies.json',
      'security-policies.json',
      'gateways.json',
      'api-configs.json',
    ]);
    expect(estate.recordCount).toBe(17);
    expect(estate.inventory.backendService.map((service) => service.name)).toEqual([
      'orders-bs',
      'legacy-bs',
    ]);
    expect(estate.inventory.projectIds).toEqual({ [PROJECT_NUMBER]: PROJECT });
    expect(estate.warnings).toEqual([]);
    expect(estate.baselinePath).toBeUndefined();
  });

  test('streamed file by file, it reads the same inventory and warnings', async () => {
    const whole = await loadEstate(FIXTURE);
    const streamed = await loadEstate(FIXTURE, { streamAboveBytes: 0 });
    expect(streamed.inventory).toEqual(whole.inventory);
    expect(streamed.warnings).toEqual(whole.warnings);
  });

  test('builds a graph where every NEG reaches its gateway and nothing is skipped', async () => {
    const graph = ResourceGraph.build((await loadEstate(FIXTURE)).inventory);
    expect(graph.skipped).toEqual([]);
    expect(graph.size).toBe(17);
    const reached = graph
      .nodes('networkEndpointGroup')
      .map((neg) => graph.gatewaysReachedBy(neg)[0]?.ref.name);
    expect(reached).toEqual(['orders-gw-usc1', 'orders-gw-euw2', 'legacy-gw']);
  });
});

describe('loadEstate reads what gcloud writes', () => {
  test.each([
    {
      name: 'global and regional backend services in one file',
      files: {
        'backend-services.json': [
          backendService('orders-bs'),
          backendService('run-bs', { loadBalancingScheme: 'INTERNAL_MANAGED' }, { region: 'us-central1' }),
        ],
      },
      kind: 'backendService' as const,
      count: 2,
    },
    {
      name: 'a UTF-8 byte-order mark',
      files: { 'url-maps.json': `\uFEFF${JSON.stringify([urlMap('orders-map', 'orders-bs')])}` },
      kind: 'urlMap' as const,
      count: 1,
    },
    {
      name: 'an empty list',
      files: { 'gateways.json': '[]\n' },
      kind: 'gateway' as const,
      count: 0,
    },
  ])('$name', async ({ files, kind, count }) => {
    const estate = await loadEstate(await estateOf(files));
    expect(estate.inventory[kind]).toHaveLength(count);
  });

  test('UTF-16 with a byte-order mark (Windows PowerShell redirection)', async () => {
    const dir = await estateOf({});
    const text = JSON.stringify([gateway('orders-gw', 'us-central1', 'orders/configs/v7')]);
    await writeFile(
      join(dir, 'gateways.json'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    expect((await loadEstate(dir)).inventory.gateway).toHaveLength(1);
  });

  test('projects.json as `gcloud projects list` prints it (an array, numbers as strings)', async () => {
    const dir = await estateOf({
      'gateways.json': [gateway('orders-gw', 'us-central1', 'orders/configs/v7')],
      'projects.json': [
        { projectId: 'acme-edge', projectNumber: '123456789012', lifecycleState: 'ACTIVE' },
        { projectId: 'acme-shared', projectNumber: '210987654321', lifecycleState: 'ACTIVE' },
      ],
    });
    expect((await loadEstate(dir)).inventory.projectIds).toEqual({
      '123456789012': 'acme-edge',
      '210987654321': 'acme-shared',
    });
  });

  test('without projects.json, a number is mapped to the ID of the gateway whose config it names', async () => {
    const numbered = `projects/${PROJECT_NUMBER}/locations/global/apis/orders/configs/v7`;
    const dir = await estateOf({
      'gateways.json': [
        gateway('orders-gw', 'us-central1', numbered),
        gateway(
          'shared-gw',
          'us-central1',
          'projects/210987654321/locations/global/apis/a/configs/b',
          {},
          '210987654321',
        ),
      ],
    });
    expect((await loadEstate(dir)).inventory.projectIds).toEqual({ [PROJECT_NUMBER]: PROJECT });
    await writeFile(
      join(dir, 'projects.json'),
      JSON.stringify({ projectId: 'acme-renamed', projectNumber: PROJECT_NUMBER }),
    );
    expect((await loadEstate(dir)).inventory.projectIds).toEqual({ [PROJECT_NUMBER]: 'acme-renamed' });
  });

  test('baseline.json beside the exports is read and validated', async () => {
    const baseline = {
      version: 1,
      savedAt: '2026-05-01T12:00:00Z',
      resources: {
        '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs': {
          fields: {
            securityPolicy: '//compute.googleapis.com/projects/acme-edge/global/securityPolicies/api-waf',
          },
          approvedBy: 'platform-edge@acme.example',
        },
      },
    };
    const dir = await estateOf({ 'gateways.json': [], 'baseline.json': baseline });
    const estate = await loadEstate(dir);
    expect(estate.baselinePath).toBe(join(dir, 'baseline.json'));
    expect(estate.baseline).toEqual(baseline);
  });

  test('an invalid baseline.json is bad input naming the file and key', async () => {
    const dir = await estateOf({
      'gateways.json': [],
      'baseline.json': { version: 2, savedAt: 'x', resources: {} },
    });
    await expect(loadEstate(dir)).rejects.toMatchObject({
      name: 'BaselineError',
      message: expect.stringMatching(new RegExp(`^${join(dir, 'baseline.json')}: version: `)),
    });
  });
});

describe('loadEstate warns, and leaves the printing to its caller', () => {
  test.each([
    {
      name: 'serverless NEGs exported with the v1 API (no target at all)',
      files: {
        'network-endpoint-groups.json': [
          {
            ...apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
            serverlessDeployment: undefined,
          },
          {
            ...apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw'),
            serverlessDeployment: undefined,
          },
          apiGatewayNeg('billing-neg-usc1', 'us-central1', 'billing-gw'),
        ],
      },
      warning:
        '{dir}/network-endpoint-groups.json: 2 serverless NEGs name no target (orders-neg-usc1, orders-neg-euw2); ' +
        'the file looks like a v1 export, which leaves out serverlessDeployment: export NEGs with ' +
        '`gcloud beta compute network-endpoint-groups list --format=json`',
    },
    {
      name: 'API configs listed instead of described with --view=FULL',
      files: { 'api-configs.json': [{ ...apiConfig('orders/configs/v7', {}), openapiDocuments: undefined }] },
      warning:
        '{dir}/api-configs.json: 1 API config carries no documents (projects/acme-edge/locations/global/apis/' +
        'orders/configs/v7); export each with `gcloud api-gateway api-configs describe --view=FULL --format=json`',
    },
    {
      name: 'gateways named by project number, with no projects.json to map it',
      files: {
        'backend-services.json': [
          backendService('orders-bs', { backends: [negBackend('n', 'us-central1')] }),
        ],
        'gateways.json': [gateway('orders-gw', 'us-central1', 'orders/configs/v7', {}, PROJECT_NUMBER)],
      },
      warning:
        '{dir}: project 123456789012 named by number with no projects.json to map it to a project ID: resources ' +
        'named by number will not match those named by ID; add projects.json ' +
        '(`gcloud projects describe PROJECT --format=json`)',
    },
  ])('$name', async ({ files, warning }) => {
    const dir = await estateOf(files);
    expect((await loadEstate(dir)).warnings).toEqual([warning.replace('{dir}', dir)]);
  });

  test('no number warning for a number only an unreadable link names (the graph skips that record)', async () => {
    const dir = await estateOf({
      'backend-services.json': [
        backendService('orders-bs'),
        backendService('odd-bs', {
          selfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT_NUMBER}/global/backendServices/odd bs`,
        }),
      ],
    });
    expect((await loadEstate(dir)).warnings).toEqual([]);
  });

  test('projects named by number are listed in the order their first readable link was met', async () => {
    const link = (project: string, name: string) =>
      `https://www.googleapis.com/compute/v1/projects/${project}/global/backendServices/${name}`;
    const dir = await estateOf({
      'backend-services.json': [
        backendService('by-id'),
        backendService('odd-bs', { selfLink: link('111111111111', 'odd bs') }),
        backendService('two', { selfLink: link('222222222222', 'two') }),
        backendService('one', { selfLink: link('111111111111', 'one') }),
        backendService('mapped', { selfLink: link('333333333333', 'mapped') }),
      ],
      'projects.json': { projectId: 'mapped-project', projectNumber: '333333333333' },
    });
    expect((await loadEstate(dir)).warnings).toEqual([
      `${dir}: projects 222222222222, 111111111111 named by number with no projects.json to map them to a ` +
        'project ID: resources named by number will not match those named by ID; add projects.json ' +
        '(`gcloud projects describe PROJECT --format=json`)',
    ]);
  });

  test('no number warning once projects.json maps the number', async () => {
    const dir = await estateOf({
      'backend-services.json': [backendService('orders-bs')],
      'gateways.json': [gateway('orders-gw', 'us-central1', 'orders/configs/v7', {}, PROJECT_NUMBER)],
      'projects.json': { projectId: PROJECT, projectNumber: PROJECT_NUMBER },
    });
    expect((await loadEstate(dir)).warnings).toEqual([]);
  });
});

describe('loadEstate rejects bad input with one line naming the file', () => {
  test.each([
    {
      name: 'not JSON: a trailing comma',
      files: { 'backend-services.json': '[\n  {"name": "a",}\n]' },
      message:
        '{dir}/backend-services.json: not valid JSON at line 2, column 16: Expected double-quoted property name',
    },
    {
      name: 'not JSON: a stray word (V8 gives no position for this one)',
      files: { 'gateways.json': '[\n  {"name": tru}\n]' },
      message: '{dir}/gateways.json: not valid JSON at line 2, column 15: unexpected character',
    },
    {
      name: 'not JSON: cut short',
      files: { 'url-maps.json': '[{"name": "orders-map",\n' },
      message: '{dir}/url-maps.json: not valid JSON at line 2, column 1: unexpected end of input',
    },
    {
      name: 'not JSON: an empty file (a failed gcloud run)',
      files: { 'url-maps.json': '' },
      message: '{dir}/url-maps.json: not valid JSON at line 1, column 1: the file is empty',
    },
    {
      name: 'not an array: the REST list response instead of the gcloud output',
      files: { 'gateways.json': { gateways: [], unreachableLocations: [] } },
      message:
        '{dir}/gateways.json: expected a JSON array (as `gcloud api-gateway gateways list --format=json` prints), ' +
        'found an object',
    },
    {
      name: 'not an array: one `describe` output instead of an array of them',
      files: { 'api-configs.json': apiConfig('orders/configs/v7', {}) },
      message:
        '{dir}/api-configs.json: expected a JSON array (as `gcloud api-gateway api-configs describe CONFIG ' +
        '--api=API --view=FULL --format=json, one per config` prints), found an object',
    },
    {
      name: 'a compute record without selfLink',
      files: {
        'backend-services.json': [backendService('a'), { ...backendService('b'), selfLink: undefined }],
      },
      message: '{dir}/backend-services.json: record .[1] ("b") has no "selfLink"',
    },
    {
      name: 'a compute record without name',
      files: { 'ssl-policies.json': [{ kind: 'compute#sslPolicy', minTlsVersion: 'TLS_1_2' }] },
      message: '{dir}/ssl-policies.json: record .[0] has no "name"',
    },
    {
      name: 'an API Gateway record without name',
      files: { 'gateways.json': [{ ...gateway('g', 'us-central1', 'a/configs/c'), name: undefined }] },
      message: '{dir}/gateways.json: record .[0] has no "name"',
    },
    {
      name: 'a record that is not an object',
      files: { 'url-maps.json': [urlMap('orders-map', 'orders-bs'), null] },
      message: '{dir}/url-maps.json: record .[1] is null, not a URL map object',
    },
    {
      name: 'the wrong export saved under the name',
      files: { 'url-maps.json': [backendService('orders-bs')] },
      message:
        '{dir}/url-maps.json: record .[0] ("orders-bs") is not a URL map: its selfLink names a "backendServices" resource',
    },
    {
      name: 'projects.json without the project number',
      files: { 'gateways.json': [], 'projects.json': { projectId: 'acme-edge', name: 'acme-edge' } },
      message: '{dir}/projects.json: has no numeric "projectNumber"',
    },
    {
      name: 'a directory with none of the estate files',
      files: { 'notes.txt': 'exports go here' },
      message:
        '{dir}: holds none of the estate files (backend-services.json, network-endpoint-groups.json, url-maps.json, ' +
        'target-http-proxies.json, target-https-proxies.json, forwarding-rules.json, ssl-policies.json, ' +
        'security-policies.json, gateways.json, api-configs.json)',
    },
  ])('$name', async ({ files, message }) => {
    const dir = await estateOf(files);
    // Read whole (the default for files this small) and streamed: the same line either way.
    for (const options of [{}, { streamAboveBytes: 0 }]) {
      const error = await loadEstate(dir, options).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EstateError);
      expect((error as EstateError).message).toBe(message.replace('{dir}', dir));
      expect((error as EstateError).message).not.toContain('\n');
    }
  });

  test('a record nested too deep is refused with its index and line, read whole or streamed', async () => {
    const deep = `${'{"a":'.repeat(70)}1${'}'.repeat(70)}`;
    const dir = await estateOf({
      'backend-services.json': `[\n${JSON.stringify(backendService('a'))},\n{"name": "b", "x": ${deep}}\n]`,
    });
    for (const options of [{}, { streamAboveBytes: 0 }]) {
      await expect(loadEstate(dir, options)).rejects.toThrow(
        new EstateError(
          join(dir, 'backend-services.json'),
          'record .[1] is nested deeper than 64 levels (line 3)',
        ),
      );
    }
  });

  test('a record that never ends is refused with its index and line, not gathered whole', async () => {
    // `["` and then zeros to 100 MiB (a sparse file): streamed, and past the record bound well before its end.
    const dir = await estateOf({ 'backend-services.json': '["' });
    const path = join(dir, 'backend-services.json');
    await truncate(path, 100 * 1024 * 1024);
    await expect(loadEstate(dir)).rejects.toThrow(
      new EstateError(path, 'record .[0] is larger than 64 MiB (it starts at line 1)'),
    );
    await rm(path);
  });

  test('a directory that does not exist', async () => {
    const dir = join(scratch, 'no-such-estate');
    await expect(loadEstate(dir)).rejects.toThrow(
      new EstateError(dir, 'cannot read the estate directory (no such file or directory)'),
    );
  });

  test('a file given instead of a directory', async () => {
    const file = join(await estateOf({ 'gateways.json': [] }), 'gateways.json');
    await expect(loadEstate(file)).rejects.toThrow(`${file}: is not a directory`);
  });

  test('an estate file that cannot be read (a directory under its name)', async () => {
    const dir = await estateOf({ 'url-maps.json': [] });
    await mkdir(join(dir, 'gateways.json'));
    await expect(loadEstate(dir)).rejects.toThrow(
      new EstateError(join(dir, 'gateways.json'), 'is a directory, not a regular file'),
    );
  });

  test.skipIf(process.getuid?.() === 0)('an unreadable file', async () => {
    const dir = await estateOf({ 'gateways.json': [] });
    await chmod(join(dir, 'gateways.json'), 0o000);
    await expect(loadEstate(dir)).rejects.toThrow(
      `${join(dir, 'gateways.json')}: cannot read the file (permission denied)`,
    );
  });
});

describe('loadEstate names the problem the checks one at a time named (differential, against 08ee305)', () => {
  test.each([
    {
      name: 'a record too deep after one of the wrong shape: the depth, as every record was depth-checked first',
      records: (deep: unknown) => [
        { ...backendService('a'), port: 'x' },
        backendService('b'),
        { ...backendService('c'), x: deep },
      ],
      message: 'record .[2] is nested deeper than 64 levels (line',
    },
    {
      name: 'the wrong kind before a record of the wrong shape: the first record',
      records: () => [urlMap('m', 'bs'), { ...backendService('a'), iap: { enabled: 'yes' } }],
      message: 'record .[0] ("m") is not a backend service: its selfLink names a "urlMaps" resource',
    },
    {
      name: 'a record of the wrong shape before one without a name: the first record',
      records: () => [
        { ...backendService('a'), backends: [negBackend('n', 'europe-west1', { maxRate: '9' })] },
        {},
      ],
      message: 'record .[0] ("a"): backends[0].maxRate must be a number, found a string',
    },
  ])('$name', async ({ records, message }) => {
    let deep: unknown = 1;
    for (let level = 0; level < 70; level++) deep = { deep };
    const dir = await estateOf({ 'backend-services.json': records(deep) });
    for (const options of [{}, { streamAboveBytes: 0 }]) {
      const error = await loadEstate(dir, options).catch((caught: unknown) => caught);
      expect((error as EstateError).message).toContain(`${join(dir, 'backend-services.json')}: ${message}`);
      const reference = await loadEstateReference(dir, options).catch((caught: unknown) => caught);
      expect((error as EstateError).message).toBe((reference as EstateError).message);
    }
  });

  /** Where an edit lands: a field of the shape (some nested), a field of none, the record itself. */
  const PATHS = [
    ['name'],
    ['selfLink'],
    ['description'],
    ['backends'],
    ['backends', 0],
    ['backends', 0, 'group'],
    ['backends', 0, 'maxRate'],
    ['iap', 'enabled'],
    ['logConfig', 'sampleRate'],
    ['healthChecks'],
    ['healthChecks', 0],
    ['pathMatchers', 0, 'pathRules', 0, 'paths'],
    ['pathMatchers', 0, 'defaultRouteAction', 'weightedBackendServices', 0, 'weight'],
    ['hostRules', 0, 'hosts', 0],
    ['serverlessDeployment', 'platform'],
    ['openapiDocuments', 0, 'document', 'contents'],
    ['labels'],
    ['labels', 'team'],
    ['connectionDraining', 'drainingTimeoutSec'],
  ] as const;

  /** A value nested `levels` deep: around the limit (64) once the record's own levels are added. */
  function nestedValue(levels: number): unknown {
    let value: unknown = 'x';
    for (let level = 0; level < levels; level++) value = level % 3 === 0 ? [value] : { v: value };
    return value;
  }

  const hostile = fc.oneof(
    fc.constantFrom(null, 7, -0, 'x', '', true, [], {}, [1, 'a'], [null], [{}], { enabled: 1 }),
    { weight: 2, arbitrary: fc.integer({ min: 55, max: 66 }).map(nestedValue) },
  );

  type Edit =
    | { readonly at: number; readonly set: readonly (string | number)[]; readonly to: unknown }
    | { readonly at: number; readonly whole: unknown }
    | { readonly at: number; readonly linkOf: string };

  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ at: fc.nat(9), set: fc.constantFrom(...PATHS), to: hostile }),
    fc.record({ at: fc.nat(9), whole: fc.constantFrom(null, 3, 'record', [], {}) }),
    fc.record({
      at: fc.nat(9),
      linkOf: fc.constantFrom('urlMaps', 'backendServices', 'networkEndpointGroups', 'disks', 'gateways'),
    }),
  );

  function applied(records: unknown[], change: Edit): void {
    if (records.length === 0) return;
    const at = change.at % records.length;
    if ('whole' in change) {
      records[at] = change.whole;
      return;
    }
    const record = records[at];
    if (typeof record !== 'object' || record === null) return;
    if ('linkOf' in change) {
      const link = (record as { selfLink?: unknown; name?: unknown }).selfLink;
      if (typeof link === 'string') {
        (record as Record<string, unknown>).selfLink = link.replace(
          /\/[a-zA-Z]+\/([^/]+)$/,
          `/${change.linkOf}/$1`,
        );
      }
      return;
    }
    let container = record as Record<string | number, unknown>;
    for (const step of change.set.slice(0, -1)) {
      const next = container[step];
      if (typeof next !== 'object' || next === null) return;
      container = next as Record<string | number, unknown>;
    }
    container[change.set[change.set.length - 1] as string | number] = change.to;
  }

  /** What a load gives, compared whole: the inventory, its warnings, the files read and the count, or the line. */
  const outcomeOf = ({
    inventory,
    warnings,
    files,
    recordCount,
  }: Awaited<ReturnType<typeof loadEstate>>) => ({
    inventory,
    warnings,
    read: files,
    recordCount,
  });
  const messageOf = (error: unknown) => (error as Error).message;

  test('property: hostile edits of a real estate give the same inventory and warnings, or the same line', async () => {
    const files = Object.fromEntries(
      await Promise.all(
        (await readdir(FIXTURE))
          .filter((file) => file.endsWith('.json'))
          .map(async (file) => [file, await readFile(join(FIXTURE, file), 'utf8')] as const),
      ),
    );
    const exports = Object.keys(files).filter((file) => file !== 'projects.json');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...exports), edit), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (edits, streamed) => {
          const values: Record<string, unknown> = {};
          for (const [file, text] of Object.entries(files)) values[file] = JSON.parse(text);
          for (const [file, change] of edits) applied(values[file] as unknown[], change);
          const dir = await estateOf(values);
          const options = streamed ? { streamAboveBytes: 0 } : {};
          const outcome = await loadEstate(dir, options).then(outcomeOf, messageOf);
          const reference = await loadEstateReference(dir, options).then(outcomeOf, messageOf);
          expect(outcome).toEqual(reference);
          await rm(dir, { recursive: true });
        },
      ),
      { numRuns: 250 },
    );
  }, 60_000);
});

describe('hasCollectionSegment reads the collection segment in place', () => {
  // What the loader compared before: the segment cut out of the path (parseResourceRef's collection).
  function collectionSegmentOf(link: string): string {
    const query = link.indexOf('?');
    const fragment = link.indexOf('#');
    const end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    const path = end < 0 ? link : link.slice(0, end);
    const last = path.lastIndexOf('/');
    return last < 0 ? '' : path.slice(path.lastIndexOf('/', last - 1) + 1, last);
  }
  const SEGMENTS = [
    'backendServices',
    'gateways',
    'projects',
    'p',
    '',
    '/',
    '//',
    '?',
    '#',
    '?x/y',
    '#a/b',
    'g?',
  ];
  const COLLECTIONS = ['backendServices', 'gateways', 'configs', ''];

  test.each([
    ['https://www.googleapis.com/compute/v1/projects/p/global/backendServices/bs', 'backendServices', true],
    [
      'https://www.googleapis.com/compute/v1/projects/p/global/backendServices/bs?alt=json',
      'backendServices',
      true,
    ],
    ['projects/p/locations/global/gateways/g', 'gateways', true],
    ['projects/p/locations/global/gateways/g#x/backendServices/y', 'gateways', true],
    ['projects/p/locations/global/gateways/g', 'gateway', false],
    ['projects/p/locations/global/xgateways/g', 'gateways', false],
    ['gateways/g', 'gateways', true],
    // Degenerate links, as the segment cut out reads them: no collection segment at all.
    ['/g', '', true],
    ['g', '', true],
    ['', '', true],
    ['/g', 'g', false],
  ] as const)('%s in %s: %s', (link, collection, expected) => {
    expect(hasCollectionSegment(link, collection)).toBe(expected);
    expect(collectionSegmentOf(link) === collection).toBe(expected);
  });

  test('property: the same answer as cutting the segment out, on hostile links', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 8 }),
        fc.constantFrom(...COLLECTIONS),
        (parts, collection) => {
          const link = parts.join('/');
          expect(hasCollectionSegment(link, collection)).toBe(collectionSegmentOf(link) === collection);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the project survey behind the number-vs-ID warning', () => {
  // What the loader did before, link by link: the segment cut out of the path, each link looked at afresh.
  function projectSegmentOf(link: string): string | undefined {
    const query = link.indexOf('?');
    const fragment = link.indexOf('#');
    const end = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    const path = end < 0 ? link : link.slice(0, end);
    const start = path.startsWith('projects/') ? 0 : path.indexOf('/projects/') + 1;
    if (start === 0 && !path.startsWith('projects/')) return undefined;
    const from = start + 'projects/'.length;
    const next = path.indexOf('/', from);
    return path.slice(from, next < 0 ? path.length : next);
  }
  function surveyBefore(links: readonly string[]): { namedById: boolean; byNumber: string[] } {
    let namedById = false;
    const byNumber = new Set<string>();
    for (const link of links) {
      const project = projectSegmentOf(link);
      if (!project) continue;
      if (!/^\d+$/.test(project)) namedById ||= parseResourceRef(link) !== undefined;
      else if (!byNumber.has(project) && parseResourceRef(link)) byNumber.add(project);
    }
    return { namedById, byNumber: [...byNumber] };
  }

  const SEGMENTS = [
    'projects',
    'acme',
    '123',
    '456',
    '',
    'global',
    'backendServices',
    'bs',
    'b s',
    '?x',
    '#f',
    'locations',
    'gateways',
  ];
  const BASES = [
    'https://www.googleapis.com/compute/v1/projects/acme/global/backendServices/',
    'https://www.googleapis.com/compute/v1/projects/123/global/backendServices/',
    'projects/456/locations/us-central1/gateways/',
    'https://www.googleapis.com/compute/v1/projects/123?x=/',
    '',
  ];
  const link = fc
    .tuple(fc.constantFrom(...BASES), fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 6 }))
    .map(([base, parts]) => base + parts.join('/'));

  test('property: projectOfLink names the segment the path cut out names', () => {
    fc.assert(
      fc.property(link, (text) => {
        expect(projectOfLink(text)?.project).toBe(projectSegmentOf(text));
      }),
      { numRuns: 3000 },
    );
  });

  test('property: runs of links give the answers looking at each link afresh gave, in the same order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(link, fc.integer({ min: 1, max: 4 })), { maxLength: 12 }), (runs) => {
        const links = runs.flatMap(([text, times]) => Array.from({ length: times }, () => text));
        const survey = new ProjectSurvey();
        for (const text of links) survey.add(text);
        expect({ namedById: survey.namedById, byNumber: [...survey.byNumber] }).toEqual(surveyBefore(links));
      }),
      { numRuns: 3000 },
    );
  });
});
