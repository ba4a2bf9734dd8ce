// The `--format html` report (pure): one self-contained, script-free page; every interpolated value escaped by escapeHtml.

import { compareText } from '../domain/compare-text.js';
import { SEVERITIES_DESCENDING, type Severity } from '../domain/severity.js';
import { formatCount, plural } from './plural.js';
import {
  type ExpiringExemption,
  formatEvidence,
  hasUndeterminedState,
  type OpenCountPoint,
  type ReportFinding,
  type ReportHistoryEntry,
  type ReportModel,
  type ReportRule,
} from './report-model.js';

/** No script, no remote anything: styles inline, images only as data: URIs (none today). */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Past this many findings, none starts expanded: the page stays quick to open and to scroll. */
const EXPAND_UP_TO = 50;
/**
 * Evidence shares one budget across findings, so the page stays under 10 MB however many there are: a few
 * findings show up to 20,000 characters each, 10,000 findings 300 each (cut, and said so; the JSON
 * format has it all).
 */
const EVIDENCE_BUDGET_CHARS = 3_000_000;
const MAX_EVIDENCE_CHARS = 20_000;
const MIN_EVIDENCE_CHARS = 300;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // Numeric references: a byte shorter than `&quot;`, and JSON evidence is full of quotes.
  '"': '&#34;',
  "'": '&#39;',
};

