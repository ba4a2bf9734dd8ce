// `gatewarden simulate`: serves an estate as a local Google API (Compute v1/beta, API Gateway v1) until stopped.

import { loadEstateHierarchy } from '../../adapters/estate-files/hierarchy-files.js';
import { loadEstate } from '../../adapters/estate-files/load-estate.js';
import {
  createPubSubAuditSink,
  type FaultRule,
  type PlatformSeed,
  readFaultFile,
  readPlatformFile,
  type Simulator,
  startSimulator,
} from '../../simulator/index.js';
import { type CliIo, type Command, EXIT_OK, parseFlags, UsageError } from '../io.js';

const OPTIONS = {
  estate: { type: 'string' },
  port: { type: 'string', default: '0' },
  'audit-topic': { type: 'string' },
  faults: { type: 'string' },
  platform: { type: 'string' },
  principal: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: gatewarden simulate --estate DIR [--port N] [--audit-topic projects/P/topics/T] [--faults FILE]
                          [--platform FILE] [--principal EMAIL]

  --estate DIR         directory of gcloud --format=json exports to serve
  --port N             port on 127.0.0.1 (0, the default, picks a free one and prints it)
  --audit-topic TOPIC  publish Cloud Audit Log entries for each change to this topic on the Pub/Sub
                       emulator named by PUBSUB_EMULATOR_HOST
  --faults FILE        JSON fault rules: [{ "path": "/compute/v1/**", "latencyMs": 50 }, ...]
  --platform FILE      JSON control plane for gatewarden doctor: { "disabledServices": [{ "project", "service" }],
                       "deniedPermissions": [{ "project"?, "parent"?, "permission" }], "sinks", "topicPolicies",
                       "subscriptions" } (PUT /__simulator/platform replaces it while serving)
  --principal EMAIL    who the audit entries say made changes (a request may name another in the
                       x-goog-simulated-principal header)
`;

export interface SimulateDependencies {
  /** Resolves when the simulator should stop; by default on SIGINT or SIGTERM. */
  readonly waitForStop?: (simulator: Simulator) => Promise<void>;
}

export function createSimulateCommand(dependencies: SimulateDependencies = {}): Command {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    const { values } = parseFlags(args, OPTIONS);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    if (!values.estate) throw new UsageError('--estate DIR is required (the estate to serve)');
    const port = parsePort(values.port ?? '0');
    const faults = values.faults === undefined ? [] : await readFaults(values.faults);
    const platform = values.platform === undefined ? undefined : await readPlatform(values.platform);
    const topic = values['audit-topic'];
    const emulatorHost = io.env.PUBSUB_EMULATOR_HOST;
    if (topic !== undefined && !emulatorHost) {
      // Fake audit entries must never reach a real topic: publishing is for the emulator only.
      throw new UsageError('--audit-topic needs PUBSUB_EMULATOR_HOST (the Pub/Sub emulator to publish to)');
    }
    const auditSink = topic === undefined ? undefined : createAuditSink(topic, emulatorHost ?? '');

    const estate = await loadEstate(values.estate);
    for (const warning of estate.warnings) io.stderr.write(`warning: ${warning}\n`);
    const hierarchy = await loadEstateHierarchy(values.estate);
    if (auditSink) await auditSink.ensureTopic();
    const simulator = await listen({
      inventory: estate.inventory,
      projects: hierarchy.projects,
      folders: hierarchy.folders,
      faults,
      ...(platform ? { platform } : {}),
      port,
      ...(auditSink ? { auditSink } : {}),
      ...(values.principal ? { principal: values.principal } : {}),
      onUnknownRequest: (description) => io.stderr.write(`simulator: 404 ${description}\n`),
      onAuditError: (error) => io.stderr.write(`simulator: audit entries not published: ${error.message}\n`),
    });
    for (const problem of simulator.store.problems)
      io.stderr.write(`warning: ${problem.kind}: ${problem.reason}\n`);
    io.stdout.write(describeSimulator(simulator, estate.dir, topic, emulatorHost));
    await (dependencies.waitForStop ?? waitForSignal)(simulator);
    await simulator.close();
    io.stdout.write('simulator stopped\n');
    return EXIT_OK;
  };
}

export const runSimulate: Command = createSimulateCommand();

function describeSimulator(
  simulator: Simulator,
  dir: string,
  topic: string | undefined,
  emulatorHost?: string,
): string {
  const { url } = simulator;
  const lines = [
    `Serving ${dir} (${simulator.store.size} resources) on ${url}`,
    `  Compute v1:    ${url}/compute/v1/`,
    `  Compute beta:  ${url}/compute/beta/`,
    `  API Gateway:   ${url}/   (paths /v1/projects/...)`,
    `  Resource Manager v3: ${url}/v3/   (${simulator.hierarchy.projects.length} projects, ${simulator.hierarchy.folders.length} folders)`,
    `  Request log:   ${url}/__simulator/requests   State: ${url}/__simulator/state`,
    `  Control plane for gatewarden doctor (Service Usage, testIamPermissions, sinks, Pub/Sub): PUT ${url}/__simulator/platform`,
    ...(topic ? [`  Audit topic:   ${topic} on the Pub/Sub emulator ${emulatorHost}`] : []),
    '',
    'gcloud (with a throwaway CLOUDSDK_CONFIG directory):',
    '  gcloud config set auth/disable_credentials true',
    `  gcloud config set api_endpoint_overrides/compute ${url}/compute/v1/`,
    `  gcloud config set api_endpoint_overrides/apigateway ${url}/`,
    `  for gcloud beta commands: gcloud config set api_endpoint_overrides/compute ${url}/compute/beta/`,
    '',
    `gatewarden: GATEWARDEN_API_ENDPOINT=${url} (or scan --endpoint ${url})`,
    'Stop with Ctrl+C.',
    '',
  ];
  return lines.join('\n');
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port ${text} is not a port number (0-65535)`);
  return port;
}

async function readPlatform(file: string): Promise<PlatformSeed> {
  try {
    return await readPlatformFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function readFaults(file: string): Promise<FaultRule[]> {
  try {
    return await readFaultFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function createAuditSink(topic: string, emulatorHost: string) {
  try {
    return createPubSubAuditSink(topic, emulatorHost);
  } catch (error) {
    throw new UsageError(`--audit-topic: ${(error as Error).message}`);
  }
}

async function listen(options: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  try {
    return await startSimulator(options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`--port ${options.port}: the port is already in use`);
    }
    throw error;
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
