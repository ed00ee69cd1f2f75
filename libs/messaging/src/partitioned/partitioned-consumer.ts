import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import { backoffCeilingMs } from '@sightline/runtime';
import type { JetStreamConnection } from '../connection';
import type { Stage } from '../stage/stage';
import { planAssignment } from './assignment';
import { AsyncPublisher } from '../async-publisher';
import { ChangelogStore } from './changelog-store';
import { PartitionLeases } from './partition-leases';
import { PartitionProcessor } from './partition-processor';
import type { ProcessorHooks, ProcessorLogger } from './processor-options';
import { StepFailedError, StepFailures } from './step-failure';
import { natsClients } from '../port/nats-clients';

export interface PartitionedConsumerOptions<T extends TSchema, S> {
  readonly connection: JetStreamConnection;
  /**
   * The stage to run. Its name is the consumer group: instances with the same group share the
   * partitions. It names the durables, the output ids, the state bucket and the lease bucket,
   * so keep it stable.
   */
  readonly stage: Stage<T, S>;
  /** Prefix of this group's KV buckets (the namespace). */
  readonly bucketPrefix: string;
  readonly logger: ProcessorLogger;
  /** Lease time: how long a dead instance keeps its partitions, ms. Default 10000. */
  readonly leaseTtlMs?: number;
  /** How often leases are renewed and the assignment revisited, ms. Default leaseTtlMs / 5. */
  readonly rebalanceIntervalMs?: number;
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
  /** Per partition: its failed step runs and how many runs it has had in this process. */
  private readonly runs = new Map<number, { failures: StepFailures; count: number }>();
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
    return this.options.stage.name;
  }

  private get ttl(): number {
    return this.options.leaseTtlMs ?? 10_000;
  }

  async start(): Promise<void> {
    const { connection, bucketPrefix } = this.options;
    const group = this.group;
    this.store = await ChangelogStore.open<S>(connection, bucketPrefix, group);
    this.publisher = new AsyncPublisher(natsClients(connection).nc);
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
      this.options.logger.warn({ group: this.group, partition }, 'lease lost; partition dropped');
      this.processors.get(partition)?.abort();
      this.processors.delete(partition);
    }
  }

  private async rebalance(): Promise<void> {
    const leases = this.leases!;
    const { members, owners } = await leases.view();
    const plan = planAssignment({ self: this.instanceId, members, partitions: this.options.stage.input.partitions, owners });
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

  /**
   * Starts a partition in the background. A failure leaves the lease for the next rebalance to
   * retry; a failed step restarts the partition from its checkpoint after a backoff.
   */
  private launch(partition: number, epoch: number): void {
    const run = this.runs.get(partition) ?? { failures: new StepFailures(), count: 0 };
    this.runs.set(partition, run);
    // A durable per run: a restart after a failed step resumes from an earlier position than the last run's.
    const durable = `${this.group}-p${partition}-e${epoch}${run.count > 0 ? `-r${run.count}` : ''}`;
    run.count++;
    const processor = new PartitionProcessor<T, S>({
      connection: this.options.connection,
      stage: this.options.stage,
      partition,
      durable,
      store: this.store!,
      publisher: this.publisher!,
      failures: run.failures,
      leaseIsFresh: () => this.leases!.isFresh(partition),
      logger: this.options.logger,
      ...(this.options.hooks ? { hooks: this.options.hooks } : {}),
    });
    this.processors.set(partition, processor);
    processor.start().then(
      () =>
        processor.done.then((failure) => {
          if (failure === undefined || this.processors.get(partition) !== processor) return;
          this.processors.delete(partition);
          void natsClients(this.options.connection).jsm.consumers.delete(this.options.stage.input.stream, durable).catch(() => undefined);
          // Keep the lease: the partition restarts from its checkpoint, at once after a failed step.
          if (failure instanceof StepFailedError) {
            setTimeout(() => this.relaunch(partition), backoffCeilingMs(failure.attempt, { baseMs: 100, maxMs: 2000 }));
          }
        }),
      (error: unknown) => {
        if (this.processors.get(partition) === processor) this.processors.delete(partition);
        this.options.logger.warn({ err: error, partition }, 'partition did not start; will retry');
      },
    );
  }

  private relaunch(partition: number): void {
    const epoch = this.leases?.revision(partition);
    if (this.stopped || this.processors.has(partition) || epoch === undefined) return;
    this.launch(partition, epoch);
  }

  private async release(partition: number): Promise<void> {
    const processor = this.processors.get(partition);
    this.processors.delete(partition);
    if (processor) await processor.stop().catch((error: unknown) => this.options.logger.warn({ err: error, partition }, 'checkpoint on release failed'));
    await this.leases!.release(partition);
    this.options.logger.info({ group: this.group, partition }, 'partition released');
  }
}
