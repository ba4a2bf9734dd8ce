// The field named in a shape problem is the whole path to the value at fault, however deep it sits, and of several
// faults it is the first in the shape's order, whatever order the record's keys come in.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hasRecordDeeperThan } from '../../src/adapters/estate-files/json-export.js';
import {
  type FieldShape,
  findShapeProblem,
  fitsShapeWithin,
  RECORD_SHAPES,
} from '../../src/domain/record-shape.js';
import { RESOURCE_KINDS, type ResourceKind } from '../../src/domain/resource-kind.js';

describe('findShapeProblem', () => {
  test.each<{ kind: ResourceKind; record: Record<string, unknown>; field?: string; problem?: string }>([
    { kind: 'backendService', record: { name: 'bs', port: 443, backends: [{ group: 'g' }] } },
    {
      kind: 'backendService',
      record: { name: 7 },
      field: 'name',
      problem: 'must be a string, found a number',
    },
    {
      kind: 'backendService',
      record: { backends: [{ group: undefined }] },
      field: 'backends[0].group',
      problem: 'must be a string, found nothing',
    },
    {
      kind: 'backendService',
      record: { backends: [{ group: 'g' }, { group: 'h', maxRate: '5' }] },
      field: 'backends[1].maxRate',
      problem: 'must be a number, found a string',
    },
    {
      kind: 'backendService',
      record: { backends: [{ group: 'g' }, null] },
      field: 'backends[1]',
      problem: 'must be an object, found null',
    },
    {
      kind: 'backendService',
      record: { healthChecks: ['a', 'b', 3] },
      field: 'healthChecks[2]',
      problem: 'must be a string, found a number',
    },
    {
      kind: 'backendService',
      record: { logConfig: { enable: 'yes' } },
      field: 'logConfig.enable',
      problem: 'must be a boolean, found a string',
    },
    {
      kind: 'urlMap',
      record: { pathMatchers: [{ name: 'm', pathRules: [{ paths: ['/a'] }, { paths: ['/b', null] }] }] },
      field: 'pathMatchers[0].pathRules[1].paths[1]',
      problem: 'must be a string, found null',
    },
    {
      kind: 'urlMap',
      record: {
        pathMatchers: [
          { defaultRouteAction: { weightedBackendServices: [{ backendService: 's', weight: 'x' }] } },
        ],
      },
      field: 'pathMatchers[0].defaultRouteAction.weightedBackendServices[0].weight',
      problem: 'must be a number, found a string',
    },
    {
      kind: 'apiConfig',
      record: { openapiDocuments: [{ document: [] }] },
      field: 'openapiDocuments[0].document',
      problem: 'must be an object, found an array',
    },
    {
      kind: 'backendService',
      record: { port: 'x', name: 7 },
      field: 'name',
      problem: 'must be a string, found a number',
    },
    {
      kind: 'backendService',
      record: { backends: [{ maxRate: '5', group: 7 }] },
      field: 'backends[0].group',
      problem: 'must be a string, found a number',
    },
    {
      kind: 'gateway',
      record: { apiConfig: {} },
      field: 'apiConfig',
      problem: 'must be a string, found an object',
    },
  ])('$kind $field', ({ kind, record, field, problem }) => {
    expect(findShapeProblem(kind, record)).toEqual(field === undefined ? undefined : { field, problem });
  });
});

