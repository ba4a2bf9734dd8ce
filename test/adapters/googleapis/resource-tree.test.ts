// The tree walk and the ancestry lookups through the real googleapis client on the simulator: paging, retries with
// the policy, what a list ignores (projects pending deletion, deleted folders), and the Resource Manager routes.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  createResourceManagerReader,
  ResourceTreeError,
} from '../../../src/adapters/googleapis/resource-tree.js';
import { emptyInventory } from '../../../src/domain/inventory.js';
import type { Clock } from '../../../src/ports/clock.js';
import { encodePageToken } from '../../../src/simulator/paging.js';
import {
  type AnswerRequest,
  type SimulatedAnswer,
  type Simulator,
  startSimulator,
} from '../../../src/simulator/server.js';
import { HIERARCHY, ORG } from '../../sweep/hierarchy.js';

/** Retries wait on this clock: no real sleeping, and the sleeps it was asked for are kept. */
const slept: number[] = [];
const clock: Clock = {
  now: () => new Date('2026-05-11T15:00:00.000Z'),
  sleep: async (ms) => {
    slept.push(ms);
  },
};

let simulator: Simulator;
type Reshape = (request: AnswerRequest, answer: SimulatedAnswer) => SimulatedAnswer | undefined;
/** What Resource Manager's answers go through: none unless a test sets it. */
let hostile: Reshape | undefined;

beforeAll(async () => {
  simulator = await startSimulator({
    inventory: emptyInventory(),
    projects: HIERARCHY.projects,
    folders: [
      ...HIERARCHY.folders,
      { name: 'folders/2003', parent: 'folders/1001', state: 'DELETE_REQUESTED' },
    ],
    reshapeAnswer: (request, answer) => hostile?.(request, answer),
  });
});

afterAll(async () => {
  await simulator?.close();
});

