// `gatewarden baseline save|approve`: capture the governed fields of an estate or live project into a baseline file,
// and approve a baseline (all of it, or named resources) into Firestore `baselines/`, re-judging drift at once.

import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { BASELINE_FILE } from '../../adapters/estate-files/estate-layout.js';
import { readInputText } from '../../adapters/files/input-file.js';
import { OutputFileError } from '../../adapters/files/output-file.js';
import { approveBaseline } from '../../app/approve-baseline.js';
import { captureBaseline } from '../../app/capture-baseline.js';
import { graphWarnings } from '../../app/scan.js';
import { readBaselineFile, serialiseBaseline, writeBaselineFile } from '../../config/baseline-file.js';
import { loadPolicy } from '../../config/policy-file.js';
import type { Baseline } from '../../domain/baseline.js';
import { ResourceGraph } from '../../domain/graph.js';
import { parseResourceRef } from '../../domain/resource-name.js';
import { DEFAULT_POLICY, type Policy } from '../../engine/policy.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import { plural } from '../../report/plural.js';
import { ALL_RULES } from '../../rules/catalogue.js';
import { resolveGovernedFields } from '../../rules/drift/governed-fields.js';
import { openFirestore } from '../firestore-stores.js';
import { type CliIo, type Command, EXIT_BAD_INPUT, EXIT_OK, parseFlags, UsageError } from '../io.js';
import { estateFilesIn, outFileFlag, refuseInputAsOutput } from '../report-output.js';
import { resolveScanSource, SCAN_SOURCE_OPTIONS } from '../scan-source.js';

const USAGE = `Usage:
  gatewarden baseline save (--estate DIR | --project P [--endpoint URL]) [--policy FILE] [--out FILE]
  gatewarden baseline approve (--file FILE | --estate DIR | --project P [--endpoint URL]) [--resource NAME ...]
                              [--approved-by EMAIL] [--policy FILE]

  save      captures the governed fields (RULES.md, or the policy's governedFields) of every resource;
            prints the baseline, or writes it to --out (baseline.json beside an estate is read by scan)
  approve   writes the baseline to Firestore baselines/ with approvedBy and approvedAt, for every resource or the
            ones named with --resource (full resource names), then re-judges drift on them at once.
            Firestore: GOOGLE_CLOUD_PROJECT, GATEWARDEN_FIRESTORE_DATABASE, FIRESTORE_EMULATOR_HOST.
            approvedBy: --approved-by, else the Application Default Credentials account, else $USER.
`;

