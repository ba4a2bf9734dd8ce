// What the installed package loads at run time (bin/, src/, functions/, compiled to dist/) comes from
// `dependencies`: an install from the registry has no devDependencies, and a package only hoisted there by another
// one (google-auth-library under googleapis) may be missing or another version.

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

const RUNTIME_FOLDERS = ['bin', 'src', 'functions'];
/** `import x from 'p'`, `export ... from 'p'`, `import 'p'`; not `import type` (erased when compiled). */
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^;']*?\sfrom\s*)?'([^']+)'/gm;
/** `import('p')`, also in type positions, which only makes the check stricter. */
const DYNAMIC_IMPORT = /\bimport\(\s*'([^']+)'\s*\)/g;

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

function importedPackages(text: string): string[] {
  return [...text.matchAll(STATIC_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)]
    .sort((one, other) => one.index - other.index)
    .map((match) => match[1] ?? '')
    .filter((specifier) => specifier !== '' && !specifier.startsWith('.'));
}

test('every package imported at run time is a dependency', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const builtins = new Set(builtinModules);
  const missing = RUNTIME_FOLDERS.flatMap((folder) => sourceFiles(join(REPO_ROOT, folder))).flatMap((file) =>
    importedPackages(readFileSync(file, 'utf8'))
      .filter((specifier) => !specifier.startsWith('node:') && !builtins.has(specifier))
      .map(packageOf)
      .filter((name) => !(name in manifest.dependencies))
      .map((name) => `${relative(REPO_ROOT, file)}: ${name}`),
  );
  expect(missing).toEqual([]);
});

test('the import scan sees static, re-exported and dynamic imports, and skips type-only ones', () => {
  const text = [
    "import { z } from 'zod';",
    "import type { AuthClient } from 'google-auth-library';",
    "export { parse } from 'yaml';",
    "const { PubSub } = await import('@google-cloud/pubsub');",
    "import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';",
    "import { local } from './local.js';",
  ].join('\n');
  expect(importedPackages(text).map(packageOf)).toEqual([
    'zod',
    'yaml',
    '@google-cloud/pubsub',
    'googleapis',
  ]);
});
