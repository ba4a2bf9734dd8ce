// What a scan source yields (estate or live projects), apart from the flags that pick one, so the live source and
// the picker both depend on it rather than on each other.

import type { Baseline } from '../domain/baseline.js';
import type { Inventory } from '../domain/inventory.js';

/** What a scan reads, whatever it comes from. */
export interface ScanInput {
  readonly inventory: Inventory;
  /** Records read, for the progress line. */
  readonly recordCount: number;
  /** Worth telling the user (a v1 NEG export, scopes that could not be read); shown, never fatal. */
  readonly warnings: readonly string[];
  /**
   * Parts of the scope that could not be read (a folder whose children could not be listed, entries of a list that
   * were skipped): what lies beneath them was never judged, so a `--fail-on` gate cannot pass.
   */
  readonly unreadParts?: number;
  /**
   * Projects of a live scan that could not be read at all (a missing permission, Compute switched off), of how many
   * were asked for: the others are judged, and the run exits 2 as a scan of the unreadable one alone would.
   */
  readonly unreadProjects?: { readonly failed: number; readonly of: number };
  /** The approved baseline that came with the input (`baseline.json` beside an estate). */
  readonly baseline?: Baseline | undefined;
}

export interface ScanSubject {
  /** For progress lines: `Loaded 1,234 resources from <label>`. */
  readonly label: string;
  read(): Promise<ScanInput>;
}
