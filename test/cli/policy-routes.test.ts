// Every command that loads a policy refuses a route naming an unknown channel: exit 2, one line naming the file,
// the route and the channel, before anything is judged.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCaptured } from './capture-io.js';

const BAD_ROUTE = `alerts:
  namedChannels:
    payments-slack:
      type: slack
      webhookSecret: projects/acme-security/secrets/payments-slack-webhook
  routes:
    - name: payments
      labels: { team: payments }
      channels: [payments-slack, payments-pager]
`;

let dir: string;
let policy: string;
let plan: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-routes-'));
  policy = join(dir, 'policy.yaml');
  await writeFile(policy, BAD_ROUTE);
  plan = join(dir, 'plan.json');
  await writeFile(plan, JSON.stringify({ format_version: '1.2', planned_values: { root_module: {} } }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a route naming an unknown channel', () => {
  test.each([
    ['scan', () => ['scan', '--estate', 'examples/acme-edge', '--policy', policy]],
    ['check-plan', () => ['check-plan', plan, '--policy', policy]],
    [
      'baseline save',
      () => [
        'baseline',
        'save',
        '--estate',
        'examples/acme-edge',
        '--policy',
        policy,
        '--out',
        join(dir, 'b.json'),
      ],
    ],
  ])('%s exits 2 naming the route and the channel', async (_command, argv) => {
    const run = await runCaptured(argv());
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `${policy}: alerts.routes[0].channels[1]: route "payments" names unknown channel "payments-pager"`,
    );
  });
});