const SAVE_OPTIONS = {
  ...SCAN_SOURCE_OPTIONS,
  policy: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const APPROVE_OPTIONS = {
  ...SCAN_SOURCE_OPTIONS,
  file: { type: 'string' },
  resource: { type: 'string', multiple: true },
  'approved-by': { type: 'string' },
  policy: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const APPROVER = /^[^\s\p{Cc}]{1,254}$/u;
// A credentials file is a few kilobytes; only its account is read.
const MAX_ADC_BYTES = 1024 * 1024;

export function createBaselineCommand(clock: Clock = systemClock): Command {
  return async (args, io) => {
    const [action, ...rest] = args;
    // No action is a usage error, said where errors go: a pipe reading stdout gets nothing (as `gatewarden` alone).
    if (action === undefined) {
      io.stderr.write(USAGE);
      return EXIT_BAD_INPUT;
    }
    if (action === '--help' || action === '-h' || action === 'help') {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (action === 'save') return save(rest, io, clock);
    if (action === 'approve') return approve(rest, io, clock);
    throw new UsageError(`unknown action "${action}": use baseline save or baseline approve`);
  };
}

async function save(args: readonly string[], io: CliIo, clock: Clock): Promise<number> {
  const { values } = parseFlags(args, SAVE_OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const outFile = outFileFlag(values.out);
  // The estate's own baseline.json may be replaced by a newer one (that is what saving beside the exports is for);
  // an export or the policy may not.
  await refuseInputAsOutput(outFile, [
    ...(await estateFilesIn(values.estate)).filter((file) => basename(file) !== BASELINE_FILE),
    ...(values.policy ? [values.policy] : []),
  ]);
  const policy = await readPolicy(values.policy);
  const baseline = await captureFrom(values, io, policy, clock);
  const count = Object.keys(baseline.resources).length;
  if (outFile === undefined) {
    io.stdout.write(serialiseBaseline(baseline));
  } else {
    try {
      await writeBaselineFile(outFile, baseline);
    } catch (error) {
      if (error instanceof OutputFileError) throw new UsageError(`--out ${outFile}: ${error.problem}`);
      throw error;
    }
    io.stderr.write(`Saved the governed fields of ${plural(count, 'resource')} to ${outFile}\n`);
  }
  return EXIT_OK;
}

async function approve(args: readonly string[], io: CliIo, clock: Clock): Promise<number> {
  const { values } = parseFlags(args, APPROVE_OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const sources = [values.file, values.estate, values.project?.length ? values.project : undefined];
  if (sources.filter((source) => source !== undefined).length !== 1) {
    throw new UsageError('say what to approve: one of --file FILE, --estate DIR or --project P');
  }
  if (values.file !== undefined && values.endpoint !== undefined) {
    throw new UsageError('--endpoint applies to --project, not --file');
  }
  const resources = values.resource ?? [];
  for (const name of resources) {
    if (!name.startsWith('//') || !parseResourceRef(name)) {
      throw new UsageError(
        `--resource ${JSON.stringify(name.slice(0, 120))} is not a full resource name (like //compute.googleapis.com/projects/P/global/backendServices/N)`,
      );
    }
  }
  const approvedBy = await resolveApprover(values['approved-by'], io.env);
  const policy = await readPolicy(values.policy);
  const baseline =
    values.file !== undefined
      ? await readBaselineFile(values.file)
      : await captureFrom(values, io, policy, clock);

  const db = await openFirestore(io);
  try {
    const [{ BaselineEntryTooLargeError, FirestoreBaselineStore }, { createFirestoreStores }] =
      await Promise.all([
        import('../../adapters/firestore/baseline-store.js'),
        import('../../adapters/firestore/stores.js'),
      ]);
    const stores = createFirestoreStores(db, { clock });
    const outcome = await approveBaseline(
      { baseline, resources, approvedBy },
      {
        baselines: new FirestoreBaselineStore(db),
        snapshots: stores.snapshots,
        judgements: stores.judgements,
        rules: ALL_RULES,
        policy,
        clock,
      },
    ).catch((error: unknown) => {
      // The store measures every entry before it writes one: a too-large entry is bad input, nothing approved.
      if (error instanceof BaselineEntryTooLargeError) {
        throw new UsageError(`${approveSource(values)}: ${error.message}; nothing was approved`);
      }
      throw error;
    });
    io.stderr.write(
      `Approved the governed fields of ${plural(outcome.approved, 'resource')} as ${approvedBy} at ${outcome.approvedAt}; ` +
        `re-judged drift on ${plural(outcome.rejudged, 'resource')} the auditor has seen\n`,
    );
    for (const transition of outcome.transitions) {
      io.stdout.write(
        `${transition.transition}: drift.matches-baseline ${transition.resource}${transition.subKey ? ` (${transition.subKey})` : ''}\n`,
      );
    }
    return EXIT_OK;
  } finally {
    await db.terminate();
  }
}

function approveSource(values: {
  file?: string | undefined;
  estate?: string | undefined;
  project?: readonly string[] | undefined;
}): string {
  if (values.file !== undefined) return values.file;
  if (values.estate !== undefined) return values.estate;
  return `--project ${(values.project ?? []).join(',')}`;
}

async function captureFrom(
  values: {
    estate?: string | undefined;
    project?: readonly string[] | undefined;
    endpoint?: string | undefined;
  },
  io: CliIo,
  policy: Policy,
  clock: Clock,
): Promise<Baseline> {
  const subject = resolveScanSource(values, io);
  const input = await subject.read();
  for (const warning of input.warnings) io.stderr.write(`warning: ${warning}\n`);
  if ((input.inventory.incomplete ?? []).length > 0) {
    // A baseline missing the resources of an unreadable region would later read as "no baseline approved".
    throw new UsageError(`${subject.label} could not be read completely; no baseline was captured`);
  }
  const graph = ResourceGraph.build(input.inventory);
  // A record the graph could not name is left out of the baseline: said as the scan says it, not dropped unseen.
  for (const warning of graphWarnings(graph)) io.stderr.write(`warning: ${warning}\n`);
  return captureBaseline(graph, resolveGovernedFields(policy.governedFields), clock.now());
}

async function readPolicy(path: string | undefined): Promise<Policy> {
  if (path === undefined) return DEFAULT_POLICY;
  return loadPolicy(path, { knownRuleIds: ALL_RULES.map((rule) => rule.id) });
}

/** --approved-by, else the account of Application Default Credentials (read from its file, no network), else $USER. */
export async function resolveApprover(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const candidate = flag?.trim() || (await adcAccount(env)) || env.USER?.trim() || env.LOGNAME?.trim();
  if (!candidate) {
    throw new UsageError('say who approves: --approved-by EMAIL (no ADC account or $USER to default to)');
  }
  if (!APPROVER.test(candidate)) {
    throw new UsageError(
      `--approved-by ${JSON.stringify(candidate.slice(0, 60))} is not an account name or email`,
    );
  }
  return candidate;
}

async function adcAccount(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const path =
    env.GOOGLE_APPLICATION_CREDENTIALS ||
    join(env.HOME || homedir(), '.config', 'gcloud', 'application_default_credentials.json');
  let parsed: Record<string, unknown>;
  try {
    // A regular file under a bound, as every input: a FIFO (GOOGLE_APPLICATION_CREDENTIALS=<(...)) hung approve.
    parsed = JSON.parse(await readInputText(path, MAX_ADC_BYTES)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof parsed.client_email === 'string') return parsed.client_email;
  const impersonation = parsed.service_account_impersonation_url;
  if (typeof impersonation === 'string') {
    return /serviceAccounts\/([^:/]+):generateAccessToken/.exec(impersonation)?.[1];
  }
  // User credentials from `gcloud auth application-default login` name no account in the file.
  return undefined;
}
