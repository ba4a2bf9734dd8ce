// The simulated control plane around the estate: which APIs each project has enabled, which permissions the caller
// lacks, and the deployment's sinks, topic policies, subscriptions and channel secrets, with the faults `gatewarden doctor` looks for.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const projectService = z.object({ project: z.string().min(1), service: z.string().min(1) }).strict();
const bindingSchema = z.object({ role: z.string().min(1), members: z.array(z.string().min(1)) }).strict();

const platformSchema = z
  .object({
    /** APIs switched off (a disabled API fault); every other service reads as ENABLED. */
    disabledServices: z.array(projectService).default([]),
    /**
     * Permissions the caller lacks (a missing permission fault): in one project, on one folder or organisation
     * (`parent: folders/N`), or everywhere when neither is given.
     */
    deniedPermissions: z
      .array(
        z
          .object({
            project: z.string().min(1).optional(),
            parent: z
              .string()
              .regex(/^(folders|organizations)\/\d+$/)
              .optional(),
            permission: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    /** Log Router sinks by full name (`projects/P/sinks/S`, `folders/F/sinks/S`, `organizations/O/sinks/S`). */
    sinks: z
      .array(
        z
          .object({
            name: z.string().regex(/^(projects|folders|organizations)\/[^/]+\/sinks\/[^/]+$/),
            destination: z.string().min(1),
            writerIdentity: z.string().min(1),
            filter: z.string().optional(),
            disabled: z.boolean().optional(),
            /** Folder and organisation sinks only; true unless set (as Terraform creates them). */
            includeChildren: z.boolean().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Topic IAM policies by topic name (`projects/P/topics/T`); a topic listed here exists (topics.get). */
    topicPolicies: z
      .array(z.object({ topic: z.string().min(1), bindings: z.array(bindingSchema) }).strict())
      .default([]),
    /**
     * Secret Manager secrets as their metadata reads see them (`gatewarden doctor`): the name (`projects/P/secrets/S`),
     * its IAM bindings, and its latest version's state (null: no version). The values the functions read are the
     * simulator's `secrets` option.
     */
    secrets: z
      .array(
        z
          .object({
            name: z.string().regex(/^projects\/[^/]+\/secrets\/[^/]+$/),
            bindings: z.array(bindingSchema).default([]),
            latestVersion: z.enum(['ENABLED', 'DISABLED', 'DESTROYED']).nullable().default('ENABLED'),
          })
          .strict(),
      )
      .default([]),
    /** Subscriptions by name (`projects/P/subscriptions/S`). */
    subscriptions: z
      .array(
        z
          .object({
            name: z.string().regex(/^projects\/[^/]+\/subscriptions\/[^/]+$/),
            topic: z.string().min(1),
            pushEndpoint: z.string().optional(),
            deadLetterTopic: z.string().optional(),
            maxDeliveryAttempts: z.number().int().min(5).max(100).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type PlatformSeed = z.input<typeof platformSchema>;
export type Platform = z.output<typeof platformSchema>;

/** Validates a platform description, throwing one line that names the field at fault. */
export function parsePlatform(input: unknown, source = 'platform'): Platform {
  const parsed = platformSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new Error(`${source}: ${where}: ${issue?.message ?? 'invalid platform'}`);
  }
  return parsed.data;
}

/** Reads a platform file (JSON), throwing one line that names the file and the field at fault. */
export async function readPlatformFile(file: string): Promise<Platform> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `${file}: cannot read platform file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return parsePlatform(json, file);
}

/** The platform a request sees; tests swap it to switch faults on and off. */
export class PlatformState {
  private current: Platform;

  constructor(seed: PlatformSeed = {}) {
    this.current = parsePlatform(seed);
  }

  set(seed: PlatformSeed): void {
    this.current = parsePlatform(seed);
  }

  get(): Platform {
    return this.current;
  }

  isServiceEnabled(project: string, service: string): boolean {
    return !this.current.disabledServices.some(
      (disabled) => disabled.project === project && disabled.service === service,
    );
  }

  /** `resource` is a project ID, or `folders/N` / `organizations/N`. */
  isPermissionHeld(resource: string, permission: string): boolean {
    return !this.current.deniedPermissions.some(
      (denied) =>
        denied.permission === permission &&
        ((denied.project === undefined && denied.parent === undefined) ||
          denied.project === resource ||
          denied.parent === resource),
    );
  }
}
