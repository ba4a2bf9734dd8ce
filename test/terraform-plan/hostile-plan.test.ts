// Malformed plans exit 2 with one line naming what is wrong; reference chains resolve in bounded time (issue 17).

import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCaptured } from '../cli/capture-io.js';
import { planPath } from './fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: each case mutates a parsed plan wherever it likes
type Json = any;

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-hostile-plan-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));
let plans = 0;

async function planFile(text: string): Promise<string> {
  const path = join(scratch, `plan-${++plans}.json`);
  await writeFile(path, text);
  return path;
}

async function changedPlan(change: (plan: Json) => void): Promise<string> {
  const plan = JSON.parse(await readFile(planPath('module-nested'), 'utf8'));
  change(plan);
  return planFile(JSON.stringify(plan));
}

// SARIF reads the most of a plan: its locations follow module calls' sources into their directories.
async function checkPlan(path: string) {
  return runCaptured(['check-plan', path, '--fail-on', 'LOW', '--format', 'sarif']);
}

describe('check-plan on malformed plans', () => {
  test.each([
    {
      name: 'configuration.root_module.resources = 5',
      change: (plan: Json) => {
        plan.configuration.root_module.resources = 5;
      },
      message: 'configuration.root_module.resources should be an array, found a number',
    },
    {
      name: 'module_calls: {m: null}',
      change: (plan: Json) => {
        plan.configuration.root_module.module_calls = { m: null };
      },
      message: 'configuration.root_module.module_calls["m"] should be an object, found null',
    },
    {
      name: 'a module call whose source is a number',
      change: (plan: Json) => {
        plan.configuration.root_module.module_calls.edge.source = 7;
      },
      message: 'configuration.root_module.module_calls["edge"].source should be a string, found a number',
    },
    {
      name: 'a module call whose source is null',
      change: (plan: Json) => {
        plan.configuration.root_module.module_calls.edge.source = null;
      },
      message: 'configuration.root_module.module_calls["edge"].source should be a string, found null',
    },
    {
      name: 'provider_config: {google: null}',
      change: (plan: Json) => {
        plan.configuration.provider_config = { google: null };
      },
      message: 'configuration.provider_config["google"] should be an object, found null',
    },
    {
      name: 'non-string references',
      change: (plan: Json) => {
        plan.configuration.root_module.resources[1].expressions.api.references = [42];
      },
      message:
        'configuration.root_module.resources[1].expressions.api.references should be a list of strings',
    },
    {
      name: 'planned resources without resource_changes',
      change: (plan: Json) => {
        delete plan.resource_changes;
      },
      message: 'but resource_changes is missing (give the output of `terraform show -json PLANFILE`)',
    },
    {
      name: 'planned values the rules cannot read (backends: {})',
      change: (plan: Json) => {
        const modules = plan.planned_values.root_module.child_modules;
        const service = modules[0].resources.find(
          (r: { type: string }) => r.type === 'google_compute_backend_service',
        );
        service.values.backend = 'not a block list';
        for (const change of plan.resource_changes)
          if (change.address === service.address) change.change.after.backend = 'not a block list';
      },
      message: 'its API field backends must be a list of objects, found a string',
    },
  ])('$name exits 2 naming the key', async ({ change, message }) => {
    const path = await changedPlan(change);
    const run = await checkPlan(path);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').at(-1)).toContain(`${path}: `);
    expect(run.stderr).toContain(message);
  });

  test('100,000-deep child_modules exit 2 instead of overflowing the stack', async () => {
    const depth = 100_000;
    const text =
      '{"format_version": "1.2", "planned_values": {"root_module": ' +
      '{"child_modules": ['.repeat(depth) +
      '{}' +
      ']}'.repeat(depth) +
      '}}';
    const run = await checkPlan(await planFile(text));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is nested deeper than 256 levels');
  });

  test('a plan that is a FIFO exits 2 at once', async () => {
    const fifo = join(scratch, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await checkPlan(fifo);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${fifo}: is a FIFO (named pipe), not a regular file`);
  });

  test('module outputs referencing each other ten times per level, nine levels deep, resolve once each', async () => {
    const LEVELS = 9;
    const FAN = 10;
    const outputsOf = (level: number) =>
      Object.fromEntries(
        Array.from({ length: FAN }, (_, index) => [
          `o${index}`,
          {
            expression: {
              references:
                level + 1 < LEVELS
                  ? Array.from({ length: FAN }, (_, target) => `module.m${level + 1}.o${target}`)
                  : ['var.nothing'],
            },
          },
        ]),
      );
    let module: Record<string, unknown> = { outputs: outputsOf(LEVELS - 1) };
    for (let level = LEVELS - 2; level >= 0; level--) {
      module = { outputs: outputsOf(level), module_calls: { [`m${level + 1}`]: { module } } };
    }
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'google_compute_url_map.api',
              mode: 'managed',
              type: 'google_compute_url_map',
              name: 'api',
              values: { name: 'api-map', project: 'acme-edge', default_service: null },
            },
          ],
        },
      },
      resource_changes: [
        {
          address: 'google_compute_url_map.api',
          mode: 'managed',
          type: 'google_compute_url_map',
          name: 'api',
          change: {
            actions: ['create'],
            after: { name: 'api-map', project: 'acme-edge', default_service: null },
            after_unknown: { default_service: true },
          },
        },
      ],
      configuration: {
        root_module: {
          resources: [
            {
              address: 'google_compute_url_map.api',
              mode: 'managed',
              type: 'google_compute_url_map',
              name: 'api',
              expressions: {
                default_service: {
                  references: Array.from({ length: FAN }, (_, target) => `module.m0.o${target}`),
                },
              },
            },
          ],
          module_calls: { m0: { module } },
        },
      },
    };
    const text = JSON.stringify(plan);
    expect(text.length).toBeLessThan(30_000);
    const run = await runCaptured(['check-plan', await planFile(text), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.resources).toBe(1);
  });
});
