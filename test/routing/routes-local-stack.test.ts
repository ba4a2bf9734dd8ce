// Alert routes on the local stack: onSweep and onAuditLog served by the real Functions Framework (the built
// functions), findings in the Firestore emulator, the simulator serving two projects and the channels' Secret
// Manager secrets, and three webhook receivers. Route `payments` (by label team=payments) and route `shop` (by project
// acme-shop) each get their findings only; every other finding goes to the default channel only.

import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import type { Finding } from '../../src/domain/finding.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import { type AuditLogEntry, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { type Receiver, startReceiver } from '../adapters/webhooks/receiver.js';
import { eventually, pushSweep, type ServedFunction, serveFunction } from '../e2e/local-stack.js';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.js';
import { postJson, pushBody } from '../support/push-delivery.js';

const ESTATE = 'acme-edge';
const SHOP = 'acme-shop';
const RUN = randomBytes(4).toString('hex');
const HOST = `gw-routes-${RUN}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const SWEEP_TOPIC = `projects/${HOST}/topics/gatewarden-sweep`;
const PAYMENTS_SECRET = 'projects/acme-sec/secrets/payments-slack-webhook';
const SHOP_SECRET = 'projects/acme-sec/secrets/shop-chat-webhook';
const POLICY = `alerts:
  namedChannels:
    payments-slack:
      type: slack
      webhookSecret: ${PAYMENTS_SECRET}
    shop-chat:
      type: google-chat
      webhookSecret: ${SHOP_SECRET}
  routes:
    - name: payments
      labels: { team: payments }
      channels: [payments-slack]
    - name: shop
      projects: [acme-shop*]
      channels: [shop-chat]
