// The functions' source archive carries every compiled module the functions can load, dynamic imports and JSON
// imports included: a file left out fails only when the path that loads it runs (the probe, the SCC mirror), in
// production, as ERR_MODULE_NOT_FOUND on every invocation.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateInModule, hasTerraform, REPO_ROOT, TERRAFORM_ROOT } from './hcl.js';

const ENTRY = 'dist/functions/index.js';

/**
 * Relative specifiers a compiled module loads: static imports and re-exports (`import type` is erased by tsc),
 * `import('...')`, and `new URL('...', import.meta.url)` (a file read or a worker started beside the module).
 */
const RELATIVE_LOADS = [
  /^\s*(?:import|export)\s+(?:[^;'"]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/gm,
  /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  /\bnew URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

/** Every file reachable from the entry module, as paths relative to the repository root. */
function reachableFrom(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [resolve(REPO_ROOT, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js') || !existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const pattern of RELATIVE_LOADS) {
      for (const match of text.matchAll(pattern)) pending.push(resolve(dirname(file), match[1] as string));
    }
  }
  return [...seen].map((file) => relative(REPO_ROOT, file)).sort();
}

describe.skipIf(!hasTerraform)(
  `source archive${hasTerraform ? '' : ' (skipped: terraform not installed)'}`,
  () => {
    let archived: string[];
    let reachable: string[];

    beforeAll(() => {
      archived = evaluateInModule(join(TERRAFORM_ROOT, 'modules', 'source-files'), 'local.files', {
        source_root: REPO_ROOT,
      }) as string[];
      reachable = reachableFrom(ENTRY);
    });

    it('the root module archives exactly the source-files module output (beside package.json and the lock file)', () => {
      const functions = readFileSync(join(TERRAFORM_ROOT, 'functions.tf'), 'utf8');
      expect(functions).toMatch(/built_files\s*=\s*module\.source_files\.files/);
      expect(functions).toMatch(/source\s*=\s*"\.\/modules\/source-files"/);
    });

    it('the walk follows dynamic imports down to the JSON a module imports (the probe reads its version)', () => {
      expect(reachable).toContain('dist/src/probe/probe-session.js');
      expect(reachable).toContain('dist/src/version.js');
      expect(reachable).toContain('dist/package.json');
    });

    it('every module the functions can load is in the archive', () => {
      expect(reachable.filter((file) => !archived.includes(file))).toEqual([]);
    });

    it('no reachable module is missing from the build', () => {
      expect(reachable.filter((file) => !existsSync(join(REPO_ROOT, file)))).toEqual([]);
    });

    it('from a copy of the archive, every reachable module loads', () => {
      const unpacked = mkdtempSync(join(tmpdir(), 'gatewarden-archive-'));
      try {
        for (const file of [...archived, 'package.json']) {
          cpSync(join(REPO_ROOT, file), join(unpacked, file));
        }
        // Cloud Build installs the production dependencies; the repository's node_modules stands in for them.
        symlinkSync(join(REPO_ROOT, 'node_modules'), join(unpacked, 'node_modules'), 'dir');
        const modules = reachable.filter((file) => file.endsWith('.js'));
        const run = spawnSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const failed = [];
for (const file of ${JSON.stringify(modules)}) {
  try { await import('./' + file); } catch (error) { failed.push(file + ': ' + error.code + ' ' + error.message.split('\\n')[0]); }
}
console.log(JSON.stringify(failed));
process.exit(0);`,
          ],
          { cwd: unpacked, encoding: 'utf8', env: { ...process.env, GATEWARDEN_LOG_LEVEL: 'error' } },
        );
        const lines = run.stdout.trim().split('\n');
        expect(run.stderr.slice(0, 2000), 'node stderr').not.toMatch(/ERR_MODULE_NOT_FOUND/);
        expect(JSON.parse(lines.at(-1) ?? 'null')).toEqual([]);
      } finally {
        rmSync(unpacked, { recursive: true, force: true });
      }
    });
  },
);
