import type { TSchema } from '@sinclair/typebox';
import { streamName, subjects, type StreamKey, type Topology } from '@sightline/contracts';
import type { ConsumerBinding } from './jetstream.transport';

/**
 * A binding whose durable is named after the pattern (`qoe-scorer.views` -> `qoe-scorer-views`)
 * and whose poison messages go to the dead-letter subject of that durable.
 */
export function consumerBinding(
  topology: Topology,
  pattern: string,
  stream: StreamKey,
  filterSubject: string,
  schema: TSchema,
  tuning: Pick<ConsumerBinding, 'ackWaitMs' | 'maxAckPending'> = {},
): ConsumerBinding {
  const durable = pattern.replace(/[^A-Za-z0-9_-]/g, '-');
  return {
    pattern,
    stream: streamName(topology, stream),
    durable,
    filterSubject,
    schema,
    deadLetterSubject: subjects.deadLetter(topology, durable),
    ...tuning,
  };
}
