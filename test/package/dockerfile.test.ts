// The Dockerfile read as Docker reads it: stages, their instructions, and what the final image gets. Docker's
// daemon is not needed; packed-package.test.ts builds and runs the same layout the final stage copies.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Joins `\` continuations, drops comments and blank lines, and splits the instructions at each FROM. */
function parseDockerfile(text: string): Stage[] {
  const logicalLines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logicalLines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [image = '', as, name] = rest;
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before the first FROM`);
      stage.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

function argsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((i) => i.args);
}

const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const final = stages.at(-1) as Stage;

describe('Dockerfile', () => {
  test('builds in Node 24 stages and runs on a Node 24 runtime image without a shell or npm', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages.slice(0, -1)) expect(stage.image).toMatch(/^node:24(-slim)?$/);
    expect(final.image).toMatch(/^gcr\.io\/distroless\/nodejs24-debian\d+(:nonroot)?$/);
  });

  test('the final stage runs as a non-root user', () => {
    const users = argsOf(final, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
  });

  test('the final stage runs nothing and copies only the installed package from the install stage', () => {
    expect(argsOf(final, 'RUN')).toEqual([]);
    expect(argsOf(final, 'ADD')).toEqual([]);
    expect(argsOf(final, 'COPY')).toEqual(['--from=install /app /app']);
    expect(stages.map((stage) => stage.name)).toContain('install');
  });

  test('the entry point is the CLI, so arguments after the image name are gatewarden arguments', () => {
    const [entrypoint] = argsOf(final, 'ENTRYPOINT');
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['/nodejs/bin/node', '/app/bin/gatewarden.js']);
    expect(argsOf(final, 'WORKDIR')).toEqual(['/work']);
  });

  test('the install stage unpacks the packed tarball and installs production dependencies at the locked versions', () => {
    const install = stages.find((stage) => stage.name === 'install') as Stage;
    const [run] = argsOf(install, 'RUN');
    // packed-package.test.ts repeats these steps to build the layout the final stage copies.
    expect(run).toContain('tar -xzf /tmp/gatewarden.tgz --strip-components=1');
    expect(run).toContain('npm ci --omit=dev --ignore-scripts');
    expect(argsOf(install, 'COPY')).toEqual(
      expect.arrayContaining([
        '--from=build /tmp/gatewarden.tgz /tmp/gatewarden.tgz',
        'package-lock.json ./',
      ]),
    );
  });

  test('the build stage packs with npm pack, as a user gets the package', () => {
    const build = stages.find((stage) => stage.name === 'build') as Stage;
    expect(argsOf(build, 'RUN').join(' ')).toMatch(/npm ci .*&& npm pack --pack-destination \/tmp/);
  });
});

describe('.dockerignore', () => {
  const lines = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));

  test('ignores everything but the files packing needs, each of which exists', () => {
    expect(lines[0]).toBe('*');
    const kept = lines.slice(1).map((line) => line.replace(/^!/, '').replace(/\/$/, ''));
    expect(lines.slice(1).every((line) => line.startsWith('!'))).toBe(true);
    for (const path of kept) expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
    expect(kept).not.toContain('node_modules');
    expect(kept).not.toContain('dist');
  });
});

test('parseDockerfile joins continuations, skips comments and names stages', () => {
  const text = [
    '# comment',
    'FROM node:24-slim AS build',
    'RUN a \\',
    '  && b',
    '',
    'FROM scratch',
    'COPY --from=build /x /x',
  ].join('\n');
  expect(parseDockerfile(text)).toEqual([
    { image: 'node:24-slim', name: 'build', instructions: [{ keyword: 'RUN', args: 'a && b' }] },
    { image: 'scratch', name: undefined, instructions: [{ keyword: 'COPY', args: '--from=build /x /x' }] },
  ]);
});
