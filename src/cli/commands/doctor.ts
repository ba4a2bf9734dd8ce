// `gatewarden doctor`: a preflight against the live APIs (or the simulator) that says, per project, what stops
// Gatewarden from seeing it: disabled APIs, missing permissions, and for a deployment its sinks, subscriptions and runs
// (and, given the policy, the named channels its alert routes send to).

import {
  hierarchyPermissions,
  projectLevelPermissions,
} from '../../adapters/googleapis/permission-levels.js';
import { REQUIRED_PERMISSIONS } from '../../adapters/googleapis/permissions.js';
import type { NamedChannel } from '../../doctor/checks.js';
import { type Deployment, readDeployment } from '../../doctor/deployment.js';
import { renderDoctorJson, renderDoctorTable } from '../../doctor/render.js';
import { type DoctorReaders, projectsOfDeployment, runDoctor } from '../../doctor/run-doctor.js';
import { watchedProjectServices } from '../../doctor/services.js';
import { isProjectId } from '../../domain/resource-name.js';
import type { Policy } from '../../engine/policy.js';
import { type CliIo, type Command, EXIT_FINDINGS, EXIT_OK, parseFlags, UsageError } from '../io.js';
import { formatFlag } from '../report-output.js';
import { writeStyled } from '../terminal-text.js';

const OPTIONS = {
  project: { type: 'string', multiple: true },
  folder: { type: 'string' },
  organization: { type: 'string' },
  deployment: { type: 'string' },
  policy: { type: 'string' },
  format: { type: 'string', default: 'table' },
  endpoint: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: gatewarden doctor [--project P ...] [--folder F | --organization O] [--deployment FILE]
                        [--policy FILE] [--format table|json] [--endpoint URL]

  --project P         check project P (repeatable): Compute Engine and API Gateway APIs enabled, and every
                      permission the fetchers declare held by the caller (Application Default Credentials)
  --folder F          also check every project under folder F (numeric ID or folders/ID)
  --organization O    also check every project under organisation O (numeric ID or organizations/ID)
  --deployment FILE   \`terraform output -json\` of terraform/ (or its "deployment" object alone): also check the
                      sinks and their writers' publish grant, the push subscriptions' dead-letter topics, and the
                      functions' last runs in Firestore; with no --project, its swept projects are checked
  --policy FILE       with --deployment: also check each named channel the policy's alert routes send to (its
                      secret exists with an enabled version, or its topic exists, and the judging functions may
                      read it or publish on it)
  --format FORMAT     table (default) or json (for CI)
  --endpoint URL      send every Google API call to URL instead (also GATEWARDEN_API_ENDPOINT), e.g. the simulator

Exit code: 0 when every check passes (warnings allowed), 1 when one fails, 2 for bad input.
`;

const FORMATS = ['table', 'json'] as const;

/** The Firestore half of the readers: the functions' runs, read from the deployment's database. */
export type RunHistoryReaders = Pick<DoctorReaders, 'lastSweepRun' | 'lastProcessedAuditEntry'>;

export interface DoctorDependencies {
  readonly createApiReaders?: (
    endpoint: string | undefined,
  ) => Promise<Omit<DoctorReaders, keyof RunHistoryReaders>>;
  readonly openRunHistory?: (deployment: Deployment) => Promise<RunHistoryReaders>;
  readonly now?: () => Date;
}

export function createDoctorCommand(dependencies: DoctorDependencies = {}): Command {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    const { values } = parseFlags(args, OPTIONS);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    const format = formatFlag(values.format ?? 'table', FORMATS);
    const projects = values.project ?? [];
    for (const project of projects) {
      if (!isProjectId(project))
        throw new UsageError(`--project ${JSON.stringify(project.slice(0, 60))} is not a project ID`);
    }
    if (values.folder !== undefined && values.organization !== undefined) {
      throw new UsageError('give --folder or --organization, not both');
    }
    const parent =
      values.folder !== undefined
        ? parentFlag('folder', 'folders', values.folder)
        : values.organization !== undefined
          ? parentFlag('organization', 'organizations', values.organization)
          : undefined;
    if (values.deployment !== undefined && values.deployment.trim() === '')
      throw new UsageError('--deployment needs a file');
    const deployment = values.deployment === undefined ? undefined : await readDeployment(values.deployment);
    if (values.policy !== undefined && deployment === undefined) {
      throw new UsageError("--policy needs --deployment (the judging functions' accounts are checked)");
    }
    const namedChannels = values.policy === undefined ? [] : routedChannels(await readPolicy(values.policy));
    const endpoint = endpointFlag(values.endpoint ?? io.env.GATEWARDEN_API_ENDPOINT);

    const named =
      projects.length > 0 || parent !== undefined
        ? projects
        : deployment
          ? projectsOfDeployment(deployment)
          : [];
    const fromDeploymentScope =
      projects.length === 0 && parent === undefined && deployment?.scope ? deployment.scope : undefined;
    if (named.length === 0 && parent === undefined && fromDeploymentScope === undefined) {
      throw new UsageError(
        'say what to check: --project P, --folder F, --organization O, or --deployment FILE',
      );
    }

    const apiReaders = await (dependencies.createApiReaders ?? createDefaultApiReaders)(endpoint);
    const runHistory = deployment
      ? await (dependencies.openRunHistory ?? openDefaultRunHistory)(deployment)
      : { lastSweepRun: async () => null, lastProcessedAuditEntry: async () => null };
    const scope = parent ?? fromDeploymentScope;
    const report = await runDoctor(
      {
        projects: named,
        ...(scope ? { parent: scope } : {}),
        ...(deployment ? { deployment } : {}),
        namedChannels,
        projectPermissions: projectLevelPermissions(REQUIRED_PERMISSIONS),
        parentPermissions: hierarchyPermissions(REQUIRED_PERMISSIONS),
        requiredServices: watchedProjectServices(),
        now: (dependencies.now ?? (() => new Date()))(),
      },
      { ...apiReaders, ...runHistory },
    );
    if (format === 'json') io.stdout.write(renderDoctorJson(report));
    else {
      const color = Boolean((io.stdout as { isTTY?: boolean }).isTTY) && !io.env.NO_COLOR;
      writeStyled(io.stdout, renderDoctorTable(report, { color }));
    }
    return report.summary.fail > 0 ? EXIT_FINDINGS : EXIT_OK;
  };
}

