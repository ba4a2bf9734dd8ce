// `npm run demo` as a new user sees it (run with --once, which stops after the scripted changes): under each change
// its cause prints first (the audit entries), then the judgements (an API Gateway change has one per entry) with
// their finding transitions, then the alerts sent, and nothing on stderr reads like a failure.

import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

const exec = promisify(execFile);
/** Inside dist/ so the compiled demo finds the repository root above it, apart from what other tests run. */
const OUT_DIR = join(REPO_ROOT, 'dist', 'demo-test');
const ORDER = ['audit entry', 'judged', 'finding', 'alert sent'] as const;

let stdout = '';
let stderr = '';

beforeAll(async () => {
  // tsc still emits when another part of the tree has type errors; typecheck is where those fail.
  await exec('npx', ['tsc', '-p', 'tsconfig.scripts.json', '--outDir', OUT_DIR], { cwd: REPO_ROOT }).catch(
    () => undefined,
  );
  ({ stdout, stderr } = await exec(process.execPath, [join(OUT_DIR, 'scripts', 'demo.js'), '--once'], {
    cwd: REPO_ROOT,
    timeout: 240_000,
  }));
}, 300_000);

afterAll(async () => {
  await rm(OUT_DIR, { recursive: true, force: true });
});

/** The lines under each `== change` title, each reduced to its kind. */
function sections(text: string): { title: string; kinds: string[] }[] {
  return text
    .split('\n== ')
    .slice(1)
    .map((section) => {
      const [title = '', ...lines] = section.split('\n');
      const kinds = lines.flatMap((line) => ORDER.filter((kind) => line.startsWith(`  ${kind} `)));
      return { title, kinds };
    });
}

test('every change prints its audit entries, then its judgement, then the findings, then the alerts', () => {
  const changes = sections(stdout);
  expect(changes.map((change) => change.title)).toHaveLength(4);
  for (const { title, kinds } of changes) {
    expect(kinds[0], title).toBe('audit entry');
    expect(kinds, title).toContain('judged');
    // Audit entries, then the judgements (an API Gateway change has one per entry, DESIGN.md §2), each with the
    // findings it moved, then the alerts.
    const shape = kinds.map(
      (kind) => ({ 'audit entry': 'a', judged: 'j', finding: 'f', 'alert sent': 's' })[kind],
    );
    expect(shape.join(''), `${title}: ${kinds.join(', ')}`).toMatch(/^a+(?:jf*)+s*$/);
  }
  // Each change in the script opens or resolves at least one finding, whose alert prints under that same change.
  for (const { title, kinds } of changes) expect(kinds, title).toContain('alert sent');
  // Every rule could decide: an `undetermined` here means the demo's own set-up is wrong (a config it made up
  // without its document, say), which would show a new user alerts about nothing.
  expect(stdout).not.toMatch(/undetermined/);
});

test('nothing on stderr: no auth library warning about the metadata server, no failure', () => {
  expect(stderr).not.toContain('MetadataLookupWarning');
  expect(stderr).toBe('');
});
