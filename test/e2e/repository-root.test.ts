import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { findRepositoryRoot } from '../support/repository-root.js';

describe('findRepositoryRoot', () => {
  const root = mkdtempSync(join(tmpdir(), 'gw-root-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('compiled code under dist/ finds the repository, not dist/ (which tsc gives a package.json and functions/)', () => {
    for (const dir of ['functions', 'dist/functions', 'dist/test/e2e'])
      mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(join(root, 'package-lock.json'), '{}');
    writeFileSync(join(root, 'dist', 'package.json'), '{}');
    expect(findRepositoryRoot(join(root, 'dist', 'test', 'e2e'))).toBe(root);
  });

  test('a folder with no repository above it is refused by name', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'gw-none-'));
    try {
      expect(() => findRepositoryRoot(lonely)).toThrow(/no repository root .* above/);
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });
});
