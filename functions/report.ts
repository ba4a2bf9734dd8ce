// Entry point report: GET with filters -> the stored-report use case -> the report in the asked format, or a JSON error.

import type { Request, Response } from '@google-cloud/functions-framework';
import { parseReportQuery } from '../src/app/report-query.js';
import { buildStoredReport, renderStoredReportJson, type StoredReport } from '../src/app/stored-report.js';
import { describeError, isRetryable } from '../src/domain/failure.js';
import type { Clock } from '../src/ports/clock.js';
import type { FindingQueries } from '../src/ports/finding-queries.js';
import type { Logger } from '../src/ports/logger.js';
import { REPORT_CSP } from '../src/report/html.js';
import { REPORT_CONTENT_TYPES, renderReport } from '../src/report/render-report.js';
import type { Rule } from '../src/rules/define-rule.js';

export interface ReportDeps {
  readonly findings: FindingQueries;
  readonly rules: readonly Rule[];
  readonly clock: Clock;
  readonly log: Logger;
}

export async function report(
  request: Request,
  response: Response,
  getDeps: () => Promise<ReportDeps>,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.set('allow', 'GET, HEAD');
    sendJson(response, 405, { error: `method ${request.method} is not allowed; use GET` });
    return;
  }
  const query = parseReportQuery(request.query as Record<string, unknown>);
  if ('problem' in query) {
    sendJson(response, query.status, { error: query.problem });
    return;
  }
  const deps = await getDeps();
  let built: StoredReport;
  try {
    built = await buildStoredReport(deps.findings, query.filters, {
      rules: deps.rules,
      now: deps.clock.now(),
    });
  } catch (error) {
    deps.log.error('report query failed', { error: describeError(error) });
    sendJson(response, isRetryable(error) ? 503 : 500, { error: 'findings could not be read; try again' });
    return;
  }
  const body =
    query.format === 'json'
      ? renderStoredReportJson(built, query.filters)
      : renderReport(built.model, query.format);
  response
    .status(200)
    .set('content-type', REPORT_CONTENT_TYPES[query.format])
    .set('x-content-type-options', 'nosniff')
    // The HTML carries no script and needs none; the policy makes sure estate text could not add any.
    .set('content-security-policy', query.format === 'html' ? REPORT_CSP : "default-src 'none'")
    // Findings are confidential: no shared cache may keep them.
    .set('cache-control', 'private, no-store')
    .send(body);
}

function sendJson(response: Response, status: number, body: unknown): void {
  response
    .status(status)
    .set('content-type', 'application/json; charset=utf-8')
    .send(`${JSON.stringify(body, null, 2)}\n`);
}
