import type { TSchema } from '@sinclair/typebox';
import { subjects, type PartitionedInput, type Topology } from '@sightline/contracts';
import type { ConsumerBinding } from './jetstream.transport';

/**
 * A binding whose consumer group is named after the pattern (`qoe-scorer.views` ->
 * `qoe-scorer-views`) and whose poison messages go to that group's dead-letter subject.
 */
export function consumerBinding(
  topology: Topology,
  pattern: string,
  input: PartitionedInput,
  schema: TSchema,
  extra: Partial<Pick<ConsumerBinding, 'timerPattern' | 'keyOf' | 'tuning'>> = {},
): ConsumerBinding {
  const group = pattern.replace(/[^A-Za-z0-9_-]/g, '-');
  return { pattern, group, input, schema, deadLetterSubject: subjects.deadLetter(topology, group), ...extra };
}
