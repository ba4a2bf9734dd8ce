// Where `gatewarden scan` reads from: an exported estate (`--estate DIR`), or live projects (`--project P`).
// The seam the live adapter plugs into: its flags are declared here and resolved to the same ScanSubject.

import type { ParseArgsOptionsConfig } from 'node:util';
import { loadEstate } from '../adapters/estate-files/load-estate.js';
import type { Baseline } from '../domain/baseline.js';
import type { Inventory } from '../domain/inventory.js';
import { type CliIo, UsageError } from './io.js';
import { liveSubject } from './live-source.js';

export const SCAN_SOURCE_OPTIONS = {
  estate: { type: 'string' },
  project: { type: 'string', multiple: true },
  endpoint: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export interface ScanSourceValues {
  readonly estate?: string | undefined;
  readonly project?: readonly string[] | undefined;
  readonly endpoint?: string | undefined;
}

/** What a scan reads, whatever it comes from. */
export interface ScanInput {
  readonly inventory: Inventory;
  /** Records read, for the progress line. */
  readonly recordCount: number;
  /** Worth telling the user (a v1 NEG export, scopes that could not be read); shown, never fatal. */
  readonly warnings: readonly string[];
  /** The approved baseline that came with the input (`baseline.json` beside an estate). */
  readonly baseline?: Baseline | undefined;
}

export interface ScanSubject {
  /** For progress lines: `Loaded 1,234 resources from <label>`. */
  readonly label: string;
  read(): Promise<ScanInput>;
}

/** Picks the source the flags name; bad combinations are a UsageError (exit 2). */
export function resolveScanSource(values: ScanSourceValues, io: CliIo): ScanSubject {
  const projects = values.project ?? [];
  const endpoint = values.endpoint ?? io.env.GATEWARDEN_API_ENDPOINT;
  if (values.estate !== undefined && projects.length > 0) {
    throw new UsageError('give either --estate DIR or --project P, not both');
  }
  if (values.estate !== undefined) {
    if (values.endpoint !== undefined)
      throw new UsageError('--endpoint applies to live scans (--project), not --estate');
    return estateSubject(values.estate);
  }
  if (projects.length > 0) return liveSubject(projects, endpoint, io);
  throw new UsageError('say what to scan: --estate DIR (an exported estate) or --project P (a live project)');
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
