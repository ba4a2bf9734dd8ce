#!/usr/bin/env node
// The `gatewarden` command: runs the built CLI (dist/ comes in the packed package; in a clone, npm ci builds it).
import { runCli } from '../dist/src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
