// The Firestore the functions write to, opened for CLI commands (`baseline approve`, `report`) from the same variables:
// GOOGLE_CLOUD_PROJECT (required), GATEWARDEN_FIRESTORE_DATABASE, and FIRESTORE_EMULATOR_HOST (read by the client).

import type { Firestore } from '@google-cloud/firestore';
import { FIRESTORE_DATABASE_ID } from '../config/name-patterns.js';
import { type CliIo, UsageError } from './io.js';

const PROJECT_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export async function openFirestore(io: CliIo): Promise<Firestore> {
  const project = io.env.GOOGLE_CLOUD_PROJECT?.trim();
  if (!project) {
    throw new UsageError(
      'GOOGLE_CLOUD_PROJECT must name the project whose Firestore holds the findings (the functions use the same variable)',
    );
  }
  if (!PROJECT_PATTERN.test(project)) {
    throw new UsageError(`GOOGLE_CLOUD_PROJECT ${JSON.stringify(project.slice(0, 40))} is not a project ID`);
  }
  const database = io.env.GATEWARDEN_FIRESTORE_DATABASE?.trim() || '(default)';
  if (!FIRESTORE_DATABASE_ID.test(database)) {
    throw new UsageError(
      `GATEWARDEN_FIRESTORE_DATABASE ${JSON.stringify(database.slice(0, 70))} is not a Firestore database ID`,
    );
  }
  // The client reads FIRESTORE_EMULATOR_HOST from the process; the emulator needs no credentials.
  if (!process.env.FIRESTORE_EMULATOR_HOST) {
    const { requireApplicationDefaultCredentials } = await import(
      '../adapters/application-default-credentials.js'
    );
    await requireApplicationDefaultCredentials(`Firestore of ${project}`);
  }
  const { createFirestore } = await import('../adapters/firestore/client.js');
  return createFirestore({ projectId: project, databaseId: database });
}
