// Delivers to a served function as a Pub/Sub push subscription would: the body it POSTs, and the POST itself.

export interface PushOptions {
  /** The message attributes; by default the timestamp attribute Cloud Logging sinks set. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly publishTime?: string;
}

/** What a Pub/Sub push subscription POSTs: the framework turns it into a messagePublished CloudEvent. */
export function pushBody(
  payload: string,
  messageId: string,
  subscription = 'projects/acme-sec/subscriptions/audit-push',
  {
    attributes = { 'logging.googleapis.com/timestamp': '2026-05-11T14:12:25.678Z' },
    publishTime = '2026-05-11T14:12:27.004Z',
  }: PushOptions = {},
) {
  return {
    message: {
      data: Buffer.from(payload, 'utf8').toString('base64'),
      attributes,
      messageId,
      publishTime,
    },
    subscription,
  };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
