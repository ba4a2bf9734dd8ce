// Where `gatewarden scan` reads from: an exported estate (`--estate DIR`), or live projects (`--project P`, or every
// project beneath `--organization O` / `--folder F`).
// The seam the live adapter plugs into: its flags are declared here and resolved to the same ScanSubject.

import type { ParseArgsOptionsConfig } from 'node:util';
import { loadEstate } from '../adapters/estate-files/load-estate.js';
import { type CliIo, UsageError } from './io.js';
import { liveSubject, liveTreeSubject } from './live-source.js';
import type { ScanSubject } from './scan-subject.js';

export const SCAN_SOURCE_OPTIONS = {
  estate: { type: 'string' },
  project: { type: 'string', multiple: true },
  organization: { type: 'string' },
  folder: { type: 'string' },
  endpoint: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export interface ScanSourceValues {
  readonly estate?: string | undefined;
  readonly project?: readonly string[] | undefined;
  readonly organization?: string | undefined;
  readonly folder?: string | undefined;
  readonly endpoint?: string | undefined;
}

/** Picks the source the flags name; bad combinations are a UsageError (exit 2). */
export function resolveScanSource(values: ScanSourceValues, io: CliIo): ScanSubject {
  const projects = values.project ?? [];
  const endpoint = values.endpoint ?? io.env.GATEWARDEN_API_ENDPOINT;
  const named = [
    values.estate !== undefined ? '--estate' : '',
    projects.length > 0 ? '--project' : '',
    values.organization !== undefined ? '--organization' : '',
    values.folder !== undefined ? '--folder' : '',
  ].filter(Boolean);
  if (named.length > 1) throw new UsageError(`give one of ${named.join(', ')}, not several`);
  if (values.organization !== undefined) {
    return liveTreeSubject(treeRoot('--organization', 'organizations', values.organization), endpoint, io);
  }
  if (values.folder !== undefined) {
    return liveTreeSubject(treeRoot('--folder', 'folders', values.folder), endpoint, io);
  }
  if (values.estate !== undefined) {
    if (values.endpoint !== undefined)
      throw new UsageError(
        '--endpoint applies to live scans (--project, --organization, --folder), not --estate',
      );
    return estateSubject(values.estate);
  }
  if (projects.length > 0) return liveSubject(projects, endpoint, io);
  throw new UsageError(
    'say what to scan: --estate DIR (an exported estate), --project P (a live project), or --organization O / --folder F (every project beneath)',
  );
}

/** `123` or `organizations/123` (likewise folders) as the node's name. */
function treeRoot(flag: string, collection: 'organizations' | 'folders', value: string): string {
  const id = value.startsWith(`${collection}/`) ? value.slice(collection.length + 1) : value;
  if (!/^\d{1,20}$/.test(id)) {
    throw new UsageError(
      `${flag} must be a numeric ID or ${collection}/ID, got ${JSON.stringify(value.slice(0, 60))}`,
    );
  }
  return `${collection}/${id}`;
}

function estateSubject(dir: string): ScanSubject {
  if (dir.trim() === '') throw new UsageError('--estate needs a directory');
  return {
    label: dir,
    async read() {
      const estate = await loadEstate(dir);
      return {
        inventory: estate.inventory,
        recordCount: estate.recordCount,
        warnings: estate.warnings,
        baseline: estate.baseline,
      };
    },
  };
}
