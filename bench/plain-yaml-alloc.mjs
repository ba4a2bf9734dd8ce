// What reading the generated estate's API-config documents with plain-yaml allocates and keeps, per checkout,
// in-process (issue 14). Run after `npm run build && npx tsc -p tsconfig.bench.json` in each checkout:
//   node --expose-gc --min-semi-space-size=512 --max-semi-space-size=512 bench/plain-yaml-alloc.mjs [--scale 1] [CHECKOUT...]
// (default: this checkout). The large semi-spaces keep V8 from collecting inside a round, so heapUsed across
// readPlainYaml is what it allocated; "kept" is what the values hold after a full GC. Checkouts alternate per round.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
const checkouts = args.filter(
  (arg, index) => !arg.startsWith('--') && (scaleAt < 0 || index !== scaleAt + 1),
);
if (checkouts.length === 0) checkouts.push(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
if (typeof globalThis.gc !== 'function') throw new Error('bench: run with --expose-gc');

const readers = [];
for (const checkout of checkouts) {
  const { readPlainYaml } = await import(resolve(checkout, 'dist/src/domain/plain-yaml.js'));
  readers.push({ checkout, readPlainYaml, values: undefined, allocated: [], kept: [], cpu: [] });
}
const { generateEstate } = await import(resolve(checkouts[0], 'dist/bench/generate-estate.js'));
const documents = generateEstate({ scale }).apiConfig.flatMap((config) =>
  (config.openapiDocuments ?? []).map((document) =>
    Buffer.from(document.document.contents, 'base64').toString('utf8'),
  ),
);
const lines = documents.reduce((sum, text) => sum + text.split('\n').length, 0);
const threadCpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (let round = 0; round < 7; round++) {
  for (const reader of readers) {
    reader.values = undefined;
    // Fresh strings each round, as a scan has them from its JSON.
    const texts = documents.map((text) => JSON.parse(JSON.stringify(text)));
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const cpuBefore = threadCpuMs();
    // Held on the reader until the next round, so the full GC below keeps them.
    reader.values = texts.map((text) => reader.readPlainYaml(text, 128));
    const cpuAfter = threadCpuMs();
    const after = process.memoryUsage().heapUsed;
    globalThis.gc();
    const keptAfter = process.memoryUsage().heapUsed;
    if (reader.values.some((value) => value === undefined))
      throw new Error(`bench: ${reader.checkout} declined a document`);
    if (round > 0) {
      reader.allocated.push((after - before) / 1e6);
      reader.kept.push((keptAfter - before) / 1e6);
      reader.cpu.push(cpuAfter - cpuBefore);
    }
  }
}
console.log(
  `${documents.length} documents, ${lines} lines, scale ${scale}; medians of 6 rounds after a first`,
);
console.log('| checkout | allocated (MB) | kept by the values (MB) | CPU (ms) |\n|---|--:|--:|--:|');
for (const reader of readers) {
  console.log(
    `| ${reader.checkout} | ${median(reader.allocated).toFixed(1)} | ${median(reader.kept).toFixed(1)} | ${median(reader.cpu).toFixed(1)} |`,
  );
}