/** The one escape for everything interpolated, text and (double-quoted) attribute values alike. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

export function renderHtml(model: ReportModel): string {
  const parts: string[] = [
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">\n`,
    '<meta name="referrer" content="no-referrer">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    `<title>${escapeHtml(model.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`,
    '<header>\n',
    `<h1>${escapeHtml(model.title)}</h1>\n`,
    `<p class="meta">Generated <time>${escapeHtml(displayTime(model.generatedAt))}</time>`,
    model.source ? ` from ${escapeHtml(model.source)}` : '',
    ` · ${escapeHtml(plural(model.findings.length, 'finding'))}</p>\n`,
    '</header>\n<main>\n',
    summarySection(model),
    trendSection(model.openOverTime, model.origin),
    expiringSection(model),
    findingsSection(model),
    remediationSection(model.rules),
    problemsSection(model),
    '</main>\n<footer>Gatewarden audit report · self-contained, no scripts</footer>\n</body>\n</html>\n',
  ];
  return parts.join('');
}

function summarySection(model: ReportModel): string {
  const { summary } = model;
  // Stored findings may be undetermined (DESIGN.md §3): counted beside open, muted and resolved, so the totals add up.
  const undetermined = hasUndeterminedState(model);
  const cards = SEVERITIES_DESCENDING.map((severity) => {
    const counts = summary.bySeverity[severity];
    return (
      `<div class="card sev-${severity.toLowerCase()}"><div class="card-label">${severity}</div>` +
      `<div class="card-count">${escapeHtml(formatCount(counts.open))}</div>` +
      `<div class="card-note">open · ` +
      (undetermined ? `${escapeHtml(formatCount(counts.undetermined))} undetermined · ` : '') +
      `${escapeHtml(formatCount(counts.muted))} muted · ` +
      `${escapeHtml(formatCount(counts.resolved))} resolved</div></div>`
    );
  }).join('');
  const rows = summary.byRule
    .map(
      (rule) =>
        `<tr><td><a href="#rule-${escapeHtml(rule.ruleId)}"><code>${escapeHtml(rule.ruleId)}</code></a>` +
        `<div class="sub">${escapeHtml(rule.ruleTitle)}</div></td>` +
        `<td>${badge(rule.severity)}</td><td class="num">${rule.open}</td>` +
        (undetermined ? `<td class="num">${rule.undetermined}</td>` : '') +
        `<td class="num">${rule.muted}</td><td class="num">${rule.resolved}</td></tr>`,
    )
    .join('\n');
  const byRule =
    summary.byRule.length === 0
      ? ''
      : '<h3>By rule</h3>\n<table class="by-rule"><thead><tr><th>Rule</th><th>Severity</th>' +
        '<th class="num">Open</th>' +
        (undetermined ? '<th class="num">Undetermined</th>' : '') +
        '<th class="num">Muted</th><th class="num">Resolved</th></tr></thead>\n' +
        `<tbody>\n${rows}\n</tbody></table>\n`;
  const { open, muted, resolved } = summary.byState;
  return (
    '<section id="summary">\n<h2>Summary</h2>\n' +
    `<p class="totals"><strong>${open}</strong> open · ` +
    (undetermined ? `<strong>${summary.byState.undetermined}</strong> undetermined · ` : '') +
    `<strong>${muted}</strong> muted · <strong>${resolved}</strong> resolved</p>\n` +
    `<div class="cards">${cards}</div>\n${byRule}</section>\n`
  );
}

const CHART = { width: 760, height: 220, left: 44, right: 16, top: 16, bottom: 36 } as const;

/** An inline SVG line chart; `<title>` elements give per-day tooltips without any script. */
export function trendChart(points: readonly OpenCountPoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return '';
  const max = Math.max(1, ...points.map((point) => point.open));
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const xOf = (index: number): number =>
    CHART.left + (points.length === 1 ? plotWidth / 2 : (index / (points.length - 1)) * plotWidth);
  const yOf = (value: number): number => CHART.top + plotHeight - (value / max) * plotHeight;
  const coords = points.map((point, index) => `${round(xOf(index))},${round(yOf(point.open))}`);
  const baseline = round(yOf(0));
  const grid = [0, Math.round(max / 2), max]
    .filter((value, index, all) => all.indexOf(value) === index)
    .map(
      (value) =>
        `<line class="grid" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${round(yOf(value))}" y2="${round(yOf(value))}"/>` +
        `<text class="axis" x="${CHART.left - 6}" y="${round(yOf(value) + 4)}" text-anchor="end">${value}</text>`,
    )
    .join('');
  const labelIndexes = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const labels = labelIndexes
    .map((index) => {
      const anchor =
        points.length === 1
          ? 'middle'
          : index === 0
            ? 'start'
            : index === points.length - 1
              ? 'end'
              : 'middle';
      return `<text class="axis" x="${round(xOf(index))}" y="${CHART.height - 12}" text-anchor="${anchor}">${escapeHtml(points[index]?.day ?? '')}</text>`;
    })
    .join('');
  // Dots (with tooltips) only while they stay distinguishable; beyond that the line says enough.
  const dots =
    points.length <= 120
      ? points
          .map(
            (point, index) =>
              `<circle cx="${round(xOf(index))}" cy="${round(yOf(point.open))}" r="3.5"><title>${escapeHtml(point.day)}: ${point.open} open</title></circle>`,
          )
          .join('')
      : '';
  const area =
    points.length > 1
      ? `<polygon class="area" points="${round(xOf(0))},${baseline} ${coords.join(' ')} ${round(xOf(points.length - 1))},${baseline}"/>` +
        `<polyline class="line" points="${coords.join(' ')}"/>`
      : '';
  const description = `Open findings per day from ${first.day} to ${last.day}: ${last.open} open on ${last.day}`;
  return (
    `<svg class="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-label="${escapeHtml(description)}" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeHtml(description)}</title>${grid}${area}${dots}${labels}</svg>`
  );
}

function trendSection(points: readonly OpenCountPoint[], origin: ReportModel['origin']): string {
  const note = `<p class="note">${escapeHtml(trendCaption(points, origin))}</p>\n`;
  return `<section id="trend">\n<h2>Open findings over time</h2>\n${trendChart(points)}\n${note}</section>\n`;
}

