// A project swept through the function path stores exactly the findings `gatewarden scan --estate` reports on the
// same records (issue 14): a generated one-project estate served by the simulator, swept by onSweep under the real
// Functions Framework into the Firestore emulator, and the same records scanned by the built binary.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compareFindings, type ScannedFinding } from '../../bench/findings-comparison.js';
import { generateEstate, ONE_PROJECT, writeEstate } from '../../bench/generate-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { pushSweep, REPO_ROOT, type ServedFunction, serveFunction } from '../e2e/local-stack.js';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.js';

const HOST_PROJECT = `gw-sweep-scan-${randomBytes(4).toString('hex')}`;
/** Two blocks of the generated estate in one project: every rule's cases, ~2,200 records. */
const SCALE = 0.04;
const run = promisify(execFile);

let firestoreEmulator: Emulator;
let simulator: Simulator;
let onSweep: ServedFunction;
let db: Firestore;
let dir: string;

beforeAll(async () => {
  firestoreEmulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: HOST_PROJECT });
  const inventory = generateEstate({ scale: SCALE, oneProject: true });
  dir = mkdtempSync(join(tmpdir(), 'gatewarden-sweep-scan-'));
  writeEstate(inventory, join(dir, 'estate'));
  simulator = await startSimulator({ inventory });
  onSweep = await serveFunction('onSweep', 'cloudevent', {
    GOOGLE_CLOUD_PROJECT: HOST_PROJECT,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_SWEEP_PROJECTS: ONE_PROJECT,
  });
}, 120_000);

afterAll(async () => {
  await onSweep?.stop();
  await simulator?.close();
  await db?.terminate();
  await firestoreEmulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('the findings a sweep stores are those scan --estate reports, with the same states and messages', async () => {
  const finished = await pushSweep(onSweep, `projects/${HOST_PROJECT}/topics/gatewarden-sweep`, {
    projects: [ONE_PROJECT],
  });
  expect(finished?.failedProjects).toEqual([]);
  const out = join(dir, 'scan.json');
  await run(
    process.execPath,
    ['bin/gatewarden.js', 'scan', '--estate', join(dir, 'estate'), '--format', 'json', '--out', out],
    { cwd: REPO_ROOT },
  );
  const scanned = (JSON.parse(readFileSync(out, 'utf8')) as { findings: ScannedFinding[] }).findings;
  const swept = await createFirestoreStores(db).findings.query({
    project: ONE_PROJECT,
    states: ['open', 'muted', 'undetermined'],
  });

  const comparison = compareFindings(swept, scanned);
  expect(comparison).toMatchObject({
    onlyInScan: [],
    onlyInSweep: [],
    statusDiffers: [],
    messageDiffers: [],
  });
  expect(comparison.same).toBe(true);
  // Enough findings, of enough rules, for the comparison to mean something.
  expect(comparison.swept).toBeGreaterThan(300);
  expect(new Set(swept.map((finding) => finding.ruleId)).size).toBeGreaterThan(10);
  expect(Number(finished?.failing)).toBe(scanned.length);
}, 300_000);
