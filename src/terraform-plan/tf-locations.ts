// Where each planned resource is declared: the `.tf` file and line of its `resource "TYPE" "NAME"` block.
// The plan JSON carries no line numbers, so the module's directory is searched, following local module sources.

import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputFileError, readInputText } from '../adapters/files/input-file.js';
import type { PlanIndex } from './plan-index.js';

export interface SourceLocation {
  /** Path relative to the repository root, with `/` separators (what code scanning expects). */
  readonly uri: string;
  readonly line: number;
}

export interface Declarations {
  /** `resource` blocks: `TYPE.NAME` -> 1-based line. */
  readonly resources: ReadonlyMap<string, number>;
  /** `module` blocks: call name -> 1-based line. */
  readonly modules: ReadonlyMap<string, number>;
}

const RESOURCE_BLOCK = /^\s*resource\s+"([^"]+)"\s+"([^"]+)"/;
const MODULE_BLOCK = /^\s*module\s+"([^"]+)"/;

/** Finds block declarations in one `.tf` file's text. */
export function findDeclarations(text: string): Declarations {
  const resources = new Map<string, number>();
  const modules = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    const resource = RESOURCE_BLOCK.exec(line);
    if (resource) resources.set(`${resource[1]}.${resource[2]}`, index + 1);
    const module = MODULE_BLOCK.exec(line);
    if (module?.[1]) modules.set(module[1], index + 1);
  });
  return { resources, modules };
}

function isLocalSource(source: string | undefined): source is string {
  return source !== undefined && (source.startsWith('./') || source.startsWith('../'));
}

export function toRepositoryUri(file: string, repositoryRoot: string): string {
  return relative(repositoryRoot, file).split(sep).join('/');
}

/** The nearest directory upwards holding `.git`; the start directory when there is none. */
export async function findRepositoryRoot(start: string): Promise<string> {
  let current = resolve(start);
  for (;;) {
    if (
      await stat(join(current, '.git')).then(
        () => true,
        () => false,
      )
    )
      return current;
    const parent = dirname(current);
    if (parent === current) return resolve(start);
    current = parent;
  }
}

/**
 * A hand-written `.tf` file is kilobytes; the bound only keeps a stray `x.tf` (a disk image, a symlink to a huge
 * file) from being read whole for what is a nicety of SARIF output.
 */
export const MAX_TF_FILE_BYTES = 16 * 1024 * 1024;

export interface LocateOptions {
  /** Told once per `*.tf` file that was skipped because it is not a readable regular file within the bound. */
  readonly onSkippedFile?: (problem: InputFileError) => void;
}

export interface LocatableResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly modulePath: readonly string[];
}

/**
 * Locates each resource in `tfDir` (the root module) or its local module's directory. A resource inside a
 * registry or git module is located at the `module` block that calls it, the closest line the repository holds.
 */
export async function locateResources(
  resources: readonly LocatableResource[],
  index: PlanIndex,
  tfDir: string,
  repositoryRoot: string,
  options: LocateOptions = {},
): Promise<Map<string, SourceLocation>> {
  const cache = new Map<string, Promise<Map<string, { file: string; declarations: Declarations }>>>();
  const scan = (dir: string) => {
    let pending = cache.get(dir);
    if (!pending) {
      pending = scanDirectory(dir, options);
      cache.set(dir, pending);
    }
    return pending;
  };
  const locations = new Map<string, SourceLocation>();
  for (const resource of resources) {
    let dir = resolve(tfDir);
    let fallback: SourceLocation | undefined;
    let reachable = true;
    for (const [depth, call] of resource.modulePath.entries()) {
      const source = index.moduleCalls.get(resource.modulePath.slice(0, depth + 1).join('.'))?.source;
      const callSite = await findIn(await scan(dir), (declarations) => declarations.modules.get(call));
      if (callSite) fallback = { uri: toRepositoryUri(callSite.file, repositoryRoot), line: callSite.line };
      if (!isLocalSource(source)) {
        reachable = false;
        break;
      }
      dir = resolve(dir, source);
    }
    const found = reachable
      ? await findIn(await scan(dir), (declarations) =>
          declarations.resources.get(`${resource.type}.${resource.name}`),
        )
      : undefined;
    const location = found
      ? { uri: toRepositoryUri(found.file, repositoryRoot), line: found.line }
      : fallback;
    if (location) locations.set(resource.address, location);
  }
  return locations;
}

async function findIn(
  files: Map<string, { file: string; declarations: Declarations }>,
  pick: (declarations: Declarations) => number | undefined,
): Promise<{ file: string; line: number } | undefined> {
  for (const { file, declarations } of files.values()) {
    const line = pick(declarations);
    if (line !== undefined) return { file, line };
  }
  return undefined;
}

// Each directory is scanned once (locateResources caches it), so a skipped file is reported once.
async function scanDirectory(
  dir: string,
  options: LocateOptions,
): Promise<Map<string, { file: string; declarations: Declarations }>> {
  const found = new Map<string, { file: string; declarations: Declarations }>();
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries.filter((name) => name.endsWith('.tf')).sort()) {
    const file = join(dir, entry);
    // Any name can end in `.tf`: a FIFO would block a plain read forever and a link to /dev/zero never end it.
    let text: string;
    try {
      text = await readInputText(file, MAX_TF_FILE_BYTES);
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      options.onSkippedFile?.(error);
      continue;
    }
    found.set(file, { file, declarations: findDeclarations(text) });
  }
  return found;
}
