// The package as a user gets it: `npm pack` from the files the Docker build context lets through, then installed
// the two ways people run it (`npm install -g`, and the container image's layout) and run from an empty folder.
// Runtime dependencies come from the npm registry (the local cache first); devDependencies are never installed.

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

const exec = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-package-'));
/** Node 24 (this process) first, so npm and the `#!/usr/bin/env node` bin run on the version `engines` asks for. */
const PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
/**
 * Without the npm_* variables `npx vitest` sets: npm_config_local_prefix would make `npm pack` pack (and run prepack
 * in) this repository instead of the copy.
 */
const environment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'),
);
let tarball: string;
let packedFiles: string[];

interface Finding {
  readonly ruleId: string;
  readonly resource: string;
}
interface SarifLog {
  readonly runs: { readonly results: { readonly ruleId: string }[] }[];
}

beforeAll(async () => {
  // The build context: only what .dockerignore lets through, as `docker build` would send it.
  const source = join(scratch, 'source');
  mkdirSync(source);
  for (const entry of dockerContextEntries()) {
    cpSync(join(REPO_ROOT, entry), join(source, entry), { recursive: true });
  }
  // The toolchain the build stage installs with `npm ci`, borrowed rather than installed again.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', scratch], source);
  const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(scratch, manifest?.filename ?? 'missing.tgz');
  packedFiles = (manifest?.files ?? []).map((file) => file.path);
}, 180_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

test('the tarball holds the built CLI, the functions and the example estate, and no sources, tests or maps', () => {
  expect(packedFiles).toEqual(
    expect.arrayContaining([
      'package.json',
      'README.md',
      'LICENSE',
      'bin/gatewarden.js',
      'dist/package.json',
      'dist/src/cli/main.js',
      'dist/bundle/main.js',
      'dist/functions/index.js',
      'examples/acme-edge/backend-services.json',
    ]),
  );
  const unwanted = packedFiles.filter((path) =>
    /^(src|test|bench|scripts|terraform|docs|node_modules)\/|\.map$|\.ts$|^dist\/(test|bench|scripts)\//.test(
      path,
    ),
  );
  expect(unwanted).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  expect(manifest.private).toBeUndefined();
});

describe("the README's two commands (npm install -g of the tarball, then a scan) in a folder holding only it", () => {
  const prefix = join(scratch, 'global');
  const empty = join(scratch, 'empty');
  /** `npm install -g` and `npm root -g` under a prefix of the test's own, not the machine's global folder. */
  const globalEnv = {
    npm_config_prefix: prefix,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
  };
  let commands: string[];

  beforeAll(async () => {
    mkdirSync(empty);
    commands = readmeTryItCommands();
    expect(commands).toHaveLength(2);
    expect(commands[0]).toBe(`npm install -g ./${basename(tarball)}`);
    cpSync(tarball, join(empty, basename(tarball)));
    await run('sh', ['-c', commands[0] ?? ''], empty, false, globalEnv);
  }, 300_000);

  test('the scan prints the findings of the sample estate the package ships', async () => {
    const { stdout, stderr } = await run('sh', ['-c', commands[1] ?? ''], empty, false, {
      ...globalEnv,
      PATH: [join(prefix, 'bin'), PATH].join(delimiter),
    });
    expect(stdout).toMatch(
      /^CRITICAL +gateway\.direct-url-protected +acme-edge\/asia-northeast1\/payments-events-gw-ane1 /m,
    );
    expect(stdout).toMatch(/^\d+ findings: .* across \d+ resources, \d+ rules$/m);
    expect(stderr).toMatch(
      /^Loaded \d+ resources from .*\/lib\/node_modules\/gatewarden\/examples\/acme-edge in /m,
    );
  });

  test('gatewarden scan --format json: the findings as JSON', async () => {
    const estate = join(prefix, 'lib', 'node_modules', 'gatewarden', 'examples', 'acme-edge');
    const { stdout, stderr } = await run(
      join(prefix, 'bin', 'gatewarden'),
      ['scan', '--estate', estate, '--format', 'json'],
      empty,
    );
    const report = JSON.parse(stdout) as { findings: Finding[] };
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'gateway.direct-url-protected',
        resource:
          '//apigateway.googleapis.com/projects/acme-edge/locations/asia-northeast1/gateways/payments-events-gw-ane1',
      }),
    );
    expect(stderr).toMatch(/^Loaded \d+ resources from /m);
  });

  test('gatewarden check-plan on a plan: the findings table and exit 1 at --fail-on HIGH', async () => {
    const plan = join(REPO_ROOT, 'test', 'fixtures', 'plans', 'mixed-negs', 'plan.json');
    const result = await run(
      join(prefix, 'bin', 'gatewarden'),
      ['check-plan', plan, '--fail-on', 'HIGH'],
      empty,
      true,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/backend\.serverless-not-mixed/);
    expect(result.stdout).toMatch(/^3 findings: 2 HIGH, 1 MEDIUM across 11 resources/m);
  });
});

describe("the container image's layout, built as the Dockerfile's install stage does", () => {
  const app = join(scratch, 'app');
  const work = join(scratch, 'work');

  beforeAll(async () => {
    mkdirSync(app);
    mkdirSync(work);
    // RUN tar -xzf /tmp/gatewarden.tgz --strip-components=1 && npm ci --omit=dev --ignore-scripts
    await run('tar', ['-xzf', tarball, '--strip-components=1'], app);
    cpSync(join(REPO_ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    await run(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
      app,
    );
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'plans', 'mixed-negs', 'plan.json'), join(work, 'plan.json'));
  }, 300_000);

  test('the entry point (node /app/bin/gatewarden.js) runs check-plan --format sarif from the work folder', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(app, 'bin', 'gatewarden.js'), 'check-plan', 'plan.json', '--format', 'sarif'],
      work,
    );
    const sarif = JSON.parse(stdout) as SarifLog;
    expect(sarif.runs[0]?.results.map((result) => result.ruleId).sort()).toEqual([
      'backend.serverless-not-mixed',
      'backend.single-platform',
      'gateway.direct-url-protected',
    ]);
  });
});

/** The paths .dockerignore lets through (it ignores everything, then re-includes `!path` lines). */
function dockerContextEntries(): string[] {
  const lines = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
  expect(lines).toContain('*');
  return lines.filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
}

/** The commands of the first sh block under `## Try it` in README.md, without their comments. */
function readmeTryItCommands(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Try it'));
  const block = section.slice(
    section.indexOf('```sh\n') + 6,
    section.indexOf('\n```', section.indexOf('```sh\n')),
  );
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

async function run(
  command: string,
  args: readonly string[],
  cwd: string,
  allowFailure = false,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env: { ...environment, PATH, NO_COLOR: '1', ...extraEnv },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (!allowFailure || typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
