// The hierarchy an estate describes (projects.json parents, folders.json) and the simulator serving it to a tree walk.

import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { foldersOf, projectsOf } from '../../../src/adapters/estate-files/hierarchy-files.js';
import { createResourceManagerReader } from '../../../src/adapters/googleapis/resource-tree.js';
import { createSimulateCommand } from '../../../src/cli/commands/simulate.js';
import type { CliIo } from '../../../src/cli/io.js';
import type { ScopeTree } from '../../../src/domain/scope-tree.js';

const ORG = '301122334455';

/** What `gcloud projects describe P --format=json` prints (v1: parent as type and id). */
function described(projectId: string, projectNumber: string, parent: object, lifecycleState = 'ACTIVE') {
  return {
    createTime: '2025-11-03T09:12:44.101Z',
    lifecycleState,
    name: projectId,
    parent,
    projectId,
    projectNumber,
  };
}

/** What `gcloud resource-manager folders list --format=json` prints. */
function listed(id: string, parent: string, displayName: string) {
  return {
    createTime: '2025-06-02T08:00:00.000Z',
    displayName,
    lifecycleState: 'ACTIVE',
    name: `folders/${id}`,
    parent,
  };
}

describe('projects.json and folders.json records', () => {
  test('parents in both spellings, states from lifecycleState or state, projects outside any organisation left out', () => {
    expect(
      projectsOf('projects.json', [
        described('acme-edge', '123456789012', { type: 'organization', id: ORG }),
        described('acme-team', '123456789013', { type: 'folder', id: 71 }, 'DELETE_REQUESTED'),
        { projectId: 'acme-v3', projectNumber: '5', parent: 'folders/72', state: 'ACTIVE' },
        { projectId: 'acme-loose', projectNumber: '6' },
      ]),
    ).toEqual([
      {
        projectId: 'acme-edge',
        projectNumber: '123456789012',
        parent: `organizations/${ORG}`,
        state: 'ACTIVE',
      },
      {
        projectId: 'acme-team',
        projectNumber: '123456789013',
        parent: 'folders/71',
        state: 'DELETE_REQUESTED',
      },
      { projectId: 'acme-v3', projectNumber: '5', parent: 'folders/72', state: 'ACTIVE' },
    ]);
    expect(foldersOf('folders.json', [listed('71', `organizations/${ORG}`, 'Prod')])).toEqual([
      { name: 'folders/71', parent: `organizations/${ORG}`, displayName: 'Prod', state: 'ACTIVE' },
    ]);
  });

  test.each([
    ['folders.json that is not an array', () => foldersOf('f.json', {}), 'f.json: expected a JSON array'],
    [
      'a folder that is not an object',
      () => foldersOf('f.json', [42]),
      'f.json: record .[0] is not an object',
    ],
    [
      'a folder name of another kind',
      () => foldersOf('f.json', [{ ...listed('1', 'organizations/2', 'x'), name: 'projects/1' }]),
      'f.json: record .[0] "name" must be like folders/123456789, got "projects/1"',
    ],
    [
      'a folder with no parent',
      () => foldersOf('f.json', [{ name: 'folders/1', displayName: 'x' }]),
      'f.json: record .[0] (folders/1) "parent" must be folders/N or organizations/N, got undefined',
    ],
    [
      'a folder listed twice',
      () => foldersOf('f.json', [listed('1', 'organizations/2', 'a'), listed('1', 'organizations/2', 'b')]),
      'f.json: record .[1] repeats folders/1',
    ],
    [
      'a folder state nobody uses',
      () => foldersOf('f.json', [{ ...listed('1', 'organizations/2', 'a'), lifecycleState: 'GONE' }]),
      'f.json: record .[0] (folders/1) "lifecycleState" must be one of ACTIVE, DELETE_REQUESTED, DELETE_IN_PROGRESS, got "GONE"',
    ],
    [
      'a project parent of an unknown type',
      () => projectsOf('p.json', [described('acme-x', '1', { type: 'project', id: '2' })]),
      'p.json: record .[0] "parent" must be { "type": "folder" | "organization", "id": "123" }, got {"type":"project","id":"2"}',
    ],
    [
      'a project parent with a control character in its id',
      () => projectsOf('p.json', described('acme-x', '1', { type: 'folder', id: '1\u001b[2J' })),
      'p.json: the record "parent" must be { "type": "folder" | "organization", "id": "123" }, got {"type":"folder","id":"1\\u001b[2J"}',
    ],
  ])('%s is one line naming file, record and field', (_name, read, message) => {
    expect(read).toThrow(message);
    try {
      read();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain('\u001b');
      expect((error as { badInput?: boolean }).badInput).toBe(true);
    }
  });
});

describe('gatewarden simulate --estate DIR with projects.json and folders.json', () => {
  test('serves the tree: an organisation walk finds the ACTIVE projects at every depth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-tree-estate-'));
    cpSync(new URL('../../../examples/acme-edge', import.meta.url).pathname, dir, { recursive: true });
    writeFileSync(
      join(dir, 'projects.json'),
      JSON.stringify([
        described('acme-edge', '123456789012', { type: 'organization', id: ORG }),
        described('acme-payments', '123456789013', { type: 'folder', id: '73' }),
        described('acme-retired', '123456789014', { type: 'folder', id: '72' }, 'DELETE_REQUESTED'),
      ]),
    );
    writeFileSync(
      join(dir, 'folders.json'),
      JSON.stringify([
        listed('71', `organizations/${ORG}`, 'Production'),
        listed('72', 'folders/71', 'Payments'),
        listed('73', 'folders/72', 'Payments API'),
      ]),
    );
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
    };
    let tree: ScopeTree | undefined;
    const command = createSimulateCommand({
      waitForStop: async (simulator) => {
        const reader = await createResourceManagerReader({ endpoint: simulator.url });
        tree = await reader.readTree(`organizations/${ORG}`);
      },
    });
    expect(await command(['--estate', dir], io), err.join('')).toBe(0);
    expect(tree?.projects).toEqual([
      { projectId: 'acme-edge', projectNumber: '123456789012', parent: `organizations/${ORG}` },
      { projectId: 'acme-payments', projectNumber: '123456789013', parent: 'folders/73' },
    ]);
    expect(tree?.nodes).toEqual(['folders/71', 'folders/72', 'folders/73', `organizations/${ORG}`]);
    expect(tree?.unreadable).toEqual([]);
  });

  test('a bad folders.json stops the simulator before it serves, with the one-line error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-tree-estate-'));
    cpSync(new URL('../../../examples/acme-edge', import.meta.url).pathname, dir, { recursive: true });
    writeFileSync(join(dir, 'folders.json'), JSON.stringify([{ name: 'folders/1', parent: 'billing/2' }]));
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
    const command = createSimulateCommand({ waitForStop: async () => {} });
    await expect(command(['--estate', dir], io)).rejects.toThrow(
      `${join(dir, 'folders.json')}: record .[0] (folders/1) "parent" must be folders/N or organizations/N, got "billing/2"`,
    );
  });
});
