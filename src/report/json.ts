// The `--format json` report (DESIGN.md §6): failing results only, with their state, and the scan summary.

import type { Finding } from '../domain/finding.js';
import type { FindingsReport } from './findings-report.js';

/** A finding as the JSON contract prints it (DESIGN.md §6): its state, and the exemption when one mutes it. */
export function jsonFindingOf(finding: Finding): Record<string, unknown> {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    resource: finding.resource,
    subKey: finding.subKey,
    message: finding.message,
    evidence: finding.evidence,
    state: finding.state,
    ...(finding.exemption ? { exemption: finding.exemption } : {}),
  };
}

export function renderJson(report: FindingsReport): string {
  return [...renderJsonPieces(report)].join('');
}

/**
 * Findings per piece: about 50 KB of text. Below V8's large-object size (128 KB), a piece's strings are made in the
 * young generation and die there; pieces of 500 findings (half a megabyte) each went to large-object space, where
 * they stayed until a full collection: peak RSS of the 1x scan 243 -> 231 MB, the same CPU.
 */
const FINDINGS_PER_PIECE = 50;
/** How JSON.stringify (indent 2) opens and closes a non-empty `findings` array, the first member of a document. */
const FINDINGS_OPEN = '{\n  "findings": [\n';
const FINDINGS_CLOSE = '\n  ]\n}';

/**
 * The same document as renderJson, in pieces of a few hundred findings, so a large report can be written out
 * without its whole text (and a copy of every finding) in memory at once. A batch of findings is stringified inside
 * a document of the report's own shape, `{"findings": [...]}`, which indents them exactly as the whole would; only
 * that document's first and last lines are cut off.
 */
export function* renderJsonPieces(report: FindingsReport): Generator<string> {
  const { findings, summary } = report;
  if (findings.length === 0) {
    yield renderJsonDocument({ findings: [], summary });
    return;
  }
  yield FINDINGS_OPEN;
  for (let start = 0; start < findings.length; start += FINDINGS_PER_PIECE) {
    const batch = findings.slice(start, start + FINDINGS_PER_PIECE).map(jsonFindingOf);
    const text = stringifyIndented({ findings: batch });
    const items = text.slice(FINDINGS_OPEN.length, text.length - FINDINGS_CLOSE.length);
    yield start > 0 ? `,\n${items}` : items;
  }
  // `{\n  "summary": {...}\n}` without its first and last lines is the document's last member.
  const summaryText = stringifyIndented({ summary });
  yield `\n  ],\n${summaryText.slice(2, -2)}\n}\n`;
}

/** A JSON document as every report prints one: indented by two, bigints as strings, ending in a newline. */
export function renderJsonDocument(document: unknown): string {
  return `${stringifyIndented(document)}\n`;
}

// A replacer function takes JSON.stringify off V8's fast path for every value (about twice the time on a large
// report), so it is used only when a value needs it: JSON.stringify throws a TypeError on a bigint.
function stringifyIndented(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, replaceUnserialisable, 2);
  }
}

/**
 * The JSON.stringify replacer for anything holding evidence: evidence is whatever a rule or an API record put
 * there, and a bigint would make JSON.stringify throw, losing the report or the alert.
 */
export function replaceUnserialisable(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
