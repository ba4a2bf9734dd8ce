// Pub/Sub v1 admin reads `gatewarden doctor` makes: `topics.getIamPolicy` (GET /v1/projects/P/topics/T:getIamPolicy),
// `topics.get` (GET /v1/projects/P/topics/T) and `subscriptions.get` (GET /v1/projects/P/subscriptions/S). Messages
// go through the Pub/Sub emulator, not here.

import { notFound } from './api-error.js';
import type { PlatformState } from './platform.js';
import type { HandlerResult } from './request-context.js';

const GET_IAM_POLICY = ':getIamPolicy';

/** `segments` after `v1`: `projects`, `P`, `topics` | `subscriptions`, `NAME[:getIamPolicy]`. */
export function handlePubSubAdmin(
  method: string,
  segments: readonly string[],
  platform: PlatformState,
): HandlerResult | undefined {
  if (method !== 'GET' || segments.length !== 4 || segments[0] !== 'projects') return undefined;
  const [, project, collection, last = ''] = segments;
  if (collection === 'topics' && last.endsWith(GET_IAM_POLICY)) {
    const topic = `projects/${project}/topics/${last.slice(0, -GET_IAM_POLICY.length)}`;
    const policy = platform.get().topicPolicies.find((candidate) => candidate.topic === topic);
    // As the real API: a topic that does not exist is 404; one with no grants of its own answers an empty policy.
    if (!policy) throw notFound(topic);
    return {
      status: 200,
      body:
        policy.bindings.length > 0
          ? { version: 1, etag: 'BwYA', bindings: policy.bindings }
          : { etag: 'ACAB' },
    };
  }
  if (collection === 'topics') {
    const topic = `projects/${project}/topics/${last}`;
    if (!platform.get().topicPolicies.some((candidate) => candidate.topic === topic)) throw notFound(topic);
    return { status: 200, body: { name: topic } };
  }
  if (collection === 'subscriptions') {
    const name = `projects/${project}/subscriptions/${last}`;
    const subscription = platform.get().subscriptions.find((candidate) => candidate.name === name);
    if (!subscription) throw notFound(name);
    return {
      status: 200,
      body: {
        name,
        topic: subscription.topic,
        ...(subscription.pushEndpoint ? { pushConfig: { pushEndpoint: subscription.pushEndpoint } } : {}),
        ...(subscription.deadLetterTopic
          ? {
              deadLetterPolicy: {
                deadLetterTopic: subscription.deadLetterTopic,
                maxDeliveryAttempts: subscription.maxDeliveryAttempts ?? 5,
              },
            }
          : {}),
        ackDeadlineSeconds: 60,
        state: 'ACTIVE',
      },
    };
  }
  return undefined;
}
