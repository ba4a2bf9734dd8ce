// `gatewarden scan`: judge an estate (or, once wired, live projects) and print the report; exit code for CI.

import { performance } from 'node:perf_hooks';
import { failsGate, type ScanReport, scanInventory } from '../../app/scan.js';
import { ResourceGraph } from '../../domain/graph.js';
import type { Inventory } from '../../domain/inventory.js';
import { DEFAULT_POLICY, type Policy } from '../../engine/policy.js';
import { systemClock } from '../../ports/clock.js';
import type { ProbeResults } from '../../probe/probe-results.js';
import { formatCount, plural } from '../../report/plural.js';
import { ALL_RULES } from '../../rules/catalogue.js';
import { GATEWARDEN_VERSION } from '../../version.js';
import { type CliIo, EXIT_BAD_INPUT, EXIT_OK, parseFlags, type TextSink, UsageError } from '../io.js';
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
import { writeStyled } from '../terminal-text.js';

const OPTIONS = {
  ...SCAN_SOURCE_OPTIONS,
  policy: { type: 'string' },
  format: { type: 'string', default: 'table' },
  out: { type: 'string' },
  'fail-on': { type: 'string' },
  probe: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: gatewarden scan (--estate DIR | --project P [--project Q ...] | --organization O | --folder F)
                      [--endpoint URL] [--policy FILE]
                      [--format table|json|csv|markdown|html|sarif] [--out FILE] [--fail-on SEVERITY] [--probe]

  --estate DIR       directory of gcloud --format=json exports (backend-services.json, gateways.json, ...)
  --project P        read project P live through the Google APIs (Application Default Credentials); repeatable
  --organization O   read every ACTIVE project beneath organisation O (at any depth) live; folders that cannot be
                     read are named in the summary and nothing beneath them is judged
  --folder F         the same beneath folder F
  --endpoint URL     send every Google API call to URL instead (also GATEWARDEN_API_ENDPOINT), e.g. the local
                     simulator that \`gatewarden simulate\` starts
  --policy FILE      policy file (YAML or JSON): rules, severities, parameters, exemptions
  --format FORMAT    table (default), json, csv, markdown, html (one self-contained page) or sarif
                     (SARIF 2.1.0, for code scanning)
  --out FILE         write the report to FILE instead of standard output (- is standard output)
  --fail-on SEVERITY exit 1 when a finding that is not muted, or a result a rule could not decide, is at least
                     LOW, MEDIUM, HIGH or CRITICAL; exit 2 when records had to be skipped as unreadable
  --probe            send unauthenticated requests to each fronted gateway's direct URL and record the answers
                     (needs probe.enabled: true in the policy as well; only hosts on probe.allowHosts are called)
`;

/** A report's text, whole or (for a large one) in pieces that are written out one after another. */
type Renderer = (report: ScanReport, color: boolean, source: string) => string | Iterable<string>;

const FORMATS = ['table', 'json', 'sarif', 'csv', 'markdown', 'html'] as const;

/** Each format's renderer is imported when it is asked for: a scan writes one format (issue 14). */
const RENDERERS: Readonly<Record<(typeof FORMATS)[number], () => Promise<Renderer>>> = {
  table: async () => {
    const { renderTable } = await import('../../report/table.js');
    return (report, color) => renderTable(report, { color });
  },
  json: async () => {
    const { renderJsonPieces } = await import('../../report/json.js');
    return (report) => renderJsonPieces(report);
  },
  // An estate has no source files, so results carry no locations; muted findings become suppressions.
  sarif: async () => {
    const { renderSarif } = await import('../../report/sarif.js');
    return (report) =>
      renderSarif(report.findings, {
        rules: ALL_RULES,
        toolVersion: GATEWARDEN_VERSION,
        automationId: 'gatewarden/scan/',
        undetermined: report.summary.errors,
      });
  },
  csv: async () => auditRenderer('csv'),
  markdown: async () => auditRenderer('markdown'),
  html: async () => auditRenderer('html'),
};

/** The audit formats share one model; the scan time is the report time, so the output depends only on the input. */
async function auditRenderer(format: 'csv' | 'markdown' | 'html'): Promise<Renderer> {
  const [{ renderReport }, { reportFromScan }] = await Promise.all([
    import('../../report/render-report.js'),
    import('../../report/report-model.js'),
  ]);
  return (report, _color, source) =>
    renderReport(
      reportFromScan(report, { rules: ALL_RULES, now: new Date(report.summary.scannedAt), source }),
      format,
    );
}

export async function runScan(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, OPTIONS);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const format = values.format ?? 'table';
  const render = await RENDERERS[formatFlag(format, FORMATS)]();
  const failOn = values['fail-on'] === undefined ? undefined : failOnFlag(values['fail-on']);
  const outFile = outFileFlag(values.out);
  const subject = resolveScanSource(values, io);
  await refuseInputAsOutput(outFile, [
    ...(await estateFilesIn(values.estate)),
    ...(values.policy ? [values.policy] : []),
  ]);
  const policy = values.policy === undefined ? DEFAULT_POLICY : await readPolicy(values.policy);

  const readStart = performance.now();
  const input = await subject.read();
  io.stderr.write(
    `Loaded ${plural(input.recordCount, 'resource')} from ${subject.label} in ${elapsed(readStart)}\n`,
  );

  const probeResults = await probeIfAsked(values.probe === true, policy, input.inventory, io);

  const judgeStart = performance.now();
  const report = scanInventory(input.inventory, {
    rules: ALL_RULES,
    policy,
    clock: systemClock,
    warnings: input.warnings,
    ...(input.baseline ? { baseline: input.baseline } : {}),
    ...(probeResults ? { probeResults } : {}),
  });
  const { summary } = report;
  io.stderr.write(
    `Judged ${plural(summary.resources, 'resource')} against ${plural(summary.rules, 'rule')} in ${elapsed(judgeStart)}\n`,
  );

  writeBesideReport(summary, format === 'table' && outFile === undefined, io);

  if (outFile === undefined) {
    const color = format === 'table' && isColorTerminal(io.stdout, io.env);
    const text = render(report, color, subject.label);
    for (const piece of typeof text === 'string' ? [text] : text) {
      if (color) writeStyled(io.stdout, piece);
      else io.stdout.write(piece);
    }
  } else {
    await writeReport(outFile, render(report, false, subject.label));
    io.stderr.write(`Wrote ${plural(summary.findings, 'finding')} to ${outFile}\n`);
  }
  const { unreadProjects } = input;
  if (unreadProjects) {
    io.stderr.write(
      `gatewarden scan: ${unreadProjects.failed} of ${unreadProjects.of} projects could not be read (see the ` +
        'warnings); the report judges the others only\n',
    );
    return EXIT_BAD_INPUT;
  }
  if (failOn === undefined) return EXIT_OK;
  return gateExitCode(
    {
      command: 'scan',
      failOn,
      unjudged: summary.skipped + (input.inventory.incomplete?.length ?? 0) + (input.unreadParts ?? 0),
      fails: failsGate(report.results, failOn),
    },
    io,
  );
}

