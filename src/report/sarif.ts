// SARIF 2.1.0 renderer (pure): failing results as code-scanning alerts, rule metadata as the driver's rules, and
// results a rule could not decide as notifications of the run (never alerts, never silently left out).

import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import { compareText } from '../domain/compare-text.js';
import type { Finding } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import { severityRank } from '../domain/severity.js';
import type { Rule } from '../rules/define-rule.js';
import type { ScanError } from './findings-report.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** The base every artifact URI is relative to; GitHub code scanning resolves it to the repository root. */
export const SOURCE_ROOT = '%SRCROOT%';

export type SarifLevel = Extract<Result.level, 'error' | 'warning' | 'note'>;

const LEVELS: Readonly<Record<Severity, SarifLevel>> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
};

/** GitHub ranks alerts by `security-severity` (CVSS-like 0.0-10.0): critical > 9.0, high 7.0-8.9, medium 4.0-6.9. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '3.0',
};

/** Where a planned resource comes from: check-plan hands these in; a scan of an estate has none. */
export interface TerraformPlace {
  /** Terraform address of the judged resource, when the plan manages it. */
  readonly address?: string;
  /** For a resource the plan does not manage: the nearest planned resource, whose change brought the finding. */
  readonly causedBy?: string;
  /** Where the resource is declared; `uri` relative to the repository root. */
  readonly file?: { readonly uri: string; readonly line?: number };
}

export interface SarifOptions {
  readonly rules: readonly Rule[];
  readonly toolVersion: string;
  readonly informationUri?: string;
  /** `runAutomationDetails.id`: keeps runs of different plans apart in code scanning (`check-plan/infra/`). */
  readonly automationId?: string;
  /** The Terraform side of a finding, when the findings come from a plan. */
  readonly terraformOf?: (finding: Finding) => TerraformPlace | undefined;
  /**
   * Results a rule could not decide (the summary's errors): each a warning among the run's tool execution
   * notifications (§3.20.21), which code scanning shows on the tool's status, not as an alert.
   */
  readonly undetermined?: readonly ScanError[];
}

export function levelOf(severity: Severity): SarifLevel {
  return LEVELS[severity];
}

export function securitySeverityOf(severity: Severity): string {
  return SECURITY_SEVERITY[severity];
}

function groupOf(ruleId: string): string {
  return ruleId.split('.')[0] ?? ruleId;
}

function helpText(rule: Rule): { text: string; markdown: string } {
  const { summary, gcloud, terraform } = rule.remediation;
  const text = [summary, gcloud ? `gcloud: ${gcloud}` : '', terraform ? `Terraform:\n${terraform}` : '']
    .filter(Boolean)
    .join('\n\n');
  const markdown = [
    `**${rule.title}**`,
    rule.rationale,
    `**Fix:** ${summary}`,
    gcloud ? `\`\`\`sh\n${gcloud}\n\`\`\`` : '',
    terraform ? `\`\`\`hcl\n${terraform}\n\`\`\`` : '',
    rule.references.length > 0
      ? `References:\n${rule.references.map((link) => `- <${link}>`).join('\n')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return { text, markdown };
}

function describeRule(rule: Rule, severity: Severity): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: helpText(rule),
    ...(rule.references[0] ? { helpUri: rule.references[0] } : {}),
    defaultConfiguration: { level: levelOf(severity) },
    properties: {
      'security-severity': securitySeverityOf(severity),
      precision: 'high',
      tags: ['security', 'gcp', groupOf(rule.id), rule.source],
    },
  };
}

/**
 * A relative file path as the URI reference SARIF requires (§3.4.3): each segment percent-encoded, so a space, `#` or
 * `%` in a directory name neither breaks the schema's uri-reference format nor cuts the path at a fragment.
 */
function toUriReference(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function describeResult(
  result: Finding,
  place: TerraformPlace | undefined,
  ruleIndex: number | undefined,
): Result {
  const location = place?.file;
  const address = place?.address ?? place?.causedBy;
  const where = place?.address
    ? ` (Terraform: ${place.address})`
    : place?.causedBy
      ? ` (brought by Terraform ${place.causedBy})`
      : '';
  return {
    ruleId: result.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: levelOf(result.severity),
    message: { text: `${result.message}${where}` },
    locations: [
      {
        ...(location
          ? {
              physicalLocation: {
                artifactLocation: { uri: toUriReference(location.uri), uriBaseId: SOURCE_ROOT },
                ...(location.line ? { region: { startLine: location.line } } : {}),
              },
            }
          : {}),
        logicalLocations: [
          {
            fullyQualifiedName: result.resource,
            kind: 'resource',
            ...(address ? { name: address } : {}),
          },
        ],
      },
    ],
    // Identity of the finding (rule, resource, sub-key): the alert stays the same alert when lines move.
    partialFingerprints: {
      'gatewardenFindingId/v1': result.id,
    },
    properties: {
      severity: result.severity,
      resource: result.resource,
      resourceType: result.resourceType,
      ...(result.subKey !== null ? { subKey: result.subKey } : {}),
      ...(place?.address ? { terraformAddress: place.address } : {}),
      ...(place?.causedBy ? { causedBy: place.causedBy } : {}),
      evidence: result.evidence,
    },
    ...(result.exemption
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${result.exemption.reason} (exempt until ${result.exemption.expires})`,
            },
          ],
        }
      : {}),
  };
}

function describeUndetermined(error: ScanError, ruleIndex: number | undefined): Notification {
  return {
    level: 'warning',
    message: { text: `undetermined: ${error.ruleId} on ${error.resource}: ${error.message}` },
    locations: [{ logicalLocations: [{ fullyQualifiedName: error.resource, kind: 'resource' }] }],
    associatedRule: { id: error.ruleId, ...(ruleIndex !== undefined ? { index: ruleIndex } : {}) },
  };
}

/**
 * A SARIF 2.1.0 log with one run: one result per finding (muted ones carry a suppression), and when a rule could not
 * decide, one invocation whose notifications say what and why.
 */
export function toSarifLog(findings: readonly Finding[], options: SarifOptions): Log {
  const worst = new Map<string, Severity>();
  for (const result of findings) {
    const seen = worst.get(result.ruleId);
    if (!seen || severityRank(result.severity) > severityRank(seen))
      worst.set(result.ruleId, result.severity);
  }
  const rules = [...options.rules].sort((a, b) => compareText(a.id, b.id));
  const indexOf = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = findings.map((finding) =>
    describeResult(finding, options.terraformOf?.(finding), indexOf.get(finding.ruleId)),
  );
  const undetermined = options.undetermined ?? [];
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'gatewarden',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((rule) => describeRule(rule, worst.get(rule.id) ?? rule.severity)),
          },
        },
        ...(options.automationId ? { automationDetails: { id: options.automationId } } : {}),
        ...(undetermined.length > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: undetermined.map((error) =>
                    describeUndetermined(error, indexOf.get(error.ruleId)),
                  ),
                },
              ],
            }
          : {}),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function renderSarif(findings: readonly Finding[], options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(findings, options), null, 2)}\n`;
}
