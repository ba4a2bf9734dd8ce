// Sweep findings against `gatewarden scan --estate` findings of the same records: the sweep-memory bench prints this
// comparison and the sweep-vs-scan stack test asserts it, so a leaner sweep path is known to judge exactly as a scan.

import { type Finding, findingIdOf } from '../src/domain/finding.js';

/** A finding as `scan --format json` prints it (DESIGN.md §6). */
export interface ScannedFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly resource: string;
  readonly subKey: string | null;
  readonly message: string;
  readonly state: string;
}

export interface FindingsComparison {
  readonly swept: number;
  readonly scanned: number;
  /** Finding IDs the scan reported and the sweep did not store (first few). */
  readonly onlyInScan: readonly string[];
  readonly onlyInSweep: readonly string[];
  /** Same ID, another state or severity: `id: sweep state/severity vs scan state/severity`. */
  readonly statusDiffers: readonly string[];
  /** Same ID and status, another message (informative: messages are not part of a finding's identity). */
  readonly messageDiffers: readonly string[];
  readonly same: boolean;
}

const SHOWN = 5;

/** Compares by finding ID (rule, resource, sub-key) and then state and severity. */
export function compareFindings(
  swept: readonly Finding[],
  scanned: readonly ScannedFinding[],
): FindingsComparison {
  const sweptById = new Map(swept.map((finding) => [finding.id, finding]));
  const scannedById = new Map(
    scanned.map((finding) => [findingIdOf(finding.ruleId, finding.resource, finding.subKey), finding]),
  );
  const onlyInScan = [...scannedById.keys()].filter((id) => !sweptById.has(id));
  const onlyInSweep = [...sweptById.keys()].filter((id) => !scannedById.has(id));
  const statusDiffers: string[] = [];
  const messageDiffers: string[] = [];
  for (const [id, scan] of scannedById) {
    const sweep = sweptById.get(id);
    if (!sweep) continue;
    if (sweep.state !== scan.state || sweep.severity !== scan.severity) {
      statusDiffers.push(`${id}: ${sweep.state}/${sweep.severity} vs ${scan.state}/${scan.severity}`);
    } else if (sweep.message !== scan.message) {
      messageDiffers.push(id);
    }
  }
  return {
    swept: sweptById.size,
    scanned: scannedById.size,
    onlyInScan,
    onlyInSweep,
    statusDiffers,
    messageDiffers,
    same:
      onlyInScan.length === 0 &&
      onlyInSweep.length === 0 &&
      statusDiffers.length === 0 &&
      swept.length === sweptById.size &&
      scanned.length === scannedById.size,
  };
}

/** One line: the counts and, when they differ, the first few differences. */
export function describeComparison(comparison: FindingsComparison): string {
  const parts = [
    `${comparison.swept.toLocaleString('en')} swept vs ${comparison.scanned.toLocaleString('en')} scanned`,
    comparison.same ? 'same IDs, rules, resources and states' : 'DIFFERENT',
  ];
  const list = (label: string, ids: readonly string[]) => {
    if (ids.length > 0) parts.push(`${label} ${ids.length} (${ids.slice(0, SHOWN).join(', ')})`);
  };
  list('only in scan', comparison.onlyInScan);
  list('only in sweep', comparison.onlyInSweep);
  list('state/severity differs', comparison.statusDiffers);
  list('message differs', comparison.messageDiffers);
  return parts.join('; ');
}
