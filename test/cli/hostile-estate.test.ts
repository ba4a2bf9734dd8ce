// Malformed exports exit 2 with one line naming file, record and field; never 70, never a hang (issue 17).

import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { setPath, writeChangedEstate } from '../support/hostile-estate.js';
import { backendService } from '../support/records.js';
import { runCaptured } from './capture-io.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-hostile-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let estates = 0;

describe('scan --estate on malformed records (each from issue 17)', () => {
  test.each([
    { file: 'backend-services.json', index: 0, path: ['backends'], value: {}, field: 'backends' },
    { file: 'backend-services.json', index: 0, path: ['backends'], value: 42, field: 'backends' },
    { file: 'backend-services.json', index: 0, path: ['backends'], value: 'str', field: 'backends' },
    { file: 'backend-services.json', index: 0, path: ['backends'], value: [null], field: 'backends[0]' },
    { file: 'backend-services.json', index: 0, path: ['healthChecks'], value: 42, field: 'healthChecks' },
    { file: 'backend-services.json', index: 0, path: ['securityPolicy'], value: 42, field: 'securityPolicy' },
    {
      file: 'network-endpoint-groups.json',
      index: 0,
      path: ['serverlessDeployment', 'resource'],
      value: 42,
      field: 'serverlessDeployment.resource',
    },
    {
      file: 'target-https-proxies.json',
      index: 0,
      path: ['sslCertificates'],
      value: {},
      field: 'sslCertificates',
    },
    { file: 'gateways.json', index: 0, path: ['apiConfig'], value: 42, field: 'apiConfig' },
    { file: 'gateways.json', index: 0, path: ['apiConfig'], value: {}, field: 'apiConfig' },
    { file: 'gateways.json', index: 0, path: ['apiConfig'], value: [], field: 'apiConfig' },
    { file: 'url-maps.json', index: 0, path: ['pathMatchers'], value: {}, field: 'pathMatchers' },
    {
      file: 'url-maps.json',
      index: 0,
      path: ['pathMatchers'],
      value: [{ name: 'm', pathRules: {} }],
      field: 'pathMatchers[0].pathRules',
    },
  ])('$file $field = $value', async ({ file, index, path, value, field }) => {
    const dir = join(scratch, `estate-${++estates}`);
    await writeChangedEstate(dir, file, index, (record) => setPath(record, path, value));
    const run = await runCaptured(['scan', '--estate', dir, '--fail-on', 'LOW']);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^gatewarden scan: ${join(dir, file)}: record \\.\\[${index}\\] \\(".+"\\): ${field.replace(/[[\].]/g, '\\$&')} must be `,
      ),
    );
  });

  test('a record nested deeper than 64 levels is refused with its index (scan and baseline save)', async () => {
    const dir = join(scratch, `estate-${++estates}`);
    await writeChangedEstate(dir, 'backend-services.json', 1, (record) => {
      record.description = '__DEEP__';
    });
    const file = join(dir, 'backend-services.json');
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    await writeFile(file, (await readFile(file, 'utf8')).replace('"__DEEP__"', deep));
    const run = await runCaptured(['scan', '--estate', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/backend-services\.json: record \.\[1\] is nested deeper than 64 levels/);
    const save = await runCaptured(['baseline', 'save', '--estate', dir]);
    expect(save.code).toBe(2);
    expect(save.stderr).toMatch(/record \.\[1\] is nested deeper than 64 levels/);
  });

  test('an export that is a FIFO exits 2 at once', async () => {
    const dir = join(scratch, `estate-${++estates}`);
    await cp('test/fixtures/estates/orders-edge', dir, { recursive: true });
    await rm(join(dir, 'gateways.json'));
    execFileSync('mkfifo', [join(dir, 'gateways.json')]);
    const run = await runCaptured(['scan', '--estate', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'gateways.json')}: is a FIFO (named pipe), not a regular file`);
  });

  test('an export that is a symlink to /dev/zero exits 2 at once', async () => {
    const dir = join(scratch, `estate-${++estates}`);
    await cp('test/fixtures/estates/orders-edge', dir, { recursive: true });
    await rm(join(dir, 'url-maps.json'));
    await symlink('/dev/zero', join(dir, 'url-maps.json'));
    const run = await runCaptured(['scan', '--estate', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'url-maps.json')}: is a character device, not a regular file`);
  });
});

describe('--fail-on never passes on what was not judged', () => {
  async function estateOf(files: Record<string, unknown>): Promise<string> {
    const dir = join(scratch, `estate-${++estates}`);
    await mkdir(dir);
    for (const [name, value] of Object.entries(files))
      await writeFile(join(dir, name), JSON.stringify(value));
    return dir;
  }

  test('a rule that could not decide (API configs that are not YAML) fails the gate: exit 1', async () => {
    const dir = join(scratch, `estate-${++estates}`);
    const notYaml = Buffer.from('paths: [unclosed').toString('base64');
    await writeChangedEstate(dir, 'api-configs.json', 0, (record) => {
      setPath(record, ['openapiDocuments', 0, 'document', 'contents'], notYaml);
    });
    const file = join(dir, 'api-configs.json');
    const configs = JSON.parse(await readFile(file, 'utf8'));
    setPath(configs[1], ['openapiDocuments', 0, 'document', 'contents'], notYaml);
    await writeFile(file, JSON.stringify(configs));
    // Only the rule that reads API configs, so nothing else fails.
    const policy = join(dir, 'only-auth.yaml');
    const others = ALL_RULES.map((rule) => rule.id).filter((id) => id !== 'gateway.api-config-authenticated');
    await writeFile(policy, `rules:\n${others.map((id) => `  ${id}: { enabled: false }`).join('\n')}\n`);
    const judged = await runCaptured(['scan', '--estate', dir, '--policy', policy, '--format', 'json']);
    expect(judged.code).toBe(0);
    const report = JSON.parse(judged.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary.errors).toContainEqual(
      expect.objectContaining({ ruleId: 'gateway.api-config-authenticated' }),
    );
    const gated = await runCaptured(['scan', '--estate', dir, '--policy', policy, '--fail-on', 'LOW']);
    expect(gated.code).toBe(1);
  });

  test('a record skipped as unreadable makes --fail-on exit 2, whatever the findings', async () => {
    const dir = await estateOf({
      'backend-services.json': [
        backendService('ok-bs'),
        backendService('odd-bs', { selfLink: 'not a resource link' }),
      ],
    });
    const plain = await runCaptured(['scan', '--estate', dir]);
    expect(plain.code).toBe(0);
    const gated = await runCaptured(['scan', '--estate', dir, '--fail-on', 'CRITICAL']);
    expect(gated.code).toBe(2);
    expect(gated.stderr).toMatch(/--fail-on CRITICAL: 1 record\(s\) or scope\(s\) could not be read/);
  });
});
