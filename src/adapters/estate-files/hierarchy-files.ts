// Reads the resource hierarchy an estate describes, for the simulator's Resource Manager: the parent and state of each
// project in projects.json (`gcloud projects describe` output) and the folders in folders.json (`gcloud
// resource-manager folders list` output). Bad records raise an EstateError naming file, record and field.

import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { EstateError } from './estate-error.js';
import { FOLDERS_FILE, PROJECTS_FILE } from './estate-layout.js';
import { readJson } from './load-estate.js';

/** A project's place in the hierarchy (the simulator's Resource Manager serves these). */
export interface HierarchyProject {
  readonly projectId: string;
  readonly parent: string;
  readonly projectNumber?: string;
  readonly state: 'ACTIVE' | 'DELETE_REQUESTED';
}

export interface HierarchyFolder {
  readonly name: string;
  readonly parent: string;
  readonly displayName?: string;
  readonly state: 'ACTIVE' | 'DELETE_REQUESTED';
}

export interface EstateHierarchy {
  readonly projects: readonly HierarchyProject[];
  readonly folders: readonly HierarchyFolder[];
}

const NUMBER = /^\d{1,20}$/;
const NODE = /^(folders|organizations)\/\d{1,20}$/;
/** v1 `lifecycleState` and v3 `state`: anything on its way out is not swept. */
const STATES: Readonly<Record<string, 'ACTIVE' | 'DELETE_REQUESTED'>> = {
  ACTIVE: 'ACTIVE',
  DELETE_REQUESTED: 'DELETE_REQUESTED',
  DELETE_IN_PROGRESS: 'DELETE_REQUESTED',
};

export async function loadEstateHierarchy(dir: string): Promise<EstateHierarchy> {
  const projectsPath = join(dir, PROJECTS_FILE);
  const foldersPath = join(dir, FOLDERS_FILE);
  return {
    projects: (await exists(projectsPath)) ? projectsOf(projectsPath, await readJson(projectsPath)) : [],
    folders: (await exists(foldersPath)) ? foldersOf(foldersPath, await readJson(foldersPath)) : [],
  };
}

/** Projects with a parent (a project outside any organisation has none, and no place in a tree). */
export function projectsOf(path: string, value: unknown): HierarchyProject[] {
  const entries = Array.isArray(value) ? value : [value];
  return entries.flatMap((entry, index): HierarchyProject[] => {
    const at = Array.isArray(value) ? `record .[${index}]` : 'the record';
    const record = objectAt(path, at, entry, '`gcloud projects describe PROJECT --format=json`');
    const { projectId, projectNumber } = record;
    if (typeof projectId !== 'string' || projectId === '')
      throw new EstateError(path, `${at} has no "projectId"`);
    if (record.parent === undefined) return [];
    return [
      {
        projectId,
        parent: projectParent(path, at, record.parent),
        ...(typeof projectNumber === 'string' || typeof projectNumber === 'number'
          ? { projectNumber: String(projectNumber) }
          : {}),
        state: stateOf(path, at, record),
      },
    ];
  });
}

export function foldersOf(path: string, value: unknown): HierarchyFolder[] {
  if (!Array.isArray(value)) {
    throw new EstateError(
      path,
      'expected a JSON array (as `gcloud resource-manager folders list --format=json` prints)',
    );
  }
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const at = `record .[${index}]`;
    const record = objectAt(path, at, entry, '`gcloud resource-manager folders list --format=json`');
    const { name, parent, displayName } = record;
    if (typeof name !== 'string' || !/^folders\/\d{1,20}$/.test(name)) {
      throw new EstateError(path, `${at} "name" must be like folders/123456789, got ${shown(name)}`);
    }
    if (seen.has(name)) throw new EstateError(path, `${at} repeats ${name}`);
    seen.add(name);
    if (typeof parent !== 'string' || !NODE.test(parent)) {
      throw new EstateError(
        path,
        `${at} (${name}) "parent" must be folders/N or organizations/N, got ${shown(parent)}`,
      );
    }
    if (displayName !== undefined && typeof displayName !== 'string') {
      throw new EstateError(path, `${at} (${name}) "displayName" must be text, got ${shown(displayName)}`);
    }
    return {
      name,
      parent,
      ...(typeof displayName === 'string' ? { displayName } : {}),
      state: stateOf(path, `${at} (${name})`, record),
    };
  });
}

function objectAt(path: string, at: string, entry: unknown, printedBy: string): Record<string, unknown> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new EstateError(path, `${at} is not an object; expected what ${printedBy} prints`);
  }
  return entry as Record<string, unknown>;
}

/** v1 `{ "type": "folder", "id": "123" }` (what gcloud prints) or v3 `"folders/123"`. */
function projectParent(path: string, at: string, parent: unknown): string {
  if (typeof parent === 'string' && NODE.test(parent)) return parent;
  const { type, id } = (typeof parent === 'object' && parent !== null ? parent : {}) as Record<
    string,
    unknown
  >;
  const collection = type === 'folder' ? 'folders' : type === 'organization' ? 'organizations' : undefined;
  const number = typeof id === 'number' ? String(id) : id;
  if (!collection || typeof number !== 'string' || !NUMBER.test(number)) {
    throw new EstateError(
      path,
      `${at} "parent" must be { "type": "folder" | "organization", "id": "123" }, got ${shown(parent)}`,
    );
  }
  return `${collection}/${number}`;
}

function stateOf(path: string, at: string, record: Record<string, unknown>): 'ACTIVE' | 'DELETE_REQUESTED' {
  const field = record.state !== undefined ? 'state' : 'lifecycleState';
  const value = record[field];
  if (value === undefined) return 'ACTIVE';
  const state = typeof value === 'string' ? STATES[value] : undefined;
  if (!state) {
    throw new EstateError(
      path,
      `${at} "${field}" must be one of ${Object.keys(STATES).join(', ')}, got ${shown(value)}`,
    );
  }
  return state;
}

function shown(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 60);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
