#!/usr/bin/env node
// The `gatewarden` command: runs the built CLI (dist/ comes in the packed package; in a clone, npm ci builds it).
import { runGatewarden } from '../dist/src/cli/main.js';

// A reader that stops early (`gatewarden rules | head`) closes the pipe. The rest of the output has nowhere to go,
// which is no failure of the command: it runs on to its own exit code instead of dying on an unhandled EPIPE.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

const argv = process.argv.slice(2);
process.exitCode = await runGatewarden(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});

// A scan has written its report and every line when it returns, and leaves nothing running. Ending here skips the
// teardown of V8's heap that a natural exit makes (after a large estate's scan, hundreds of munmaps of its pages,
// which V8's page pool hands back one by one; the kernel frees them at exit in one go). Only when
// nothing is left to flush (pipes are asynchronous on some platforms); otherwise the process ends as it always has.
if (argv[0] === 'scan' && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) {
  process.exit();
}
