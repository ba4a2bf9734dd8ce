// Golden-file comparison for the alert formatters: UPDATE_GOLDEN=1 rewrites, then a human reviews the diff.

import { readFile, writeFile } from 'node:fs/promises';
import { expect } from 'vitest';

export async function expectGolden(actual: string, goldenPath: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(goldenPath, actual);
    return;
  }
  const golden = await readFile(goldenPath, 'utf8').catch(() => {
    throw new Error(`${goldenPath} is missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
  });
  expect(actual).toBe(golden);
}
