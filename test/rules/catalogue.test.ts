// The catalogue keeps the RULES.md contract: every ID exactly once, complete metadata, one rule per file.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RESOURCE_KINDS } from '../../src/domain/resource-kind.js';
import { SEVERITIES, type Severity } from '../../src/domain/severity.js';
import { ALL_RULES, CATALOGUE } from '../../src/rules/catalogue.js';
import type { RuleSource } from '../../src/rules/define-rule.js';

/** RULES.md, as the contract: ID, default severity (undefined where it depends on the case) and source. */
const CONTRACT: readonly (readonly [id: string, severity: Severity | undefined, source: RuleSource])[] = [
  ['neg.no-network-endpoints', 'HIGH', 'seed'],
  ['neg.gateway-exists', 'HIGH', 'seed'],
  ['neg.gateway-same-region', 'HIGH', 'seed'],
  ['neg.gateway-not-streaming', 'MEDIUM', 'doc'],
  ['backend.supported-scheme', 'HIGH', 'doc'],
  ['backend.serverless-not-mixed', 'HIGH', 'seed'],
  ['backend.single-platform', 'HIGH', 'seed'],
  ['backend.gateways-same-project', 'HIGH', 'seed'],
  ['backend.one-neg-per-region', 'HIGH', 'seed'],
  ['backend.no-health-checks', 'MEDIUM', 'seed'],
  ['backend.no-balancing-mode', 'LOW', 'seed'],
  ['backend.no-capacity-limits', 'LOW', 'seed'],
  ['backend.no-port', 'LOW', 'seed'],
  ['backend.http-protocol', 'HIGH', 'seed'],
  ['backend.no-ineffective-settings', 'LOW', 'doc'],
  ['backend.gateways-equivalent', 'HIGH', 'seed'],
  ['backend.cloud-armor-attached', 'MEDIUM', 'gov'],
  ['backend.logging-enabled', 'MEDIUM', 'gov'],
  ['backend.cdn-respects-auth', 'HIGH', 'gov'],
  ['gateway.api-config-authenticated', 'HIGH', 'doc'],
  ['gateway.direct-url-protected', undefined, 'seed'],
  ['frontend.https-only', 'MEDIUM', 'gov'],
  ['frontend.modern-tls', 'MEDIUM', 'gov'],
  ['drift.matches-baseline', 'HIGH', 'design card'],
];
const CONTRACT_IDS = CONTRACT.map(([id]) => id);

const SOURCES: readonly RuleSource[] = ['seed', 'doc', 'gov', 'design card'];
const REFERENCE_HOSTS = ['cloud.google.com', 'registry.terraform.io'];
const RULES_MD = fileURLToPath(new URL('../../../shared/RULES.md', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the contract list', () => {
  test('has no duplicate IDs, each shaped <group>.<desired-state>', () => {
    expect(new Set(CONTRACT_IDS).size).toBe(CONTRACT_IDS.length);
    for (const id of CONTRACT_IDS)
      expect(id).toMatch(/^(neg|backend|gateway|frontend|drift)\.[a-z]+(-[a-z]+)*$/);
  });

  test.skipIf(!existsSync(RULES_MD))('equals the IDs in RULES.md beside the repository', () => {
    const text = readFileSync(RULES_MD, 'utf8');
    const documented = [...text.matchAll(/^\| `([a-z]+\.[a-z-]+)` \|/gm)].map((match) => match[1]);
    expect([...documented].sort()).toEqual([...CONTRACT_IDS].sort());
  });
});

describe('the catalogue', () => {
  test('holds no rule outside the contract', () => {
    const unknown = ALL_RULES.map((rule) => rule.id).filter((id) => !CONTRACT_IDS.includes(id));
    expect(unknown).toEqual([]);
  });

  test('keys every rule by its own ID', () => {
    for (const [key, rule] of Object.entries(CATALOGUE)) expect(rule.id).toBe(key);
  });
});

describe.each(CONTRACT)('%s', (id, severity, source) => {
  const matching = ALL_RULES.filter((rule) => rule.id === id);
  const rule = matching[0];

  test('is in ALL_RULES exactly once', () => {
    expect(matching).toHaveLength(1);
  });

  test('has complete metadata', () => {
    expect(rule, `${id} is missing from the catalogue`).toBeDefined();
    if (!rule) return;
    expect(rule.title.trim()).not.toBe('');
    expect(rule.rationale.trim()).not.toBe('');
    expect(rule.remediation.summary.trim()).not.toBe('');
    expect(SEVERITIES).toContain(rule.severity);
    expect(SOURCES).toContain(rule.source);
    expect(rule.appliesTo.length).toBeGreaterThan(0);
    for (const kind of rule.appliesTo) expect(RESOURCE_KINDS).toContain(kind);
    expect(rule.references.length).toBeGreaterThan(0);
    for (const reference of rule.references) {
      const url = new URL(reference);
      expect(url.protocol, reference).toBe('https:');
      expect(REFERENCE_HOSTS, reference).toContain(url.hostname);
    }
  });

  test('has the severity and source RULES.md gives it', () => {
    expect(rule, `${id} is missing from the catalogue`).toBeDefined();
    if (severity) expect(rule?.severity).toBe(severity);
    expect(rule?.source).toBe(source);
  });

  test('lives in src/rules/<group>/<name>.ts, which names the ID', () => {
    const [group, name] = id.split('.') as [string, string];
    const path = `${REPO_ROOT}src/rules/${group}/${name}.ts`;
    expect(existsSync(path), `${path} exists`).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(`'${id}'`);
  });
});