beforeEach(() => {
  hostile = undefined;
  simulator.clearRequests();
  simulator.setFaults([]);
  slept.length = 0;
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${simulator.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the walk', () => {
  test('one project and one folder a page: every page is asked once, no more', async () => {
    const reader = await createResourceManagerReader({ endpoint: simulator.url, pageSize: 1, clock });
    const tree = await reader.readTree(ORG);
    expect(tree.projects.map((project) => project.projectId)).toEqual([
      'acme-deep-hidden',
      'acme-depth1-a',
      'acme-depth1-b',
      'acme-depth2-a',
      'acme-depth3-a',
      'acme-depth3-b',
      'acme-hidden',
      'acme-org-root',
      'acme-sandbox',
    ]);
    // Listed with showDeleted, so the project pending deletion is seen as such (and not swept).
    expect(tree.deleting).toMatchObject([{ projectId: 'acme-leaving', parent: 'folders/2001' }]);
    // Per node and list: max(1, children) pages at one a page; projects pending deletion are listed too.
    const nodes = [ORG, ...HIERARCHY.folders.filter((f) => f.name !== 'folders/9001').map((f) => f.name)];
    const children = (node: string) => ({
      folders: HIERARCHY.folders.filter((folder) => folder.parent === node).length,
      projects: HIERARCHY.projects.filter((p) => p.parent === node).length,
    });
    const minimum = nodes.reduce(
      (total, node) => total + Math.max(1, children(node).folders) + Math.max(1, children(node).projects),
      0,
    );
    expect(simulator.requests()).toHaveLength(minimum);
  });

  test('a folder pending deletion is not walked', async () => {
    const reader = await createResourceManagerReader({ endpoint: simulator.url, clock });
    const tree = await reader.readTree('folders/1001');
    expect(tree.nodes).not.toContain('folders/2003');
    expect(simulator.requests().some((request) => request.query.parent === 'folders/2003')).toBe(false);
  });

  test('a 503 on one folder is retried with the policy and the walk completes', async () => {
    simulator.setFaults([{ path: '/v3/folders/2001', status: 503, times: 1 }]);
    // The fault is on the folder's own path: its first list answers 503 once.
    const reader = await createResourceManagerReader({ endpoint: simulator.url, clock });
    const tree = await reader.readTree('folders/1001');
    expect(tree.unreadable).toEqual([]);
    expect(tree.projects.map((project) => project.projectId)).toContain('acme-depth3-b');
    expect(simulator.requests().filter((request) => request.status === 503)).toHaveLength(1);
    expect(slept).toHaveLength(1);
  });

  test('a folder that keeps answering 429 past the retry budget is recorded as unreadable, not thrown', async () => {
    simulator.setFaults([{ path: '/v3/folders/2001', status: 429 }]);
    let now = Date.parse('2026-05-11T15:00:00.000Z');
    const advancing: Clock = {
      now: () => new Date(now),
      sleep: async (ms) => {
        now += ms;
      },
    };
    const reader = await createResourceManagerReader({ endpoint: simulator.url, clock: advancing });
    const tree = await reader.readTree('folders/1001');
    expect(tree.unreadable.map((part) => `${part.node} ${part.missing}`)).toEqual([
      'folders/2001 folders',
      'folders/2001 projects',
    ]);
    expect(tree.unreadable[0]?.reason).toContain('429');
    expect(tree.projects.map((project) => project.projectId)).toEqual(['acme-depth1-a']);
  });
});

/** The `list` (folders or projects) of `parent`, its body as `reshape` makes it. */
function listOf(
  list: 'folders' | 'projects',
  parent: string,
  reshape: (body: Record<string, unknown>) => unknown,
) {
  return (request: AnswerRequest, answer: SimulatedAnswer): SimulatedAnswer | undefined =>
    request.path === `/v3/${list}` &&
    request.query.parent === parent &&
    'body' in answer &&
    answer.status === 200
      ? { status: 200, body: reshape(structuredClone(answer.body) as Record<string, unknown>) }
      : undefined;
}

function newTokenEveryPage(list: 'folders' | 'projects', parent: string): Reshape {
  let offset = 1_000;
  return listOf(list, parent, (body) => ({ ...body, nextPageToken: encodePageToken(offset++) }));
}

describe('answers that are not a list, or pages that never end', () => {
  test.each([
    {
      name: 'folders.list names its first page as the next, every time',
      hostile: listOf('folders', 'folders/2001', (body) => ({ ...body, nextPageToken: encodePageToken(0) })),
      unreadable: {
        node: 'folders/2001',
        missing: 'folders',
        reason:
          'folders.list folders/2001: repeated a page token after 2 pages, so its paging would never end',
      },
      requests: { path: '/v3/folders', parent: 'folders/2001', count: 2 },
    },
    {
      name: 'projects.list hands out a new token for ever',
      hostile: newTokenEveryPage('projects', 'folders/2001'),
      unreadable: {
        node: 'folders/2001',
        missing: 'projects',
        reason: 'projects.list folders/2001: still paging after 3 pages, the most one list is read for',
      },
      requests: { path: '/v3/projects', parent: 'folders/2001', count: 3 },
    },
    {
      name: 'projects.list answers projects as an object',
      hostile: listOf('projects', 'folders/2001', (body) => ({ ...body, projects: { 'acme-depth2-a': {} } })),
      unreadable: {
        node: 'folders/2001',
        missing: 'projects',
        reason:
          'projects.list folders/2001 answered with a body that is not a list: projects is an object, not a list',
      },
      requests: { path: '/v3/projects', parent: 'folders/2001', count: 1 },
    },
    {
      name: 'folders.list holds null and a folder named like a path',
      hostile: listOf('folders', 'folders/2001', (body) => ({
        ...body,
        folders: [null, ...(body.folders as []), { name: 'folders/../1', state: 'ACTIVE' }],
      })),
      unreadable: {
        node: 'folders/2001',
        missing: 'folders',
        reason:
          'folders.list folders/2001: skipped 2 entries (entry 0 is null; entry 3 has name "folders/../1", not a ' +
          "folder's)",
        entriesSkipped: true,
      },
      requests: { path: '/v3/folders', parent: 'folders/2001', count: 1 },
    },
  ])('$name: that list is unreadable, the rest of the tree is read', async (testCase) => {
    hostile = testCase.hostile;
    const reader = await createResourceManagerReader({ endpoint: simulator.url, clock, maxPages: 3 });
    const tree = await reader.readTree('folders/1001');
    expect(tree.unreadable).toEqual([testCase.unreadable]);
    expect(tree.projects.map((project) => project.projectId)).toContain('acme-depth1-a');
    const { path, parent, count } = testCase.requests;
    const asked = simulator.requests().filter((r) => r.path === path && r.query.parent === parent);
    expect(asked).toHaveLength(count);
  });

  test('projects.list holding null and IDs that are not IDs: those are skipped and named, the others kept', async () => {
    hostile = listOf('projects', 'folders/3002', (body) => ({
      ...body,
      projects: [
        null,
        ...(body.projects as []),
        { name: 'projects/1', projectId: 'Bad/../ID', state: 'ACTIVE' },
        { name: 'projects/2', projectId: 7, state: 'ACTIVE' },
        { name: 'projects/3', projectId: '123456789', state: 'ACTIVE' },
      ],
    }));
    const reader = await createResourceManagerReader({ endpoint: simulator.url, clock });
    const tree = await reader.readTree('folders/3002');
    expect(tree.projects.map((project) => project.projectId)).toEqual(['acme-depth3-a', 'acme-depth3-b']);
    expect(tree.unreadable).toEqual([
      {
        node: 'folders/3002',
        missing: 'projects',
        reason:
          'projects.list folders/3002: skipped 4 entries (entry 0 is null; entry 3 has projectId "Bad/../ID", not ' +
          'a project ID; entry 4 has projectId 7, not a project ID; 1 more)',
        entriesSkipped: true,
      },
    ]);
  });

  test('the root repeating a page token fails the walk for good, as an unreadable root does', async () => {
    hostile = listOf('folders', 'folders/1001', (body) => ({ ...body, nextPageToken: encodePageToken(0) }));
    const reader = await createResourceManagerReader({ endpoint: simulator.url, clock });
    const error = await reader.readTree('folders/1001').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceTreeError);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('repeated a page token'),
    });
  });
});

