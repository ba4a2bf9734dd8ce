// What one Firestore emulator request costs, by kind (getAll by size, array-contains queries, `in` queries, a
// transaction), over a collection shaped like the snapshots of the pipeline bench. It backs the pipeline section of
// BENCHMARKS.md: the emulator scans the whole collection for each query value; Firestore proper uses an index.
// Run: `tsc -p tsconfig.bench.json && node dist/bench/emulator-costs.js [documents]` (default 2,132).

import { createFirestore } from '../src/adapters/firestore/client.js';
import { documentIdOf } from '../src/adapters/firestore/encoding.js';
import { startFirestoreEmulator } from '../test/support/emulators.js';

const documents = Number(process.argv[2] ?? 2132);
if (!Number.isSafeInteger(documents) || documents < 100) {
  process.stderr.write('usage: emulator-costs [documents, at least 100]\n');
  process.exit(2);
}
const emulator = await startFirestoreEmulator({ ...process.env, FIRESTORE_EMULATOR_HOST: '' });
process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
const db = createFirestore({ projectId: 'emulator-costs' });
try {
  const names = Array.from(
    { length: documents },
    (_, index) => `//compute.googleapis.com/projects/p${index % 52}/global/backendServices/bs-${index}`,
  );
  const key = (index: number) => documentIdOf(names[index % documents] ?? '');
  // About 2 KB of data per document, two references each, and one finding per resource.
  const data = { description: 'x'.repeat(1500), nested: { a: [1, 2, 3], b: 'y'.repeat(500) } };
  for (let start = 0; start < documents; start += 250) {
    const batch = db.batch();
    for (let index = start; index < Math.min(documents, start + 250); index += 1) {
      const references = [names[(index + 1) % documents] ?? '', names[(index + 7) % documents] ?? ''];
      batch.set(db.collection('resources').doc(key(index)), {
        name: names[index],
        data,
        references,
        referenceKeys: references.map(documentIdOf),
        project: `p${index % 52}`,
      });
      batch.set(db.collection('findings').doc(`f-${key(index)}`), {
        resourceKey: key(index),
        evidence: data,
      });
    }
    await batch.commit();
  }
  const resource = (index: number) => db.collection('resources').doc(key(index));
  const keys = (from: number, count: number) =>
    Array.from({ length: count }, (_, offset) => key(from + offset));
  const cases: [string, (index: number) => Promise<unknown>][] = [
    ['getAll, 1 document', (index) => db.getAll(resource(index))],
    [
      'getAll, 30 documents',
      (index) => db.getAll(...keys(index * 30, 30).map((id) => db.doc(`resources/${id}`))),
    ],
    [
      'array-contains, 1 key',
      (index) => db.collection('resources').where('referenceKeys', 'array-contains', key(index)).get(),
    ],
    [
      'array-contains-any, 10 keys',
      (index) =>
        db
          .collection('resources')
          .where('referenceKeys', 'array-contains-any', keys(index * 10, 10))
          .get(),
    ],
    [
      'project == and array-contains-any, 10 keys',
      (index) =>
        db
          .collection('resources')
          .where('project', '==', `p${index % 52}`)
          .where('referenceKeys', 'array-contains-any', keys(index * 10, 10))
          .get(),
    ],
    [
      'findings resourceKey in, 15 keys',
      (index) =>
        db
          .collection('findings')
          .where('resourceKey', 'in', keys(index * 15, 15))
          .get(),
    ],
    [
      'transaction: getAll 2 + set',
      (index) =>
        db.runTransaction(async (tx) => {
          await tx.getAll(resource(index), db.doc(`events/e-${index}`));
          tx.set(db.doc(`events/t-${index}`), { at: index });
        }),
    ],
  ];
  process.stdout.write(`${documents} documents per collection, concurrency 1, mean of 50 after 20 warm-up\n`);
  for (const [label, run] of cases) {
    for (let index = 0; index < 20; index += 1) await run(index);
    const started = performance.now();
    for (let index = 0; index < 50; index += 1) await run(index + 20);
    process.stdout.write(`${label.padEnd(45)} ${((performance.now() - started) / 50).toFixed(1)} ms\n`);
  }
} finally {
  await db.terminate();
  await emulator.stop();
}
