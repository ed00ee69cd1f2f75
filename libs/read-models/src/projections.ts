import type { TSchema, Static } from '@sinclair/typebox';
import { AlertSchema, CohortAggregateSchema, ScoredViewSchema } from '@sightline/contracts';
import { aggregateUpsert } from './aggregate-document';
import { alertUpsert } from './alert-document';
import { viewUpsert } from './view-document';
import type { VersionedUpsert } from './versioned-upsert';

/** How the messages of one input stream become read-model upserts. */
export interface Projection<S extends TSchema = TSchema> {
  /** The input, as named in metrics and durable names: `scores`, `aggregates`, `alerts`. */
  readonly input: 'scores' | 'aggregates' | 'alerts';
  /** Schema of the input's payloads: messages that do not match it are dead-lettered. */
  readonly schema: S;
  /** The upserts of one valid payload; none when the message is not for the read models. */
  upserts(payload: Static<S>): VersionedUpsert[];
}

/** Final scores to `views` (live scores, on the same stream, are not projected). */
export const scoresProjection: Projection<typeof ScoredViewSchema> = {
  input: 'scores',
  schema: ScoredViewSchema,
  upserts: (view) => (view.kind === 'final' ? [viewUpsert(view)] : []),
};

/** Cohort aggregates to `minute_metrics` and `hour_metrics`. */
export const aggregatesProjection: Projection<typeof CohortAggregateSchema> = {
  input: 'aggregates',
  schema: CohortAggregateSchema,
  upserts: (aggregate) => [aggregateUpsert(aggregate)],
};

/** Alert transitions to `alerts`. */
export const alertsProjection: Projection<typeof AlertSchema> = {
  input: 'alerts',
  schema: AlertSchema,
  upserts: (alert) => [alertUpsert(alert)],
};
