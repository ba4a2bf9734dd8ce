// Cold start of the functions: import time and RSS of the built entry module, of its first-invocation composition,
// and of the floor (googleapis compute + apigateway modules) and the whole googleapis package, each in a fresh Node.
// Run after `npm run build`: node_modules/.bin/node bench/cold-start.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const googleapis = `${root}node_modules/googleapis/build/src`;
const TARGETS = {
  floor: `await import('${googleapis}/apis/compute/v1.js'); await import('${googleapis}/apis/compute/beta.js'); await import('${googleapis}/apis/apigateway/v1.js');`,
  'whole googleapis': `await import('${googleapis}/index.js');`,
  'entry module': `await import('${root}dist/functions/index.js');`,
  'entry + first invocation': `await import('${root}dist/functions/index.js');
    const { composeFromEnvironment } = await import('${root}dist/functions/compose.js');
    await composeFromEnvironment({ env: { GOOGLE_CLOUD_PROJECT: 'acme-sec', GATEWARDEN_API_ENDPOINT: 'http://127.0.0.1:9',
      GATEWARDEN_ALERT_TOPIC: 'projects/acme-sec/topics/alerts' }, log: { info() {}, warn() {}, error() {} } });`,
};
const runs = Number(process.argv[2] ?? 5);

const results = {};
for (let run = 0; run < runs; run += 1) {
  // Interleaved, so a busy moment on a shared machine hits every target alike.
  for (const [name, body] of Object.entries(TARGETS)) {
    const script = `const t0 = performance.now(); ${body}
      process.stdout.write(JSON.stringify({ ms: performance.now() - t0, rss: process.memoryUsage().rss / 1048576 }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
    const sample = JSON.parse(child.stdout);
    results[name] = [...(results[name] ?? []), sample];
  }
}
const floor = results.floor;
for (const [name, samples] of Object.entries(results)) {
  const ms = median(samples.map((sample) => sample.ms));
  const rss = median(samples.map((sample) => sample.rss));
  const ratio = `${(ms / median(floor.map((s) => s.ms))).toFixed(2)}x time, ${(rss / median(floor.map((s) => s.rss))).toFixed(2)}x RSS`;
  console.log(
    `${name.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms ${rss.toFixed(0).padStart(5)} MB  (${ratio} of the floor)`,
  );
}