// The loader asks fitsShapeWithin once per record instead of the depth walk (hasRecordDeeperThan) and then
// findShapeProblem: the one walk must answer exactly what the two answer together, at every depth bound.
describe('fitsShapeWithin is the depth walk and findShapeProblem in one', () => {
  /** A value of the shape (or, one time in four, of any JSON), nested up to `depth` levels more. */
  function valueFor(shape: FieldShape, depth: number): fc.Arbitrary<unknown> {
    const any = fc.jsonValue({ maxDepth: Math.min(depth, 6) });
    const fitting = (): fc.Arbitrary<unknown> => {
      if (typeof shape === 'string') {
        switch (shape) {
          case 'string':
            return fc.string({ maxLength: 3 });
          case 'number':
            return fc.oneof(fc.integer(), fc.constant(-0), fc.double({ noNaN: true }));
          case 'boolean':
            return fc.boolean();
          case 'object':
            return fc.dictionary(fc.string({ maxLength: 2 }), any, { maxKeys: 3 });
          case 'list':
            return fc.array(any, { maxLength: 3 });
          case 'strings':
            return fc.array(fc.string({ maxLength: 2 }), { maxLength: 3 });
        }
      }
      if (depth <= 0) return fc.constant({});
      return 'object' in shape
        ? recordOf(shape.object, depth - 1)
        : fc.array(recordOf(shape.listOf, depth - 1), { maxLength: 3 });
    };
    return fc.oneof({ weight: 3, arbitrary: fitting() }, { weight: 1, arbitrary: any });
  }

  /** A record with some of the shape's fields, some fields of no shape, and now and then a chain nested deep. */
  function recordOf(shape: Readonly<Record<string, FieldShape>>, depth: number): fc.Arbitrary<unknown> {
    const fields = Object.keys(shape);
    return fc
      .tuple(
        fc.subarray(fields),
        fc.dictionary(
          fc.constantFrom('extra', 'labels', '__proto__', 'status'),
          fc.jsonValue({ maxDepth: 3 }),
          {
            maxKeys: 2,
          },
        ),
        fc.option(fc.integer({ min: 1, max: 9 }), { freq: 4 }),
      )
      .chain(([picked, extra, chain]) =>
        fc.tuple(...picked.map((field) => valueFor(shape[field] as FieldShape, depth))).map((values) => {
          const record: Record<string, unknown> = JSON.parse(JSON.stringify(extra));
          picked.forEach((field, index) => {
            record[field] = values[index];
          });
          if (chain !== null) {
            let nested: unknown = 'leaf';
            for (let level = 0; level < chain; level++) nested = level % 2 ? [nested] : { nested };
            record.deep = nested;
          }
          // Through JSON, as the loader sees records: own string keys only, -0 as 0, no undefined.
          return JSON.parse(JSON.stringify(record));
        }),
      );
  }

  test('property: the same answer as both checks, on hostile records at every depth bound', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...RESOURCE_KINDS)
          .chain((kind) =>
            fc.tuple(fc.constant(kind), recordOf(RECORD_SHAPES[kind], 4), fc.integer({ min: 1, max: 8 })),
          ),
        ([kind, record, maxDepth]) => {
          if (typeof record !== 'object' || record === null || Array.isArray(record)) return;
          const fits = findShapeProblem(kind, record as Record<string, unknown>) === undefined;
          const shallow = !hasRecordDeeperThan([record], maxDepth);
          expect(fitsShapeWithin(kind, record as Record<string, unknown>, maxDepth)).toBe(fits && shallow);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test.each<{ kind: ResourceKind; record: Record<string, unknown>; maxDepth: number; fits: boolean }>([
    // The record is level 1: a list of strings in it is level 2.
    { kind: 'backendService', record: { healthChecks: ['a'] }, maxDepth: 2, fits: true },
    { kind: 'backendService', record: { healthChecks: ['a'] }, maxDepth: 1, fits: false },
    { kind: 'backendService', record: { healthChecks: [] }, maxDepth: 1, fits: false },
    { kind: 'backendService', record: { backends: [{ group: 'g' }] }, maxDepth: 3, fits: true },
    { kind: 'backendService', record: { backends: [{ group: 'g' }] }, maxDepth: 2, fits: false },
    { kind: 'backendService', record: { backends: [{ group: 7 }] }, maxDepth: 64, fits: false },
    { kind: 'backendService', record: { iap: { enabled: true, x: [[1]] } }, maxDepth: 4, fits: true },
    { kind: 'backendService', record: { iap: { enabled: true, x: [[1]] } }, maxDepth: 3, fits: false },
    { kind: 'gateway', record: { labels: { a: { b: {} } } }, maxDepth: 4, fits: true },
    { kind: 'gateway', record: { labels: { a: { b: {} } } }, maxDepth: 3, fits: false },
    { kind: 'gateway', record: { name: null }, maxDepth: 64, fits: false },
  ])('$kind $record within $maxDepth: $fits', ({ kind, record, maxDepth, fits }) => {
    expect(fitsShapeWithin(kind, record, maxDepth)).toBe(fits);
    expect(findShapeProblem(kind, record) === undefined && !hasRecordDeeperThan([record], maxDepth)).toBe(
      fits,
    );
  });
});
