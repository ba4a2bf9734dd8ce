// The commands that read or write the real Firestore, run where no Application Default Credentials exist: one line
// naming what is missing and how to sign in (exit 2). The Firestore client rejected its credential lookup on several
// promises nobody awaited, so `baseline approve` printed an internal error and then died of an unhandled
// rejection (exit 1), and `report` and `doctor --deployment` died with only the library's stack.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-no-adc-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const DEPLOYMENT = {
  project_id: 'acme-sec',
  mode: 'project',
  scope: null,
  firestore_database: '(default)',
  audit_topic: 'projects/acme-sec/topics/gatewarden-audit-log',
  sweep_topic: 'projects/acme-sec/topics/gatewarden-sweep',
  sinks: [],
  push_subscriptions: [],
  sweep_projects: ['acme-edge'],
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built binary with no credentials anywhere: an empty HOME, no key file, and no metadata server to ask. */
function runWithoutCredentials(args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'bin/gatewarden.js'), ...args],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: scratch,
          GOOGLE_CLOUD_PROJECT: 'acme-sec',
          METADATA_SERVER_DETECTION: 'none',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
  });
}

describe('without Application Default Credentials', () => {
  test.each([
    [['baseline', 'approve', '--estate', 'examples/acme-edge', '--approved-by', 'lead@acme.example']],
    [['report']],
    [['doctor', '--deployment', 'DEPLOYMENT', '--endpoint', 'http://127.0.0.1:9']],
    // Each line failed with the credentials error and a fix granting a role to a caller that does not exist.
    [['doctor', '--project', 'acme-edge']],
  ])('%j exits 2 with one line saying how to sign in', async (args) => {
    const file = join(scratch, 'deployment.json');
    await writeFile(file, JSON.stringify(DEPLOYMENT));
    const run = await runWithoutCredentials(args.map((arg) => (arg === 'DEPLOYMENT' ? file : arg)));
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('gcloud auth application-default login');
    expect(run.stderr.trim().split('\n'), run.stderr).toHaveLength(1);
  });
});
