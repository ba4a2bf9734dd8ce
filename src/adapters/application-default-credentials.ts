// Whether Application Default Credentials can be found, asked before a Google client library is built against the
// real service. The Firestore client rejects its own credential lookup on promises nobody awaits, so without this
// check a command with no credentials dies of an unhandled rejection instead of saying what is missing.

/** No credentials to call Google with: bad input (the caller's setup), never worth a retry. */
export class NoCredentialsError extends Error {
  override readonly name = 'NoCredentialsError';
  readonly badInput = true;
  readonly retryable = false;
}

/** Throws a NoCredentialsError naming `what` needed them and how to sign in, when none can be found. */
export async function requireApplicationDefaultCredentials(what: string): Promise<void> {
  const { GoogleAuth } = await import('google-auth-library');
  try {
    // Finds the credentials (key file, gcloud's ADC file, or the metadata server); fetches no token.
    await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
  } catch (error) {
    const cause = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : String(error);
    throw new NoCredentialsError(
      `${what} needs Application Default Credentials (${cause.slice(0, 200)}): sign in with gcloud auth application-default login`,
    );
  }
}