`;
/** acme-shop's backend service: a copy of acme-edge's orders-bs (which fails the Cloud Armor and logging rules). */
const SHOP_BS = 'orders-bs';

let firestoreEmulator: Emulator;
let simulator: Simulator;
let db: Firestore;
let findings: FindingQueries;
let onSweep: ServedFunction;
let onAuditLog: ServedFunction;
let compute: compute_v1.Compute;
let security: Receiver;
let payments: Receiver;
let shop: Receiver;
const published: AuditLogEntry[] = [];

beforeAll(async () => {
  [firestoreEmulator, security, payments, shop] = await Promise.all([
    startFirestoreEmulator(),
    startReceiver([{ status: 200 }]),
    startReceiver([{ status: 200 }]),
    startReceiver([{ status: 200 }]),
  ]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: HOST });
  findings = createFirestoreStores(db).findings;

  // acme-shop: a copy of the orders backend service and its serverless NEGs, judged in a project of its own.
  const estate = (await loadEstate(`examples/${ESTATE}`)).inventory;
  const inShop = <T>(record: T): T =>
    JSON.parse(JSON.stringify(record).replaceAll(`projects/${ESTATE}/`, `projects/${SHOP}/`)) as T;
  const shopBs = estate.backendService.filter((record) => record.name === SHOP_BS).map(inShop);
  const shopNegs = estate.networkEndpointGroup
    .filter((record) => String(record.name).startsWith('orders-neg-'))
    .map(inShop);
  expect(shopBs).toHaveLength(1);
  expect(shopNegs.length).toBeGreaterThan(0);
  simulator = await startSimulator({
    inventory: {
      ...estate,
      backendService: [...estate.backendService, ...shopBs],
      networkEndpointGroup: [...estate.networkEndpointGroup, ...shopNegs],
    },
    auditSink: { publish: async (entries) => void published.push(...entries) },
    secrets: {
      [PAYMENTS_SECRET]: `${payments.origin}/hook/payments`,
      [SHOP_SECRET]: `${shop.origin}/hook/shop`,
    },
  });
  compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });

  const env = {
    GOOGLE_CLOUD_PROJECT: HOST,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
    GATEWARDEN_SWEEP_PROJECTS: `${ESTATE},${SHOP}`,
    // The default channel, given directly (a loopback URL is allowed for local receivers).
    GATEWARDEN_SLACK_WEBHOOK_URL: `${security.origin}/hook/security`,
    GATEWARDEN_POLICY: POLICY,
  };
  [onSweep, onAuditLog] = await Promise.all([
    serveFunction('onSweep', 'cloudevent', env),
    serveFunction('onAuditLog', 'cloudevent', env),
  ]);
  for (const project of [ESTATE, SHOP]) {
    const finished = await pushSweep(onSweep, SWEEP_TOPIC, { project }, `sweep-${project}-${RUN}`);
    expect(finished, onSweep.stderr()).toBeDefined();
  }
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([onSweep?.stop(), onAuditLog?.stop()]);
  await simulator?.close();
  await Promise.allSettled([security?.close(), payments?.close(), shop?.close()]);
  await db?.terminate();
  await firestoreEmulator?.stop();
}, 60_000);

/** The digests a receiver got, as Slack or Chat sent them: title, total, and the text of each item shown. */
interface Digest {
  readonly title: string;
  readonly total: number;
  readonly items: readonly string[];
  readonly more: number;
}

function digestsOf(receiver: Receiver): Digest[] {
  return receiver.requests.map((request) => {
    const body = JSON.parse(request.body) as {
      blocks?: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
      cardsV2?: {
        card: { header: { title: string }; sections: { widgets: { textParagraph: { text: string } }[] }[] };
      }[];
    };
    const title = body.blocks
      ? (body.blocks[0]?.text?.text ?? '')
      : (body.cardsV2?.[0]?.card.header.title ?? '');
    const texts = body.blocks
      ? body.blocks
          .filter((block) => block.type === 'section')
          .slice(1)
          .map((block) => block.text?.text ?? '')
      : (body.cardsV2?.[0]?.card.sections ?? []).map(
          (section) => section.widgets[0]?.textParagraph.text ?? '',
        );
    const moreText = body.blocks
      ? (body.blocks.find((block) => block.type === 'context')?.elements?.[0]?.text ?? '')
      : (texts.find((text) => text.includes('not shown here')) ?? '');
    return {
      title: title.replace(/: \d+ finding changes?$/, ''),
      total: Number(/: (\d+) finding changes?$/.exec(title)?.[1]),
      items: texts.filter((text) => !text.includes('not shown here')),
      more: Number(/and (\d+) more/.exec(moreText)?.[1] ?? 0),
    };
  });
}

const nameOf = (finding: Finding) => finding.resource.split('/').pop() ?? '';
const isPayments = (finding: Finding) => finding.labels?.team === 'payments';
const isShop = (finding: Finding) => finding.project === SHOP;

describe('alert routes on the local stack', () => {
  test('the sweeps opened findings of all three kinds, with the gateway labels stored on them', async () => {
    const open = await findings.query({ states: ['open'] });
    expect(open.filter(isPayments).length).toBeGreaterThan(0);
    expect(open.filter(isShop).length).toBeGreaterThan(0);
    expect(open.filter((f) => !isPayments(f) && !isShop(f)).length).toBeGreaterThan(0);
    // Only API Gateway gateways carry labels in this estate; backend services have none in the Compute API.
    expect(open.filter(isPayments).every((f) => f.resourceType === 'apigateway.googleapis.com/Gateway')).toBe(
      true,
    );
  });

  test('payments findings reach the payments channel only, acme-shop findings the shop channel only, the rest the default only', async () => {
    const alerting = await findings.query({ states: ['open', 'undetermined'] });
    const expected = {
      payments: alerting.filter(isPayments),
      shop: alerting.filter(isShop),
      security: alerting.filter((f) => !isPayments(f) && !isShop(f)),
    };
    const received = { payments: digestsOf(payments), shop: digestsOf(shop), security: digestsOf(security) };

    expect(received.payments.map((d) => d.title)).toEqual(
      received.payments.map(() => 'Gatewarden [payments]'),
    );
    expect(received.shop.map((d) => d.title)).toEqual(received.shop.map(() => 'Gatewarden [shop]'));
    expect(received.security.map((d) => d.title)).toEqual(received.security.map(() => 'Gatewarden'));

    // Every alert counted once, on its own channel: the totals are the findings each route owns.
    const total = (digests: Digest[]) => digests.reduce((sum, digest) => sum + digest.total, 0);
    expect(total(received.payments)).toBe(expected.payments.length);
    expect(total(received.shop)).toBe(expected.shop.length);
    expect(total(received.security)).toBe(expected.security.length);

    // And the items each channel shows belong to it, never to another route.
    const paymentsNames = new Set(expected.payments.map(nameOf));
    for (const item of received.payments.flatMap((d) => d.items)) {
      expect([...paymentsNames].some((name) => item.includes(`|${name}>`))).toBe(true);
    }
    for (const item of received.shop.flatMap((d) => d.items)) expect(item).toContain(`(${SHOP}, `);
    for (const item of received.security.flatMap((d) => d.items)) {
      expect(item).not.toContain(`(${SHOP}, `);
      for (const name of paymentsNames) expect(item).not.toContain(`|${name}>`);
    }
  });

  test('a change in acme-shop, judged through onAuditLog, alerts the shop channel only', async () => {
    const before = {
      security: security.requests.length,
      payments: payments.requests.length,
      shop: shop.requests.length,
    };
    const entries = published.length;
    await compute.backendServices.patch({
      project: SHOP,
      backendService: SHOP_BS,
      requestBody: { logConfig: { enable: true, sampleRate: 1 } },
    });
    const entry = published
      .slice(entries)
      .find(
        (candidate) =>
          candidate.operation.last === true &&
          String(candidate.protoPayload.resourceName).endsWith(
            `projects/${SHOP}/global/backendServices/${SHOP_BS}`,
          ),
      );
    if (!entry) throw new Error(`no audit entry for ${SHOP_BS}`);
    const answer = await postJson(
      `${onAuditLog.url}/${AUDIT_TOPIC}`,
      pushBody(JSON.stringify(entry), `audit-${RUN}`, `projects/${HOST}/subscriptions/audit-push`),
    );
    expect(answer.status, onAuditLog.stderr()).toBeLessThan(300);
    const resolved = await eventually('the shop digest of the resolution', () =>
      shop.requests.length > before.shop ? digestsOf(shop).slice(before.shop) : undefined,
    );
    expect(resolved).toEqual([
      expect.objectContaining({
        title: 'Gatewarden [shop]',
        total: 1,
        items: [expect.stringContaining('resolved')],
      }),
    ]);
    expect(resolved[0]?.items[0]).toContain(SHOP_BS);
    expect(security.requests.length).toBe(before.security);
    expect(payments.requests.length).toBe(before.payments);
  });

  test('a route naming an unknown channel: the served function refuses to start, logging the route and channel', async () => {
    const refused = await serveFunction('onAuditLog', 'cloudevent', {
      GOOGLE_CLOUD_PROJECT: HOST,
      FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
      GATEWARDEN_API_ENDPOINT: simulator.url,
      GATEWARDEN_POLICY: POLICY.replace('channels: [shop-chat]', 'channels: [shop-chat, shop-pager]'),
    });
    try {
      const answer = await postJson(
        `${refused.url}/${AUDIT_TOPIC}`,
        pushBody(JSON.stringify(published[0]), `refused-${RUN}`, `projects/${HOST}/subscriptions/audit-push`),
      );
      // Not acknowledged: Pub/Sub keeps the event until the configuration is fixed.
      expect(answer.status).toBeGreaterThanOrEqual(500);
      const line = refused
        .logs()
        .find((entry) => entry.message === 'gatewarden cannot start: configuration refused');
      expect(line?.error).toBe(
        'GATEWARDEN_POLICY: alerts.routes[1].channels[1]: route "shop" names unknown channel "shop-pager" (defined: payments-slack, shop-chat)',
      );
      expect(refused.logs().some((entry) => entry.message === 'change judged')).toBe(false);
    } finally {
      await refused.stop();
    }
  });
});
