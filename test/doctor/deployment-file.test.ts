// `doctor --deployment FILE` reads its file as every other input is read: a regular file under a size bound, refused
// at once with the file named (README: a FIFO or a symlink to a device is refused), never read without end.

import { mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigFileError } from '../../src/config/config-error.js';
import { readDeployment } from '../../src/doctor/deployment.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-deployment-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('readDeployment', () => {
  test('a symlink to /dev/zero is refused, not read until memory runs out', async () => {
    const link = join(scratch, 'zero.json');
    await symlink('/dev/zero', link);
    await expect(readDeployment(link)).rejects.toThrow(
      new ConfigFileError(link, '', 'is a character device, not a regular file'),
    );
  });

  test('a huge file is refused by its size, before it is read', async () => {
    const huge = join(scratch, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 64 * 1024 * 1024);
    await expect(readDeployment(huge)).rejects.toThrow(/huge\.json: is larger than \d+ MiB/);
  });

  test('a missing file names the file', async () => {
    const missing = join(scratch, 'missing.json');
    await expect(readDeployment(missing)).rejects.toThrow(new ConfigFileError(missing, '', 'file not found'));
  });
});
