// What the built entry module loads at cold start, and what the first invocation adds (module lists, not timings).

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../e2e/local-stack.js';

interface LoadReport {
  readonly googleapisIndex: boolean;
  readonly googleapisFiles: readonly string[];
  readonly firestore: boolean;
  readonly pubsub: boolean;
}

/** Imports the built entry module (and optionally composes its adapters) in a fresh Node, recording every module. */
function loadInFreshProcess(compose: boolean): LoadReport {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); loaded.push(found.url); return found; } });
    await import(${JSON.stringify(`${REPO_ROOT}/dist/functions/index.js`)});
    if (${compose}) {
      const { composeFromEnvironment } = await import(${JSON.stringify(`${REPO_ROOT}/dist/functions/compose.js`)});
      await composeFromEnvironment({
        env: { GOOGLE_CLOUD_PROJECT: 'acme-sec', GATEWARDEN_API_ENDPOINT: 'http://127.0.0.1:9', GATEWARDEN_ALERT_TOPIC: 'projects/acme-sec/topics/alerts' },
        log: { info() {}, warn() {}, error() {} },
      });
    }
    const googleapis = loaded.filter((url) => url.includes('/node_modules/googleapis/'));
    process.stdout.write(JSON.stringify({
      googleapisIndex: googleapis.some((url) => url.endsWith('/googleapis/build/src/index.js')),
      googleapisFiles: googleapis.map((url) => url.replace(/^.*\\/node_modules\\/googleapis\\//, '')),
      firestore: loaded.some((url) => url.includes('/node_modules/@google-cloud/firestore/')),
      pubsub: loaded.some((url) => url.includes('/node_modules/@google-cloud/pubsub/')),
    }));
  `;
  // The Node the project pins (v24: module.registerHooks), not whatever is first on PATH.
  const node = `${REPO_ROOT}/node_modules/.bin/node`;
  const run = spawnSync(node, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  if (run.status !== 0) throw new Error(`node exited with ${run.status}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as LoadReport;
}

describe('cold start of dist/functions/index.js', () => {
  test('loading the entry module loads no Google client at all', () => {
    expect(loadInFreshProcess(false)).toEqual({
      googleapisIndex: false,
      googleapisFiles: [],
      firestore: false,
      pubsub: false,
    });
  });

  test('the first invocation adds Firestore, Pub/Sub and only the compute and apigateway modules of googleapis', () => {
    const report = loadInFreshProcess(true);
    expect(report.googleapisIndex).toBe(false);
    expect([...report.googleapisFiles].sort()).toEqual([
      'build/src/apis/apigateway/v1.js',
      'build/src/apis/compute/beta.js',
      'build/src/apis/compute/v1.js',
    ]);
    expect(report).toMatchObject({ firestore: true, pubsub: true });
  });
});
