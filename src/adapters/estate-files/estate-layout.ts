// The estate directory (DESIGN.md §7): which gcloud export each file holds, and what names its records.

import {
  RESOURCE_KIND_DESCRIPTORS,
  type ResourceKind,
  type ResourceKindDescriptor,
} from '../../domain/resource-kind.js';

export interface EstateFile {
  readonly file: string;
  readonly kind: ResourceKind;
  /** Compute records are named by `selfLink` (and carry `name`); API Gateway records by `name` alone. */
  readonly service: 'compute' | 'apigateway';
  /** What the file should be made with, for error messages. */
  readonly exportedWith: string;
  /** How a record of this kind is called in messages. */
  readonly label: string;
  /** The collection segment of its records' links (`backendServices`), the one KIND_BY_COLLECTION maps to `kind`. */
  readonly collection: string;
}

/** One file per kind, as the kind's descriptor names it. */
export function estateFilesOf(descriptors: readonly ResourceKindDescriptor[]): EstateFile[] {
  return descriptors.map((descriptor) => ({
    file: descriptor.estateFile,
    kind: descriptor.kind,
    service: descriptor.service,
    exportedWith: descriptor.exportedWith,
    label: descriptor.label,
    collection: descriptor.collection,
  }));
}

export const ESTATE_FILES: readonly EstateFile[] = estateFilesOf(RESOURCE_KIND_DESCRIPTORS);

/** Optional: `gcloud projects describe P --format=json` (one object) or `gcloud projects list --format=json`. */
export const PROJECTS_FILE = 'projects.json';

/** Optional: `gcloud resource-manager folders list --folder=F --format=json` (or `--organization=O`), concatenated. */
export const FOLDERS_FILE = 'folders.json';

/** Optional: written by `gatewarden baseline save`. */
export const BASELINE_FILE = 'baseline.json';
