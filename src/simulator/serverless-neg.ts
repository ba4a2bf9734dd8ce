// What the Compute API refuses in a serverless NEG it is asked to create, so clients meet the same 400s locally.

import { badRequest } from './api-error.js';
import type { StoredRecord } from './store.js';

const TARGET_FIELDS = ['cloudRun', 'appEngine', 'cloudFunction', 'serverlessDeployment'] as const;

/**
 * The API field docs: only one of cloudRun, appEngine, cloudFunction or serverlessDeployment may be set; the platform
 * of serverlessDeployment must be provided; its resource "must be provided explicitly or in the urlMask".
 */
export function checkServerlessNeg(record: StoredRecord): void {
  if (record.networkEndpointType !== 'SERVERLESS') return;
  const targets = TARGET_FIELDS.filter((field) => record[field] !== undefined);
  if (targets.length > 1) {
    throw badRequest(
      `Invalid value for field 'resource': only one of ${TARGET_FIELDS.join(', ')} may be set (got ${targets.join(', ')}).`,
    );
  }
  const deployment = record.serverlessDeployment;
  if (deployment === undefined) return;
  const fields =
    typeof deployment === 'object' && deployment !== null ? (deployment as Record<string, unknown>) : {};
  if (!isText(fields.platform)) {
    throw badRequest(
      "Invalid value for field 'resource.serverlessDeployment.platform': ''. The platform must be provided.",
    );
  }
  if (!isText(fields.resource) && !isText(fields.urlMask)) {
    throw badRequest(
      "Invalid value for field 'resource.serverlessDeployment': set resource or urlMask; the target must be " +
        'provided explicitly or in the URL mask.',
    );
  }
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
