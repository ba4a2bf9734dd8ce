// The last sweep's tree scope on Firestore: `scopes/{hash of root}`, one document rewritten by each tree sweep and
// read by the event path to tell in-scope projects from others without a Resource Manager call.

import type { Firestore } from '@google-cloud/firestore';
import type { SweptScope, SweptScopeStore } from '../../ports/scope-tree.js';
import type { FirestoreStoreOptions } from './collections.js';
import { documentIdOf, isoOf, MAX_DOCUMENT_BYTES, timestampOf } from './encoding.js';

/**
 * Lists are kept as newline-joined text, not arrays: an array is indexed per element and a document may hold at most
 * 40,000 index entries, which a large organisation's project IDs and numbers would pass.
 */
const SEPARATOR = '\n';
/** Room left under the 1 MiB document limit for the other fields. */
const MAX_LIST_BYTES = MAX_DOCUMENT_BYTES - 16 * 1024;

export class FirestoreScopeStore implements SweptScopeStore {
  private readonly collection: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.collection = `${options.collectionPrefix ?? ''}scopes`;
  }

  async load(root: string): Promise<SweptScope | undefined> {
    const snapshot = await this.db.collection(this.collection).doc(documentIdOf(root)).get();
    const data = snapshot.data();
    if (!data || data.root !== root) return undefined;
    return {
      root,
      sweptAt: isoOf(data.sweptAt),
      projects: splitList(data.projects),
      nodes: splitList(data.nodes),
    };
  }

  async save(scope: SweptScope): Promise<void> {
    const nodes = scope.nodes.join(SEPARATOR);
    let projects = scope.projects.join(SEPARATOR);
    // Too many projects to keep: the nodes alone still place any project by one projects.get.
    if (Buffer.byteLength(nodes) + Buffer.byteLength(projects) > MAX_LIST_BYTES) projects = '';
    await this.db
      .collection(this.collection)
      .doc(documentIdOf(scope.root))
      .set({ root: scope.root, sweptAt: timestampOf(scope.sweptAt, 'sweptAt'), projects, nodes });
  }
}

function splitList(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(SEPARATOR) : [];
}
