// Starts the Pub/Sub and Firestore emulators on free ports for tests (or reuses ones CI already started).

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { freePort } from './free-port.js';
import { REPO_ROOT } from './repository-root.js';

export { freePort };

export interface Emulator {
  /** `127.0.0.1:PORT`, the value for PUBSUB_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST. */
  readonly host: string;
  /** False when the emulator was already running (named by the environment) and is left alone. */
  readonly owned: boolean;
  stop(): Promise<void>;
}

/** The shared folder sits beside the repository, wherever it was cloned. */
const SHARED_EMULATORS = resolve(REPO_ROOT, '..', 'shared', 'emulators');
const READY_TIMEOUT_MS = 90_000;

export function startPubSubEmulator(env = process.env): Promise<Emulator> {
  return startEmulator('PUBSUB_EMULATOR_HOST', env, (port) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatewarden-pubsub-'));
    return hasGcloud(env)
      ? [
          'gcloud',
          ['beta', 'emulators', 'pubsub', 'start', `--host-port=127.0.0.1:${port}`, `--data-dir=${dataDir}`],
        ]
      : [
          join(SHARED_EMULATORS, 'pubsub', 'bin', 'cloud-pubsub-emulator'),
          ['--host=127.0.0.1', `--port=${port}`],
        ];
  });
}

export function startFirestoreEmulator(env = process.env): Promise<Emulator> {
  return startEmulator('FIRESTORE_EMULATOR_HOST', env, (port) =>
    hasGcloud(env)
      ? ['gcloud', ['emulators', 'firestore', 'start', `--host-port=127.0.0.1:${port}`]]
      : [
          join(SHARED_EMULATORS, 'firestore', 'cloud_firestore_emulator'),
          ['start', '--host=127.0.0.1', `--port=${port}`],
        ],
  );
}

async function startEmulator(
  variable: 'PUBSUB_EMULATOR_HOST' | 'FIRESTORE_EMULATOR_HOST',
  env: NodeJS.ProcessEnv,
  commandFor: (port: number) => [string, string[]],
): Promise<Emulator> {
  const existing = env[variable];
  if (existing) {
    await waitUntilReady(existing, undefined, () => '');
    return { host: existing, owned: false, stop: async () => {} };
  }
  const port = await freePort();
  const [command, args] = commandFor(port);
  if (command !== 'gcloud' && !existsSync(command)) {
    throw new Error(`${variable}: neither gcloud nor ${command} is available to start the emulator`);
  }
  let output = '';
  // Own process group: gcloud starts a Java child, and stopping must reach both.
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const host = `127.0.0.1:${port}`;
  const stop = () => stopProcessGroup(child);
  try {
    await waitUntilReady(host, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, owned: true, stop };
}

async function waitUntilReady(
  host: string,
  child: ChildProcess | undefined,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`emulator on ${host} exited with ${child.exitCode} before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`http://${host}/`);
      if (response.ok && (await response.text()).trim().startsWith('Ok')) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`emulator on ${host} did not answer Ok within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/**
 * Stops a child spawned with `detached: true` (its own process group): SIGTERM to the group, SIGKILL after 5 s, and
 * SIGKILL again once it exited, because a wrapper (gcloud, npx) may leave its own child running for a moment.
 */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL');
}

export function hasGcloud(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'gcloud'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface PulledMessage {
  readonly data: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageId: string;
  readonly publishTime: string;
}

/** Creates `projects/P/topics/T` and a pull subscription `projects/P/subscriptions/S` on it (REST, emulator). */
export async function createTopicAndSubscription(
  host: string,
  topic: string,
  subscription: string,
): Promise<void> {
  await createTopic(host, topic);
  await createSubscription(host, subscription, topic);
}

export async function createTopic(host: string, topic: string): Promise<void> {
  await pubsubCall(host, 'PUT', topic, {}, [200, 409]);
}

/**
 * A push subscription as Eventarc makes one: the endpoint's path names the topic, so the Functions Framework turns
 * the raw push into a messagePublished CloudEvent. `pushEndpoint` undefined makes it a pull subscription.
 * `ackDeadlineSeconds`: how long a push may take before Pub/Sub delivers it again (Terraform sets the function's
 * timeout); 10 s keeps redelivery tests short.
 */
export async function createSubscription(
  host: string,
  subscription: string,
  topic: string,
  pushEndpoint?: string,
  ackDeadlineSeconds = 10,
): Promise<void> {
  await pubsubCall(
    host,
    'PUT',
    subscription,
    {
      topic,
      ackDeadlineSeconds,
      ...(pushEndpoint ? { pushConfig: { pushEndpoint } } : {}),
    },
    [200, 409],
  );
}

/** Pulls and acknowledges until `count` messages arrived or `timeoutMs` passed; returns what arrived. */
export async function pullMessages(
  host: string,
  subscription: string,
  count: number,
  timeoutMs = 10_000,
): Promise<PulledMessage[]> {
  const messages: PulledMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (messages.length < count && Date.now() < deadline) {
    const answer = (await pubsubCall(host, 'POST', `${subscription}:pull`, {
      maxMessages: count - messages.length,
      returnImmediately: true,
    })) as { receivedMessages?: { ackId: string; message: Record<string, unknown> }[] };
    const received = answer.receivedMessages ?? [];
    if (received.length === 0) {
      await new Promise((done) => setTimeout(done, 100));
      continue;
    }
    await pubsubCall(host, 'POST', `${subscription}:acknowledge`, {
      ackIds: received.map((item) => item.ackId),
    });
    for (const { message } of received) {
      messages.push({
        data: Buffer.from(String(message.data ?? ''), 'base64').toString('utf8'),
        attributes: (message.attributes as Record<string, string> | undefined) ?? {},
        messageId: String(message.messageId ?? ''),
        publishTime: String(message.publishTime ?? ''),
      });
    }
  }
  return messages;
}

/** One REST call to the Pub/Sub emulator; `path` follows `/v1/`; `accepted` lists the statuses that are not a failure. */
export async function pubsubCall(
  host: string,
  method: string,
  path: string,
  body: unknown,
  accepted: readonly number[] = [200],
): Promise<Record<string, unknown>> {
  const response = await fetch(`http://${host}/v1/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!accepted.includes(response.status)) {
    throw new Error(`${method} ${path} on the Pub/Sub emulator answered ${response.status}: ${text}`);
  }
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
