// `gatewarden check-plan PLAN.json`: judge `terraform show -json` output before apply (shift left), optionally in
// the context of what exists already, and report as a table, JSON or SARIF for code scanning.

import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeFsError, InputFileError, readInputText } from '../../adapters/files/input-file.js';
import { failsGate } from '../../app/scan.js';
import { jsonFindingOf, renderJsonDocument } from '../../report/json.js';
import { renderSarif } from '../../report/sarif.js';
import { renderTable } from '../../report/table.js';
import { ALL_RULES } from '../../rules/catalogue.js';
import type { Rule } from '../../rules/define-rule.js';
import { checkPlan } from '../../terraform-plan/check-plan.js';
import { PlanInputError, parsePlan, type TerraformPlan } from '../../terraform-plan/plan-file.js';
import { type PlanReport, toPlanReport } from '../../terraform-plan/plan-report.js';
import { PlanRecordError } from '../../terraform-plan/read-plan.js';
import { findRepositoryRoot, locateResources } from '../../terraform-plan/tf-locations.js';
import { GATEWARDEN_VERSION } from '../../version.js';
import { type CliIo, type Command, EXIT_OK, parseFlags, UsageError } from '../io.js';
import {
  estateFilesIn,
  failOnFlag,
  formatFlag,
  gateExitCode,
  outFileFlag,
  refuseInputAsOutput,
  writeBesideReport,
  writeReport,
} from '../report-output.js';
import { resolveScanSource, SCAN_SOURCE_OPTIONS } from '../scan-source.js';
import type { ScanInput } from '../scan-subject.js';

