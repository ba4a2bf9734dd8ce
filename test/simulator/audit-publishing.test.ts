import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { google } from 'googleapis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPubSubAuditSink,
  PRINCIPAL_HEADER,
  type Simulator,
  startSimulator,
} from '../../src/simulator/index.js';
import {
  createTopicAndSubscription,
  type Emulator,
  pullMessages,
  startPubSubEmulator,
} from '../support/emulators.js';
import { PROJECT } from '../support/records.js';
import { sampleEstate } from './sample-estate.js';

const TOPIC = 'projects/acme-sec/topics/lb-audit';
const SUBSCRIPTION = 'projects/acme-sec/subscriptions/lb-audit-test';

let emulator: Emulator;
let simulator: Simulator;

beforeAll(async () => {
  emulator = await startPubSubEmulator();
  await createTopicAndSubscription(emulator.host, TOPIC, SUBSCRIPTION);
  const sink = createPubSubAuditSink(TOPIC, emulator.host);
  await sink.ensureTopic();
  simulator = await startSimulator({
    inventory: sampleEstate(),
    auditSink: sink,
    principal: 'ops@acme-edge.example',
  });
}, 120_000);

afterAll(async () => {
  await simulator?.close();
  await emulator?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: pulled entries are checked field by field.
type Json = any;

describe('audit entries published to the Pub/Sub emulator', () => {
  it('publishes first and last entries for a Compute change, stamped as a sink stamps them', async () => {
    const compute = google.compute({ version: 'v1', rootUrl: `${simulator.url}/` });
    await compute.backendServices.patch({
      project: PROJECT,
      backendService: 'billing-bs',
      requestBody: { enableCDN: true },
    });
    const messages = await pullMessages(emulator.host, SUBSCRIPTION, 2);
    expect(messages).toHaveLength(2);
    const entries: Json[] = messages.map((message) => JSON.parse(message.data));
    const first = entries.find((entry) => entry.operation.first);
    const last = entries.find((entry) => entry.operation.last);
    expect(first.protoPayload).toMatchObject({
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      serviceName: 'compute.googleapis.com',
      methodName: 'v1.compute.backendServices.patch',
      resourceName: `projects/${PROJECT}/global/backendServices/billing-bs`,
      authenticationInfo: { principalEmail: 'ops@acme-edge.example' },
      request: { '@type': 'type.googleapis.com/compute.backendServices.patch', enableCDN: true },
      response: { status: 'RUNNING', operationType: 'patch' },
      status: {},
    });
    expect(first.logName).toBe(`projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Factivity`);
    expect(last.protoPayload.request).toEqual({
      '@type': 'type.googleapis.com/compute.backendServices.patch',
    });
    expect(last.operation.id).toBe(first.operation.id);
    for (const [index, message] of messages.entries()) {
      expect(message.attributes).toEqual({ 'logging.googleapis.com/timestamp': entries[index].timestamp });
    }
    const lastRequest = simulator.requests().at(-1)?.path;
    expect(lastRequest).toBe(`/compute/v1/projects/${PROJECT}/global/backendServices/billing-bs`);
  });

  it('names the principal a request asks for, and publishes API Gateway changes with their method names', async () => {
    const response = await fetch(
      `${simulator.url}/v1/projects/${PROJECT}/locations/us-central1/gateways?gatewayId=audit-gw`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PRINCIPAL_HEADER]: 'mallory@example.com' },
        body: JSON.stringify({
          apiConfig: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v7`,
        }),
      },
    );
    expect(response.status).toBe(200);
    const entries: Json[] = (await pullMessages(emulator.host, SUBSCRIPTION, 2)).map((message) =>
      JSON.parse(message.data),
    );
    expect(entries.map((entry) => [entry.protoPayload.methodName, entry.operation.first ?? false])).toEqual(
      expect.arrayContaining([
        ['google.cloud.apigateway.v1.ApiGatewayService.CreateGateway', true],
        ['google.cloud.apigateway.v1.ApiGatewayService.CreateGateway', false],
      ]),
    );
    expect(
      entries.every(
        (entry) => entry.protoPayload.authenticationInfo.principalEmail === 'mallory@example.com',
      ),
    ).toBe(true);
    expect(entries[0].protoPayload.resourceName).toBe(
      `projects/${PROJECT}/locations/us-central1/gateways/audit-gw`,
    );
  });

  it('publishes nothing for reads and failed changes', async () => {
    const compute = google.compute({ version: 'v1', rootUrl: `${simulator.url}/` });
    await compute.backendServices.get({ project: PROJECT, backendService: 'orders-bs' });
    await compute.backendServices
      .patch({ project: PROJECT, backendService: 'orders-bs', requestBody: { fingerprint: 'stale=' } })
      .catch(() => undefined);
    expect(await pullMessages(emulator.host, SUBSCRIPTION, 1, 1500)).toEqual([]);
  });
});

describe('gatewarden simulate --audit-topic (the built binary)', () => {
  it('publishes audit entries for a change and stops cleanly on SIGTERM', async () => {
    const topic = 'projects/acme-sec/topics/cli-audit';
    const subscription = 'projects/acme-sec/subscriptions/cli-audit-test';
    await createTopicAndSubscription(emulator.host, topic, subscription);
    const bin = new URL('../../bin/gatewarden.js', import.meta.url).pathname;
    const estate = new URL('../../examples/acme-edge', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      [
        bin,
        'simulate',
        '--estate',
        estate,
        '--port',
        '0',
        '--audit-topic',
        topic,
        '--principal',
        'cli@acme-edge.example',
      ],
      { env: { ...process.env, PUBSUB_EMULATOR_HOST: emulator.host }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = stdout.match(/on (http:\/\/127\.0\.0\.1:\d+)\n/);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`simulate exited with ${code}: ${stderr}`)));
    });
    try {
      const compute = google.compute({ version: 'v1', rootUrl: `${url}/` });
      await compute.backendServices.patch({
        project: PROJECT,
        backendService: 'payments-bs',
        requestBody: { description: 'changed from the test' },
      });
      const entries: Json[] = (await pullMessages(emulator.host, subscription, 2, 30_000)).map((message) =>
        JSON.parse(message.data),
      );
      expect(entries.map((entry) => entry.protoPayload.methodName)).toEqual([
        'v1.compute.backendServices.patch',
        'v1.compute.backendServices.patch',
      ]);
      expect(entries[0].protoPayload.authenticationInfo.principalEmail).toBe('cli@acme-edge.example');
      expect(stdout).toContain(`Audit topic:   ${topic}`);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    }
  }, 60_000);
});
