// What the optional active probe found at a gateway's direct URL: evidence handed to rules through their context.

/** Result of the active probe of one gateway's direct URL (off by default; run elsewhere, it is I/O). */
export type DirectUrlProbe =
  | { readonly ran: false; readonly reason: string }
  | {
      readonly ran: true;
      readonly url: string;
      /** HTTP status of an unauthenticated request to the direct URL. */
      readonly statusCode: number;
      /** The gateway answered the request without credentials (2xx/3xx rather than 401/403/404). */
      readonly answeredUnauthenticated: boolean;
      readonly probedAt: string;
    };

/** Probe results by gateway full name. Only a probe run supplies them, never a policy file. */
export type DirectUrlProbes = Readonly<Record<string, DirectUrlProbe>>;