/**
 * The probe sends requests to other people's endpoints, so it takes two deliberate choices: `probe.enabled` in the
 * policy (what an organisation allows) and `--probe` on this run (what the person running it wants).
 */
async function probeIfAsked(
  asked: boolean,
  policy: Policy,
  inventory: Inventory,
  io: CliIo,
): Promise<ProbeResults | undefined> {
  const enabled = policy.probe?.enabled === true;
  if (!asked) {
    if (enabled)
      io.stderr.write('note: the policy enables the probe; add --probe to call the direct gateway URLs\n');
    return undefined;
  }
  if (!enabled) {
    throw new UsageError('--probe needs probe.enabled: true in the policy file (--policy FILE)');
  }
  const start = performance.now();
  // Loaded only for --probe: the HTTP client and address vetting are most of what a plain scan would load for nothing.
  const { createProbeRunner, probeSettingsOf } = await import('../../probe/probe-session.js');
  const results = await createProbeRunner(probeSettingsOf(policy))(ResourceGraph.build(inventory));
  const probes = Object.values(results);
  const sent = probes
    .flatMap((probe) => probe.requests)
    .filter((request) => request.outcome === 'answered' || request.outcome === 'failed').length;
  io.stderr.write(
    `Probed ${plural(probes.length, 'gateway')} with ${plural(sent, 'request')} in ${elapsed(start)}\n`,
  );
  return results;
}

async function readPolicy(path: string): Promise<Policy> {
  // Loaded only for --policy: its schema is zod's (a third of what a scan of a small estate would load otherwise).
  const { loadPolicy } = await import('../../config/policy-file.js');
  return loadPolicy(path, { knownRuleIds: ALL_RULES.map((rule) => rule.id) });
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function isColorTerminal(stream: TextSink, env: CliIo['env']): boolean {
  return (stream as { isTTY?: unknown }).isTTY === true && env.NO_COLOR === undefined;
}

function elapsed(start: number): string {
  return `${formatCount(Math.round(performance.now() - start))} ms`;
}
