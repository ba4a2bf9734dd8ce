// The local stack's moving parts for end-to-end tests and the demo: functions served by the real Functions Framework
// CLI, Pub/Sub emulator topics and push subscriptions over REST.

import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, pubsubCall, stopProcessGroup } from '../support/emulators.js';
import { REPO_ROOT } from '../support/repository-root.js';

// Kept here too: the e2e tests, the demo and the benches import them from the local stack.
export { createSubscription, createTopic, pubsubCall } from '../support/emulators.js';
export { REPO_ROOT } from '../support/repository-root.js';

export interface ServedFunction {
  readonly target: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Structured log lines the function wrote on stdout, parsed. */
  logs(): readonly LogLine[];
  /** Everything it wrote on stderr (framework crash reports). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface LogLine {
  readonly severity?: string;
  readonly message?: string;
  readonly [field: string]: unknown;
}

/**
 * Serves one entry point as Cloud Run functions would: `npx functions-framework --target=T` from the repository root
 * (package.json `main` names the built module). Only the variables given reach it, so a stray GATEWARDEN_* setting in
 * the caller's environment cannot change what is tested.
 */
export async function serveFunction(
  target: string,
  signatureType: 'cloudevent' | 'http',
  env: Readonly<Record<string, string>>,
  onLine?: (line: LogLine, target: string) => void,
): Promise<ServedFunction> {
  const port = await freePort();
  const child = spawn(
    'npx',
    ['functions-framework', `--target=${target}`, `--port=${port}`, `--signature-type=${signatureType}`],
    {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    },
  );
  const lines: LogLine[] = [];
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      const line = parseLine(part);
      lines.push(line);
      onLine?.(line, target);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, child, () => stderr);
  return {
    target,
    url,
    logs: () => lines,
    stderr: () => stderr,
    stop: () => stopProcessGroup(child),
  };
}

function parseLine(text: string): LogLine {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed as LogLine;
  } catch {
    // The framework's own banner lines are plain text.
  }
  return { message: text };
}

async function waitUntilServing(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const { hostname, port } = new URL(url);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`functions-framework exited with ${child.exitCode}:\n${stderr()}`);
    // A TCP connection, not an HTTP request: a body-less request to a cloudevent function makes Functions Framework
    // 5.0.5 print `TypeError: Cannot use 'in' operator to search for 'context' in undefined` (its
    // background-event middleware reads `'context' in req.body`, and body-parser 2 leaves the body undefined), which
    // then sat in every stderr dump of a failing test as if a handler had crashed.
    if (await acceptsConnections(hostname, Number(port))) return;
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(`functions-framework did not listen on ${url} within 60 s:\n${stderr()}`);
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 1000 });
    const finish = (listening: boolean) => {
      socket.destroy();
      done(listening);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

/** Switches a subscription between push (endpoint given) and pull (undefined), as `modifyPushConfig` does. */
export async function setPushEndpoint(
  host: string,
  subscription: string,
  pushEndpoint: string | undefined,
): Promise<void> {
  await pubsubCall(host, 'POST', `${subscription}:modifyPushConfig`, {
    pushConfig: pushEndpoint ? { pushEndpoint } : {},
  });
}

/** Publishes raw message bodies; returns their message IDs. */
export async function publish(
  host: string,
  topic: string,
  payloads: readonly string[],
  attributes: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const answer = await pubsubCall(host, 'POST', `${topic}:publish`, {
    messages: payloads.map((payload) => ({
      data: Buffer.from(payload, 'utf8').toString('base64'),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    })),
  });
  return (answer.messageIds as string[] | undefined) ?? [];
}

/** Polls `probe` until it returns a value that is not undefined, or fails naming `what` at the deadline. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
  );
}

/**
 * Pushes one sweep message to the served onSweep as the sweep topic's push subscription would (the path names the
 * topic, so the framework makes a messagePublished CloudEvent of it), and returns the `sweep finished` line that
 * sweep logged, if any: each caller asserts what it expects of it. A refused push throws with the function's stderr.
 */
export async function pushSweep(
  onSweep: ServedFunction,
  topic: string,
  message: Readonly<Record<string, unknown>>,
  messageId = `sweep-${Date.now()}`,
): Promise<LogLine | undefined> {
  const before = onSweep.logs().length;
  const response = await fetch(`${onSweep.url}/${topic}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      subscription: topic.replace(/\/topics\/[^/]+$/, '/subscriptions/sweep-push'),
      message: {
        data: Buffer.from(JSON.stringify(message)).toString('base64'),
        messageId,
        publishTime: new Date().toISOString(),
      },
    }),
  });
  if (response.status !== 204) {
    throw new Error(`onSweep answered ${response.status} to a sweep push:\n${onSweep.stderr()}`);
  }
  return onSweep
    .logs()
    .slice(before)
    .find((line) => line.message === 'sweep finished');
}
