// Root variables whose bad values the Google APIs would refuse only mid-apply, after a first apply has created half
// the deployment: their validations are run here with `terraform plan` on a scratch module holding just the
// variable, which needs no provider.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTerraform, TERRAFORM_ROOT } from './hcl.js';

/** The `variable "NAME" { ... }` block as written in terraform/variables.tf (it closes on a line of its own). */
function variableBlock(name: string): string {
  const text = readFileSync(join(TERRAFORM_ROOT, 'variables.tf'), 'utf8');
  const found = new RegExp(`^variable "${name}" \\{\\n[\\s\\S]*?^\\}\\n`, 'm').exec(text);
  if (!found) throw new Error(`no variable ${name} in terraform/variables.tf`);
  return found[0];
}

/**
 * Runs `terraform plan` on a scratch module holding only the variable NAME, set to VALUE; true when the
 * variable's validations accept it.
 */
function isAcceptedBy(scratch: string, name: string, value: string): boolean {
  const run = spawnSync('terraform', ['plan', '-input=false', '-lock=false', '-no-color'], {
    cwd: scratch,
    encoding: 'utf8',
    env: {
      ...process.env,
      [`TF_VAR_${name}`]: value,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (run.status !== 0 && !/Invalid value for variable/.test(run.stderr)) {
    throw new Error(`terraform plan failed for another reason: ${run.stderr.slice(0, 2000)}`);
  }
  return run.status === 0;
}

describe.skipIf(!hasTerraform)(
  `name_prefix${hasTerraform ? '' : ' (skipped: terraform not installed)'}`,
  () => {
    let scratch: string;

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'gatewarden-variable-'));
      writeFileSync(join(scratch, 'variables.tf'), variableBlock('name_prefix'));
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it.each(['gatewarden', 'gw', 'lb-audit', 'edge-goog', 'a1234567890123'])('accepts %s', (value) => {
      expect(isAcceptedBy(scratch, 'name_prefix', value)).toBe(true);
    });

    // Topics and subscriptions are named PREFIX-..., and Pub/Sub refuses names that start with "goog"; the source
    // bucket is PROJECT-PREFIX-source, and Cloud Storage refuses bucket names that contain "google". Both would
    // fail only mid-apply, after the accounts, roles and Firestore of a first apply exist.
    it.each(['goog-lb', 'googly', 'my-google-lb', 'google', 'Gatewarden', 'g', 'a12345678901234', '1gw'])(
      'refuses %j at plan',
      (value) => {
        expect(isAcceptedBy(scratch, 'name_prefix', value)).toBe(false);
      },
    );
  },
);

// The functions refuse a project number for the project they run in and the projects they sweep, but only when they
// first run (src/config/environment.ts): a deploy with one succeeded and every invocation then failed.
describe.skipIf(!hasTerraform)(
  `project_id and watched_projects${hasTerraform ? '' : ' (skipped: terraform not installed)'}`,
  () => {
    let scratch: string;

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'gatewarden-variable-'));
      writeFileSync(
        join(scratch, 'variables.tf'),
        `${variableBlock('project_id')}\n${variableBlock('watched_projects')}`,
      );
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    /** Accepted with `name` set to `value` and the other variable set to a good value. */
    const accepts = (name: 'project_id' | 'watched_projects', value: string): boolean => {
      const other = name === 'project_id' ? 'watched_projects' : 'project_id';
      process.env[`TF_VAR_${other}`] = other === 'project_id' ? 'acme-security' : '[]';
      try {
        return isAcceptedBy(scratch, name, value);
      } finally {
        delete process.env[`TF_VAR_${other}`];
      }
    };

    it.each(['acme-security', 'proj-123456'])('project_id accepts %s', (value) => {
      expect(accepts('project_id', value)).toBe(true);
    });

    it.each(['123456789012', 'Acme-Security', 'acme', 'acme-security-'])('project_id refuses %j', (value) => {
      expect(accepts('project_id', value)).toBe(false);
    });

    it.each(['[]', '["acme-edge"]', '["acme-edge", "acme-api-2"]'])(
      'watched_projects accepts %s',
      (value) => {
        expect(accepts('watched_projects', value)).toBe(true);
      },
    );

    it.each(['["123456789012"]', '["acme-edge", "987654321"]', '["projects/acme-edge"]'])(
      'watched_projects refuses %s',
      (value) => {
        expect(accepts('watched_projects', value)).toBe(false);
      },
    );
  },
);

describe.skipIf(!hasTerraform)(
  `function_memory${hasTerraform ? '' : ' (skipped: terraform not installed)'}`,
  () => {
    let scratch: string;

    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'gatewarden-variable-'));
      writeFileSync(join(scratch, 'variables.tf'), variableBlock('function_memory'));
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    function isAccepted(value: string): boolean {
      return isAcceptedBy(scratch, 'function_memory', value);
    }

    it.each(['512Mi', '128Mi', '1Gi', '2G', '32Gi'])(
      'accepts %s, a size Cloud Run functions take',
      (value) => {
        expect(isAccepted(value)).toBe(true);
      },
    );

    it.each(['64Mi', '33Gi', '512MB', '1024', '1 Gi', '0Mi', ''])(
      'refuses %j at plan, before anything is created',
      (value) => {
        expect(isAccepted(value)).toBe(false);
      },
    );

    it('its default is accepted', () => {
      expect(variableBlock('function_memory')).toMatch(/default\s*=\s*"512Mi"/);
      expect(isAccepted('512Mi')).toBe(true);
    });
  },
);
