import type { Static, TSchema } from '@sinclair/typebox';
import type { Projection } from './projections';
import { coalesce, type VersionedUpsert } from './versioned-upsert';

/** What to write for a batch of valid payloads: one write, then the batch is acknowledged. */
export interface BatchPlan {
  /** Coalesced: one per document. */
  readonly upserts: VersionedUpsert[];
  /** Payloads with nothing to project (e.g. live scores). */
  readonly ignored: number;
}

/** Maps a batch of payloads valid for the projection. Pure: the same batch always gives the same plan. */
export function planBatch<S extends TSchema>(projection: Projection<S>, payloads: readonly Static<S>[]): BatchPlan {
  const upserts: VersionedUpsert[] = [];
  let ignored = 0;
  for (const payload of payloads) {
    const produced = projection.upserts(payload);
    if (produced.length === 0) ignored++;
    upserts.push(...produced);
  }
  return { upserts: coalesce(upserts), ignored };
}