// The context a plan is judged over: an estate or live projects. --organization and --folder are scan's alone: taken
// from SCAN_SOURCE_OPTIONS they were parsed and then never read, so a plan was judged over nothing, unsaid.
const OPTIONS = {
  estate: SCAN_SOURCE_OPTIONS.estate,
  project: SCAN_SOURCE_OPTIONS.project,
  endpoint: SCAN_SOURCE_OPTIONS.endpoint,
  policy: { type: 'string' },
  format: { type: 'string', default: 'table' },
  out: { type: 'string' },
  'fail-on': { type: 'string' },
  'tf-dir': { type: 'string' },
  'default-project': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: gatewarden check-plan PLAN.json [--format table|json|sarif] [--out FILE] [--fail-on SEVERITY]
                             [--estate DIR | --project P [--endpoint URL]] [--policy FILE] [--tf-dir DIR]

  PLAN.json              output of \`terraform show -json PLANFILE\`
  --format FORMAT        table (default), json, or sarif (for GitHub code scanning)
  --out FILE             write the report to FILE instead of standard output (- is standard output)
  --fail-on SEVERITY     exit 1 when a finding that is not muted, or a result a rule could not decide, is at least
                         LOW, MEDIUM, HIGH or CRITICAL; exit 2 when existing records had to be skipped as unreadable
  --estate DIR           judge the plan over an exported estate (resources the plan does not manage)
  --project P            judge the plan over a live project; repeatable
  --endpoint URL         with --project: send every Google API call to URL instead (also GATEWARDEN_API_ENDPOINT)
  --policy FILE          policy file (YAML or JSON): rules, severities, parameters, exemptions
  --tf-dir DIR           root module directory, for .tf file and line in SARIF (default: the plan's directory)
  --default-project P    project for resources whose project neither they nor the provider name
`;

const FORMATS = ['table', 'json', 'sarif'] as const;

export interface CheckPlanDependencies {
  readonly rules?: readonly Rule[];
  readonly now?: () => Date;
  /** Reads the existing resources the flags name (estate or live project); defaults to the scan sources. */
  readonly readExisting?: (values: Parameters<typeof resolveScanSource>[0], io: CliIo) => Promise<ScanInput>;
}

export function createCheckPlanCommand(dependencies: CheckPlanDependencies = {}): Command {
  const rules = dependencies.rules ?? ALL_RULES;
  const now = dependencies.now ?? (() => new Date());
  const readExisting = dependencies.readExisting ?? ((values, io) => resolveScanSource(values, io).read());
  return async (args, io) => {
    const { values, positionals } = parseFlags(args, OPTIONS, true);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (positionals.length !== 1 || !positionals[0]) {
      throw new UsageError(
        'give one plan file: gatewarden check-plan PLAN.json (from `terraform show -json`)',
      );
    }
    const planPath = positionals[0];
    const format = formatFlag(values.format ?? 'table', FORMATS);
    const failOn = values['fail-on'] === undefined ? undefined : failOnFlag(values['fail-on']);
    const outFile = outFileFlag(values.out);
    if (values['tf-dir'] !== undefined) await checkTfDirFlag(values['tf-dir']);
    if (values.endpoint !== undefined && (values.project ?? []).length === 0) {
      throw new UsageError('--endpoint applies to --project (the live project the plan is judged over)');
    }

    await refuseInputAsOutput(outFile, [
      planPath,
      ...(values.policy ? [values.policy] : []),
      ...(await estateFilesIn(values.estate)),
    ]);
    const plan = await readPlanFile(planPath);
    // The policy loader (zod's schema) is imported only for --policy: a plan check in CI starts faster without it.
    const policy =
      values.policy === undefined
        ? undefined
        : await (await import('../../config/policy-file.js')).loadPolicy(values.policy, {
            knownRuleIds: rules.map((rule) => rule.id),
          });
    const hasExisting = values.estate !== undefined || (values.project ?? []).length > 0;
    const existing = hasExisting ? await readExisting(values, io) : undefined;

    const at = now();
    const outcome = withPlanFile(planPath, () =>
      checkPlan({
        plan,
        rules,
        ...(existing ? { existing: existing.inventory } : {}),
        ...(policy ? { policy } : {}),
        now: at,
        ...(values['default-project'] ? { defaultProject: values['default-project'] } : {}),
      }),
    );
    const report = toPlanReport(outcome, {
      rules,
      now: at,
      ...(policy ? { policy } : {}),
      warnings: existing?.warnings ?? [],
    });
    io.stderr.write(
      `Judged ${report.summary.resources} planned resource(s)${existing ? ' over the existing ones' : ''}: ` +
        `${report.summary.findings} finding(s), ${report.unknownUntilApply} result(s) waiting for values known after apply\n`,
    );

    let text: string;
    if (format === 'sarif') {
      const tfDir = values['tf-dir'] ?? dirname(planPath);
      const root = await findRepositoryRoot(tfDir);
      // Locations are a nicety: a `.tf` that cannot be read loses its lines, not the report, but is named.
      const locations = await locateResources(outcome.planned.resources, outcome.planned.index, tfDir, root, {
        onSkippedFile: (problem) =>
          io.stderr.write(`warning: ${problem.message}; skipped when locating resources for SARIF\n`),
      });
      text = renderSarif(report.findings, {
        rules,
        toolVersion: GATEWARDEN_VERSION,
        automationId: 'gatewarden/check-plan/',
        undetermined: report.summary.errors,
        terraformOf: (finding) => {
          const place = report.terraform.get(finding.id);
          const location = locations.get(place?.address ?? place?.causedBy ?? '');
          return location ? { ...place, file: { uri: location.uri, line: location.line } } : place;
        },
      });
    } else {
      text = format === 'json' ? renderPlanJson(report) : renderPlanTable(report);
    }
    writeBesideReport(report.summary, format === 'table' && outFile === undefined, io);
    if (outFile === undefined) io.stdout.write(text);
    else await writeReport(outFile, text);
    if (failOn === undefined) return EXIT_OK;
    return gateExitCode(
      {
        command: 'check-plan',
        failOn,
        unjudged: report.summary.skipped + (existing?.inventory.incomplete?.length ?? 0),
        fails: failsGate(outcome.results, failOn),
      },
      io,
    );
  };
}

export const runCheckPlan: Command = createCheckPlanCommand();

// `terraform show -json` of a large estate runs to tens of MB; the plan is parsed whole, so it stays a string.
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

async function readPlanFile(path: string): Promise<TerraformPlan> {
  let text: string;
  try {
    text = await readInputText(path, MAX_PLAN_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(`${path}: ${error.problem}`);
    throw error;
  }
  try {
    return parsePlan(text, path);
  } catch (error) {
    if (error instanceof PlanInputError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--tf-dir` names the root module's directory; anything else would leave SARIF without locations, unsaid. */
async function checkTfDirFlag(dir: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new UsageError(`--tf-dir ${dir}: cannot read the directory (${describeFsError(error)})`);
  }
  if (!isDirectory)
    throw new UsageError(`--tf-dir ${dir}: is not a directory (give the root module's directory)`);
}

/** A planned record the rules cannot read is bad input in the plan file: the error names it. */
function withPlanFile<T>(planPath: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PlanRecordError) throw new UsageError(`${planPath}: ${error.message}`);
    throw error;
  }
}

/** JSON findings as `scan --format json` prints them, plus the Terraform address (DESIGN.md §6). */
export function renderPlanJson(report: PlanReport): string {
  return renderJsonDocument({
    findings: report.findings.map((finding) => {
      const place = report.terraform.get(finding.id);
      return {
        ...jsonFindingOf(finding),
        ...(place?.address ? { address: place.address } : {}),
        ...(place?.causedBy ? { causedBy: place.causedBy } : {}),
      };
    }),
    summary: { ...report.summary, unknownUntilApply: report.unknownUntilApply },
  });
}

function renderPlanTable(report: PlanReport): string {
  const findings = report.findings.map((finding) => {
    const place = report.terraform.get(finding.id);
    const where = place?.address ?? (place?.causedBy ? `via ${place.causedBy}` : undefined);
    return where ? { ...finding, message: `${finding.message} [${where}]` } : finding;
  });
  return renderTable({ ...report, findings });
}
