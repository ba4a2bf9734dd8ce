// `gatewarden explain RULE_ID`: a rule's rationale and fixes, from its own metadata (the single source).

import { editDistance } from '../../domain/closest-match.js';
import { KIND_PLURAL_LABELS } from '../../domain/resource-kind.js';
import { ALL_RULES } from '../../rules/catalogue.js';
import type { Rule, RuleSource } from '../../rules/define-rule.js';
import { type CliIo, EXIT_OK, parseFlags, UsageError } from '../io.js';

const SOURCES: Readonly<Record<RuleSource, string>> = {
  seed: 'stated in the API Gateway load-balancing guide',
  doc: "stated in Google's serverless NEG or API Gateway documentation",
  gov: 'governance best practice (on by default, can be disabled)',
  'design card': 'change control against an approved baseline',
};

export function createExplainCommand(rules: readonly Rule[] = ALL_RULES) {
  return async function runExplain(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(args, { help: { type: 'boolean', short: 'h' } }, true);
    if (values.help) {
      io.stdout.write('Usage: gatewarden explain RULE_ID   (gatewarden rules lists the IDs)\n');
      return EXIT_OK;
    }
    const [id, ...extra] = positionals;
    if (!id) throw new UsageError('give a rule ID, e.g. gatewarden explain neg.gateway-exists');
    if (extra.length > 0) throw new UsageError(`explain takes one rule ID (got ${positionals.length})`);
    const rule = rules.find((candidate) => candidate.id === id);
    if (!rule) {
      const closest = closestIds(
        id,
        rules.map((candidate) => candidate.id),
      );
      const hint = closest.length > 0 ? `; did you mean ${closest.join(', ')}?` : '';
      throw new UsageError(`unknown rule ${JSON.stringify(id)}${hint} (gatewarden rules lists them all)`);
    }
    io.stdout.write(renderExplanation(rule));
    return EXIT_OK;
  };
}

export function renderExplanation(rule: Rule): string {
  const { remediation } = rule;
  const lines = [
    `${rule.id}: ${rule.title}`,
    '',
    `Severity:   ${rule.severity}`,
    `Source:     ${rule.source} (${SOURCES[rule.source]})`,
    `Applies to: ${rule.appliesTo.map((kind) => KIND_PLURAL_LABELS[kind]).join(', ')}`,
    '',
    'Why',
    ...wrap(rule.rationale, 100).map((line) => `  ${line}`),
    '',
    'How to fix',
    ...wrap(remediation.summary, 100).map((line) => `  ${line}`),
  ];
  if (remediation.gcloud) lines.push('', '  gcloud:', ...indent(remediation.gcloud, '    '));
  if (remediation.terraform) lines.push('', '  Terraform:', ...indent(remediation.terraform, '    '));
  if (rule.references.length > 0) {
    lines.push('', 'References', ...rule.references.map((reference) => `  ${reference}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The three IDs nearest to what was typed: those containing it first, then by edit distance. */
export function closestIds(typed: string, ids: readonly string[]): string[] {
  const wanted = typed.toLowerCase();
  const scored = ids.map((id) => {
    const contains = id.includes(wanted) || (wanted.includes('.') ? false : id.split('.')[1] === wanted);
    return { id, score: contains ? -1 / id.length : editDistance(wanted, id) };
  });
  return scored
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .slice(0, 3)
    .map((entry) => entry.id);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
