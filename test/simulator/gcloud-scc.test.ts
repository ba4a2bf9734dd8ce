// The Google Cloud CLI (528) as an outside client of the simulator's Security Command Center v2: what Google's own
// client sends for a create, an update, a mute and a list must reach the routes the SCC sink uses, in the same shape.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyInventory } from '../../src/domain/inventory.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { hasGcloud } from '../support/emulators.js';
import { GCLOUD_TIMEOUT_MS } from '../support/gcloud.js';
import { sccCallsOf } from '../support/scc-requests.js';

const run = promisify(execFile);
const GCLOUD = hasGcloud();
const ORG = '123456789012';
const SOURCE_ID = '4242';
const SOURCE = `organizations/${ORG}/sources/${SOURCE_ID}`;
const WHERE = [`--organization=${ORG}`, `--source=${SOURCE_ID}`, '--location=global'];

let simulator: Simulator;
let configDir: string;

async function gcloud(args: readonly string[]): Promise<unknown> {
  const env = {
    ...process.env,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
    CLOUDSDK_API_ENDPOINT_OVERRIDES_SECURITYCENTER: `${simulator.url}/`,
  };
  try {
    const { stdout } = await run('gcloud', [...args, '--format=json'], { env, timeout: GCLOUD_TIMEOUT_MS });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`gcloud ${args.join(' ')} failed: ${failure.stderr ?? failure.message}`);
  }
}

beforeAll(async () => {
  if (!GCLOUD) return;
  configDir = mkdtempSync(join(tmpdir(), 'gatewarden-gcloud-scc-'));
  simulator = await startSimulator({ inventory: emptyInventory(), sccSources: [SOURCE] });
});

afterAll(async () => {
  await simulator?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe.skipIf(!GCLOUD)('gcloud scc findings against the simulator', () => {
  it(
    'create, update, set-mute and list go through, on the paths and masks the SCC sink uses',
    async () => {
      const created = await gcloud([
        'scc',
        'findings',
        'create',
        'gcloudfinding1',
        ...WHERE,
        '--state=ACTIVE',
        '--category=backend.logging-enabled',
        '--event-time=2026-12-04T10:00:00Z',
        '--resource-name=//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs',
        '--source-properties=ruleId=backend.logging-enabled',
      ]);
      expect(created).toMatchObject({
        name: `${SOURCE}/locations/global/findings/gcloudfinding1`,
        state: 'ACTIVE',
        category: 'backend.logging-enabled',
      });
      await gcloud([
        'scc',
        'findings',
        'update',
        'gcloudfinding1',
        ...WHERE,
        '--event-time=2026-12-04T10:05:00Z',
      ]);
      const muted = await gcloud(['scc', 'findings', 'set-mute', 'gcloudfinding1', ...WHERE, '--mute=MUTED']);
      expect(muted).toMatchObject({
        mute: 'MUTED',
        eventTime: expect.stringMatching(/^2026-12-04T10:05:00/),
      });
      const listed = (await gcloud([
        'scc',
        'findings',
        'list',
        ORG,
        `--source=${SOURCE_ID}`,
        '--location=global',
      ])) as {
        finding: { name: string };
      }[];
      expect(listed.map((result) => result.finding.name)).toEqual([
        `${SOURCE}/locations/global/findings/gcloudfinding1`,
      ]);

      const requests = simulator.requests();
      expect(sccCallsOf(requests).map((call) => `${call.kind} ${call.status}`)).toEqual([
        'create 200',
        'update 200',
        'setMute 200',
        'list 200',
      ]);
      // gcloud names the finding ID as a query parameter of the create, and the fields it changes in the mask.
      expect(requests[0]?.query).toMatchObject({ findingId: 'gcloudfinding1' });
      expect(requests[1]?.query).toMatchObject({ updateMask: 'eventTime' });
    },
    GCLOUD_TIMEOUT_MS * 5,
  );
});
