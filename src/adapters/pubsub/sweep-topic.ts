// SweepPublisher on the sweep topic: the same topic the scheduler ticks on, one `{ "project": P }` message each.

import type { PubSub } from '@google-cloud/pubsub';
import { FanOutError, projectSweepMessage, type SweepPublisher } from '../../ports/sweep-publisher.js';
import type { MessagePublisher } from './alert-topic-sink.js';

export function createSweepTopicPublisher(topic: MessagePublisher): SweepPublisher {
  return {
    async publishProjectSweeps(projects) {
      const outcomes = await Promise.allSettled(
        projects.map((project) =>
          topic.publishMessage({
            data: Buffer.from(projectSweepMessage(project), 'utf8'),
            // Lets a subscription filter or a dead-letter reader see which project a message was for.
            attributes: { project },
          }),
        ),
      );
      const failed = projects.filter((_, index) => outcomes[index]?.status === 'rejected');
      const firstFailure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed.length > 0) throw new FanOutError(failed, (firstFailure as PromiseRejectedResult).reason);
    },
  };
}

/** The Pub/Sub client's topic (it reads PUBSUB_EMULATOR_HOST itself); `topic` is `projects/P/topics/T`. */
export function createSweepTopicPublisherFor(pubsub: PubSub, topic: string): SweepPublisher {
  return createSweepTopicPublisher(pubsub.topic(topic));
}
