// Finds the repository root from a module that may run from source (vitest) or compiled, from dist/ (demo, soak, benches).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The first folder upwards holding package-lock.json beside functions/. Not package.json alone: tsc copies it into
 * dist/ (src/version.ts imports it), and dist/ has functions/ too, so compiled code would take dist/ for the root.
 */
export function findRepositoryRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package-lock.json')) && existsSync(join(dir, 'functions'))) return dir;
  }
  throw new Error(`no repository root (package-lock.json beside functions/) above ${start}`);
}

/** The repository root, found upwards from here: a fixed `../..` would name dist/ when this runs compiled. */
export const REPO_ROOT = findRepositoryRoot(dirname(fileURLToPath(import.meta.url)));
