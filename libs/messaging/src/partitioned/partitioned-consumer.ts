import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import type { PartitionedInput } from '@sightline/contracts';
import type { JetStreamConnection } from '../connection';
import type { PartitionHandler } from '../handler';
import { planAssignment } from './assignment';
import { AsyncPublisher } from '../async-publisher';
import { ChangelogStore } from './changelog-store';
import { PartitionLeases } from './partition-leases';
import { PartitionProcessor, type ProcessorHooks, type ProcessorLogger, type ProcessorTuning } from './partition-processor';

export interface PartitionedConsumerOptions<T extends TSchema, S> {
  readonly connection: JetStreamConnection;
  /**
   * The consumer group: instances with the same group share the partitions. It names the
   * durables, the output ids, the state bucket and the lease bucket, so keep it stable.
   */
  readonly group: string;
  /** Prefix of this group's KV buckets (the namespace). */
  readonly bucketPrefix: string;
  readonly input: PartitionedInput;
  readonly schema: T;
  readonly handler: PartitionHandler<Static<T>, S>;
  readonly deadLetterSubject: string;
  readonly logger: ProcessorLogger;
  /** Lease time: how long a dead instance keeps its partitions, ms. Default 10000. */
  readonly leaseTtlMs?: number;
  /** How often leases are renewed and the assignment revisited, ms. Default leaseTtlMs / 5. */
  readonly rebalanceIntervalMs?: number;
  readonly tuning?: ProcessorTuning;
  readonly hooks?: ProcessorHooks;
  /** Identity of this instance in the group. Default host-pid-random. */
  readonly instanceId?: string;
}

/**
 * Several instances of a service share a partitioned input: each partition is processed by the
 * one instance holding its lease. Instances join and leave (or die) without the others
 * restarting: partitions move, and their new owner resumes from the last checkpoint.
 */
export class PartitionedConsumer<T extends TSchema, S> {
  private readonly processors = new Map<number, PartitionProcessor<T, S>>();
  private leases: PartitionLeases | undefined;
  private store: ChangelogStore<S> | undefined;
  private publisher: AsyncPublisher | undefined;
  private timers: NodeJS.Timeout[] = [];
  private rebalancing: Promise<void> | undefined;
  private renewing: Promise<void> | undefined;
  private stopped = false;
  readonly instanceId: string;

  constructor(private readonly options: PartitionedConsumerOptions<T, S>) {
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  get group(): string {
    return this.options.group;
  }

  private get ttl(): number {
    return this.options.leaseTtlMs ?? 10_000;
  }

  async start(): Promise<void> {
    const { connection, bucketPrefix, group } = this.options;
    this.store = await ChangelogStore.open<S>(connection, bucketPrefix, group);
    this.publisher = new AsyncPublisher(connection.nc);
    this.leases = await PartitionLeases.open(connection, `${bucketPrefix}-${group}-leases`, this.instanceId, { ttlMs: this.ttl });
    await this.renew();
    await this.rebalance();
    const interval = this.options.rebalanceIntervalMs ?? Math.max(100, Math.floor(this.ttl / 5));
    // Renewing is kept apart from rebalancing, which waits for partitions to stop and start.
    this.timers.push(
      setInterval(() => {
        this.renewing ??= this.renew()
          .catch((error: unknown) => this.options.logger.warn({ err: error, group }, 'lease renewal failed; will retry'))
          .finally(() => {
            this.renewing = undefined;
          });
      }, interval),
      setInterval(() => {
        this.rebalancing ??= this.rebalance()
          .catch((error: unknown) => this.options.logger.warn({ err: error, group }, 'rebalance failed; will retry'))
          .finally(() => {
            this.rebalancing = undefined;
          });
      }, interval),
    );
  }

  /** Partitions this instance processes now. */
  owned(): number[] {
    return [...this.processors.keys()].sort((a, b) => a - b);
  }

  /** Graceful: every partition checkpoints and is released for the others to take at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.rebalancing;
    await this.renewing;
    await Promise.all(
      [...this.processors].map(async ([partition, processor]) => {
        await processor.stop().catch((error: unknown) => this.options.logger.warn({ err: error, partition }, 'final checkpoint failed'));
        this.processors.delete(partition);
      }),
    );
    await this.leases?.leave();
    this.publisher?.close();
  }

  private async renew(): Promise<void> {
    const leases = this.leases!;
    const [lost] = await Promise.all([leases.renew(), leases.heartbeat()]);
    for (const partition of lost) {
      this.options.logger.warn({ group: this.options.group, partition }, 'lease lost; partition dropped');
      this.processors.get(partition)?.abort();
      this.processors.delete(partition);
    }
  }

  private async rebalance(): Promise<void> {
    const leases = this.leases!;
    const { members, owners } = await leases.view();
    const plan = planAssignment({ self: this.instanceId, members, partitions: this.options.input.partitions, owners });
    for (const partition of plan.release) await this.release(partition);
    for (const partition of plan.acquire) {
      if (this.stopped) return;
      const epoch = await leases.acquire(partition);
      if (epoch !== undefined) this.launch(partition, epoch);
    }
    // Ours in the bucket but not running: a processor that failed, or a restart of NATS.
    for (const [partition, owner] of owners) {
      if (this.stopped || owner !== this.instanceId || this.processors.has(partition) || plan.release.includes(partition)) continue;
      const epoch = leases.holds(partition) ? leases.revision(partition) : await leases.adopt(partition);
      if (epoch !== undefined) this.launch(partition, epoch);
    }
  }

  /** Starts a partition in the background; a failure leaves the lease for the next rebalance to retry. */
  private launch(partition: number, epoch: number): void {
    const processor = new PartitionProcessor<T, S>({
      connection: this.options.connection,
      group: this.options.group,
      input: this.options.input,
      partition,
      epoch,
      schema: this.options.schema,
      handler: this.options.handler,
      store: this.store!,
      publisher: this.publisher!,
      deadLetterSubject: this.options.deadLetterSubject,
      leaseIsFresh: () => this.leases!.isFresh(partition),
      logger: this.options.logger,
      ...(this.options.tuning ? { tuning: this.options.tuning } : {}),
      ...(this.options.hooks ? { hooks: this.options.hooks } : {}),
    });
    this.processors.set(partition, processor);
    processor.start().then(
      () =>
        processor.done.then((failure) => {
          // Keep the lease: the next rebalance restarts the partition from its checkpoint.
          if (failure !== undefined && this.processors.get(partition) === processor) this.processors.delete(partition);
        }),
      (error: unknown) => {
        if (this.processors.get(partition) === processor) this.processors.delete(partition);
        this.options.logger.warn({ err: error, partition }, 'partition did not start; will retry');
      },
    );
  }

  private async release(partition: number): Promise<void> {
    const processor = this.processors.get(partition);
    this.processors.delete(partition);
    if (processor) await processor.stop().catch((error: unknown) => this.options.logger.warn({ err: error, partition }, 'checkpoint on release failed'));
    await this.leases!.release(partition);
    this.options.logger.info({ group: this.options.group, partition }, 'partition released');
  }
}
