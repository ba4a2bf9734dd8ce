// Writes estates with one field replaced, for the tests that feed malformed exports to the CLI.

import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ORDERS_EDGE = 'test/fixtures/estates/orders-edge';

/** Sets `value` at `path` inside `target`, creating objects (or lists, for numeric steps) on the way. */
export function setPath(target: unknown, path: readonly (string | number)[], value: unknown): void {
  let current = target as Record<string | number, unknown>;
  path.forEach((step, index) => {
    if (index === path.length - 1) {
      current[step] = value;
      return;
    }
    const next = current[step];
    if (typeof next !== 'object' || next === null) {
      current[step] = typeof path[index + 1] === 'number' ? [] : {};
    }
    current = current[step] as Record<string | number, unknown>;
  });
}

/** Copies `from` into `dir`, with `records[index]` of `file` changed by `change`. */
export async function writeChangedEstate(
  dir: string,
  file: string,
  index: number,
  change: (record: Record<string, unknown>) => void,
  from = ORDERS_EDGE,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(from)) await copyFile(join(from, name), join(dir, name));
  const records = JSON.parse(await readFile(join(from, file), 'utf8')) as Record<string, unknown>[];
  change(records[index] as Record<string, unknown>);
  await writeFile(join(dir, file), JSON.stringify(records));
}
