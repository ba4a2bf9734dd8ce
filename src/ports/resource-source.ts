// Port: where resources are read from (live Google APIs, an exported estate, a Terraform plan).

import type { Inventory } from '../domain/inventory.js';
import type { ResourceKind } from '../domain/resource-kind.js';
import type { ResourceRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';

export interface ReadProgress {
  readonly project: string;
  readonly kind: ResourceKind;
  /** Records read so far for this project and kind. */
  readonly count: number;
  readonly done: boolean;
}

export interface ReadOptions {
  readonly onProgress?: (progress: ReadProgress) => void;
}

export interface ResourceSource {
  /** Everything in scope in these projects. Scopes that could not be read are listed in `incomplete`. */
  readInventory(projects: readonly string[], options?: ReadOptions): Promise<Inventory>;
  /** The current state of one resource, or undefined when it does not exist (404 / deleted). */
  readResource(ref: ResourceRef): Promise<ApiRecord | undefined>;
}
