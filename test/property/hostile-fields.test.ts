// Property-based: any value (well-typed but wrong, or of the wrong type) put into any field the graph and the rules
// read, in any record of a real export, gives exit 2 with one line or a verdict (0 or 1), never 70 (issue 17).

import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { ESTATE_FILES } from '../../src/adapters/estate-files/estate-layout.js';
import { type FieldShape, RECORD_SHAPES, type RecordShape } from '../../src/domain/record-shape.js';
import type { ResourceKind } from '../../src/domain/resource-kind.js';
import { runCaptured } from '../cli/capture-io.js';
import { ORDERS_EDGE, setPath } from '../support/hostile-estate.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-fields-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

type Step = string | number;
interface FieldPath {
  readonly kind: ResourceKind;
  readonly path: readonly Step[];
  readonly shape: FieldShape;
}

/** Every field path the shapes declare, lists entered at their first element. */
function pathsOf(kind: ResourceKind, shape: RecordShape, prefix: readonly Step[] = []): FieldPath[] {
  return Object.entries(shape).flatMap(([field, fieldShape]) => {
    const path = [...prefix, field];
    const own: FieldPath = { kind, path, shape: fieldShape };
    if (typeof fieldShape === 'string') return [own];
    if ('object' in fieldShape) return [own, ...pathsOf(kind, fieldShape.object, path)];
    return [own, ...pathsOf(kind, fieldShape.listOf, [...path, 0])];
  });
}

const FIELD_PATHS = (Object.keys(RECORD_SHAPES) as ResourceKind[]).flatMap((kind) =>
  pathsOf(kind, RECORD_SHAPES[kind]),
);

const LINKISH = fc.constantFrom(
  '',
  '.',
  '..',
  '//',
  'projects/',
  'projects/../global/backendServices/x',
  'projects/acme-edge/global/backendServices/',
  'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/orders-bs',
  'https://www.googleapis.com/compute/v1/projects/acme-edge/regions/us-central1/networkEndpointGroups/nowhere',
  'https://www.googleapis.com/compute/v1/projects/acme-edge/zones/us-central1-a/instanceGroups/ig',
  'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1',
  'projects/other/locations/global/apis/orders/configs/none',
  'SERVERLESS',
  'apigateway.googleapis.com',
  'EXTERNAL_MANAGED',
  'HTTP2',
  'TLS_1_0',
  '__proto__',
  'x'.repeat(5000),
);

/** A value of the field's own type that is wrong in content. */
function wellTyped(shape: FieldShape): fc.Arbitrary<unknown> {
  if (typeof shape === 'string') {
    switch (shape) {
      case 'string':
        return fc.oneof(LINKISH, fc.string({ unit: 'binary', maxLength: 40 }));
      case 'number':
        return fc.oneof(
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom(0, -1, 1e308),
        );
      case 'boolean':
        return fc.boolean();
      case 'strings':
        return fc.array(fc.oneof(LINKISH, fc.string({ maxLength: 20 })), { maxLength: 4 });
      case 'object':
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      case 'list':
        return fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 });
    }
  }
  if ('object' in shape) return fc.constant({});
  return fc.constantFrom([], [{}], [{}, {}]);
}

const SOURCE_FILES = await readdir(ORDERS_EDGE);
const RECORDS = new Map<string, Record<string, unknown>[]>();
for (const spec of ESTATE_FILES) {
  if (SOURCE_FILES.includes(spec.file)) {
    RECORDS.set(spec.file, JSON.parse(await readFile(join(ORDERS_EDGE, spec.file), 'utf8')));
  }
}
const FILE_OF = new Map(ESTATE_FILES.map((spec) => [spec.kind, spec.file]));
const PATHS_WITH_RECORDS = FIELD_PATHS.filter(
  (field) => (RECORDS.get(FILE_OF.get(field.kind) ?? '') ?? []).length > 0,
);

let estates = 0;
async function estateWith(
  field: FieldPath,
  index: number,
  value: unknown,
): Promise<{ dir: string; file: string }> {
  const dir = join(scratch, `estate-${++estates}`);
  await mkdir(dir);
  const file = FILE_OF.get(field.kind) as string;
  for (const name of SOURCE_FILES)
    if (name !== file) await copyFile(join(ORDERS_EDGE, name), join(dir, name));
  const records = structuredClone(RECORDS.get(file) as Record<string, unknown>[]);
  setPath(records[index % records.length], field.path, value);
  await writeFile(join(dir, file), JSON.stringify(records));
  return { dir, file };
}

describe('any value in any field the rules read', () => {
  test('scan --estate exits 0, 1 or 2 (one line naming the file), never 70', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATHS_WITH_RECORDS).chain((field) =>
          fc.record({
            field: fc.constant(field),
            index: fc.nat({ max: 10 }),
            value: fc.oneof(wellTyped(field.shape), fc.jsonValue({ maxDepth: 3 })),
            failOn: fc.boolean(),
          }),
        ),
        async ({ field, index, value, failOn }) => {
          const { dir, file } = await estateWith(field, index, value);
          const run = await runCaptured([
            'scan',
            '--estate',
            dir,
            '--format',
            'json',
            ...(failOn ? ['--fail-on', 'LOW'] : []),
          ]);
          await rm(dir, { recursive: true, force: true });
          expect(run.stderr).not.toContain('internal error');
          expect(failOn ? [0, 1, 2] : [0, 2]).toContain(run.code);
          if (run.code === 2 && !run.stderr.includes('--fail-on LOW:')) {
            expect(run.stderr.trim().split('\n').at(-1)).toContain(join(dir, file));
          }
          if (run.code !== 2) expect(() => JSON.parse(run.stdout)).not.toThrow();
        },
      ),
      { numRuns: 150 },
    );
  }, 240_000);
});

describe('any value in any planned attribute', () => {
  test('check-plan exits 0, 1 or 2, never 70', async () => {
    const plan = JSON.parse(
      await readFile(
        join(import.meta.dirname, '..', 'fixtures', 'plans', 'module-nested', 'plan.json'),
        'utf8',
      ),
    );
    /** Every planned resource, root and child modules, with the resource change that mirrors it. */
    const planned: { module: number[]; index: number; address: string; keys: string[] }[] = [];
    const walk = (
      module: { resources?: { address: string; values?: object }[]; child_modules?: unknown[] },
      at: number[],
    ) => {
      (module.resources ?? []).forEach((resource, index) => {
        planned.push({
          module: at,
          index,
          address: resource.address,
          keys: Object.keys(resource.values ?? {}),
        });
      });
      (module.child_modules ?? []).forEach((child, index) => {
        walk(child as typeof module, [...at, index]);
      });
    };
    walk(plan.planned_values.root_module, []);
    const targets = planned.flatMap((resource) => resource.keys.map((key) => ({ ...resource, key })));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), LINKISH),
        async (target, value) => {
          const changed = structuredClone(plan);
          let module = changed.planned_values.root_module;
          for (const step of target.module) module = module.child_modules[step];
          module.resources[target.index].values[target.key] = value;
          for (const change of changed.resource_changes ?? []) {
            if (change.address === target.address && change.change.after)
              change.change.after[target.key] = value;
          }
          const path = join(scratch, `plan-${++estates}.json`);
          await writeFile(path, JSON.stringify(changed));
          const run = await runCaptured(['check-plan', path, '--format', 'json', '--fail-on', 'LOW']);
          await rm(path, { force: true });
          expect(run.stderr).not.toContain('internal error');
          expect([0, 1, 2]).toContain(run.code);
        },
      ),
      { numRuns: 100 },
    );
  }, 240_000);
});