/** Says where the chart's numbers come from: a scan sees one moment, stored findings carry their history. */
export function trendCaption(points: readonly OpenCountPoint[], origin: ReportModel['origin']): string {
  if (origin === 'scan') {
    return 'One point in time: a scan has no history. Reports from stored findings show every day.';
  }
  const first = points[0]?.day ?? '';
  const last = points[points.length - 1]?.day ?? '';
  return points.length <= 1
    ? `From the stored findings and their history: the findings open at the end of ${last}, the one day it covers so far.`
    : `From the stored findings and their history: the findings open at the end of each day, ${first} to ${last}.`;
}

function expiringSection(model: ReportModel): string {
  const heading = `<h2>Exemptions expiring within ${escapeHtml(model.expiringWithinDays)} days</h2>\n`;
  if (model.expiringExemptions.length === 0) {
    return `<section id="expiring">\n${heading}<p class="note">None.</p>\n</section>\n`;
  }
  const rows = model.expiringExemptions.map(expiringRow).join('\n');
  return (
    `<section id="expiring">\n${heading}<table><thead><tr><th>Expires</th><th>Rule</th><th>Reason</th>` +
    `<th>Owner</th><th>Findings</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table>\n</section>\n`
  );
}

function expiringRow(exemption: ExpiringExemption): string {
  const left =
    exemption.daysLeft === null
      ? '<span class="warn">unreadable date</span>'
      : exemption.daysLeft < 0
        ? '<span class="warn">expired</span>'
        : `${exemption.daysLeft} ${exemption.daysLeft === 1 ? 'day' : 'days'} left`;
  const findings = exemption.findings
    .map((finding) => `<a href="#${anchorOf(finding.id)}">${escapeHtml(finding.resourceShort)}</a>`)
    .join('<br>');
  return (
    `<tr><td class="nowrap">${escapeHtml(exemption.expires)}<div class="sub">${left}</div></td>` +
    `<td><code>${escapeHtml(exemption.ruleId)}</code></td><td>${escapeHtml(exemption.reason)}</td>` +
    `<td>${escapeHtml(exemption.owner ?? 'not named')}</td><td>${findings}</td></tr>`
  );
}

function findingsSection(model: ReportModel): string {
  if (model.findings.length === 0) {
    return '<section id="findings">\n<h2>Findings</h2>\n<p class="note">No findings.</p>\n</section>\n';
  }
  const expand = model.findings.length <= EXPAND_UP_TO;
  const evidenceChars = Math.min(
    MAX_EVIDENCE_CHARS,
    Math.max(MIN_EVIDENCE_CHARS, Math.floor(EVIDENCE_BUDGET_CHARS / model.findings.length)),
  );
  const parts = ['<section id="findings">\n<h2>Findings</h2>\n'];
  for (const severity of SEVERITIES_DESCENDING) {
    const findings = model.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    parts.push(
      `<h3 class="sev-heading">${badge(severity)} <span class="count">${escapeHtml(plural(findings.length, 'finding'))}</span></h3>\n`,
    );
    const byRule = new Map<string, ReportFinding[]>();
    for (const finding of findings) {
      const group = byRule.get(finding.ruleId);
      if (group) group.push(finding);
      else byRule.set(finding.ruleId, [finding]);
    }
    // Grouped by rule, so the rule (and the link to its fix) is said once, not once per finding.
    // The severity colour is set once on the group and inherited (a CSS custom property), not on each finding.
    parts.push(`<div class="sev-${severity.toLowerCase()}">`);
    for (const [ruleId, group] of [...byRule].sort(([a], [b]) => compareText(a, b))) {
      parts.push(
        `<h4 class="rule-heading"><a href="#rule-${escapeHtml(ruleId)}"><code>${escapeHtml(ruleId)}</code></a> ` +
          `${escapeHtml(group[0]?.ruleTitle ?? ruleId)} <span class="count">${escapeHtml(plural(group.length, 'finding'))} · ` +
          `<a href="#rule-${escapeHtml(ruleId)}">how to fix</a></span></h4>\n`,
      );
      for (const finding of group) {
        parts.push(findingBlock(finding, expand && finding.state === 'open', evidenceChars));
      }
    }
    parts.push('</div>\n');
  }
  parts.push('</section>\n');
  return parts.join('');
}

