// Property-based: the resource-name parser never throws, what it parses round-trips through the full name, and
// hostile 1,500-byte names (`/`, `..`, unicode, `__x__`) flow through parse -> full name -> finding ID -> scan.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scanInventory } from '../../src/app/scan.js';
import { findingIdOf } from '../../src/domain/finding.js';
import {
  fullNameOf,
  isRegional,
  kindOfRef,
  lastSegment,
  parseResourceRef,
  regionOfRef,
  toFullName,
} from '../../src/domain/resource-name.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { frontedGateway, OPEN_HEALTH_SPEC } from '../rules/gateway/fixtures.js';
import { auditEntry } from '../support/audit-entries.js';
import { backendService, inventoryOf, negBackend } from '../support/records.js';

const RUNS = { numRuns: 400 };
const FINDING_ID = /^[0-9a-f]{40}$/;

const hostileValue = fc.anything({
  withNullPrototype: true,
  withBoxedValues: true,
  withUnicodeString: true,
  key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor')),
});

const PIECES = [
  '..',
  '.',
  '__x__',
  '__proto__',
  'é',
  '名前',
  '🚀',
  '\u202e',
  '%2F',
  '%00',
  'a',
  '-',
  '_',
  '~',
  ':',
  '@',
];
/** Hostile pieces, without the separators the grammar splits on; ~1,500 UTF-8 bytes. */
const hostileSegment = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 })), {
    minLength: 1,
    maxLength: 40,
  })
  .map((pieces) => {
    const clean = pieces
      .join('')
      // Control characters are not in any Google resource name: the parser refuses them (terminal safety).
      .replace(/[/?#\s\p{Cc}]/gu, '')
      .toWellFormed();
    let name = clean || '__x__';
    while (Buffer.byteLength(name) < 1_500) name += clean || '__x__';
    return name;
  });
/** The same, but `/` and `..` path segments allowed anywhere. */
const hostileWithSlashes = fc
  .array(fc.constantFrom(...PIECES, '/', '/../', '//'), { minLength: 1, maxLength: 60 })
  .map((pieces) => {
    let name = pieces.join('');
    while (Buffer.byteLength(name) < 1_500) name += `/${pieces.join('')}`;
    return name;
  });

const FORMS: readonly ((name: string) => string)[] = [
  (name) => `projects/acme-edge/global/backendServices/${name}`,
  (name) =>
    `https://www.googleapis.com/compute/v1/projects/acme-edge/regions/us-central1/networkEndpointGroups/${name}`,
  (name) => `//compute.googleapis.com/projects/acme-edge/zones/us-central1-a/networkEndpointGroups/${name}`,
  (name) => `projects/acme-edge/locations/us-central1/gateways/${name}`,
  (name) => `//apigateway.googleapis.com/projects/${name}/locations/global/apis/orders/configs/${name}`,
];

function expectFlowsThrough(text: string): void {
  const ref = parseResourceRef(text);
  if (!ref) return;
  const full = fullNameOf(ref);
  expect(parseResourceRef(full), 'the full name parses back to the same reference').toEqual(ref);
  expect(toFullName(full)).toBe(full);
  expect(findingIdOf('gateway.direct-url-protected', full, ref.name)).toMatch(FINDING_ID);
  kindOfRef(ref);
  regionOfRef(ref);
  isRegional(ref);
}

describe('parseResourceRef', () => {
  test('never throws on any value', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const ref = parseResourceRef(value);
        if (ref) expectFlowsThrough(value as string);
        toFullName(value);
      }),
      RUNS,
    );
  });

  test('never throws on text shaped like a resource name, and round-trips what it accepts', () => {
    const segment = fc.oneof(
      fc.constantFrom(
        'projects',
        'global',
        'regions',
        'zones',
        'locations',
        'gateways',
        'apis',
        'configs',
        '-',
        '..',
      ),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          '',
          '//compute.googleapis.com/',
          'https://compute.googleapis.com/compute/beta/',
          '//apigateway.googleapis.com/',
        ),
        fc.array(segment, { maxLength: 9 }),
        fc.constantFrom('', '?fields=name', '#x'),
        (prefix, segments, suffix) => expectFlowsThrough(`${prefix}${segments.join('/')}${suffix}`),
      ),
      RUNS,
    );
  });

  test('accepts 1,500-byte unicode names in every form and keeps them exactly', () => {
    fc.assert(
      fc.property(hostileSegment, fc.constantFrom(...FORMS), (name, form) => {
        expect(Buffer.byteLength(name)).toBeGreaterThanOrEqual(1_500);
        const ref = parseResourceRef(form(name));
        expect(ref?.name).toBe(name);
        expectFlowsThrough(form(name));
      }),
      { numRuns: 150 },
    );
  });

  test('names with `/` and `..` segments never throw, and never parse into another project', () => {
    fc.assert(
      fc.property(hostileWithSlashes, fc.constantFrom(...FORMS.slice(0, 4)), (name, form) => {
        const ref = parseResourceRef(form(name));
        if (ref) expect(ref.project).toBe('acme-edge');
        expectFlowsThrough(form(name));
      }),
      { numRuns: 150 },
    );
  });

  test('over-long names are refused, not parsed', () => {
    expect(
      parseResourceRef(`projects/acme-edge/global/backendServices/${'a'.repeat(5_000)}`),
    ).toBeUndefined();
  });

  test('lastSegment never throws', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), (text) => {
        lastSegment(text);
      }),
      RUNS,
    );
  });
});

