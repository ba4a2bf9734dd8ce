// check-plan with a planned API config that cannot be read: the results the rules could not decide fail the gate
// (docs/check-plan.md, --fail-on), so whoever reads the SARIF or JSON report must be told which they are.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateSarif } from '../report/sarif-schema.js';
import { runCaptured } from './capture-io.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-plan-undetermined-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

type ApiConfigValues = { openapi_documents: { document: { contents: string }[] }[] };
type PlanResource = { type: string; values: ApiConfigValues };
type PlanModule = { resources?: PlanResource[]; child_modules?: PlanModule[] };

let planPath: string;

/** The guide's plan with its API config's OpenAPI document replaced by text that is neither YAML nor JSON. */
beforeAll(async () => {
  const plan = JSON.parse(await readFile('test/fixtures/plans/guide/plan.json', 'utf8')) as {
    planned_values: { root_module: PlanModule };
    resource_changes: { type: string; change: { after: ApiConfigValues } }[];
  };
  const broken = Buffer.from('swagger: "2.0"\npaths: [: {\n').toString('base64');
  const breakConfig = (values: ApiConfigValues): void => {
    for (const document of values.openapi_documents[0]?.document ?? []) document.contents = broken;
  };
  const walk = (module: PlanModule): void => {
    for (const resource of module.resources ?? []) {
      if (resource.type === 'google_api_gateway_api_config') breakConfig(resource.values);
    }
    for (const child of module.child_modules ?? []) walk(child);
  };
  walk(plan.planned_values.root_module);
  for (const change of plan.resource_changes) {
    if (change.type === 'google_api_gateway_api_config') breakConfig(change.change.after);
  }
  planPath = join(scratch, 'plan.json');
  await writeFile(planPath, JSON.stringify(plan));
});

describe('check-plan: results a rule could not decide', () => {
  test('--format sarif --fail-on HIGH: exit 1, and stderr names each undetermined result', async () => {
    const run = await runCaptured(['check-plan', planPath, '--format', 'sarif', '--fail-on', 'HIGH']);
    expect(run.code, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(validateSarif(log)).toBe(true);
    // The SARIF says so too, for whoever reads only the upload: one notification per undetermined result.
    const notes = log.runs[0].invocations[0].toolExecutionNotifications as { message: { text: string } }[];
    expect(notes.map((note) => note.message.text).sort()).toEqual(
      run.stderr
        .split('\n')
        .filter((line) => line.startsWith('undetermined: '))
        .sort(),
    );
    expect(run.stderr).toMatch(
      /^undetermined: gateway\.api-config-authenticated on \/\/apigateway\.googleapis\.com\/projects\/acme-edge\/locations\/us-central1\/gateways\/orders-gw: .*cannot be read/m,
    );
    expect(run.stderr).toMatch(/^undetermined: gateway\.direct-url-protected on .*\/gateways\/orders-gw: /m);
  });

  test('--format table on stdout lists them itself, not stderr again', async () => {
    const run = await runCaptured(['check-plan', planPath, '--fail-on', 'HIGH']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^2 results could not be judged:$/m);
    expect(run.stderr).not.toMatch(/^undetermined:/m);
  });
});
