// YAML from users and API configs: duplicate keys found in one pass, nesting and aliases capped, JSON fast.

import { describe, expect, test } from 'vitest';
import { parseYamlText } from '../../src/domain/yaml-text.js';

const LIMITS = { maxAliasCount: 10, maxDepth: 8 };

describe('parseYamlText', () => {
  test('a duplicate key among many is found, with its line', () => {
    const keys = Array.from({ length: 20_000 }, (_, index) => `  k${index}: 1`).join('\n');
    expect(parseYamlText(`paths:\n${keys}\n  k7: 2\n`, LIMITS)).toEqual({
      ok: false,
      problem: 'Map keys must be unique ("k7")',
      line: 20_002,
      column: 3,
    });
  });

  test('keys equal as scalars are duplicates; a number and a string are not', () => {
    expect(parseYamlText('a: 1\n"a": 2\n', LIMITS)).toMatchObject({ ok: false, line: 2 });
    expect(parseYamlText('1: x\n"1": y\n', LIMITS)).toEqual({ ok: true, value: { 1: 'y' } });
  });

  test('nesting past the limit is refused, block or flow, YAML or JSON', () => {
    const block = Array.from({ length: 10 }, (_, depth) => `${'  '.repeat(depth)}a${depth}:`).join('\n');
    expect(parseYamlText(`${block} 1\n`, LIMITS)).toMatchObject({
      ok: false,
      problem: 'nested deeper than 8 levels',
    });
    expect(parseYamlText(`x: ${'['.repeat(9)}${']'.repeat(9)}`, LIMITS)).toMatchObject({
      ok: false,
      problem: 'nested deeper than 8 levels',
    });
    expect(parseYamlText(`${'['.repeat(20_000)}${']'.repeat(20_000)}`, LIMITS)).toEqual({
      ok: false,
      problem: 'nested deeper than 8 levels',
    });
  });

  test('an alias bomb stops at the alias count', () => {
    const bomb = 'a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n';
    expect(parseYamlText(bomb, LIMITS)).toMatchObject({ ok: false });
  });

  test('JSON reads as JSON; flow YAML that is not JSON still reads as YAML', () => {
    expect(parseYamlText('{"swagger": "2.0"}', LIMITS)).toEqual({ ok: true, value: { swagger: '2.0' } });
    expect(parseYamlText('{swagger: 2.0}', LIMITS)).toEqual({ ok: true, value: { swagger: 2 } });
  });
});
