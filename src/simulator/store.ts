// The simulator's mutable state: resources by version-free path, operations, and pending stale reads.

import { randomBytes } from 'node:crypto';
import { type Inventory, mappedProjectId } from '../domain/inventory.js';
import { RESOURCE_KINDS } from '../domain/resource-kind.js';
import { parseResourceRef } from '../domain/resource-name.js';
import { canonicaliseLinks } from './links.js';

export type StoredRecord = Record<string, unknown>;

/** `text` matched literally inside a pattern for listChildren (paths hold dots, and names may hold more). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface StaleRead {
  /** What GETs still see; undefined when the resource did not exist before the change. */
  readonly previous: StoredRecord | undefined;
  remaining: number;
}

export interface LoadProblem {
  readonly kind: string;
  readonly reason: string;
}

export class SimulatorStore {
  /** Version-free path (`projects/P/global/backendServices/N`, `projects/P/locations/L/gateways/G`) -> record. */
  private readonly records = new Map<string, StoredRecord>();
  private readonly operations = new Map<string, StoredRecord>();
  private readonly staleReads = new Map<string, StaleRead>();
  /** Project number -> project ID, so paths naming either find the same resources. */
  private readonly projectIds: Readonly<Record<string, string>>;
  readonly problems: LoadProblem[] = [];
  // Paging re-asks the same list once per page: answer from a cache that any change invalidates, so a sweep
  // of 50,000 records is not 100 full scans and sorts per collection.
  private version = 0;
  private readonly listCache = new Map<string, { version: number; result: [string, StoredRecord][] }>();
  private readonly scopeCache = new Map<string, { version: number; scopes: ReadonlySet<string> }>();

  constructor(inventory: Inventory) {
    this.projectIds = inventory.projectIds ?? {};
    for (const kind of RESOURCE_KINDS) {
      for (const record of inventory[kind]) {
        const link = typeof record.selfLink === 'string' ? record.selfLink : record.name;
        const ref = parseResourceRef(link);
        if (!ref) {
          this.problems.push({ kind, reason: `cannot tell which resource ${JSON.stringify(link)} names` });
          continue;
        }
        const path = `projects/${this.projectIdOf(ref.project)}/${ref.path}`;
        this.records.set(path, canonicaliseLinks({ ...record }));
        if (kind === 'apiConfig') this.ensureApiOf(path);
      }
    }
  }

  /** Path with a project number replaced by the project's ID, where the estate knows both. */
  normalisePath(path: string): string {
    const match = path.match(/^projects\/([^/]+)(\/.*)?$/);
    if (!match?.[1]) return path;
    return `projects/${this.projectIdOf(match[1])}${match[2] ?? ''}`;
  }

  projectIdOf(project: string): string {
    return mappedProjectId(this.projectIds, project) ?? project;
  }

  get(path: string): StoredRecord | undefined {
    return this.records.get(path);
  }

  has(path: string): boolean {
    return this.records.has(path);
  }

  /** Records whose parent path is `parent` and collection is `collection`, sorted by path. */
  listChildren(parentPattern: RegExp): readonly [string, StoredRecord][] {
    const key = `${parentPattern.source}/${parentPattern.flags}`;
    const cached = this.listCache.get(key);
    if (cached?.version === this.version) return cached.result;
    const result = [...this.records.entries()].filter(([path]) => parentPattern.test(path)).sort(byPath);
    this.listCache.set(key, { version: this.version, result });
    return result;
  }

  /** The `regions/R` and `zones/Z` scopes holding any resource of a project (cached like lists). */
  scopesOf(project: string): ReadonlySet<string> {
    const cached = this.scopeCache.get(project);
    if (cached?.version === this.version) return cached.scopes;
    const scopes = new Set<string>();
    const prefix = `projects/${project}/`;
    for (const path of this.records.keys()) {
      if (!path.startsWith(prefix)) continue;
      const match = /^(regions|zones)\/[^/]+/.exec(path.slice(prefix.length));
      if (match) scopes.add(match[0]);
    }
    this.scopeCache.set(project, { version: this.version, scopes });
    return scopes;
  }

  /** Stores a change; `staleReadCount` GETs after it still see the previous state (eventual consistency). */
  put(path: string, record: StoredRecord, staleReadCount = 0): void {
    this.rememberPrevious(path, staleReadCount);
    this.records.set(path, record);
    this.version += 1;
  }

  delete(path: string, staleReadCount = 0): void {
    this.rememberPrevious(path, staleReadCount);
    this.records.delete(path);
    this.version += 1;
  }

  /** The state a GET sees: a pending stale read consumes one of its k reads. */
  readForGet(path: string): { record: StoredRecord | undefined; stale: boolean } {
    const stale = this.staleReads.get(path);
    if (stale && stale.remaining > 0) {
      stale.remaining -= 1;
      if (stale.remaining === 0) this.staleReads.delete(path);
      return { record: stale.previous, stale: true };
    }
    return { record: this.records.get(path), stale: false };
  }

  putOperation(path: string, operation: StoredRecord): void {
    this.operations.set(path, operation);
  }

  getOperation(path: string): StoredRecord | undefined {
    return this.operations.get(path);
  }

  /** Every stored resource, for `GET /__simulator/state` and tests. */
  snapshot(): Record<string, StoredRecord> {
    return Object.fromEntries([...this.records.entries()].sort(byPath));
  }

  get size(): number {
    return this.records.size;
  }

  private rememberPrevious(path: string, staleReadCount: number): void {
    if (staleReadCount <= 0) return;
    const pending = this.staleReads.get(path);
    // A second change while reads are still stale keeps the oldest state: that is what lagging replicas hold.
    const previous = pending ? pending.previous : this.records.get(path);
    this.staleReads.set(path, { previous, remaining: staleReadCount });
  }

  private ensureApiOf(configPath: string): void {
    const apiPath = configPath.replace(/\/configs\/[^/]+$/, '');
    if (this.records.has(apiPath)) return;
    const [, project, , , , apiId] = apiPath.split('/');
    this.version += 1;
    this.records.set(apiPath, {
      name: apiPath,
      displayName: apiId,
      managedService: `${apiId}-${randomBytes(6).toString('hex')}.apigateway.${project}.cloud.goog`,
      state: 'ACTIVE',
      createTime: '2026-05-01T09:00:00Z',
      updateTime: '2026-05-01T09:00:00Z',
    });
  }
}

function byPath(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export function newFingerprint(): string {
  return randomBytes(8).toString('base64');
}

/** A uint64 resource ID, as a decimal string like the APIs send. */
export function newNumericId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 1n).toString();
}
