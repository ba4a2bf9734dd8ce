// `gatewarden rules`: the rule catalogue at a glance (table) or for tools (json).

import { compareText } from '../../domain/compare-text.js';
import { ALL_RULES } from '../../rules/catalogue.js';
import type { Rule } from '../../rules/define-rule.js';
import { type CliIo, EXIT_OK, parseFlags, UsageError } from '../io.js';

const OPTIONS = {
  format: { type: 'string', default: 'table' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function createRulesCommand(rules: readonly Rule[] = ALL_RULES) {
  return async function runRules(args: readonly string[], io: CliIo): Promise<number> {
    const { values } = parseFlags(args, OPTIONS);
    if (values.help) {
      io.stdout.write('Usage: gatewarden rules [--format table|json]\n');
      return EXIT_OK;
    }
    const sorted = [...rules].sort((a, b) => compareText(a.id, b.id));
    if (values.format === 'json') {
      const entries = sorted.map((rule) => ({
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        source: rule.source,
        appliesTo: rule.appliesTo,
      }));
      io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      return EXIT_OK;
    }
    if (values.format !== 'table') {
      throw new UsageError(`--format must be table or json (got ${JSON.stringify(values.format)})`);
    }
    io.stdout.write(renderRuleTable(sorted));
    return EXIT_OK;
  };
}

export function renderRuleTable(rules: readonly Rule[]): string {
  const rows = [
    ['ID', 'SEVERITY', 'SOURCE', 'TITLE'],
    ...rules.map((rule) => [rule.id, rule.severity, rule.source, rule.title]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  '),
  );
  return `${lines.join('\n')}\n\n${rules.length} rules; \`gatewarden explain RULE_ID\` says why and how to fix.\n`;
}
