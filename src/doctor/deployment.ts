// Reads what `gatewarden doctor --deployment FILE` checks: `terraform output -json` (its `deployment` output), or
// the same object on its own (a names file for an installation Terraform did not make).

import { z } from 'zod';
import { ConfigFileError, readConfigText } from '../config/config-error.js';
import { FIRESTORE_DATABASE_ID } from '../config/name-patterns.js';
import { parseJsonOrProblem } from '../domain/json-text.js';

// A deployment names a few topics and subscriptions, and a sink and a project per watched project: tens of thousands
// of projects stay well under this.
const MAX_DEPLOYMENT_BYTES = 16 * 1024 * 1024;

const PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const TOPIC = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/[A-Za-z][\w.~+%-]{2,254}$/;

const deploymentSchema = z
  .object({
    project_id: z.string().regex(PROJECT, 'must be a project ID'),
    mode: z.enum(['project', 'folder', 'organization']),
    /** `folders/F` or `organizations/O`; null in project mode. */
    scope: z
      .string()
      .regex(/^(folders|organizations)\/\d+$/, 'must be folders/ID or organizations/ID')
      .nullable()
      .default(null),
    firestore_database: z
      .string()
      .regex(FIRESTORE_DATABASE_ID, 'must be a Firestore database ID')
      .default('(default)'),
    audit_topic: z.string().regex(TOPIC, 'must be projects/P/topics/T'),
    sweep_topic: z.string().regex(TOPIC, 'must be projects/P/topics/T'),
    /** Full sink names: `projects/P/sinks/S`, `folders/F/sinks/S` or `organizations/O/sinks/S`. */
    sinks: z.array(
      z
        .string()
        .regex(/^(projects|folders|organizations)\/[^/]+\/sinks\/[^/]+$/, 'must be PARENT/sinks/NAME'),
    ),
    /** Full subscription names of the push subscriptions (`projects/P/subscriptions/S`). */
    push_subscriptions: z.array(
      z.string().regex(/^projects\/[^/]+\/subscriptions\/[^/]+$/, 'must be projects/P/subscriptions/S'),
    ),
    /** Projects a plain sweep covers (empty when the sweep names the folder or organisation). */
    sweep_projects: z.array(z.string().regex(PROJECT, 'must be a project ID')).default([]),
    /** The judging functions' (onAuditLog, onSweep) service account emails: they send the alerts. */
    judging_accounts: z
      .array(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be service account emails'))
      .default([]),
    /** The reader role's full name where it is granted: `projects/P/roles/R` per project, or the organisation's. */
    reader_role: z.string().min(1).optional(),
  })
  .strict();

export type Deployment = z.output<typeof deploymentSchema>;

/** The keys of the Terraform `deployment` output (a test keeps terraform/outputs.tf in step). */
export const DEPLOYMENT_KEYS: readonly string[] = Object.keys(deploymentSchema.shape).sort();

/** Parses the text of a deployment file, throwing a ConfigFileError that names the file and the key at fault. */
export function parseDeployment(text: string, file: string): Deployment {
  const read = parseJsonOrProblem(text);
  if (!read.ok) throw new ConfigFileError(file, '', read.problem);
  const json = read.value;
  const record =
    json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  // `terraform output -json` wraps every output as { sensitive, type, value }.
  const outputs = record.deployment;
  const isTerraformOutput = outputs !== null && typeof outputs === 'object' && 'value' in (outputs as object);
  const body = isTerraformOutput ? (outputs as { value: unknown }).value : json;
  const prefix = isTerraformOutput ? 'deployment.value.' : '';
  if (!isTerraformOutput && 'audit_topic' in record && typeof record.audit_topic === 'object') {
    throw new ConfigFileError(
      file,
      'deployment',
      'terraform output -json has no "deployment" output: apply the current terraform/ first',
    );
  }
  const parsed = deploymentSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length
      ? `${prefix}${issue.path.join('.')}`
      : prefix.replace(/\.$/, '') || '(top level)';
    throw new ConfigFileError(file, where, issue?.message ?? 'invalid deployment');
  }
  return parsed.data;
}

export async function readDeployment(file: string): Promise<Deployment> {
  // A regular file under a bound, like every input: a FIFO or /dev/zero is refused at once, not read without end.
  const text = await readConfigText(
    file,
    MAX_DEPLOYMENT_BYTES,
    (problem) => new ConfigFileError(file, '', problem),
  );
  return parseDeployment(text, file);
}