// Ten thousand of these must stay under 10 MB: project and location are in the short name, the message is shown
// once (the summary line wraps when open), and the rule and its remediation are said once per group.
function findingBlock(finding: ReportFinding, open: boolean, evidenceChars: number): string {
  const lastSeen = finding.lastSeenAt ? displayTime(finding.lastSeenAt) : 'unknown';
  // With a history, its first entry says when the finding was first seen.
  const seen: [string, string] =
    finding.history.length > 0
      ? ['Last seen', lastSeen]
      : ['Seen', `${finding.firstSeenAt ? displayTime(finding.firstSeenAt) : 'not recorded'} → ${lastSeen}`];
  const facts: [string, string][] = [
    ['Resource', escapeHtml(finding.resource)],
    ...(finding.subKey !== null ? [['Sub-key', escapeHtml(finding.subKey)] as [string, string]] : []),
    ...(finding.directUrl
      ? [['Direct gateway URL', directUrlHtml(finding.directUrl)] as [string, string]]
      : []),
    [seen[0], escapeHtml(seen[1])],
    ...(finding.state === 'resolved' && finding.resolvedAt
      ? [['Resolved', escapeHtml(displayTime(finding.resolvedAt))] as [string, string]]
      : []),
  ];
  const list = facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`).join('');
  const exemption = finding.exemption
    ? `<p class="exemption"><strong>Muted:</strong> ${escapeHtml(finding.exemption.reason)} · owner ` +
      `${escapeHtml(finding.exemption.owner ?? 'not named')} · until <time>${escapeHtml(finding.exemption.expires)}</time>` +
      (finding.exemption.pattern ? ` · pattern <code>${escapeHtml(finding.exemption.pattern)}</code>` : '') +
      '</p>'
    : '';
  const history =
    finding.history.length > 0
      ? `<h4>History</h4><ol>${finding.history.map((entry) => historyItem(entry, finding)).join('')}</ol>`
      : '';
  const { state } = finding;
  return (
    `<details${state === 'open' ? '' : ` class="${state}"`} id="${anchorOf(finding.id)}"${open ? ' open' : ''}>` +
    `<summary><i>${state}</i><code>${escapeHtml(finding.resourceShort)}</code>` +
    `<span>${escapeHtml(finding.message)}</span></summary>${exemption}<dl>${list}</dl>` +
    `<h4>Evidence</h4><pre>${escapeHtml(formatEvidence(finding.evidence, evidenceChars))}</pre>` +
    `${history}</details>`
  );
}

// The transition names the change; severity and message only when they differ from the finding's own.
function historyItem(entry: ReportHistoryEntry, finding: ReportFinding): string {
  const who = entry.actor
    ? ` by <b>${escapeHtml(entry.actor)}</b>`
    : entry.method
      ? ' by an unknown principal'
      : ' by a sweep or scan';
  const how = entry.method ? ` via <code>${escapeHtml(entry.method)}</code>` : '';
  const severity =
    entry.severity !== finding.severity || entry.transition === 'escalated'
      ? ` <small>${escapeHtml(entry.severity)}</small>`
      : '';
  const message = entry.message !== finding.message ? `<br><small>${escapeHtml(entry.message)}</small>` : '';
  return `<li><time>${escapeHtml(displayTime(entry.at))}</time> <b>${escapeHtml(entry.transition)}</b>${severity}${who}${how}${message}</li>`;
}

/**
 * The direct URL as a link only when it is an https URL on Google's gateway domain; anything else (the hostname
 * comes from the API, but a hostile estate file could say anything) is shown as text, never as a link.
 */
export function directUrlHtml(url: string): string {
  const text = `<code>${escapeHtml(url)}</code>`;
  return isGatewayUrl(url) ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer">${text}</a>` : text;
}

