// Where a scan's wall time goes (issue 14), seen from outside: `gatewarden scan --estate DIR --format json --out F`
// as a child process, each line of its stderr stamped as it arrives, interleaved across checkouts, medians.
// Run: node bench/scan-timeline.mjs --dir DIR [--runs 11] [--other CHECKOUT]...   (after npm run build)
// Columns (ms from spawn): the first read (the "Loaded" line's time less the duration it states: Node's start, the
// worker's boot and imports), "Loaded", "Judged", "Wrote" (report written, fsync'd and renamed), and the child's
// close; then the phases between them. Wall times only: on a shared machine, read them beside the load average.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkoutArgs } from './checkout-args.mjs';
import { median } from './median.mjs';

const { dir, runs, checkouts } = checkoutArgs(11);
const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-scan-timeline-'));

/** One scan: the time each progress line arrived, the durations the lines state, and the close. */
function once(checkout, index) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const args = ['scan', '--estate', dir, '--format', 'json', '--out', join(scratch, `${index}.json`)];
    const child = spawn(process.execPath, [join(checkout, 'bin/gatewarden.js'), ...args]);
    const stamps = {};
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      const at = performance.now() - start;
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^(Loaded|Judged|Wrote) .*?(?: in ([\d,]+) ms)?$/.exec(line);
        if (match) {
          stamps[match[1]] = at;
          if (match[2]) stamps[`${match[1]} took`] = Number(match[2].replaceAll(',', ''));
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${checkout}: exit ${code}`));
      else resolve({ ...stamps, close: performance.now() - start });
    });
  });
}

const loadBefore = loadavg()[0];
const samples = new Map(checkouts.map((checkout) => [checkout, []]));
for (const [index, checkout] of checkouts.entries()) await once(checkout, index); // page cache, not measured
for (let run = 0; run < runs; run++) {
  for (const [index, checkout] of checkouts.entries())
    samples.get(checkout).push(await once(checkout, index));
}
rmSync(scratch, { recursive: true, force: true });

const lines = [
  `Estate ${dir}; Node ${process.version}; ${runs} runs each, interleaved, medians (ms from spawn).`,
  `Load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after.`,
  '',
  '| checkout | first read | loaded | judged | wrote | closed | loading | judging | writing | exit |',
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
];
for (const [checkout, list] of samples) {
  const of = (pick) => Math.round(median(list.map(pick)));
  lines.push(
    `| ${checkout} | ${of((s) => s.Loaded - s['Loaded took'])} | ${of((s) => s.Loaded)} | ${of((s) => s.Judged)} | ` +
      `${of((s) => s.Wrote)} | ${of((s) => s.close)} | ${of((s) => s['Loaded took'])} | ${of((s) => s['Judged took'])} | ` +
      `${of((s) => s.Wrote - s.Judged)} | ${of((s) => s.close - s.Wrote)} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
