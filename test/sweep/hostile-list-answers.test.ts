// A sweep through the googleapis source on the simulator, when a list answers 200 with something that is not a list
// or pages for ever: the project is incomplete, nothing is taken as deleted and no finding is resolved.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createGoogleApisSource } from '../../src/adapters/googleapis/googleapis-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { type SweepDeps, sweepProject } from '../../src/app/sweep-project.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { encodePageToken } from '../../src/simulator/paging.js';
import {
  type AnswerRequest,
  type SimulatedAnswer,
  type Simulator,
  startSimulator,
} from '../../src/simulator/server.js';

const PROJECT = 'acme-edge';
const AGGREGATED_BS = `/compute/v1/projects/${PROJECT}/aggregated/backendServices`;
const GATEWAYS = `/v1/projects/${PROJECT}/locations/-/gateways`;
const HTML = '<html><body>Service temporarily rerouted</body></html>';

type Reshape = (request: AnswerRequest, answer: SimulatedAnswer) => SimulatedAnswer | undefined;
type Scopes = Record<string, Record<string, unknown>>;

function reshapeOn(path: string, reshape: (body: Record<string, unknown>) => unknown): Reshape {
  return (request, answer) =>
    request.path === path && 'body' in answer && answer.status === 200
      ? { status: 200, body: reshape(structuredClone(answer.body) as Record<string, unknown>) }
      : undefined;
}

function clock(): Clock {
  let now = Date.parse('2026-12-01T09:00:00.000Z');
  return {
    now: () => {
      now += 1_000;
      return new Date(now);
    },
    sleep: async () => {},
  };
}

let simulator: Simulator;
/** What the simulator's answers go through: none until a case sets it. */
let hostile: Reshape | undefined;

beforeAll(async () => {
  simulator = await startSimulator({
    inventory: (await loadEstate('examples/acme-edge')).inventory,
    reshapeAnswer: (request, answer) => hostile?.(request, answer),
  });
});

afterAll(async () => {
  await simulator?.close();
});

describe('a sweep meeting a list it cannot read', () => {
  test.each([
    { name: 'the aggregated list answers an HTML page', hostile: htmlOn(AGGREGATED_BS) },
    {
      name: 'the aggregated list answers items as an array of records',
      hostile: reshapeOn(AGGREGATED_BS, (body) => ({
        ...body,
        items: Object.values(body.items as Scopes).flatMap((scope) => scope.backendServices ?? []),
      })),
    },
    {
      name: "a scope's records are an object keyed by name",
      hostile: reshapeOn(AGGREGATED_BS, (body) => {
        for (const scope of Object.values(body.items as Scopes)) {
          const records = scope.backendServices as { name: string }[] | undefined;
          if (records) scope.backendServices = Object.fromEntries(records.map((bs) => [bs.name, bs]));
        }
        return body;
      }),
    },
    { name: 'the gateway list answers an HTML page', hostile: htmlOn(GATEWAYS) },
    {
      name: 'the aggregated list names its first page as the next, every time',
      hostile: reshapeOn(AGGREGATED_BS, (body) => ({ ...body, nextPageToken: encodePageToken(0) })),
    },
    {
      name: 'the gateway list names its first page as the next, every time',
      hostile: reshapeOn(GATEWAYS, (body) => ({ ...body, nextPageToken: encodePageToken(0) })),
    },
  ])('$name: nothing deleted, no finding resolved', async (testCase) => {
    const store = new MemoryStore();
    const deps: SweepDeps = {
      source: await createGoogleApisSource({ endpoint: simulator.url, retry: { maxAttempts: 1 } }),
      snapshots: store,
      findings: store,
      judgements: store,
      rules: ALL_RULES,
      policy: { rules: {}, exemptions: [] },
      clock: clock(),
      log: new MemoryLogger(),
    };
    hostile = undefined;
    await sweepProject(PROJECT, deps);
    const open = await store.query({ project: PROJECT, states: ['open'] });
    expect(open.length).toBeGreaterThan(0);

    hostile = testCase.hostile;
    try {
      const outcome = await sweepProject(PROJECT, deps);
      expect(outcome.deleted).toBe(0);
      expect(outcome.transitions).toBe(0);
      expect(outcome.incomplete.length).toBeGreaterThan(0);
    } finally {
      hostile = undefined;
    }
    expect(await store.query({ project: PROJECT, states: ['open'] })).toEqual(open);
    const names = await store.namesOfProject(PROJECT);
    expect((await store.get(names)).filter((snapshot) => snapshot.deleted)).toEqual([]);
  });
});

function htmlOn(path: string): Reshape {
  return (request) =>
    request.path === path ? { status: 200, text: HTML, contentType: 'text/html; charset=UTF-8' } : undefined;
}
