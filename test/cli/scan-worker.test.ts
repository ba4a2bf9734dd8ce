// A large estate's scan runs in a worker thread (src/cli/run-in-worker.ts): what it prints, where, and its exit code
// must be what the same command prints in this thread. Runs the built modules (dist/), as the binary does.

import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEstate, writeEstate } from '../../bench/generate-estate.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Inventory } from '../../src/domain/inventory.js';

const built = async <T>(path: string): Promise<T> =>
  (await import(pathToFileURL(resolve('dist/src/cli', path)).href)) as T;
const { runCli } = await built<typeof import('../../src/cli/main.js')>('main.js');
const { analyseAheadFor, runCliInWorker } =
  await built<typeof import('../../src/cli/run-in-worker.js')>('run-in-worker.js');

const SIZING = { maxYoungGenerationSizeMb: 24 };
const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-scan-worker-'));
const generated = join(scratch, 'generated');
writeEstate(generateEstate({ scale: 0.02, seed: 14 }), generated);
// The same estate with hostile API configs: the main thread analyses them ahead for the worker (api-configs-ahead.ts).
const hostile = join(scratch, 'hostile-configs');
writeEstate(withHostileConfigs(generateEstate({ scale: 0.02, seed: 14 })), hostile);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each config's documents replaced by one of these (undecodable, not OpenAPI, $ref across documents, aliases). */
function withHostileConfigs(estate: Inventory): Inventory {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const info = 'info: { title: t, version: "1" }';
  const documents: readonly (readonly { path?: string; contents?: unknown }[])[] = [
    [{ path: 'openapi.yaml', contents: 'not base64!' }],
    [{ path: 'openapi.yaml', contents: b64('just: text: with: colons') }],
    [
      {
        path: 'openapi.yaml',
        contents: b64(`swagger: "2.0"\n${info}\npaths:\n  /a:\n    $ref: "other.yaml#/x"\n`),
      },
      { path: './other.yaml', contents: b64(`swagger: "2.0"\n${info}\nx: { get: {} }\n`) },
    ],
    [{ path: 'openapi.yaml', contents: b64('a: &a [1, 1]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n') }],
    [
      {
        contents: b64(
          `swagger: "2.0"\n${info}\nx-google-allow: all\npaths: { /b: { get: { security: [ {} ] } } }\n`,
        ),
      },
    ],
    [],
  ];
  const apiConfig = estate.apiConfig.map((config, index) => ({
    ...config,
    openapiDocuments: (documents[index % documents.length] ?? []).map((document) => ({ document })),
  }));
  // Each gateway serves one of them in turn, so that every kind of document is judged.
  const gateway = estate.gateway.map((record, index) => ({
    ...record,
    apiConfig: apiConfig[index % apiConfig.length]?.name,
  }));
  return { ...estate, apiConfig, gateway } as Inventory;
}

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function capture(
  run: (io: CliIo) => Promise<number>,
  options: { readonly stdoutIsTTY?: boolean } = {},
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run({
    stdout: { write: (text: string) => (stdout += text), ...(options.stdoutIsTTY ? { isTTY: true } : {}) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  // The scan time and the phases' durations differ between two runs; nothing else may.
  const steady = (text: string) =>
    text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>').replace(/ in [\d,]+ ms/g, ' in # ms');
  return { code, stdout: steady(stdout), stderr: steady(stderr) };
}

const inThread = (argv: readonly string[], options?: { stdoutIsTTY?: boolean }) =>
  capture((io) => runCli(argv, io), options);
const inWorker = (argv: readonly string[], options?: { stdoutIsTTY?: boolean }) =>
  capture((io) => runCliInWorker(argv, io, SIZING, undefined, true), options);

describe('a command run in a worker thread prints and exits as in this thread', () => {
  const RUNS: readonly (readonly [string, readonly string[]])[] = [
    ['examples as a table', ['scan', '--estate', 'examples/acme-edge']],
    ['the generated estate as JSON', ['scan', '--estate', generated, '--format', 'json']],
    ['hostile API configs as JSON', ['scan', '--estate', hostile, '--format', 'json']],
    ['the generated estate as SARIF', ['scan', '--estate', generated, '--format', 'sarif']],
    ['the generated estate as CSV', ['scan', '--estate', generated, '--format', 'csv']],
    ['with a policy', ['scan', '--estate', 'examples/acme-edge', '--policy', 'examples/policy.yaml']],
    ['a gate that fails (exit 1)', ['scan', '--estate', generated, '--format', 'json', '--fail-on', 'HIGH']],
    ['bad input (exit 2, one line)', ['scan', '--estate', generated, '--format', 'yaml']],
    ['a directory that is not an estate (exit 2)', ['scan', '--estate', scratch]],
    ['--help', ['scan', '--help']],
  ];
  for (const [label, argv] of RUNS) {
    it(label, async () => {
      const expected = await inThread(argv);
      expect(expected.stdout.length + expected.stderr.length).toBeGreaterThan(0);
      expect(await inWorker(argv)).toEqual(expected);
    });
  }

  it('the hostile API configs are judged, not refused: their reasons are in the report', async () => {
    const { code, stdout } = await inWorker(['scan', '--estate', hostile, '--format', 'json']);
    expect(code).toBe(0);
    expect(stdout).toContain('contents are not valid base64');
    expect(stdout).toContain('is not an OpenAPI document');
    expect(stdout).toContain('x-google-allow: all');
  });

  it('a terminal on stdout: the colour table, escaped as in this thread', async () => {
    const argv = ['scan', '--estate', 'examples/acme-edge'];
    const expected = await inThread(argv, { stdoutIsTTY: true });
    expect(expected.stdout).toContain('\u001b[');
    expect(await inWorker(argv, { stdoutIsTTY: true })).toEqual(expected);
  });

  it('--out: the same file and the same lines on stderr', async () => {
    const run = async (scan: typeof inThread, out: string) => {
      const captured = await scan([
        'scan',
        '--estate',
        generated,
        '--format',
        'sarif',
        '--out',
        join(scratch, out),
      ]);
      return {
        ...captured,
        stderr: captured.stderr.replace(out, '<out>'),
        file: readFileSync(join(scratch, out), 'utf8'),
      };
    };
    const expected = await run(inThread, 'in-thread.sarif');
    expect(expected.stderr).toContain('Wrote ');
    expect(await run(inWorker, 'in-worker.sarif')).toEqual(expected);
  });
});

describe('a helper analyses the API configs ahead only when asked', () => {
  it('GATEWARDEN_ANALYSE_AHEAD=1 asks; anything else, or nothing, does not', () => {
    expect(analyseAheadFor({ GATEWARDEN_ANALYSE_AHEAD: '1' })).toBe(true);
    expect(analyseAheadFor({ GATEWARDEN_ANALYSE_AHEAD: '0' })).toBe(false);
    expect(analyseAheadFor({ GATEWARDEN_ANALYSE_AHEAD: 'yes' })).toBe(false);
    expect(analyseAheadFor({})).toBe(false);
  });

  it('without it, the worker prints the same report on hostile configs', async () => {
    const argv = ['scan', '--estate', hostile, '--format', 'json'];
    const without = await capture((io) => runCliInWorker(argv, io, SIZING, undefined, false));
    expect(without).toEqual(await inWorker(argv));
  });
});

describe('the helper thread (api-configs-worker.ts)', () => {
  const received = (port: MessagePort): unknown[] => {
    const all: unknown[] = [];
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
      all.push(...(message.message as unknown[]));
    }
    return all;
  };

  it('every analysis arrives, also those posted just before the helper ended', async () => {
    const { startAheadHelper } =
      await built<typeof import('../../src/cli/run-in-worker.js')>('run-in-worker.js');
    const { ANALYSES_BY_CONTENT, analyseKeyed } = (await import(
      pathToFileURL(resolve('dist/src/domain/api-config-auth.js')).href
    )) as typeof import('../../src/domain/api-config-auth.js');
    const { port1, port2 } = new MessageChannel();
    const helper = startAheadHelper(generated, port1);
    expect(await once(helper, 'exit')).toEqual([0]);
    ANALYSES_BY_CONTENT.clear();
    const configs = JSON.parse(readFileSync(join(generated, 'api-configs.json'), 'utf8')) as unknown[];
    const expected = configs.flatMap((config) => analyseKeyed(config) ?? []);
    expect(expected.length).toBeGreaterThan(1);
    expect(received(port2)).toEqual(expected);
  });

  it('a FIFO under the export name: nothing posted, and no wait for a writer', async () => {
    const { analyseApiConfigsAhead } =
      await built<typeof import('../../src/cli/api-configs-ahead.js')>('api-configs-ahead.js');
    const fifo = join(scratch, 'fifo');
    mkdirSync(fifo);
    execFileSync('mkfifo', [join(fifo, 'api-configs.json')]);
    const { port1, port2 } = new MessageChannel();
    expect(await analyseApiConfigsAhead(fifo, port1)).toBe(0);
    expect(received(port2)).toEqual([]);
    port1.close();
  });
});

describe('a worker that fails is an internal error (exit 70), never a silent success', () => {
  const failing = (source: string) => new URL(`data:text/javascript,${encodeURIComponent(source)}`);

  it('an uncaught exception: its stack on stderr', async () => {
    const run = await capture((io) =>
      runCliInWorker(['scan'], io, SIZING, failing('throw new Error("the worker broke")')),
    );
    expect(run.code).toBe(70);
    expect(run.stderr).toMatch(
      /^gatewarden scan: internal error, please report it:\nError: the worker broke\n/,
    );
  });

  it('a worker that stops without an exit code', async () => {
    const run = await capture((io) => runCliInWorker(['scan'], io, SIZING, failing('process.exit(0)')));
    expect(run.code).toBe(70);
  });
});

describe('the helper yields to every other thread', () => {
  const niceOf =
    "require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]";
  it.runIf(process.platform === 'linux')(
    'a thread that calls it runs at nice 19; the others keep theirs',
    async () => {
      const url = pathToFileURL(resolve('dist/src/cli/thread-priority.js')).href;
      const thread = new Worker(
        `const { parentPort } = require('node:worker_threads');
       import(${JSON.stringify(url)}).then(({ yieldToEveryOtherThread }) => {
         const before = ${niceOf};
         parentPort.postMessage({ before, lowered: yieldToEveryOtherThread(), after: ${niceOf} });
       });`,
        { eval: true },
      );
      const [answer] = await once(thread, 'message');
      await thread.terminate();
      expect(answer).toEqual({ before: '0', lowered: true, after: '19' });
      expect(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ')[16]).toBe('0');
    },
  );

  it('does nothing where a nice value is the whole process’s', async () => {
    const { yieldToEveryOtherThread } =
      await built<typeof import('../../src/cli/thread-priority.js')>('thread-priority.js');
    expect(yieldToEveryOtherThread('darwin')).toBe(false);
    expect(yieldToEveryOtherThread('win32')).toBe(false);
  });
});
