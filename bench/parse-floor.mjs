// The floor for `gatewarden scan --estate DIR` (issue 14): only reads and JSON.parses every file of the estate.
// Usage: node bench/parse-floor.mjs DIR   (time it with /usr/bin/time -v beside the scan, in the same run)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let records = 0;
for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
  const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  records += Array.isArray(parsed) ? parsed.length : 1;
}
process.stdout.write(`${records} records\n`);