async function readPolicy(path: string): Promise<Policy> {
  // Loaded only for --policy, as scan does: the schema and the catalogue are not needed otherwise.
  const [{ loadPolicy }, { ALL_RULES }] = await Promise.all([
    import('../../config/policy-file.js'),
    import('../../rules/catalogue.js'),
  ]);
  return loadPolicy(path, { knownRuleIds: ALL_RULES.map((rule) => rule.id) });
}

/** The named channels some route sends to, in the order routes first name them (the functions build only these). */
function routedChannels(policy: Policy): NamedChannel[] {
  const names = new Set((policy.alerts?.routes ?? []).flatMap((route) => route.channels));
  return [...names].flatMap((name) => {
    const channel = policy.alerts?.namedChannels?.[name];
    return channel ? [{ name, channel }] : [];
  });
}

function parentFlag(flag: string, collection: string, text: string): string {
  const id = text.startsWith(`${collection}/`) ? text.slice(collection.length + 1) : text;
  if (!/^\d{1,20}$/.test(id)) {
    throw new UsageError(
      `--${flag} must be a numeric ID or ${collection}/ID (got ${JSON.stringify(text.slice(0, 60))})`,
    );
  }
  return `${collection}/${id}`;
}

function endpointFlag(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(
      `--endpoint ${JSON.stringify(endpoint.slice(0, 100))} is not a URL (e.g. http://127.0.0.1:8085)`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http or https URL, got ${url.protocol}`);
  }
  return url.origin;
}

async function createDefaultApiReaders(endpoint: string | undefined) {
  // Without credentials every line would fail alike, each with a fix granting a role to a caller that is not there.
  if (endpoint === undefined) {
    const { requireApplicationDefaultCredentials } = await import(
      '../../adapters/application-default-credentials.js'
    );
    await requireApplicationDefaultCredentials('reading the Google APIs');
  }
  const { createDoctorReaders } = await import('../../adapters/googleapis/doctor-readers.js');
  return createDoctorReaders(endpoint ? { endpoint } : {});
}

async function openDefaultRunHistory(deployment: Deployment): Promise<RunHistoryReaders> {
  // The client reads FIRESTORE_EMULATOR_HOST from the process; the emulator needs no credentials.
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    const { requireApplicationDefaultCredentials } = await import(
      '../../adapters/application-default-credentials.js'
    );
    await requireApplicationDefaultCredentials(`reading the runs in Firestore of ${deployment.project_id}`);
  }
  const [{ createFirestore }, { FirestoreRunHistory }] = await Promise.all([
    import('../../adapters/firestore/client.js'),
    import('../../adapters/firestore/run-history.js'),
  ]);
  const history = new FirestoreRunHistory(
    createFirestore({ projectId: deployment.project_id, databaseId: deployment.firestore_database }),
  );
  return {
    lastSweepRun: (project) => history.lastSweepRun(project),
    lastProcessedAuditEntry: () => history.lastProcessedAuditEntry(),
  };
}
