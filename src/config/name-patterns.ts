// The shapes of the Google names a setting may hold, shared by the environment (environment.ts), the policy file
// (policy-file.ts), the CLI and the doctor's deployment file, so a name accepted in one is accepted in the others.

/** A Pub/Sub topic: `projects/PROJECT_ID/topics/TOPIC` (a topic ID starts with a letter, 3-255 characters). */
export const TOPIC_NAME =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/[A-Za-z][-A-Za-z0-9._~%+]{2,254}$/;

/** A Firestore database ID: `(default)`, or 4-63 lowercase letters, digits and hyphens starting with a letter. */
export const FIRESTORE_DATABASE_ID = /^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/;

/**
 * A Secret Manager secret or one of its versions: `projects/PROJECT/secrets/SECRET[/versions/latest|N]` (the project
 * by ID or number).
 */
export const SECRET_NAME = /^projects\/[^/\s]+\/secrets\/[A-Za-z0-9_-]{1,255}(\/versions\/(latest|\d+))?$/;