export function isGatewayUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.hostname.endsWith('.gateway.dev') &&
    // The text shown must be where the link goes: no parser normalisation (case, backslashes, IDN) in between.
    (parsed.href === url || parsed.href === `${url}/`)
  );
}

function remediationSection(rules: readonly ReportRule[]): string {
  if (rules.length === 0) return '';
  const articles = rules.map((rule) => {
    const { summary, gcloud, terraform } = rule.remediation;
    const references = rule.references
      .map((link) =>
        /^https:\/\//.test(link)
          ? `<li><a href="${escapeHtml(link)}" rel="noopener noreferrer">${escapeHtml(link)}</a></li>`
          : `<li>${escapeHtml(link)}</li>`,
      )
      .join('');
    return (
      `<article class="rule" id="rule-${escapeHtml(rule.id)}"><h3><code>${escapeHtml(rule.id)}</code> ${escapeHtml(rule.title)}</h3>` +
      `<p class="sub">${escapeHtml(rule.rationale)}</p><p><strong>Fix:</strong> ${escapeHtml(summary)}</p>` +
      (gcloud ? `<h4>gcloud</h4><pre>${escapeHtml(gcloud)}</pre>` : '') +
      (terraform ? `<h4>Terraform</h4><pre>${escapeHtml(terraform)}</pre>` : '') +
      (references ? `<h4>References</h4><ul>${references}</ul>` : '') +
      '</article>'
    );
  });
  return `<section id="remediation">\n<h2>Remediation by rule</h2>\n${articles.join('\n')}\n</section>\n`;
}

function problemsSection(model: ReportModel): string {
  const parts: string[] = [];
  if (model.errors.length > 0) {
    const items = model.errors
      .map(
        (error) =>
          `<li><code>${escapeHtml(error.ruleId)}</code> on <code>${escapeHtml(error.resource)}</code>: ${escapeHtml(error.message)}</li>`,
      )
      .join('');
    parts.push(`<h2>Could not judge</h2><ul class="problems">${items}</ul>`);
  }
  if (model.warnings.length > 0) {
    const items = model.warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('');
    parts.push(`<h2>Warnings</h2><ul class="problems">${items}</ul>`);
  }
  return parts.length === 0 ? '' : `<section id="problems">\n${parts.join('\n')}\n</section>\n`;
}

function badge(severity: Severity): string {
  return `<span class="badge sev-${severity.toLowerCase()}">${severity}</span>`;
}

/** Finding IDs are 40-hex hashes: 12 of them keep anchors unique within any report and the page smaller. */
function anchorOf(findingId: string): string {
  return `f-${escapeHtml(findingId.slice(0, 12))}`;
}

