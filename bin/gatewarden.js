#!/usr/bin/env node
// The `gatewarden` command: runs the built CLI (dist/ comes in the packed package; in a clone, npm ci builds it).
import { runGatewarden } from '../dist/src/cli/main.js';

// A reader that stops early (`gatewarden rules | head`) closes the pipe. The rest of the output has nowhere to go,
// which is no failure of the command: it runs on to its own exit code instead of dying on an unhandled EPIPE.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
});

process.exitCode = await runGatewarden(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
