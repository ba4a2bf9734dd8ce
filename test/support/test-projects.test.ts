// The `unit` project stays fast and self-contained: no unit test file (nor a test helper it imports) starts an
// emulator or a child process. A file that does belongs in STACK_TESTS (vitest.config.ts).

import { globSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, test } from 'vitest';
import { STACK_TESTS } from '../../vitest.config.js';
import { REPO_ROOT } from './repository-root.js';

/** What only a stack test may do: spawn processes (binaries, emulators, the served functions) or drive Chromium. */
const STACK_ONLY = /node:child_process|start(Firestore|PubSub)Emulator|chromium/;

function isStack(path: string): boolean {
  return STACK_TESTS.some((pattern) =>
    pattern.endsWith('/**/*.test.ts')
      ? path.startsWith(pattern.slice(0, -'**/*.test.ts'.length))
      : path === pattern,
  );
}

/** The test file and every test helper it reaches through relative imports (type-only imports do not run). */
function reachedHelpers(path: string, seen = new Set<string>()): Set<string> {
  if (seen.has(path)) return seen;
  seen.add(path);
  const text = readFileSync(join(REPO_ROOT, path), 'utf8');
  for (const match of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gms)) {
    const target = normalize(join(dirname(path), (match[1] as string).replace(/\.js$/, '.ts')));
    if (target.startsWith('test/')) reachedHelpers(target, seen);
  }
  return seen;
}

function whatRunsProcesses(path: string): string[] {
  return [...reachedHelpers(path)].filter((file) =>
    STACK_ONLY.test(readFileSync(join(REPO_ROOT, file), 'utf8').replace(/^import type .*$/gm, '')),
  );
}

const TEST_FILES = globSync('test/**/*.test.ts', { cwd: REPO_ROOT }).sort();

describe('test projects', () => {
  test('the stack list names only files that exist', () => {
    for (const pattern of STACK_TESTS) {
      expect(TEST_FILES.some((file) => isStack(file) && (pattern.includes('*') || file === pattern))).toBe(
        true,
      );
    }
  });

  // This file names the patterns it looks for, so it is the one unit file not read for them.
  const unitFiles = TEST_FILES.filter(
    (file) => !isStack(file) && file !== 'test/support/test-projects.test.ts',
  );
  test.each(unitFiles)('unit: %s starts no process or emulator', (file) => {
    expect(whatRunsProcesses(file), `${file} belongs in STACK_TESTS (vitest.config.ts)`).toEqual([]);
  });

  test('the guard can fail: a stack test reaches a process', () => {
    expect(whatRunsProcesses('test/cli/e2e.test.ts')).toContain('test/cli/e2e.test.ts');
  });
});
