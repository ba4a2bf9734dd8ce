// A file that is not valid JSON or YAML is refused with its name, line, column and a reason in our words, never a
// quote of its text: V8's JSON.parse and the yaml package quote the bytes around the fault, and a file passed by
// mistake (a token, a tfvars dump, a plan with variables) puts its secrets on stderr and into CI logs.

import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCaptured } from './capture-io.js';

const SECRET = 'SECRET-TOKEN-1234567890';
const EXAMPLE_ESTATE = join(import.meta.dirname, '../../examples/acme-edge');

interface Case {
  readonly name: string;
  /** The file to write, relative to a scratch directory holding a copy of the example estate in `estate/`. */
  readonly file: string;
  readonly text: string;
  readonly argv: (dir: string) => readonly string[];
  /** Where the fault is, as the error must say. */
  readonly at: RegExp;
}

const scanWithPolicy = (policy: string) => (dir: string) => [
  'scan',
  '--estate',
  join(dir, 'estate'),
  '--policy',
  join(dir, policy),
];
const scanEstate = (dir: string) => ['scan', '--estate', join(dir, 'estate')];

const CASES: readonly Case[] = [
  {
    name: 'an estate export that is a token',
    file: 'estate/backend-services.json',
    text: SECRET,
    argv: scanEstate,
    at: /backend-services\.json: not valid JSON at line 1, column 1: unexpected character$/,
  },
  {
    name: 'an estate export with a bare word in a record',
    file: 'estate/gateways.json',
    text: `[\n  {"name": "gw", "token": ${SECRET}}\n]`,
    argv: scanEstate,
    at: /gateways\.json: not valid JSON at line 2, column 27: unexpected character$/,
  },
  {
    name: 'a baseline in the estate directory',
    file: 'estate/baseline.json',
    text: `{"version": 1, "resources": {"x": ${SECRET}}}`,
    argv: scanEstate,
    at: /baseline\.json: not valid JSON at line 1, column 35: unexpected character$/,
  },
  {
    name: 'a JSON policy',
    file: 'policy.json',
    text: `{"rules": {"x": ${SECRET}}}`,
    argv: scanWithPolicy('policy.json'),
    at: /policy\.json: not valid JSON at line 1, column 17: unexpected character$/,
  },
  {
    name: 'a YAML policy with an unknown tag',
    file: 'policy.yaml',
    text: `rules: !${SECRET} {}\n`,
    argv: scanWithPolicy('policy.yaml'),
    at: /policy\.yaml: not valid YAML \(line 1, column 8\): an unresolved tag/,
  },
  {
    name: 'a YAML policy with an unknown directive',
    file: 'policy.yaml',
    text: `%${SECRET} x\n---\nrules: {}\n`,
    argv: scanWithPolicy('policy.yaml'),
    at: /policy\.yaml: not valid YAML \(line 1, column 1\): an unknown or unsupported directive$/,
  },
  {
    name: 'a YAML policy with an alias to no anchor',
    file: 'policy.yaml',
    text: `rules: *${SECRET}\n`,
    argv: scanWithPolicy('policy.yaml'),
    at: /policy\.yaml: not valid YAML: an alias before its anchor$/,
  },
  {
    name: 'a YAML policy with text after a block scalar indicator',
    file: 'policy.yaml',
    text: `rules: |${SECRET}\n  x\n`,
    argv: scanWithPolicy('policy.yaml'),
    at: /policy\.yaml: not valid YAML \(line 1, column 9\): an unexpected token$/,
  },
  {
    name: 'a Terraform plan with its variables',
    file: 'plan.json',
    text: `{"format_version": "1.2", "variables": {"db_password": {"value": "${SECRET}"}}, "x": ${SECRET}}`,
    argv: (dir) => ['check-plan', join(dir, 'plan.json')],
    at: /plan\.json: is not JSON \(line 1, column 100: unexpected character\)/,
  },
  {
    name: 'a deployment file for doctor',
    file: 'outputs.json',
    text: `{"deployment": {"value": ${SECRET}}}`,
    argv: (dir) => ['doctor', '--deployment', join(dir, 'outputs.json')],
    at: /outputs\.json: not valid JSON at line 1, column 26: unexpected character$/,
  },
];

describe('a file that does not parse is refused without quoting it', () => {
  test.each(CASES)('$name', async ({ file, text, argv, at }) => {
    const dir = await mkdtemp(join(tmpdir(), 'gatewarden-quote-'));
    await cp(EXAMPLE_ESTATE, join(dir, 'estate'), { recursive: true });
    await writeFile(join(dir, file), text);
    const { code, stdout, stderr } = await runCaptured(argv(dir));
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(at);
    // Not the token, nor the few bytes V8 quotes around a fault (`"SECRET-TOK"...`).
    expect(`${stdout}${stderr}`).not.toMatch(/SECRET|TOKEN|1234/);
  });
});
