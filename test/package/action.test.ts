// action.yml, the composite GitHub Action: its inputs and the steps that use them agree, and its check step's
// script, run here with bash as the runner would run it, turns check-plan's exit code into outputs.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/repository-root.js';

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}

interface Action {
  readonly inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  readonly outputs: Record<string, { value: string }>;
  readonly runs: { using: string; steps: Step[] };
}

const text = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
const action = parse(text) as Action;
const steps = action.runs.steps;
const checkStep = steps.find((step) => step.id === 'check') as Step;

/** Every `${{ ... }}` expression in a value, with what it names. */
function expressionsIn(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)].map((match) => match[1] ?? '');
}

function referencesIn(value: unknown, pattern: RegExp): string[] {
  return expressionsIn(value).flatMap((expression) =>
    [...expression.matchAll(pattern)].map((match) => match[1] ?? ''),
  );
}

describe('action.yml', () => {
  test('is a composite action with the inputs the issue names', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['plan', 'policy', 'fail-on', 'category']),
    );
    expect(action.inputs.plan?.required).toBe(true);
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).not.toBe('');
  });

  test('every input a step uses is declared, and every declared input is used', () => {
    const used = new Set(referencesIn([action.runs, action.outputs], /\binputs\.([\w-]+)/g));
    expect([...used].filter((name) => !(name in action.inputs))).toEqual([]);
    expect(Object.keys(action.inputs).filter((name) => !used.has(name))).toEqual([]);
  });

  test('every step output referenced is one an earlier step writes to GITHUB_OUTPUT', () => {
    const references = [
      ...steps.flatMap((step, index) =>
        referencesIn(step, /\bsteps\.([\w-]+\.outputs\.[\w-]+)/g).map((reference) => ({ reference, index })),
      ),
      ...referencesIn(action.outputs, /\bsteps\.([\w-]+\.outputs\.[\w-]+)/g).map((reference) => ({
        reference,
        index: steps.length,
      })),
    ];
    expect(references.length).toBeGreaterThan(0);
    for (const { reference, index } of references) {
      const [id, , key] = reference.split('.');
      const writer = steps.findIndex((step) => step.id === id);
      expect(writer, reference).toBeGreaterThanOrEqual(0);
      expect(writer, reference).toBeLessThan(index);
      expect(steps[writer]?.run, reference).toContain(`echo "${key}=`);
    }
  });

  test('scripts read inputs from the environment, never from expressions pasted into them, and name a shell', () => {
    for (const step of steps.filter((candidate) => candidate.run !== undefined)) {
      expect(expressionsIn(step.run), step.name).toEqual([]);
      expect(step.shell, step.name).toBe('bash');
    }
  });

  test('the SARIF goes to code scanning under the category input, and the failure comes after the upload', () => {
    const upload = steps.findIndex((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const uploadStep = steps[upload];
    expect(referencesIn(uploadStep?.with?.sarif_file, /\b(steps\.check\.outputs\.sarif)\b/g)).toHaveLength(1);
    expect(referencesIn(uploadStep?.with?.category, /\b(inputs\.category)\b/g)).toHaveLength(1);
    const fail = steps.findIndex((step) => step.if === "steps.check.outputs.exit-code != '0'");
    expect(fail).toBeGreaterThan(upload);
    expect(steps[fail]?.run).toContain('exit "$CODE"');
    expect(steps.findIndex((step) => step.id === 'check')).toBeLessThan(upload);
  });
});

describe("the check step's script, run with bash", () => {
  const exec = promisify(execFile);

  async function runCheckStep(inputs: Record<string, string>) {
    const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-action-'));
    const outputFile = join(scratch, 'github-output');
    writeFileSync(outputFile, '');
    // The env block as the runner fills it: each ${{ inputs.NAME }} replaced by the input or its default.
    const env = Object.fromEntries(
      Object.entries(checkStep.env ?? {}).map(([variable, value]) => {
        const [name = ''] = referencesIn(value, /\binputs\.([\w-]+)/g);
        return [variable, inputs[name] ?? action.inputs[name]?.default ?? ''];
      }),
    );
    let code = 0;
    try {
      await exec('bash', ['-e', '-c', checkStep.run ?? ''], {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          ...env,
          GITHUB_ACTION_PATH: REPO_ROOT,
          GITHUB_OUTPUT: outputFile,
          RUNNER_TEMP: scratch,
        },
      });
    } catch (error) {
      code = (error as { code?: number }).code ?? -1;
    }
    const outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { code, outputs };
  }

  test('findings at or above fail-on: the step succeeds (so the upload runs) with exit-code 1 and the SARIF', async () => {
    const { code, outputs } = await runCheckStep({ plan: 'test/fixtures/plans/mixed-negs/plan.json' });
    expect(code).toBe(0);
    expect(outputs['exit-code']).toBe('1');
    const sarif = JSON.parse(readFileSync(outputs.sarif ?? '', 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0]?.results.map((result) => result.ruleId).sort()).toEqual([
      'backend.serverless-not-mixed',
      'backend.single-platform',
      'gateway.direct-url-protected',
    ]);
  });

  test('fail-on CRITICAL with the policy input: exit-code 0', async () => {
    const { code, outputs } = await runCheckStep({
      plan: 'test/fixtures/plans/mixed-negs/plan.json',
      'fail-on': 'CRITICAL',
      policy: 'examples/policy.yaml',
    });
    expect({ code, exitCode: outputs['exit-code'] }).toEqual({ code: 0, exitCode: '0' });
  });

  // The gate refuses a plan judged over an estate with a record it could not name, and says so with 2; the report is
  // whole, so it still reaches code scanning and the last step fails the job (a review's find: it failed here, unsent).
  test('records that could not be read: the step succeeds (so the upload runs) with exit-code 2 and the SARIF', async () => {
    const estate = mkdtempSync(join(tmpdir(), 'gatewarden-action-estate-'));
    cpSync(join(REPO_ROOT, 'test/fixtures/plans/adds-neg/estate'), estate, { recursive: true });
    const gateways = JSON.parse(readFileSync(join(estate, 'gateways.json'), 'utf8')) as { name: string }[];
    (gateways[0] as { name: string }).name += '/';
    writeFileSync(join(estate, 'gateways.json'), JSON.stringify(gateways));
    const { code, outputs } = await runCheckStep({ plan: 'test/fixtures/plans/adds-neg/plan.json', estate });
    expect({ code, exitCode: outputs['exit-code'] }).toEqual({ code: 0, exitCode: '2' });
    expect(JSON.parse(readFileSync(outputs.sarif ?? '', 'utf8'))).toMatchObject({ version: '2.1.0' });
  });

  test('a plan that is not there: the step itself fails with 2', async () => {
    const { code, outputs } = await runCheckStep({ plan: 'test/fixtures/plans/nowhere/plan.json' });
    expect({ code, exitCode: outputs['exit-code'] }).toEqual({ code: 2, exitCode: '2' });
  });
});
