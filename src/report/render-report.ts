// One entry point for the audit report formats, for the CLI, `gatewarden report` and the `report` HTTP function.

import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJsonDocument } from './json.js';
import { renderMarkdown } from './markdown.js';
import { type ReportModel, reportModelJson } from './report-model.js';

export const REPORT_FORMATS = ['html', 'json', 'csv', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What an HTTP response should say it holds. */
export const REPORT_CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  markdown: 'text/markdown; charset=utf-8',
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(model: ReportModel, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(model);
    case 'csv':
      return renderCsv(model);
    case 'markdown':
      return renderMarkdown(model);
    case 'json':
      return renderJsonDocument(reportModelJson(model));
  }
}
