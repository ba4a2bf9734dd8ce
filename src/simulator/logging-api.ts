// Cloud Logging v2 `sinks.get` (GET /v2/{projects|folders|organizations}/X/sinks/S): the deployment's audit sinks.

import { notFound } from './api-error.js';
import type { PlatformState } from './platform.js';
import type { HandlerResult } from './request-context.js';

/** `segments` after `v2`. */
export function handleLogging(
  method: string,
  segments: readonly string[],
  platform: PlatformState,
): HandlerResult | undefined {
  if (method !== 'GET' || segments.length !== 4 || segments[2] !== 'sinks') return undefined;
  if (!['projects', 'folders', 'organizations'].includes(segments[0] ?? '')) return undefined;
  const name = segments.join('/');
  const sink = platform.get().sinks.find((candidate) => candidate.name === name);
  if (!sink) throw notFound(name);
  return {
    status: 200,
    body: {
      name: segments[3],
      destination: sink.destination,
      filter: sink.filter ?? '',
      writerIdentity: sink.writerIdentity,
      ...(sink.disabled ? { disabled: true } : {}),
      // The API leaves false booleans out of its answers.
      ...(segments[0] === 'projects' || sink.includeChildren === false ? {} : { includeChildren: true }),
    },
  };
}