/** `2026-04-20 08:00:00Z`: readable, and shorter across 10,000 findings; anything unexpected is shown as is. */
function displayTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]}Z` : iso;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const STYLE = `
:root{--fg:#1f2430;--muted:#5b6475;--line:#dde1e8;--bg:#f6f7f9;--card:#fff;--critical:#a4161a;--high:#d9480f;
--medium:#b7791f;--low:#2b6cb0;--accent:#3451b2}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1f2a44;color:#fff;padding:24px 32px}
header h1{margin:0;font-size:24px;font-weight:600}
header .meta{margin:4px 0 0;color:#c9d1e4}
main{max-width:1120px;margin:0 auto;padding:8px 32px 32px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px 24px 20px;margin:20px 0}
h2{font-size:19px;margin:18px 0 12px}
h3{font-size:16px;margin:18px 0 8px}
h4{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:16px 0 6px}
h4.rule-heading{font-size:15px;text-transform:none;letter-spacing:0;color:var(--fg);margin:18px 0 6px}
.rule-heading .count{font-weight:400;color:var(--muted);font-size:13px;margin-left:4px}
a{color:var(--accent)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px}
dd code,td code{overflow-wrap:anywhere}
pre{background:#f3f4f7;border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:auto;max-height:320px;white-space:pre-wrap;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.nowrap{white-space:nowrap}
.sub{color:var(--muted);font-size:13px}
.note{color:var(--muted)}
.warn{color:var(--critical);font-weight:600}
.totals{margin:0 0 12px;color:var(--muted)}
.totals strong{color:var(--fg)}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:8px}
.card{border:1px solid var(--line);border-top:4px solid var(--sev);border-radius:8px;padding:10px 14px}
.card-label{font-size:12px;font-weight:700;letter-spacing:.06em;color:var(--sev)}
.card-count{font-size:30px;font-weight:600;line-height:1.2}
.card-note{font-size:12px;color:var(--muted)}
.sev-critical{--sev:var(--critical)}.sev-high{--sev:var(--high)}.sev-medium{--sev:var(--medium)}.sev-low{--sev:var(--low)}
.badge{display:inline-block;min-width:74px;text-align:center;font-size:11px;font-weight:700;letter-spacing:.05em;color:#fff;background:var(--sev);border-radius:4px;padding:2px 6px}
.sev-heading .count{font-weight:400;color:var(--muted);font-size:14px;margin-left:6px}
.chart{width:100%;height:auto}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .axis{fill:var(--muted);font-size:11px;font-family:system-ui,sans-serif}
.chart .area{fill:#3451b2;fill-opacity:.12}
.chart .line{fill:none;stroke:#3451b2;stroke-width:2}
.chart circle{fill:#3451b2}
dl{display:grid;grid-template-columns:170px 1fr;gap:4px 14px;margin:8px 0}
dt{color:var(--muted);font-size:13px}
dd{margin:0;min-width:0}
/* Findings: short selectors instead of classes on each of up to 10,000 elements keep the page small. */
#findings details{border:1px solid var(--line);border-left:4px solid var(--sev);border-radius:6px;margin:8px 0;background:#fff}
#findings details.muted,#findings details.resolved{border-left-style:dashed;background:#fafbfc}
#findings details>:not(summary){margin-left:16px;margin-right:16px}
#findings details>:last-child{margin-bottom:14px}
#findings summary{cursor:pointer;padding:9px 12px;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
#findings summary>i{font-style:normal;font-size:11px;border:1px solid #9aa3b5;border-radius:10px;padding:1px 8px}
#findings .muted>summary>i{background:#fff8e6;border-color:#f0d48a;color:#7a5b00}
#findings .resolved>summary>i{background:#e9f7ef;border-color:#a6d9b8;color:#1e6b3a}
#findings summary>code{font-weight:600}
#findings dd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px;overflow-wrap:anywhere}
#findings summary>span{color:var(--muted);flex:1 1 320px;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#findings details[open]>summary>span{flex-basis:100%;white-space:normal;color:var(--fg);font-size:15px;margin-top:2px}
#findings details[open]>summary{border-bottom:1px solid var(--line);margin-bottom:8px}
#findings ol{list-style:none;padding:0 0 0 14px;border-left:2px solid var(--line)}
#findings li{margin:0 0 8px;position:relative}
#findings li::before{content:"";position:absolute;left:-20px;top:7px;width:10px;height:10px;border-radius:50%;background:var(--accent)}
#findings li time{font-variant-numeric:tabular-nums;color:var(--muted);font-size:13px;margin-right:6px}
#findings li small{color:var(--muted);font-size:13px}
.exemption{background:#fff8e6;border:1px solid #f0d48a;border-radius:6px;padding:8px 12px}
article.rule{border-top:1px solid var(--line);padding-top:4px}
article.rule:first-of-type{border-top:0}
.problems li{margin-bottom:6px}
footer{text-align:center;color:var(--muted);font-size:12px;padding:0 0 24px}
@media (max-width:720px){.cards{grid-template-columns:repeat(2,1fr)}dl{grid-template-columns:1fr}main{padding:8px 12px}}
`;
