import { describe, expect, test } from 'vitest';
import { PlanInputError, parsePlan } from '../../src/terraform-plan/plan-file.js';

const FILE = 'infra/plan.json';

describe('parsePlan', () => {
  const bad: readonly (readonly [string, string, RegExp])[] = [
    ['the binary plan file instead of its JSON', 'tfplan\u0000\u0001binary', /is not JSON/],
    ['a JSON array', '[]', /expected a JSON object, found an array/],
    ['an object without format_version', '{"planned_values": {"root_module": {}}}', /missing format_version/],
    [
      'a future major format',
      '{"format_version": "2.0", "planned_values": {"root_module": {}}}',
      /format_version "2.0"; only 1.x/,
    ],
    [
      'terraform show -json of a state',
      '{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}',
      /missing planned_values \(this is state output/,
    ],
    ['a plan without root_module', '{"format_version": "1.2", "planned_values": {}}', /no root_module/],
    [
      'resource_changes that is not a list',
      '{"format_version": "1.2", "planned_values": {"root_module": {}}, "resource_changes": {}}',
      /resource_changes should be an array/,
    ],
    [
      'a change without actions',
      '{"format_version": "1.2", "planned_values": {"root_module": {}}, "resource_changes": [{"address": "google_compute_url_map.api", "change": {}}]}',
      /google_compute_url_map\.api\) has no change\.actions/,
    ],
    [
      'a change without a type',
      '{"format_version": "1.2", "planned_values": {"root_module": {}}, "resource_changes": [{"address": "google_compute_url_map.api", "mode": "managed", "change": {"actions": ["create"]}}]}',
      /resource_changes\[0\]\.type should be a string, found nothing$/,
    ],
    [
      'planned resources without resource_changes',
      '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "google_compute_url_map.api", "mode": "managed", "type": "google_compute_url_map", "name": "api", "values": {}}]}}}',
      /planned_values lists 1 resource\(s\) but resource_changes is missing/,
    ],
  ];

  test.each(bad)('rejects %s, naming the file', (_name, text, reason) => {
    expect(() => parsePlan(text, FILE)).toThrow(PlanInputError);
    expect(() => parsePlan(text, FILE)).toThrow(reason);
    expect(() => parsePlan(text, FILE)).toThrow(/^infra\/plan\.json: /);
  });

  test('accepts an empty plan (no changes) as terraform 1.9 prints it', () => {
    const text = JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.9.8',
      planned_values: { root_module: {} },
      configuration: { root_module: {} },
      timestamp: '2026-05-02T10:15:00Z',
      applyable: false,
      complete: true,
      errored: false,
    });
    expect(parsePlan(text, FILE).planned_values.root_module).toEqual({});
  });

  test('tolerates a byte-order mark (PowerShell redirection)', () => {
    const text = `\uFEFF${JSON.stringify({ format_version: '1.2', planned_values: { root_module: {} } })}`;
    expect(parsePlan(text, FILE).format_version).toBe('1.2');
  });
});