describe('the simulator’s Resource Manager routes', () => {
  test.each([
    ['projects.list shows ACTIVE projects only', '/v3/projects?parent=folders/2001', 200, ['acme-depth2-a']],
    [
      'projects.list with showDeleted shows those pending deletion too',
      '/v3/projects?parent=folders/2001&showDeleted=true',
      200,
      ['acme-depth2-a', 'acme-leaving'],
    ],
    ['folders.list leaves out deleted folders', '/v3/folders?parent=folders/1001', 200, ['folders/2001']],
    [
      'folders.list with showDeleted',
      '/v3/folders?parent=folders/1001&showDeleted=true',
      200,
      // By display name, as the real list orders them ("Payments", then the unnamed "folders/2003").
      ['folders/2001', 'folders/2003'],
    ],
  ])('%s', async (_name, path, status, names) => {
    const { status: answered, body } = await get(path);
    expect(answered).toBe(status);
    const items = (body.projects ?? body.folders) as { projectId?: string; name: string }[];
    expect(items.map((item) => item.projectId ?? item.name)).toEqual(names);
  });

  test.each([
    ['a parent that is not a folder or organisation', '/v3/projects?parent=projects/acme', 400],
    ['no parent', '/v3/folders', 400],
    ['a folder that does not exist', '/v3/folders?parent=folders/777', 403],
    ['projects.get of a project that does not exist', '/v3/projects/acme-nowhere', 403],
    ['folders.get of a folder that does not exist', '/v3/folders/777', 403],
  ])('%s answers %i', async (_name, path, status) => {
    expect((await get(path)).status).toBe(status);
  });

  test('projects.get by ID or number, folders.get: the v3 shapes', async () => {
    const byId = await get('/v3/projects/acme-depth3-a');
    const byNumber = await get('/v3/projects/300200000001');
    expect(byId.body).toMatchObject({
      name: 'projects/300200000001',
      projectId: 'acme-depth3-a',
      parent: 'folders/3002',
      state: 'ACTIVE',
    });
    expect(byNumber.body).toEqual(byId.body);
    expect((await get('/v3/folders/3002')).body).toMatchObject({
      name: 'folders/3002',
      parent: 'folders/2001',
      displayName: 'Edge team',
      state: 'ACTIVE',
    });
  });
});
