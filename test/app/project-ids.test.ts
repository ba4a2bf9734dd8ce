// A project number turned into the project's ID for the event path: each learnt ID asked for once, and an answer that
// may change (a 403 while a grant propagates, a 404 for a project made a moment ago, a failed lookup) asked again.

import { describe, expect, test } from 'vitest';
import { createProjectIdResolver } from '../../src/app/project-ids.js';
import type { AncestryReader, NodeParent } from '../../src/ports/scope-tree.js';

const FOUND: NodeParent = {
  readable: true,
  parent: 'folders/1001',
  active: true,
  projectId: 'acme-edge',
  projectNumber: '300200000001',
};
const REFUSED: NodeParent = { readable: false, reason: 'projects.get projects/300200000001: 403 forbidden' };

/** Answers `projects.get` from a script, one answer per call (the last repeats), and counts the calls. */
function scripted(...answers: (NodeParent | Error)[]): AncestryReader & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async parentOf(resource) {
      asked.push(resource);
      const answer = answers[Math.min(asked.length, answers.length) - 1] as NodeParent | Error;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('createProjectIdResolver', () => {
  test('a project ID is returned as it is, with no call', async () => {
    const ancestry = scripted(FOUND);
    expect(await createProjectIdResolver(ancestry)('acme-edge')).toBe('acme-edge');
    expect(ancestry.asked).toEqual([]);
  });

  test('a number is looked up once and its ID remembered, concurrent questions sharing the lookup', async () => {
    const ancestry = scripted(FOUND);
    const idOf = createProjectIdResolver(ancestry);
    expect(await Promise.all([idOf('300200000001'), idOf('300200000001')])).toEqual([
      'acme-edge',
      'acme-edge',
    ]);
    expect(await idOf('300200000001')).toBe('acme-edge');
    expect(ancestry.asked).toEqual(['projects/300200000001']);
  });

  test.each([
    ['refused (a 403 while a grant propagates)', REFUSED],
    ['a lookup that failed', new Error('projects.get: 503 backendError')],
  ])('a number whose lookup was %s is asked about again next time', async (_case, first) => {
    const ancestry = scripted(first, FOUND);
    const idOf = createProjectIdResolver(ancestry);
    if (first instanceof Error) await expect(idOf('300200000001')).rejects.toThrow('503');
    else expect(await idOf('300200000001')).toBe('300200000001');
    expect(await idOf('300200000001')).toBe('acme-edge');
    expect(ancestry.asked).toHaveLength(2);
  });
});
