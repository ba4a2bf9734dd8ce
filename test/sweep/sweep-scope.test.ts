// What a sweep message asks for: a table of real message bodies, and how each scope becomes projects.

import { describe, expect, test } from 'vitest';
import { parseSweepScope, projectsOfScope } from '../../src/app/sweep-scope.js';
import type { ScopeTree } from '../../src/domain/scope-tree.js';
import type { ScopeTreeReader } from '../../src/ports/scope-tree.js';

describe('parseSweepScope', () => {
  test.each([
    [
      'the fan-out message for one project',
      '{"project":"acme-edge"}',
      { kind: 'project', project: 'acme-edge' },
    ],
    [
      'a list of projects, duplicates once',
      '{"projects":["acme-a1","acme-b2","acme-a1"]}',
      { kind: 'projects', projects: ['acme-a1', 'acme-b2'] },
    ],
    [
      'a folder by name',
      '{"folder":"folders/314159265358"}',
      { kind: 'folder', parent: 'folders/314159265358' },
    ],
    ['a folder by number', '{"folder":"314159265358"}', { kind: 'folder', parent: 'folders/314159265358' }],
    [
      'an organisation',
      '{"organization":"organizations/456"}',
      { kind: 'organization', parent: 'organizations/456' },
    ],
    ['an empty scheduler tick', '', { kind: 'configured' }],
    ['a tick that is not JSON', 'nightly', { kind: 'configured' }],
    ['JSON naming no scope', '{"reason":"nightly"}', { kind: 'configured' }],
    ['an empty project list', '{"projects":[]}', { kind: 'configured' }],
  ])('%s', (_name, text, expected) => {
    expect(parseSweepScope(text)).toEqual(expected);
  });

  test.each([
    ['a project that is not an ID', '{"project":"../etc"}', '"project" must be a project ID'],
    ['projects that are not a list', '{"projects":"acme-a1"}', '"projects" must be a list'],
    ['a bad project in the list', '{"projects":["acme-a1","Not A Project"]}', 'not a project ID'],
    ['a folder path of another kind', '{"folder":"organizations/456"}', 'like folders/123456789'],
    ['an organisation that is not a number', '{"organization":"organizations/acme"}', 'like organizations/'],
    ['two scopes at once', '{"folder":"folders/1","projects":["acme-a1"]}', 'not projects and folder'],
  ])('%s is refused with a reason', (_name, text, problem) => {
    const scope = parseSweepScope(text);
    expect(scope).toHaveProperty('problem');
    expect((scope as { problem: string }).problem).toContain(problem);
  });
});

describe('projectsOfScope', () => {
  const tree = (root: string): ScopeTree => ({
    root,
    projects:
      root === 'folders/1'
        ? ['acme-a1', 'acme-b2', 'acme-c3'].map((projectId) => ({ projectId, parent: root }))
        : [],
    nodes: [root],
    deleting: [],
    unreadable: [],
  });
  const reader: ScopeTreeReader & { asked: string[] } = {
    asked: [],
    async readTree(root) {
      this.asked.push(root);
      return tree(root);
    },
  };

  test('a folder walks the tree; projects and the configured list do not', async () => {
    expect(await projectsOfScope({ kind: 'folder', parent: 'folders/1' }, [], reader)).toEqual({
      projects: ['acme-a1', 'acme-b2', 'acme-c3'],
      tree: tree('folders/1'),
    });
    expect(await projectsOfScope({ kind: 'configured' }, ['acme-x1', 'acme-x1'], reader)).toEqual({
      projects: ['acme-x1'],
    });
    expect(await projectsOfScope({ kind: 'project', project: 'acme-y1' }, [], reader)).toEqual({
      projects: ['acme-y1'],
    });
    expect(reader.asked).toEqual(['folders/1']);
  });

  test('a tick naming no scope walks the installation’s own tree when it has one', async () => {
    const found = await projectsOfScope({ kind: 'configured' }, { root: 'folders/1' }, reader);
    expect(found.projects).toEqual(['acme-a1', 'acme-b2', 'acme-c3']);
    expect(found.tree?.root).toBe('folders/1');
  });

  test('a folder without a reader is a clear error', async () => {
    await expect(
      projectsOfScope({ kind: 'organization', parent: 'organizations/4' }, [], undefined),
    ).rejects.toThrow('cannot sweep organizations/4: no resource tree reader is configured');
  });
});
