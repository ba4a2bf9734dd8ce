// Reads the Terraform configuration for the tests: HCL parsed with @cdktf/hcl2json, and `terraform console` for
// the provider-free modules (no provider can be downloaded on the machines the tests run on).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TERRAFORM_ROOT = join(REPO_ROOT, 'terraform');

/** How hcl2json writes an expression: `ref('var.region')` is the text `${var.region}`. */
export function ref(expression: string): string {
  return `\${${expression}}`;
}

/** hcl2json's shape: every block is a list of bodies (a block may repeat). */
export type Body = Record<string, unknown>;

export interface Block {
  /** `google_pubsub_subscription.push`, `module.on_sweep`, `variable.region`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly body: Body;
}

export interface TerraformModule {
  /** Directory relative to the repository root, like `terraform/modules/event-function`. */
  readonly directory: string;
  /** Concatenated text of every .tf file (for reference scans). */
  readonly text: string;
  readonly variables: ReadonlyMap<string, Body>;
  readonly locals: Body;
  readonly outputs: ReadonlyMap<string, Body>;
  readonly resources: readonly Block[];
  readonly data: readonly Block[];
  /** `ephemeral` blocks (never stored in plan or state), addressed `ephemeral.TYPE.NAME`. */
  readonly ephemeral: readonly Block[];
  readonly moduleCalls: readonly Block[];
  /** The `terraform` block (required_version, required_providers). */
  readonly settings: Body;
}

/** Loads every .tf file of one module directory. */
export async function loadModule(directory: string): Promise<TerraformModule> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.tf')).sort();
  const variables = new Map<string, Body>();
  const outputs = new Map<string, Body>();
  const resources: Block[] = [];
  const data: Block[] = [];
  const ephemeral: Block[] = [];
  const moduleCalls: Block[] = [];
  let locals: Body = {};
  let settings: Body = {};
  let text = '';
  for (const name of names) {
    const source = await readFile(join(directory, name), 'utf8');
    text += `${source}\n`;
    const parsed = (await parse(name, source)) as Record<string, unknown>;
    for (const [variable, bodies] of entries(parsed.variable)) variables.set(variable, firstBody(bodies));
    for (const [output, bodies] of entries(parsed.output)) outputs.set(output, firstBody(bodies));
    for (const body of listOf(parsed.locals)) locals = { ...locals, ...(body as Body) };
    resources.push(...typedBlocks(parsed.resource, ''));
    data.push(...typedBlocks(parsed.data, 'data.'));
    ephemeral.push(...typedBlocks(parsed.ephemeral, 'ephemeral.'));
    for (const body of listOf(parsed.terraform)) settings = { ...settings, ...(body as Body) };
    for (const [call, bodies] of entries(parsed.module)) {
      moduleCalls.push({ address: `module.${call}`, type: 'module', name: call, body: firstBody(bodies) });
    }
  }
  return {
    directory: relative(REPO_ROOT, directory),
    text,
    variables,
    locals,
    outputs,
    resources,
    data,
    ephemeral,
    moduleCalls,
    settings,
  };
}

/** The root configuration and every module under terraform/modules, root first. */
export async function loadAllModules(): Promise<TerraformModule[]> {
  const moduleNames = (await readdir(join(TERRAFORM_ROOT, 'modules'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all([
    loadModule(TERRAFORM_ROOT),
    ...moduleNames.map((name) => loadModule(join(TERRAFORM_ROOT, 'modules', name))),
  ]);
}

/** Nested blocks come back as lists of bodies; this is the one body of a block that appears once. */
export function block(body: Body | undefined, name: string): Body | undefined {
  const value = body?.[name];
  return Array.isArray(value) ? (value[0] as Body | undefined) : undefined;
}

/** Every nested block, any depth, with its path (`service_config.secret_environment_variables`). */
export function* walkBlocks(body: Body, path = ''): Generator<{ path: string; body: Body }> {
  yield { path, body };
  for (const [key, value] of Object.entries(body)) {
    if (!Array.isArray(value)) {
      if (key === 'dynamic' && value && typeof value === 'object') {
        for (const [dynamicName, bodies] of entries(value)) {
          for (const dynamicBody of listOf(bodies)) {
            const content = block(dynamicBody as Body, 'content');
            if (content) yield* walkBlocks(content, path ? `${path}.${dynamicName}` : dynamicName);
          }
        }
      }
      continue;
    }
    for (const item of value) {
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        yield* walkBlocks(item as Body, path ? `${path}.${key}` : key);
      }
    }
  }
}

export const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;

/**
 * Evaluates an expression in a provider-free module with `terraform console` and returns its value. Variables go
 * through a .tfvars.json file, so their JSON types reach Terraform unchanged.
 */
export function evaluateInModule(
  directory: string,
  expression: string,
  variables: Readonly<Record<string, unknown>> = {},
): unknown {
  const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-tf-'));
  const varFile = join(scratch, 'test.tfvars.json');
  writeFileSync(varFile, JSON.stringify(variables));
  const run = spawnSync('terraform', ['console', `-var-file=${varFile}`], {
    cwd: directory,
    input: `jsonencode(${expression})\n`,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', NO_COLOR: '1', CHECKPOINT_DISABLE: '1' },
  });
  rmSync(scratch, { recursive: true, force: true });
  if (run.status !== 0) {
    throw new Error(
      `terraform console in ${relative(REPO_ROOT, directory)} failed: ${run.stderr.slice(0, 2000)}`,
    );
  }
  // The console prints the HCL string literal of the JSON text: a JSON string itself.
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(JSON.parse(line) as string);
}

/** `terraform fmt -check -recursive`; the files that need formatting, empty when all are formatted. */
export function listUnformattedFiles(directory: string): string[] {
  const run = spawnSync('terraform', ['fmt', '-check', '-recursive', '-list=true', directory], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  if (run.status !== 0 && run.stdout.trim() === '') {
    throw new Error(`terraform fmt failed: ${run.stderr.slice(0, 2000)}`);
  }
  return run.stdout.split('\n').filter(Boolean);
}

function entries(value: unknown): [string, unknown][] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function firstBody(bodies: unknown): Body {
  return (listOf(bodies)[0] as Body | undefined) ?? {};
}

function typedBlocks(value: unknown, prefix: string): Block[] {
  return entries(value).flatMap(([type, named]) =>
    entries(named).map(([name, bodies]) => ({
      address: `${prefix}${type}.${name}`,
      type,
      name,
      body: firstBody(bodies),
    })),
  );
}
