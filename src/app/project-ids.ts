// A project named by its number, as API Gateway's audit entries may name it, turned into the project ID that
// snapshots, findings and referrers are keyed by everywhere else (a sweep reads IDs from selfLinks). Without it an
// event named by number judged a resource with no stored neighbourhood, and a delete named so re-judged nothing.

import { fullNameOf, withProject } from '../domain/resource-name.js';
import type { ChangeEvent } from '../events/change-event.js';
import type { AncestryReader } from '../ports/scope-tree.js';

/** The project's ID for a project number; anything else, or a number that cannot be read, comes back as it was. */
export type ProjectIdOf = (project: string) => Promise<string>;

const PROJECT_NUMBER = /^\d{1,20}$/;
/** Numbers remembered per instance; a number and its ID never change their pairing, so nothing expires. */
const MAX_REMEMBERED = 10_000;

/**
 * Asks Resource Manager (`projects.get` by number gives the ID), remembering each ID it learns. A number it will not
 * show (a 403 while a new grant propagates, a 404 for a project created a moment ago) is judged under the number
 * this time and asked about again next time; so is one whose lookup failed.
 */
export function createProjectIdResolver(ancestry: AncestryReader): ProjectIdOf {
  const known = new Map<string, Promise<string>>();
  return (project) => {
    if (!PROJECT_NUMBER.test(project)) return Promise.resolve(project);
    let id = known.get(project);
    if (id === undefined) {
      id = ancestry.parentOf(`projects/${project}`).then((found) => {
        if (found.readable && found.projectId) return found.projectId;
        known.delete(project);
        return project;
      });
      if (known.size >= MAX_REMEMBERED) known.clear();
      // Kept while in flight too, so the events of one burst share a lookup.
      known.set(project, id);
      id.catch(() => known.delete(project));
    }
    return id;
  };
}

/** The event with its project (and so its resource's full name) named by ID. */
export async function withProjectId(event: ChangeEvent, projectIdOf: ProjectIdOf): Promise<ChangeEvent> {
  const project = await projectIdOf(event.project);
  if (project === event.project) return event;
  const ref = withProject(event.ref, project);
  return { ...event, ref, project, resource: fullNameOf(ref) };
}
