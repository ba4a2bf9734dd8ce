// The licence the package declares is the one it ships: package.json says Apache-2.0, so the text must be there,
// in the repository and in what `npm pack` packs (from the Docker build context, which .dockerignore filters).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

test('LICENSE holds the Apache License 2.0 that package.json declares', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { license?: string };
  expect(manifest.license).toBe('Apache-2.0');
  const text = readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8');
  expect(text).toMatch(
    /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//,
  );
  expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
  expect(text).toContain('END OF TERMS AND CONDITIONS');
});

test('the Docker build context, from which the package is packed, lets LICENSE through', () => {
  const kept = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!'));
  expect(kept).toContain('!LICENSE');
});
