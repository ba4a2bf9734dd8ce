import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulateCommand } from '../../src/cli/commands/simulate.js';
import { type CliIo, UsageError } from '../../src/cli/io.js';
import type { Simulator } from '../../src/simulator/index.js';

const ESTATE = new URL('../../examples/acme-edge', import.meta.url).pathname;

function captureIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('gatewarden simulate', () => {
  it('serves the estate on a free port, prints the URLs and gcloud settings, and stops when told', async () => {
    const { io, stdout, stderr } = captureIo();
    let seen: { url: string; status: number; names: string[] } | undefined;
    const command = createSimulateCommand({
      waitForStop: async (simulator: Simulator) => {
        const response = await fetch(`${simulator.url}/compute/v1/projects/acme-edge/global/backendServices`);
        const body = (await response.json()) as { items: { name: string }[] };
        await fetch(`${simulator.url}/compute/v1/projects/acme-edge/global/nothingHere`);
        seen = { url: simulator.url, status: response.status, names: body.items.map((item) => item.name) };
      },
    });
    expect(await command(['--estate', ESTATE, '--port', '0'], io)).toBe(0);
    expect(seen?.status).toBe(200);
    expect(seen?.names).toContain('orders-bs');
    const url = seen?.url ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url.endsWith(':0')).toBe(false);
    expect(stdout()).toContain(`Compute v1:    ${url}/compute/v1/`);
    expect(stdout()).toContain(`Compute beta:  ${url}/compute/beta/`);
    expect(stdout()).toContain(`gcloud config set api_endpoint_overrides/compute ${url}/compute/v1/`);
    expect(stdout()).toContain(`gcloud config set api_endpoint_overrides/apigateway ${url}/`);
    expect(stdout()).toContain('gcloud config set auth/disable_credentials true');
    expect(stdout()).toContain('simulator stopped');
    expect(stderr()).toContain(
      'simulator: 404 The simulator does not serve GET /compute/v1/projects/acme-edge/global/nothingHere',
    );
  });

  it.each([
    { name: 'no estate', args: [], env: {}, message: /--estate DIR is required/ },
    {
      name: 'a port out of range',
      args: ['--estate', ESTATE, '--port', '70000'],
      env: {},
      message: /--port 70000/,
    },
    {
      name: 'a port that is not a number',
      args: ['--estate', ESTATE, '--port', 'abc'],
      env: {},
      message: /--port abc/,
    },
    {
      name: 'an audit topic without the emulator',
      args: ['--estate', ESTATE, '--audit-topic', 'projects/acme-sec/topics/lb-audit'],
      env: {},
      message: /PUBSUB_EMULATOR_HOST/,
    },
    {
      name: 'an audit topic that is not a topic name',
      args: ['--estate', ESTATE, '--audit-topic', 'lb-audit'],
      env: { PUBSUB_EMULATOR_HOST: '127.0.0.1:1' },
      message: /--audit-topic: .*projects\/P\/topics\/T/,
    },
    {
      name: 'a missing fault file',
      args: ['--estate', ESTATE, '--faults', '/nonexistent/faults.json'],
      env: {},
      message: /faults\.json: cannot read/,
    },
  ])('refuses $name with a usage error', async ({ args, env, message }) => {
    const { io } = captureIo(env);
    const command = createSimulateCommand({ waitForStop: async () => {} });
    const outcome = command(args, io);
    await expect(outcome).rejects.toBeInstanceOf(UsageError);
    await expect(outcome).rejects.toThrow(message);
  });

  it('refuses a fault file with an invalid rule, naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewarden-faults-'));
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify({ faults: [{ path: '/compute/**', status: 404 }] }));
    const { io } = captureIo();
    const outcome = createSimulateCommand({ waitForStop: async () => {} })(
      ['--estate', ESTATE, '--faults', file],
      io,
    );
    await expect(outcome).rejects.toThrow(`${file}: faults.0.status`);
  });
});
