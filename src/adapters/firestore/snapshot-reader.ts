// Snapshots read from Firestore: `resources/{hash of the full name}`, with references queried by `array-contains`,
// and `resourceIndex/{same hash}` beside it (the names listed as pointing at the resource). Written only by the
// judgement commit (judgement-store.ts).

import type { ResourceSnapshot, SnapshotReader, SnapshotsWithLists } from '../../ports/snapshots.js';
import { decodeSnapshot, storedStateOf } from './codecs.js';
import { type Collections, INDEX, RESOURCES } from './collections.js';
import { chunksOf, documentIdOf } from './encoding.js';

/** Keeps one getAll well inside Firestore's 10 MiB request limit for typical API records. */
const CHUNK = 300;

export class FirestoreSnapshotReader implements SnapshotReader {
  constructor(private readonly collections: Collections) {}

  async get(names: readonly string[]): Promise<ResourceSnapshot[]> {
    return (await this.getWithLists(names, [])).snapshots;
  }

  async getWithLists(names: readonly string[], listsOf: readonly string[]): Promise<SnapshotsWithLists> {
    const { found, lists } = await this.read([...new Set(names)], [...new Set(listsOf)]);
    const snapshots = names.flatMap((name) => {
      const snapshot = found.get(name);
      return snapshot ? [snapshot] : [];
    });
    return { snapshots, lists };
  }

  async referrersOf(names: readonly string[]): Promise<ResourceSnapshot[]> {
    const wanted = new Set(names);
    const keys = [...new Set(names.map((name) => documentIdOf(name)))];
    const found = new Map<string, ResourceSnapshot>();
    // Hashes, not names: Firestore indexes only the first 1,500 bytes of a value, and names can be longer.
    // `array-contains-any` takes at most 30 values, so one query answers a whole level of the spread.
    const answers = await Promise.all(
      chunksOf(keys, 30).map((chunk) =>
        this.collections.resources().where('referenceKeys', 'array-contains-any', chunk).get(),
      ),
    );
    for (const doc of answers.flatMap((answer) => answer.docs)) {
      const resource = decodeSnapshot(doc.data());
      if (!resource.deleted && resource.references.some((reference) => wanted.has(reference))) {
        found.set(resource.name, resource);
      }
    }
    return [...found.values()];
  }

  async namesOfProject(project: string): Promise<string[]> {
    // A projection: the documents' data (a copy of each API record) never leaves Firestore.
    const snapshot = await this.collections
      .resources()
      .where('project', '==', project)
      .where('deleted', '==', false)
      .select('name')
      .get();
    return snapshot.docs.map((doc) => String(doc.get('name')));
  }

  /**
   * Each snapshot with the referrers listed beside it, in one getAll per 150 names (300 documents); the lists of
   * `points` ride with the first.
   */
  private async read(
    names: readonly string[],
    points: readonly string[],
  ): Promise<{ found: Map<string, ResourceSnapshot>; lists: Map<string, readonly string[]> }> {
    const found = new Map<string, ResourceSnapshot>();
    const lists = new Map<string, readonly string[]>();
    const chunks = chunksOf(names, CHUNK / 2);
    if (chunks.length === 0 && points.length > 0) chunks.push([]);
    for (const [chunkIndex, chunk] of chunks.entries()) {
      const withPoints = chunkIndex === 0 ? points : [];
      const docs = await this.collections.db.getAll(
        ...chunk.flatMap((name) => [
          this.collections.resource(RESOURCES, name),
          this.collections.resource(INDEX, name),
        ]),
        ...withPoints.map((point) => this.collections.resource(INDEX, point)),
      );
      for (let index = 0; index < chunk.length; index += 1) {
        const data = docs[2 * index]?.data();
        if (storedStateOf(data) && data) {
          found.set(String(data.name), decodeSnapshot(data, docs[2 * index + 1]?.data()));
        }
      }
      for (const [index, point] of withPoints.entries()) {
        const listed = docs[2 * chunk.length + index]?.data()?.referrers as unknown[] | undefined;
        if (listed && listed.length > 0) lists.set(point, listed.map(String));
      }
    }
    return { found, lists };
  }
}