describe('hostile names through an audit entry and a scan', () => {
  test('an audit entry naming a 1,500-byte resource becomes a change with a hashable resource, or is malformed', () => {
    fc.assert(
      fc.property(fc.oneof(hostileSegment, hostileWithSlashes), (name) => {
        const outcome = parseLogEntry(
          auditEntry({ method: 'v1.compute.backendServices.patch', resourceName: FORMS[0]?.(name) ?? '' }),
        );
        expect(['change', 'malformed']).toContain(outcome.outcome);
        if (outcome.outcome === 'change') {
          expect(outcome.event.ref.name).toBe(name);
          expect(findingIdOf('backend.logging-enabled', outcome.event.resource, null)).toMatch(FINDING_ID);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a backend service with a 1,500-byte unicode name is judged by every rule and its findings are named', () => {
    fc.assert(
      fc.property(hostileSegment, (name) => {
        // The fixture's fronted gateway, with the fronting backend service renamed to the hostile name.
        const records = frontedGateway({ spec: OPEN_HEALTH_SPEC });
        const service = backendService(name, {
          backends: [negBackend('orders-neg-usc1', 'us-central1')],
          logConfig: { enable: false },
        });
        const report = scanInventory(inventoryOf({ ...records, backendService: [service] }), {
          rules: ALL_RULES,
          clock: { now: () => new Date('2026-05-03T10:00:00Z') },
        });
        const named = report.findings.filter((finding) =>
          finding.resource.endsWith(`/backendServices/${name}`),
        );
        expect(named.length, 'findings on the renamed service').toBeGreaterThan(0);
        const direct = report.findings.find((finding) => finding.ruleId === 'gateway.direct-url-protected');
        expect(direct?.evidence.backendServices).toEqual([
          {
            backendService: `//compute.googleapis.com/projects/acme-edge/global/backendServices/${name}`,
            bypassed: ['securityPolicy'],
          },
        ]);
        expect(report.summary.skipped).toBe(0);
        expect(report.summary.errors).toEqual([]);
        for (const finding of report.findings) {
          expect(findingIdOf(finding.ruleId, finding.resource, finding.subKey)).toMatch(FINDING_ID);
        }
      }),
      { numRuns: 40 },
    );
  });
});
