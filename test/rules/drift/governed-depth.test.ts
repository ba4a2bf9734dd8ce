// A governed field nested 20,000 levels deep (a live record: exports are refused at load) is refused by depth, not
// by a stack overflow: `baseline save` exits 2, the drift rule cannot decide (issue 17).

import { describe, expect, test } from 'vitest';
import { captureBaseline } from '../../../src/app/capture-baseline.js';
import { isBadInput } from '../../../src/domain/failure.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { ALL_RULES } from '../../../src/rules/catalogue.js';
import {
  DEFAULT_GOVERNED_FIELDS,
  GovernedValueTooDeepError,
} from '../../../src/rules/drift/governed-fields.js';
import { backendService, fullName, graphOf } from '../../support/records.js';

function nested(depth: number): unknown {
  let value: unknown = true;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe('governed fields nested past the limit', () => {
  const graph = graphOf({
    backendService: [backendService('deep-bs', { iap: { enabled: nested(20_000) as boolean } })],
  });

  test('capturing a baseline throws a bad-input error naming the limit', () => {
    const error = (() => {
      try {
        captureBaseline(graph, DEFAULT_GOVERNED_FIELDS, new Date('2026-05-11T00:00:00Z'));
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GovernedValueTooDeepError);
    expect(isBadInput(error)).toBe(true);
  });

  test('the drift rule cannot decide the resource: an error result, not a crash', () => {
    const baseline = {
      version: 1 as const,
      savedAt: '2026-05-11T00:00:00Z',
      resources: { [fullName('global/backendServices/deep-bs')]: { fields: { 'iap.enabled': true } } },
    };
    const results = evaluate(
      graph,
      ALL_RULES.filter((rule) => rule.id === 'drift.matches-baseline'),
      { baseline },
    );
    expect(results.map((result) => result.status)).toContain('error');
  });
});
