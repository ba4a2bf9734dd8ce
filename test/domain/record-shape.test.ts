// The field named in a shape problem is the whole path to the value at fault, however deep it sits, and of several
// faults it is the first in the shape's order, whatever order the record's keys come in.

import { describe, expect, test } from 'vitest';
import { findShapeProblem } from '../../src/domain/record-shape.js';
import type { ResourceKind } from '../../src/domain/resource-kind.js';

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
