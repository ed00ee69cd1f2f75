import { formatIssues } from '@sightline/contracts';
import type { TSchema } from '@sinclair/typebox';
import type { Projection } from './projections';
import { coalesce, type VersionedUpsert } from './versioned-upsert';

/** A stored message as the projector sees it. */
export interface InputMessage {
  readonly subject: string;
  /** Stream sequence. */
  readonly seq: number;
  readonly data: Uint8Array;
  /** How many times the stream has delivered it (1 the first time). */
  readonly deliveryCount: number;
  /** A control message (`Sightline-Control` header, e.g. a tick): carries no payload to project. */
  readonly control: boolean;
}

/** A message that cannot be projected, and why. */
export interface InvalidMessage {
  readonly message: InputMessage;
  readonly error: string;
}

/** What to do with a batch: one write, then acknowledge every message of it. */
export interface BatchPlan {
  /** Coalesced: one per document. */
  readonly upserts: VersionedUpsert[];
  readonly invalid: InvalidMessage[];
  /** Control messages and valid messages with nothing to project (e.g. live scores). */
  readonly ignored: number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes, validates and maps a batch. Pure: the same batch always gives the same plan. */
export function planBatch<S extends TSchema>(projection: Projection<S>, messages: readonly InputMessage[]): BatchPlan {
  const upserts: VersionedUpsert[] = [];
  const invalid: InvalidMessage[] = [];
  let ignored = 0;
  for (const message of messages) {
    if (message.control) {
      ignored++;
      continue;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(message.data));
    } catch (error) {
      invalid.push({ message, error: `not JSON: ${(error as Error).message}` });
      continue;
    }
    const result = projection.validator.validate(payload);
    if (!result.ok) {
      invalid.push({ message, error: formatIssues(result.issues) });
      continue;
    }
    const produced = projection.upserts(result.value);
    if (produced.length === 0) ignored++;
    upserts.push(...produced);
  }
  return { upserts: coalesce(upserts), invalid, ignored };
}
