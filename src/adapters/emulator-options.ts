// Client options that keep Google's client libraries from probing the metadata server when they talk to an emulator.
//
// Building a gRPC stub, google-gax asks the auth library which universe the credentials belong to. With no
// credentials configured that means looking for Application Default Credentials, whose last step is a probe of the
// GCE metadata server (169.254.169.254 and metadata.google.internal). Off Google Cloud the probe fails, and an
// unexpected failure (a proxy answering 403) prints a MetadataLookupWarning that reads like a fault, although an
// emulator needs no credentials at all. Naming the universe answers the question without the probe.

const UNIVERSE = 'googleapis.com';

/** Spread into the Firestore client's settings (the client finds FIRESTORE_EMULATOR_HOST itself). */
export function firestoreEmulatorOptions(emulatorHost: string | undefined): {
  readonly universeDomain?: string;
} {
  return emulatorHost ? { universeDomain: UNIVERSE } : {};
}

/**
 * Spread into the PubSub client's options. Emulator mode is stated, not left to the client: it takes any client
 * that names a universe for the real service, and would then ask the emulator for TLS and credentials.
 */
export function pubsubEmulatorOptions(emulatorHost: string | undefined): {
  readonly apiEndpoint?: string;
  readonly emulatorMode?: boolean;
  readonly universeDomain?: string;
} {
  return emulatorHost ? { apiEndpoint: emulatorHost, emulatorMode: true, universeDomain: UNIVERSE } : {};
}
