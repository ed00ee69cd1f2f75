import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { PartitionedInput } from '@sightline/contracts';

/** How long the durable of a previous owner lingers before the server deletes it. */
const STALE_DURABLE_MS = 5 * 60_000;

export interface PartitionDurableSpec {
  readonly input: PartitionedInput;
  readonly partition: number;
  readonly durable: string;
  /** Last input sequence in the checkpoint: delivery starts right after it. */
  readonly after: number;
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
}

/**
 * A durable of its own for one run of a partition (acknowledge-all), starting right after the
 * checkpoint. Durables of earlier runs are left to expire (`inactive_threshold`): listing them
 * would ask the server for every consumer's pending count, which NATS 2.9 then keeps recomputing
 * on delivery and slows the partition by an order of magnitude.
 */
export async function createPartitionDurable(jsm: JetStreamManager, spec: PartitionDurableSpec): Promise<void> {
  await jsm.consumers.add(spec.input.stream, {
    durable_name: spec.durable,
    filter_subject: spec.input.filter(spec.partition),
    ack_policy: AckPolicy.All,
    ...(spec.after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: spec.after + 1 } : { deliver_policy: DeliverPolicy.All }),
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    inactive_threshold: nanos(STALE_DURABLE_MS),
  });
}
